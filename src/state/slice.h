/* The JSON body of a shared-state-async message, as libretroshare's serialiser writes it:
 *   {"stateSlice":[{"key":K,"value":{"mAuthor":A,"mTtl":{"xint64":N,"xstr64":"N"},
 *                                     "mData":D[,"ssVer":V]}}, ...]}
 * (ssVer: LiMe-C's per-author version, see store.h; upstream ignores it. A LiMe-C sender
 * that holds nothing from the receiver yet — its first exchange since it started —
 * adds a top-level "ssFull":true asking for the whole table in the reply.)
 * On input mTtl may also be a plain integer or only one of xint64/xstr64 (upstream
 * accepts that too). LiMe-C writes compact JSON (upstream pretty-prints; both parse). */
#ifndef SS_SLICE_H
#define SS_SLICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "strbuf.h"

struct json_object;

struct ss_slice {
    struct ss_copy *copies; /* strings borrowed from root */
    size_t n;
    size_t bad; /* elements skipped because they were malformed */
    bool want_full; /* top-level "ssFull":true: the sender wants our whole table */
    struct json_object *root;
};

/* Parses a message body. 0, or -1 with err filled ("what was expected") when the text
 * is not JSON or has no stateSlice array; the slice is then empty. */
int ss_slice_parse(const char *json, size_t len, struct ss_slice *out, char *err, size_t errlen);
void ss_slice_free(struct ss_slice *s);

/* Appends s as a JSON string (quoted, escaped) to b (the core's strbuf). */
void ss_buf_json_string(struct lime_strbuf *b, const char *s);

/* Encodes the live entries of t whose seq > since_seq (0 = all) and not within
 * [skip_lo, skip_hi] (the copies the peer itself just sent; 0,0 = none), stopping before
 * the JSON would exceed max_bytes. Returns malloc'ed NUL-terminated text and sets *len,
 * *count (entries written) and *truncated. */
char *ss_slice_encode(struct ss_type *t, uint64_t since_seq, uint64_t skip_lo, uint64_t skip_hi,
                      uint64_t now_ms, size_t max_bytes, size_t *len, size_t *count,
                      int *truncated);

#endif
