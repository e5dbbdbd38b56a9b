/* AF_PACKET hard interfaces. Untagged: a socket bound to ETH_P_BATMAN (0x4305) never sees
 * our own transmissions. Tagged (--vlan): the kernel strips the tag into skb metadata
 * before packet sockets see the frame, and clears it before protocol-specific delivery, so
 * we bind ETH_P_ALL, read the tag from PACKET_AUXDATA, and let a BPF filter keep only our
 * VLAN's batman frames. We write tags ourselves on transmit. */
#include "hardif.h"

#include <errno.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bcast.h"
#include "frag.h"
#include "icmp.h"
#include "log.h"
#include "ogm_iv.h"
#include "route.h"
#include "rxring.h"
#include "tt.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

static int attach_vlan_filter(int fd, uint16_t tpid, uint16_t vid)
{
    struct sock_filter code[] = {
        /* 0 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, SKF_AD_OFF + SKF_AD_PKTTYPE),
        /* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 17, 0),
        /* 2 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT),
        /* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 7, 0),
        /* stripped tag */
        /* 4 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_VLAN_TPID),
        /* 5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, tpid, 0, 13),
        /* 6 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_VLAN_TAG),
        /* 7 */ BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0x0fff),
        /* 8 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, vid, 0, 10),
        /* 9 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
        /* 10 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, BATADV_ETHERTYPE, 7, 8),
        /* inline tag */
        /* 11 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
        /* 12 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, tpid, 0, 6),
        /* 13 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 14),
        /* 14 */ BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0x0fff),
        /* 15 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, vid, 0, 3),
        /* 16 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 16),
        /* 17 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, BATADV_ETHERTYPE, 0, 1),
        /* 18 */ BPF_STMT(BPF_RET | BPF_K, 0x40000),
        /* 19 */ BPF_STMT(BPF_RET | BPF_K, 0),
    };
    struct sock_fprog prog = {.len = sizeof code / sizeof code[0], .filter = code};
    return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog);
}

int batd_hardif_open(struct batd *bat, const char *name)
{
    if (bat->n_hardifs >= BATD_MAX_HARDIFS)
        return -E2BIG;
    if (strlen(name) >= IF_NAMESIZE)
        return -ENAMETOOLONG;
    int ifindex = (int)if_nametoindex(name);
    if (!ifindex)
        return -ENODEV;
    bool tagged = bat->cfg.vlan_tpid != 0;
    int proto = htons(tagged ? ETH_P_ALL : BATADV_ETHERTYPE);
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
    if (fd < 0)
        return -errno;
    struct ifreq ifr = {0};
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0 || ioctl(fd, SIOCGIFMTU, &ifr) < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    ioctl(fd, SIOCGIFHWADDR, &ifr);
    uint8_t mac[6];
    memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
    ioctl(fd, SIOCGIFMTU, &ifr);
    unsigned mtu = (unsigned)ifr.ifr_mtu;
    /* bring the link up if it is down */
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
        ifr.ifr_flags |= IFF_UP;
        ioctl(fd, SIOCSIFFLAGS, &ifr);
    }
    int one = 1;
    if (tagged) {
        setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof one);
        setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
        if (attach_vlan_filter(fd, bat->cfg.vlan_tpid, bat->cfg.vlan_id) < 0) {
            int e = -errno;
            close(fd);
            return e;
        }
        mtu = mtu > 4 ? mtu - 4 : 0;
    }
    int bufsz = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bufsz, sizeof bufsz);
    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &bufsz, sizeof bufsz);
    struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = (uint16_t)proto,
                              .sll_ifindex = ifindex};
    if (bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    /* Sends leave through a second socket that is in no epoll set: every freed transmit
     * skb calls its socket's write-space hook, which takes the wait-queue lock whenever
     * a waiter (the loop's epoll entry for reading) is queued there. Protocol 0: it never
     * receives. */
    int tx_fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_ll txa = {.sll_family = AF_PACKET, .sll_ifindex = ifindex};
    if (tx_fd < 0 || bind(tx_fd, (struct sockaddr *)&txa, sizeof txa) < 0) {
        int e = -errno;
        if (tx_fd >= 0)
            close(tx_fd);
        close(fd);
        return e;
    }
    setsockopt(tx_fd, SOL_SOCKET, SO_SNDBUFFORCE, &bufsz, sizeof bufsz);
    struct hardif *hif = batd_add_hardif(bat, name, mac, mtu);
    hif->fd = fd;
    hif->tx_fd = tx_fd;
    hif->ifindex = ifindex;
    /* frames as large as the MTU allows now; larger ones (MTU raised later) are counted
     * as truncated, as with recvmmsg past BATD_SLOT_DATA */
    if (!bat->cfg.no_rx_ring) {
        int rr = batd_rxring_open(fd, mtu + (tagged ? 22 : 18), &hif->rx_ring, &hif->rx_frames);
        if (rr < 0 && rr != -EMSGSIZE)
            log_warn("%s: no receive ring (%s), using recvmmsg", name, strerror(-rr));
    }
    char path[128];
    snprintf(path, sizeof path, "/sys/class/net/%s/wireless", name);
    hif->wireless = access(path, F_OK) == 0;
    snprintf(path, sizeof path, "/sys/class/net/%s/phy80211", name);
    hif->wireless |= access(path, F_OK) == 0;
    log_info("hard interface %s: %02x:%02x:%02x:%02x:%02x:%02x mtu %u%s%s", name, mac[0], mac[1],
             mac[2], mac[3], mac[4], mac[5], mtu, hif->wireless ? " wireless" : "",
             hif->index == 0 ? " (primary)" : "");
    if (mtu < 1532)
        log_warn("%s: MTU %u < 1532, large packets will be fragmented", name, mtu);
    return 0;
}

