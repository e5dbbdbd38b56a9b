/* newc cpio writer: a 110-byte ASCII header ("070701" and 13 eight-digit hex fields),
 * the NUL-terminated name padded to 4 bytes, the data padded to 4 bytes; a
 * "TRAILER!!!" entry ends the archive. */
#include "cpio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void put(struct sim_cpio *c, const void *p, size_t n)
{
    const char *s = p;
    while (!c->err && n) {
        ssize_t w = write(c->fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            c->err = w < 0 ? errno : EIO;
            return;
        }
        s += w;
        n -= (size_t)w;
    }
}

static void pad4(struct sim_cpio *c, size_t n)
{
    static const char zero[4];
    if (n % 4)
        put(c, zero, 4 - n % 4);
}

static void header(struct sim_cpio *c, const char *name, unsigned mode, size_t size)
{
    if (c->err)
        return;
    if (size > 0xffffffffu) {
        c->err = EFBIG;
        return;
    }
    char h[160];
    size_t namesize = strlen(name) + 1;
    snprintf(h, sizeof(h), "070701%08lX%08X%08X%08X%08X%08X%08lX%08X%08X%08X%08X%08lX%08X",
             c->ino++, mode, 0u, 0u, 1u, 0u, (unsigned long)size, 0u, 0u, 0u, 0u,
             (unsigned long)namesize, 0u);
    put(c, h, 110);
    put(c, name, namesize);
    pad4(c, 110 + namesize);
}

void sim_cpio_init(struct sim_cpio *c, int fd) { *c = (struct sim_cpio){.fd = fd, .ino = 1}; }

void sim_cpio_dir(struct sim_cpio *c, const char *name, mode_t mode)
{
    header(c, name, S_IFDIR | (mode & 07777), 0);
}

void sim_cpio_data(struct sim_cpio *c, const char *name, mode_t mode, const void *data, size_t len)
{
    header(c, name, S_IFREG | (mode & 07777), len);
    put(c, data, len);
    pad4(c, len);
}

void sim_cpio_file(struct sim_cpio *c, const char *name, mode_t mode, const char *src)
{
    if (c->err)
        return;
    int fd = open(src, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        c->err = fd < 0 ? errno : EINVAL;
        if (fd >= 0)
            close(fd);
        return;
    }
    header(c, name, S_IFREG | (mode & 07777), (size_t)st.st_size);
    size_t left = (size_t)st.st_size;
    char buf[65536];
    while (!c->err && left) {
        ssize_t r = read(fd, buf, left < sizeof(buf) ? left : sizeof(buf));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            c->err = r < 0 ? errno : EIO; /* the file shrank under us */
            break;
        }
        put(c, buf, (size_t)r);
        left -= (size_t)r;
    }
    close(fd);
    pad4(c, (size_t)st.st_size);
}

void sim_cpio_symlink(struct sim_cpio *c, const char *name, const char *target)
{
    size_t len = strlen(target);
    header(c, name, S_IFLNK | 0777, len);
    put(c, target, len);
    pad4(c, len);
}

int sim_cpio_finish(struct sim_cpio *c)
{
    header(c, "TRAILER!!!", 0, 0);
    return -c->err;
}
