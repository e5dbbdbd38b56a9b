/* Small file helpers shared by limed's modules (see limed.h). */
#include "fsutil.h"
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

char *ld_read_file(const char *path, size_t max, size_t *lenp)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    if (!buf) {
        close(fd);
        return NULL;
    }
    for (;;) {
        if (cap - len < 2) {
            if (cap >= max + 1)
                break;
            size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            char *nb = realloc(buf, ncap);
            if (!nb)
                break;
            buf = nb;
            cap = ncap;
        }
        ssize_t n = read(fd, buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    buf[len] = 0;
    if (lenp)
        *lenp = len;
    return buf;
}

int ld_write_file(const char *path, const char *data, size_t len, unsigned mode)
{
    return lime_write_file_atomic(path, data, len, (mode_t)mode);
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
    char *t = ld_read_file(v6 ? "/proc/net/ipv6_route" : "/proc/net/route", 1 << 20, NULL);
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