void batd_hardif_refresh_mtu(struct batd *bat, struct hardif *hif)
{
    if (hif->fd < 0)
        return;
    struct ifreq ifr = {0};
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", hif->name);
    if (ioctl(hif->fd, SIOCGIFMTU, &ifr) < 0)
        return;
    unsigned mtu = (unsigned)ifr.ifr_mtu;
    if (bat->cfg.vlan_tpid)
        mtu = mtu > 4 ? mtu - 4 : 0;
    if (mtu != hif->mtu) {
        log_info("%s: MTU now %u (was %u)%s", hif->name, mtu, hif->mtu,
                 mtu < 1532 ? ", large packets will be fragmented" : "");
        hif->mtu = mtu;
    }
}

void batd_hardif_close(struct batd *bat, struct hardif *hif)
{
    if (hif->fd >= 0) {
        if (bat->loop)
            lime_loop_del_fd(bat->loop, hif->fd);
        batd_rxring_close(hif);
        close(hif->fd);
        hif->fd = -1;
    }
    if (hif->tx_fd >= 0) {
        close(hif->tx_fd);
        hif->tx_fd = -1;
    }
}

static void txq_flush(struct batd *bat, struct hardif *hif)
{
    unsigned done = 0;
    while (done < hif->txq_n) {
        int r = sendmmsg(hif->tx_fd, hif->txq_msg + done, hif->txq_n - done, 0);
        if (r <= 0) {
            /* drop the frame that failed (e.g. ENOBUFS) and go on with the rest */
            batd_count(bat, STAT_DROP_TX_ERROR);
            done++;
            continue;
        }
        done += (unsigned)r;
    }
    hif->txq_n = 0;
}

void batd_hardif_burst_begin_range(struct batd *bat, uint8_t *lo, uint8_t *hi)
{
    bat->batching = true;
    bat->batch_lo = lo;
    bat->batch_hi = hi;
}

void batd_hardif_burst_begin(struct batd *bat)
{
    batd_hardif_burst_begin_range(bat, &bat->io_slots[0][0],
                             &bat->io_slots[BATD_BATCH - 1][0] + sizeof bat->io_slots[0]);
}

void batd_hardif_burst_end(struct batd *bat)
{
    if (bat->tap_vnet)
        batd_gro_flush(&bat->gro, batd_tap_write, bat);
    for (unsigned i = 0; i < bat->n_hardifs; i++)
        if (bat->hardifs[i].txq_n)
            txq_flush(bat, &bat->hardifs[i]);
    bat->batching = false;
    bat->last_queued = NULL;
}

