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

/* Does the kernel have a default route of its own (this node is a gateway)? */
bool ld_kernel_default(bool v6)
{
    char *t = lime_read_file(v6 ? "/proc/net/ipv6_route" : "/proc/net/route", 0, NULL);
    bool found = false;
    for (char *save, *l = t ? strtok_r(t, "\n", &save) : NULL; l && !found;
         l = strtok_r(NULL, "\n", &save)) {
        char a[64], b[64], c[64];
        if (v6) {
            if (sscanf(l, "%63s %63s", a, b) == 2 &&
                !strcmp(a, "00000000000000000000000000000000") && !strcmp(b, "00") &&
                !strstr(l, " lo"))
                found = true;
        } else if (sscanf(l, "%63s %63s %63s", a, b, c) == 3 && !strcmp(b, "00000000")) {
            found = true;
        }
    }
    free(t);
    return found;
}

