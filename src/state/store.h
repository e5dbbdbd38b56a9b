/* The shared-state store: typed tables of key -> {author, ttl, data}, the merge rule,
 * ageing ("bleaching") and the caps upstream lacks.
 *
 * Merge rule for one incoming copy (remote = it came from another node over TCP;
 * local = from this node's CLI/API):
 *   1. TTL <= 0 is ignored (counted). A TTL above the type's maximum
 *      (ttl + update_interval + 1) is clamped to that maximum (counted, logged).
 *   2. Data larger than the entry cap is rejected; a new key in a full table is rejected.
 *   3. Unknown key: stored.
 *   4. Two copies by the same author that both carry a version ("ssVer": the author's
 *      insert counter, starting from its wall clock in ms and from its reloaded
 *      entries; an extra member upstream ignores): the higher version wins, whatever
 *      the TTLs (an author's later write always beats its earlier one, on every node).
 *      A remote copy of our own entry with a higher version than ours and other data
 *      (our clock went back over a restart) is refused, and ours is re-issued with a
 *      version above it, so our current data wins everywhere.
 *   5. Otherwise (different authors, or a copy relayed by upstream without ssVer):
 *      a. Own-key protection: a remote copy that claims this node as author, of a key
 *         this node authored, with a larger TTL, is rejected (counted, logged). Our own
 *         entry echoed back with drift (same data) is dropped silently, which removes
 *         upstream's #1150 log flood. Unlike upstream, a copy by ANOTHER author with a
 *         larger TTL is accepted (a lease that moved to another node).
 *      b. Larger TTL wins. Equal TTL (whole seconds): the larger (author, data) in byte
 *         order wins, so every node picks the same copy (upstream: whichever arrived
 *         last). Writes to one key by different authors within about a second of each
 *         other are thus ordered by that rule, not by time (there is no shared clock).
 * TTLs are held as monotonic expiry times with millisecond precision and sent as the
 * whole seconds remaining (rounded down). A received TTL of n seconds is stored as
 * n + 0.5 s (the expected value of what the rounding cut off), so relaying does not age a
 * copy by up to 1 s per hop as upstream's truncation does. To keep copies from
 * re-anchoring each other's half second forever, a copy of the same version (same
 * author, data and ssVer) only replaces ours if its TTL is more than 1 s larger (a real
 * refresh by the author jumps by minutes); so a copy outlives its author's by at most
 * half a second per hop it travelled.
 * Delete = publish null data; the null copy replaces the old one and ages out. */
#ifndef SS_STORE_H
#define SS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

#define SS_TYPE_NAME_MAX 128
#define SS_MAX_TYPES 256

struct ss_limits {
    size_t max_entry_bytes;   /* serialised data of one entry (default 16 KiB) */
    size_t max_message_bytes; /* JSON of one wire message (default 1 MiB, as upstream) */
    size_t max_entries;       /* entries per type (default 4096) */
};

/* Counters for /metrics; every field only grows. */
struct ss_counters {
    uint64_t merged_new, merged_updated, merged_same, merged_older;
    uint64_t rejected_own, rejected_ttl, capped_ttl, rejected_size, rejected_full;
    uint64_t expired, local_inserts;
    uint64_t frames_in, frames_out, frames_malformed, auth_failed, unknown_type;
    uint64_t syncs_ok, syncs_failed, conns_accepted, conns_refused, conns_timed_out;
    uint64_t bytes_in, bytes_out, hooks_run, hooks_failed;
};

struct ss_entry {
    char *key;
    char *author;
    char *data;          /* compact JSON text of the data ("null" for a delete) */
    uint64_t expires_ms; /* lime_now_ms() time at which the entry disappears */
    uint64_t seq;        /* store sequence number of the last change */
    uint64_t ver;        /* author's version (ssVer), 0 = unknown (upstream copies) */
};

struct ss_type {
    char name[SS_TYPE_NAME_MAX + 1];
    char scope[32];
    uint32_t ttl_s;      /* upstream "ttl"/BleachTTL */
    uint32_t interval_s; /* upstream "update_interval" */
    struct ss_entry *entries; /* sorted by key */
    size_t n, cap;
    uint64_t changed_seq; /* seq of the last significant change (new key or new data) */
};

/* One copy as received (borrowed strings). */
struct ss_copy {
    const char *key;
    const char *author;
    const char *data; /* compact JSON text */
    int64_t ttl_s;
    uint64_t ver; /* 0 = none */
};

enum ss_merge_outcome {
    SS_MERGE_NEW,     /* key was unknown: stored */
    SS_MERGE_UPDATED, /* replaced, data or author changed */
    SS_MERGE_REFRESH, /* replaced, same author and data, larger TTL */
    SS_MERGE_SAME,    /* identical copy: nothing changed */
    SS_MERGE_LOST,    /* equal TTL, different content, ours wins the tie: nothing changed */
    SS_MERGE_OLDER,   /* smaller TTL: ignored */
    SS_MERGE_REJECTED /* own-key protection, bad TTL, size or table cap */
};

struct ss_store;

struct ss_store *ss_store_new(const char *self, const struct ss_limits *limits);
void ss_store_free(struct ss_store *st);
const char *ss_store_self(const struct ss_store *st);
/* The node's new name (a hostname change): later local inserts are authored by it.
 * 0, or -ENOMEM with the old name kept. */
int ss_store_set_self(struct ss_store *st, const char *self);
const struct ss_limits *ss_store_limits(const struct ss_store *st);
struct ss_counters *ss_store_counters(struct ss_store *st);
/* Current store sequence number (grows with every change). */
uint64_t ss_store_seq(const struct ss_store *st);

/* Adds or updates a type. 0, -EINVAL for a bad name/ttl/interval, -ENOSPC past
 * SS_MAX_TYPES types. */
int ss_store_register(struct ss_store *st, const char *name, const char *scope, uint32_t ttl_s,
                      uint32_t interval_s);
struct ss_type *ss_store_type(struct ss_store *st, const char *name);
size_t ss_store_type_count(const struct ss_store *st);
struct ss_type *ss_store_type_at(struct ss_store *st, size_t i);
/* Largest TTL an entry of this type may carry: ttl + interval + 1 (a fresh insert). */
int64_t ss_type_max_ttl(const struct ss_type *t);
struct ss_entry *ss_type_find(struct ss_type *t, const char *key);
/* Whole seconds remaining (0 if expired). */
int64_t ss_entry_ttl(const struct ss_entry *e, uint64_t now_ms);

/* Merges one copy. remote: from another node (own-key protection applies). */
enum ss_merge_outcome ss_store_merge(struct ss_store *st, struct ss_type *t,
                                     const struct ss_copy *c, bool remote, uint64_t now_ms);
/* A local insert: author = self, TTL = the type's maximum. data is compact JSON text.
 * Returns the outcome (NEW/UPDATED/REFRESH or REJECTED for size/cap). */
enum ss_merge_outcome ss_store_insert(struct ss_store *st, struct ss_type *t, const char *key,
                                      const char *data, uint64_t now_ms);
/* Gives an entry a new seq without changing it, so that it is sent again (to a peer
 * that just showed us an outdated copy). */
void ss_store_touch(struct ss_store *st, struct ss_entry *e);
/* Drops expired entries of every type; returns how many. Types that lost entries get a
 * new changed_seq. */
size_t ss_store_bleach(struct ss_store *st, uint64_t now_ms);

/* Logs a rate-limited warning: prints when *count (already incremented) is a power of two. */
void ss_note(uint64_t count, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