int batd_hardif_send(struct batd *bat, struct hardif *hif, const uint8_t *dst, uint8_t *p, size_t len)
{
    size_t hl = bat->cfg.vlan_tpid ? 18 : 14;
    uint8_t *f = p - hl;
    /* the same packet going out on several interfaces (floods): the queued copy of the
     * previous interface still references this header, so send it before rewriting */
    if (bat->last_queued == f && bat->last_queued_hif != hif && bat->last_queued_hif->txq_n)
        txq_flush(bat, bat->last_queued_hif);
    memcpy(f, dst, 6);
    memcpy(f + 6, hif->mac, 6);
    if (bat->cfg.vlan_tpid) {
        put_be16(f + 12, bat->cfg.vlan_tpid);
        put_be16(f + 14, bat->cfg.vlan_id);
    }
    put_be16(f + hl - 2, BATADV_ETHERTYPE);
    size_t flen = len + hl;
    bat->stats[STAT_TX]++;
    bat->stats[STAT_TX_BYTES] += len;
    if (bat->tx_hook) {
        bat->tx_hook(bat, hif, f, flen);
        return 0;
    }
    if (hif->tx_fd < 0)
        return -1;
    if (bat->batching && f >= bat->batch_lo && f + flen <= bat->batch_hi) {
        unsigned i = hif->txq_n++;
        hif->txq_iov[i].iov_base = f;
        hif->txq_iov[i].iov_len = flen;
        memset(&hif->txq_msg[i], 0, sizeof hif->txq_msg[i]);
        hif->txq_msg[i].msg_hdr.msg_iov = &hif->txq_iov[i];
        hif->txq_msg[i].msg_hdr.msg_iovlen = 1;
        bat->last_queued = f;
        bat->last_queued_hif = hif;
        if (hif->txq_n == BATD_BATCH)
            txq_flush(bat, hif);
        return 0;
    }
    if (hif->txq_n)
        txq_flush(bat, hif); /* keep this interface's frames in order */
    if (send(hif->tx_fd, f, flen, 0) < 0) {
        batd_count(bat, STAT_DROP_TX_ERROR);
        return -1;
    }
    return 0;
}

void batd_rx_packet(struct batd *bat, struct hardif *hif, const uint8_t *eth_dst,
                    const uint8_t *eth_src, uint8_t *p, size_t len)
{
    if (len < 2) {
        batd_count(bat, STAT_DROP_SHORT);
        return;
    }
    if (p[1] != BATADV_COMPAT) {
        batd_count(bat, STAT_DROP_VERSION);
        return;
    }
    switch (p[0]) {
    case BATADV_IV_OGM:
        batd_ogm_iv_rx(bat, hif, eth_dst, eth_src, p, len);
        return;
    case BATADV_BCAST:
        batd_bcast_rx(bat, hif, eth_dst, eth_src, p, len);
        return;
    case BATADV_ELP:
    case BATADV_OGM2:
    case BATADV_CODED:
    case BATADV_MCAST:
        batd_count(bat, STAT_DROP_UNSUPPORTED);
        return;
    case BATADV_UNICAST:
    case BATADV_UNICAST_4ADDR:
        batd_route_rx_unicast(bat, hif, eth_dst, eth_src, p, len);
        return;
    case BATADV_UNICAST_FRAG:
        batd_frag_rx(bat, hif, eth_dst, eth_src, p, len);
        return;
    case BATADV_ICMP:
        batd_icmp_rx(bat, hif, eth_dst, eth_src, p, len);
        return;
    case BATADV_UNICAST_TVLV:
        batd_route_rx_unicast_tvlv(bat, hif, eth_dst, eth_src, p, len);
        return;
    default:
        if (p[0] >= 0x40 && p[0] <= 0x7f) {
            batd_route_rx_unknown(bat, hif, eth_dst, eth_src, p, len);
            return;
        }
        batd_count(bat, STAT_DROP_TYPE);
    }
}

void batd_hardif_rx(struct batd *bat, struct hardif *hif, uint8_t *frame, size_t len, int aux_tci,
               uint16_t aux_tpid)
{
    if (len < ETH_HLEN_) {
        batd_count(bat, STAT_DROP_SHORT);
        return;
    }
    size_t hl = ETH_HLEN_;
    uint16_t type = get_be16(frame + 12);
    if (bat->cfg.vlan_tpid) {
        if (aux_tci >= 0) {
            if (aux_tpid != bat->cfg.vlan_tpid || (aux_tci & 0xfff) != bat->cfg.vlan_id) {
                batd_count(bat, STAT_DROP_VLAN);
                return;
            }
        } else {
            if (len < 18 || type != bat->cfg.vlan_tpid ||
                (get_be16(frame + 14) & 0xfff) != bat->cfg.vlan_id) {
                batd_count(bat, STAT_DROP_VLAN);
                return;
            }
            hl = 18;
            type = get_be16(frame + 16);
        }
    } else if (aux_tci >= 0 && (aux_tci & 0xfff)) {
        batd_count(bat, STAT_DROP_VLAN);
        return;
    } else if (type == 0x8100 || type == 0x88a8) {
        batd_count(bat, STAT_DROP_VLAN);
        return;
    }
    if (type != BATADV_ETHERTYPE) {
        batd_count(bat, STAT_DROP_TYPE);
        return;
    }
    /* copies: forwarding rewrites the Ethernet header in place */
    uint8_t dst[6], src[6];
    memcpy(dst, frame, 6);
    memcpy(src, frame + 6, 6);
    if (batd_is_my_mac(bat, src)) {
        batd_count(bat, STAT_DROP_FROM_ME);
        return;
    }
    batd_rx_packet(bat, hif, dst, src, frame + hl, len - hl);
}

