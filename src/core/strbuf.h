/* A growable, always NUL-terminated byte string for building output text (UCI files,
 * template results, lime-sim's ip/nft batches). Appends never fail visibly: on
 * out-of-memory the buffer remembers it and lime_strbuf_finish() reports it once. */
#ifndef LIME_STRBUF_H
#define LIME_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct lime_strbuf {
    char *p;      /* NULL until the first append */
    size_t len;   /* bytes in p, not counting the NUL */
    size_t cap;
    bool oom;     /* an allocation failed: later appends do nothing */
};

/* Appends n bytes of s. */
void lime_strbuf_put(struct lime_strbuf *b, const char *s, size_t n);
/* Appends the C string s. */
void lime_strbuf_puts(struct lime_strbuf *b, const char *s);
/* Appends printf-formatted text. */
void lime_strbuf_printf(struct lime_strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Ends the building: returns the heap string (caller frees; "" if nothing was
 * appended) and stores its length in *len when len is not NULL; or frees everything,
 * sets errno = ENOMEM and returns NULL if an allocation failed. Either way b is empty
 * again, ready for new text. */
char *lime_strbuf_finish(struct lime_strbuf *b, size_t *len);
/* Drops the text (for a builder that used b->p and b->len in place); b is empty again. */
void lime_strbuf_free(struct lime_strbuf *b);

#endif
