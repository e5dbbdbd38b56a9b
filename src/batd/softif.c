/* TAP soft interface. */
#include "softif.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hardif.h"
#include "log.h"
#include "route.h"
#include "tso.h"

/* Reads what the local stack queued on the TAP (up to 4 x BATD_BATCH frames), cutting
 * TSO frames into segments, and routes every frame from a batch slot; sends are queued
 * per interface and leave with one sendmmsg each whenever the slots run out and at the
 * end. */
static void softif_readable(int fd, unsigned events, void *arg)
{
    struct batd *bat = arg;
    size_t vl = bat->tap_vnet ? sizeof(struct gro_vnet_hdr) : 0;
    unsigned slot = 0;
    batd_hardif_burst_begin(bat);
    for (int n = 0; n < 4 * BATD_BATCH; n++) {
        ssize_t r = read(fd, bat->tap_in, vl + BATD_TAP_IN_MAX);
        if (r < 0) {
            if (errno != EAGAIN && errno != EINTR)
                log_warn("%s: read: %s", bat->cfg.soft_if, strerror(errno));
            break;
        }
        if ((size_t)r <= vl)
            continue;
        uint8_t *frame = bat->tap_in + vl;
        size_t len = (size_t)r - vl;
        struct gro_vnet_hdr vh = {0};
        if (vl)
            memcpy(&vh, bat->tap_in, sizeof vh);
        unsigned segs = 1;
        if (vh.gso_type != GRO_VNET_GSO_NONE) {
            segs = batd_tso_count(&vh, frame, len);
            if (!segs || vh.gso_size + 128u > BATD_SLOT_DATA) {
                batd_count(bat, STAT_TX_DROPPED);
                continue;
            }
        } else {
            if (vh.flags & GRO_VNET_F_NEEDS_CSUM)
                batd_gro_complete_csum(frame, len, vh.csum_start, vh.csum_offset);
            if (len > BATD_SLOT_DATA) {
                batd_count(bat, STAT_TX_DROPPED);
                continue;
            }
        }
        for (unsigned i = 0; i < segs; i++) {
            if (slot == BATD_BATCH) {
                batd_hardif_burst_end(bat);
                batd_hardif_burst_begin(bat);
                slot = 0;
            }
            uint8_t *out = bat->io_slots[slot++] + BATD_HEADROOM;
            size_t sl = len;
            if (vh.gso_type != GRO_VNET_GSO_NONE)
                sl = batd_tso_segment(&vh, frame, len, i, out);
            else
                memcpy(out, frame, len);
            batd_route_tx_from_soft(bat, out, sl);
        }
    }
    batd_hardif_burst_end(bat);
}

int batd_softif_existing_mac(const char *name, uint8_t mac[6])
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return -errno;
    struct ifreq q = {0};
    snprintf(q.ifr_name, sizeof q.ifr_name, "%s", name);
    int r = ioctl(s, SIOCGIFHWADDR, &q) < 0 ? -errno : 0;
    close(s);
    if (r < 0)
        return r;
    const uint8_t *a = (const uint8_t *)q.ifr_hwaddr.sa_data;
    static const uint8_t zero[6];
    if (q.ifr_hwaddr.sa_family != ARPHRD_ETHER || (a[0] & 1) || !memcmp(a, zero, 6))
        return -EINVAL;
    memcpy(mac, a, 6);
    return 0;
}

int batd_softif_open(struct batd *bat)
{
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    struct ifreq ifr = {0};
    bool vnet = !bat->cfg.no_tap_offload;
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (vnet ? IFF_VNET_HDR : 0);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", bat->cfg.soft_if);
    int r = ioctl(fd, TUNSETIFF, &ifr);
    if (r < 0 && vnet) {
        vnet = false; /* retry plain */
        ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
        r = ioctl(fd, TUNSETIFF, &ifr);
    }
    if (r < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    if (vnet) {
        int hsz = sizeof(struct gro_vnet_hdr);
        /* checksum and TSO offload: the local stack hands us partial checksums and up
         * to 64 KB TCP frames (completed/cut in userspace); merged TCP frames go up */
        unsigned off = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
        if (ioctl(fd, TUNSETVNETHDRSZ, &hsz) < 0 || ioctl(fd, TUNSETOFFLOAD, off) < 0) {
            int e = -errno;
            close(fd);
            return e;
        }
    }
    bat->tap_vnet = vnet;
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    int err = 0;
    struct ifreq q = {0};
    snprintf(q.ifr_name, sizeof q.ifr_name, "%s", bat->cfg.soft_if);
    /* set the MAC only if it differs: rewriting an unchanged MAC of a bridge port still
     * makes the bridge recompute its own address */
    if (ioctl(s, SIOCGIFHWADDR, &q) < 0 || memcmp(q.ifr_hwaddr.sa_data, bat->soft_mac, 6)) {
        memset(&q.ifr_hwaddr, 0, sizeof q.ifr_hwaddr);
        q.ifr_hwaddr.sa_family = ARPHRD_ETHER;
        memcpy(q.ifr_hwaddr.sa_data, bat->soft_mac, 6);
        if (ioctl(s, SIOCSIFHWADDR, &q) < 0)
            err = -errno;
    }
    /* a longer queue than the default 1000: bursts from the local TCP stack arrive faster
     * than one userspace reader drains them, and tail drops there cost TCP a lot */
    q.ifr_qlen = 4000;
    ioctl(s, SIOCSIFTXQLEN, &q);
    q.ifr_mtu = BATD_SOFT_MTU;
    if (!err && ioctl(s, SIOCSIFMTU, &q) < 0)
        err = -errno;
    if (!err && ioctl(s, SIOCGIFFLAGS, &q) == 0) {
        q.ifr_flags |= IFF_UP;
        if (ioctl(s, SIOCSIFFLAGS, &q) < 0)
            err = -errno;
    }
    if (!err && ioctl(s, SIOCGIFINDEX, &q) == 0)
        bat->soft_ifindex = q.ifr_ifindex;
    close(s);
    if (err) {
        close(fd);
        return err;
    }
    bat->tap_fd = fd;
    if (bat->loop)
        lime_loop_add_fd(bat->loop, fd, LIME_EV_READ, softif_readable, bat);
    return 0;
}

void batd_softif_close(struct batd *bat)
{
    if (bat->tap_fd < 0)
        return;
    if (bat->loop)
        lime_loop_del_fd(bat->loop, bat->tap_fd);
    close(bat->tap_fd);
    bat->tap_fd = -1;
}