void batd_rx_frame(struct batd *bat, struct hardif *hif, const uint8_t *frame, size_t len)
{
    if (len > BATD_FRAME_MAX) {
        batd_count(bat, STAT_DROP_TRUNCATED);
        return;
    }
    uint8_t *buf = bat->rxbuf + BATD_HEADROOM;
    memmove(buf, frame, len);
    batd_hardif_rx(bat, hif, buf, len, -1, 0);
}

static void hardif_readable(int fd, unsigned events, void *arg)
{
    struct hardif *hif = arg;
    struct batd *bat = hif->bat;
    static struct mmsghdr msgs[BATD_BATCH];
    static struct iovec iov[BATD_BATCH];
    static struct sockaddr_ll from[BATD_BATCH];
    static union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
    } cbuf[BATD_BATCH];
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < BATD_BATCH; i++) {
            iov[i].iov_base = bat->io_slots[i] + BATD_HEADROOM;
            iov[i].iov_len = BATD_SLOT_DATA;
            memset(&msgs[i], 0, sizeof msgs[i]);
            msgs[i].msg_hdr.msg_name = &from[i];
            msgs[i].msg_hdr.msg_namelen = sizeof from[i];
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
            msgs[i].msg_hdr.msg_control = &cbuf[i];
            msgs[i].msg_hdr.msg_controllen = sizeof cbuf[i];
        }
        int n = recvmmsg(fd, msgs, BATD_BATCH, MSG_TRUNC | MSG_DONTWAIT, NULL);
        if (n <= 0) {
            if (n < 0 && errno != EAGAIN && errno != EINTR)
                log_warn("%s: recv: %s", hif->name, strerror(errno));
            return;
        }
        batd_hardif_burst_begin(bat);
        for (int i = 0; i < n; i++) {
            size_t len = msgs[i].msg_len;
            struct msghdr *msg = &msgs[i].msg_hdr;
            if (len > BATD_SLOT_DATA || (msg->msg_flags & MSG_TRUNC)) {
                batd_count(bat, STAT_DROP_TRUNCATED);
                continue;
            }
            if (from[i].sll_pkttype == PACKET_OUTGOING)
                continue;
            int tci = -1;
            uint16_t tpid = 0;
            for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
                if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA) {
                    struct tpacket_auxdata aux;
                    memcpy(&aux, CMSG_DATA(c), sizeof aux);
                    if (aux.tp_status & TP_STATUS_VLAN_VALID) {
                        tci = aux.tp_vlan_tci;
                        tpid = (aux.tp_status & TP_STATUS_VLAN_TPID_VALID) ? aux.tp_vlan_tpid : 0x8100;
                    }
                }
            }
            if (!bat->cfg.vlan_tpid && from[i].sll_pkttype == PACKET_OTHERHOST) {
                /* tagged with a non-zero VID (the tag was stripped), or not addressed to us */
                batd_count(bat, STAT_DROP_BAD_DST);
                continue;
            }
            batd_hardif_rx(bat, hif, bat->io_slots[i] + BATD_HEADROOM, len, tci, tpid);
        }
        batd_hardif_burst_end(bat);
        if (n < BATD_BATCH)
            return;
    }
}

void batd_hardif_rewatch(struct batd *bat, struct hardif *hif)
{
    if (!bat->loop || hif->fd < 0)
        return;
    lime_loop_del_fd(bat->loop, hif->fd);
    lime_loop_add_fd(bat->loop, hif->fd, LIME_EV_READ,
                     hif->rx_ring ? batd_rxring_readable : hardif_readable, hif);
}

int batd_hardif_watch_all(struct batd *bat)
{
    for (unsigned i = 0; i < bat->n_hardifs; i++) {
        struct hardif *hif = &bat->hardifs[i];
        int r = lime_loop_add_fd(bat->loop, hif->fd, LIME_EV_READ,
                                 hif->rx_ring ? batd_rxring_readable : hardif_readable, hif);
        if (r < 0)
            return r;
    }
    return 0;
}
