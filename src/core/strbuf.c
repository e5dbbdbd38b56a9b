/* Growable output string (see strbuf.h). */
#include "strbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void lime_strbuf_put(struct lime_strbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np) {
            b->oom = true;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

void lime_strbuf_puts(struct lime_strbuf *b, const char *s)
{
    lime_strbuf_put(b, s, strlen(s));
}

char *lime_strbuf_finish(struct lime_strbuf *b, size_t *len)
{
    lime_strbuf_put(b, "", 0); /* allocates "" when nothing was appended */
    if (b->oom) {
        free(b->p);
        b->p = NULL;
        errno = ENOMEM;
        return NULL;
    }
    if (len)
        *len = b->len;
    return b->p;
}
