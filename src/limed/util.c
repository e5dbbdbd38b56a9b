/* Small helpers shared by limed's modules (see limed.h). */
#include "limed.h"
#include "core/fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
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
/* Seconds since boot from /proc/uptime; -1 if unreadable. */
static double system_uptime(void)
{
    char *u = lime_read_file("/proc/uptime", 256, NULL);
    double up = -1;
    if (u && sscanf(u, "%lf", &up) != 1)
        up = -1;
    free(u);
    return up;
}

/* When process pid started, in seconds since boot (/proc/PID/stat field 22); -1. */
static double process_start(const char *pid)
{
    char path[300];
    snprintf(path, sizeof(path), "/proc/%.255s/stat", pid);
    char *st = lime_read_file(path, 4096, NULL);
    double start = -1;
    const char *p = st ? strrchr(st, ')') : NULL; /* the command may hold spaces */
    unsigned long long ticks;
    /* after ")": state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
     * utime stime cutime cstime priority nice threads itrealvalue starttime(22) */
    if (p && sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d "
                           "%*d %*d %llu", &ticks) == 1)
        start = (double)ticks / (double)sysconf(_SC_CLK_TCK);
    free(st);
    return start;
}

/* When this node came to life, in seconds since boot: when the oldest process of limed's
 * UTS namespace started. On a router that is init (the system's boot); in a UTS namespace
 * of its own (a lime-sim node's world, a container), which shares the kernel's
 * /proc/uptime with every other node, it is that world's first process. -1 if unknown.
 * Asked once: a world's birth does not change. */
static double world_start(void)
{
    static bool known;
    static double start = -1;
    if (known)
        return start;
    known = true;
    /* namespaces compared by their link, "uts:[inode]" */
    char me[64];
    ssize_t len = readlink("/proc/self/ns/uts", me, sizeof(me) - 1);
    if (len <= 0)
        return start;
    me[len] = 0;
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char path[300], ns[64];
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof(path), "/proc/%.255s/ns/uts", e->d_name);
        ssize_t n = readlink(path, ns, sizeof(ns) - 1);
        if (n <= 0)
            continue;
        ns[n] = 0;
        if (strcmp(ns, me))
            continue;
        double t = process_start(e->d_name);
        if (t >= 0 && (start < 0 || t < start))
            start = t;
    }
    if (d)
        closedir(d);
    return start;
}

double ld_uptime(const struct ld_ctx *ctx)
{
    (void)ctx;
    double up = system_uptime();
    if (up < 0)
        return 0;
    double start = world_start();
    return start >= 0 && up >= start ? up - start : up;
}
