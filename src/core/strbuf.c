/* Growable output string (see strbuf.h). */
#include "strbuf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for len + n bytes and a NUL; false (and oom remembered) when it cannot be had. */
static bool reserve(struct lime_strbuf *b, size_t n)
{
    if (b->oom)
        return false;
    if (b->len + n + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n + 1)
        cap *= 2;
    char *np = realloc(b->p, cap);
    if (!np) {
        b->oom = true;
        return false;
    }
    b->p = np;
    b->cap = cap;
    return true;
}

void lime_strbuf_put(struct lime_strbuf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

void lime_strbuf_puts(struct lime_strbuf *b, const char *s)
{
    lime_strbuf_put(b, s, strlen(s));
}

void lime_strbuf_printf(struct lime_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true; /* a format error: reported as the failure it is */
        return;
    }
    if (!reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *lime_strbuf_finish(struct lime_strbuf *b, size_t *len)
{
    lime_strbuf_put(b, "", 0); /* allocates "" when nothing was appended */
    char *p = b->oom ? NULL : b->p;
    if (b->oom)
        free(b->p);
    else if (len)
        *len = b->len;
    *b = (struct lime_strbuf){0};
    if (!p)
        errno = ENOMEM;
    return p;
}

void lime_strbuf_free(struct lime_strbuf *b)
{
    free(b->p);
    *b = (struct lime_strbuf){0};
}
