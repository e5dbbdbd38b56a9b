/* Whole-file read, crash-safe replace (temp + fsync + rename + dir fsync), mkdir -p. */
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *lime_read_file(const char *path, size_t max, size_t *len)
{
    if (!max)
        max = 64u << 20;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t cap = max < 4096 ? max : 4096, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf)
        goto fail;
    for (;;) {
        if (n == cap) {
            if (cap >= max) {
                errno = EFBIG;
                goto fail;
            }
            size_t ncap = cap * 2 > max ? max : cap * 2;
            char *nb = realloc(buf, ncap + 1);
            if (!nb)
                goto fail;
            buf = nb;
            cap = ncap;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            goto fail;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n == cap && cap >= max) {
            /* full at the limit: only fine if the file ends here */
            char probe;
            ssize_t more = read(fd, &probe, 1);
            if (more != 0) {
                errno = more > 0 ? EFBIG : errno;
                goto fail;
            }
            break;
        }
    }
    close(fd);
    buf[n] = 0;
    if (len)
        *len = n;
    return buf;
fail: {
    int e = errno;
    free(buf);
    close(fd);
    errno = e;
    return NULL;
}
}

static int fsync_dir_of(const char *path)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    if (!slash)
        strcpy(dir, ".");
    else if (slash == path)
        strcpy(dir, "/");
    else {
        size_t n = (size_t)(slash - path);
        if (n >= sizeof dir)
            return -ENAMETOOLONG;
        memcpy(dir, path, n);
        dir[n] = 0;
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int r = fsync(fd) < 0 && errno != EINVAL ? -errno : 0;
    close(fd);
    return r;
}

int lime_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.tmpXXXXXX", path) >= (int)sizeof tmp)
        return -ENAMETOOLONG;
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int r = 0;
    if (fchmod(fd, mode) < 0)
        r = -errno;
    const char *p = data;
    while (!r && len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            r = -errno;
            break;
        }
        p += w;
        len -= (size_t)w;
    }
    if (!r && fsync(fd) < 0)
        r = -errno;
    if (close(fd) < 0 && !r)
        r = -errno;
    if (!r && rename(tmp, path) < 0)
        r = -errno;
    if (r) {
        unlink(tmp);
        return r;
    }
    return fsync_dir_of(path);
}

int lime_mkdir_p(const char *path, mode_t mode)
{
    char buf[PATH_MAX];
    size_t n = strlen(path);
    if (n == 0)
        return -EINVAL;
    if (n >= sizeof buf)
        return -ENAMETOOLONG;
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(buf, mode) < 0 && errno != EEXIST)
            return -errno;
        *p = '/';
    }
    if (mkdir(buf, mode) < 0) {
        if (errno != EEXIST)
            return -errno;
        struct stat st;
        if (stat(buf, &st) < 0)
            return -errno;
        if (!S_ISDIR(st.st_mode))
            return -ENOTDIR;
    }
    return 0;
}

pid_t lime_read_pid_file(const char *path)
{
    char *text = path ? lime_read_file(path, 64, NULL) : NULL;
    long long pid = text ? strtoll(text, NULL, 10) : 0; /* long is 32 bits on mipsel */
    free(text);
    return pid > 1 && pid <= INT_MAX ? (pid_t)pid : 0;
}
