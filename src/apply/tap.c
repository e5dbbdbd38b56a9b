/* Persistent TAP create/delete through /dev/net/tun (rtnetlink cannot create tun/tap). */
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int tap_open(const char *name, int *fd_out)
{
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    *fd_out = fd;
    return 0;
}

int lr_tap_create(const char *name)
{
    int fd, r = tap_open(name, &fd);
    if (r)
        return r;
    r = ioctl(fd, TUNSETPERSIST, 1) < 0 ? -errno : 0;
    close(fd);
    return r;
}

int lr_tap_delete(const char *name)
{
    int fd, r = tap_open(name, &fd);
    if (r)
        return r;
    r = ioctl(fd, TUNSETPERSIST, 0) < 0 ? -errno : 0;
    close(fd);
    return r;
}
