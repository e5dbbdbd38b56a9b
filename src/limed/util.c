/* Small helpers shared by limed's modules (see limed.h). */
#include "limed.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *ld_path(const struct ld_ctx *ctx, const char *rel, char *buf, size_t len)
{
    const char *root = ctx && ctx->root ? ctx->root : "";
    size_t rl = strlen(root);
    while (rl > 0 && root[rl - 1] == '/')
        rl--;
    snprintf(buf, len, "%.*s%s", (int)rl, root, rel);
    return buf;
}

size_t ld_strlcpy(char *dst, const char *src, size_t len)
{
    size_t n = strlen(src);
    if (len) {
        size_t k = n < len - 1 ? n : len - 1;
        memcpy(dst, src, k);
        dst[k] = 0;
    }
    return n;
}
