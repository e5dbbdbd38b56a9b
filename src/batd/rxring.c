/* TPACKET_V2 receive ring. V2 rather than V3: V3 hands over whole blocks, waking the
 * reader only when a block fills or its retire timer (>= 1 ms) fires, which would delay
 * the sparse ACK stream of a TCP flow by up to a millisecond per hop. */
#include "rxring.h"

#include <errno.h>
#include <linux/if_packet.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "hardif.h"
#include "log.h"

#include <string.h>

#define RXRING_FRAME 2048u        /* slot size for MTUs up to ~1900 bytes */
#define RXRING_BLOCK (1u << 16)   /* 32 slots */
#define RXRING_QUIET_S 60         /* seconds without drops before a ring may shrink */

/* Maps a ring of `frames` slots on fd (which may hold an unmapped one: it is replaced;
 * the kernel refuses a new ring while one exists, so the old one goes first and frames
 * arriving in between are dropped). */
static int ring_map(int fd, unsigned frames, uint8_t **ring)
{
    struct tpacket_req off = {0};
    setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &off, sizeof off);
    struct tpacket_req req = {
        .tp_block_size = RXRING_BLOCK,
        .tp_block_nr = frames * RXRING_FRAME / RXRING_BLOCK,
        .tp_frame_size = RXRING_FRAME,
        .tp_frame_nr = frames,
    };
    if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) < 0)
        return -errno;
    void *m = mmap(NULL, (size_t)frames * RXRING_FRAME, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) {
        int e = -errno;
        setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &off, sizeof off);
        return e;
    }
    /* frames queued (as skbs) while the socket had no ring would keep it readable for
     * ever: the ring reader never looks at that queue */
    uint8_t scratch[64];
    while (recv(fd, scratch, sizeof scratch, MSG_DONTWAIT | MSG_TRUNC) >= 0)
        ;
    *ring = m;
    return 0;
}

int batd_rxring_open(int fd, unsigned max_frame, uint8_t **ring, unsigned *frames)
{
    /* slot: tpacket2_hdr + sockaddr_ll, PACKET_RESERVE headroom, the frame */
    unsigned need = TPACKET_ALIGN(TPACKET2_HDRLEN) + BATD_HEADROOM + max_frame + 16;
    if (need > RXRING_FRAME)
        return -EMSGSIZE;
    int v = TPACKET_V2, reserve = BATD_HEADROOM;
    if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v) < 0 ||
        setsockopt(fd, SOL_PACKET, PACKET_RESERVE, &reserve, sizeof reserve) < 0)
        return -errno;
    int r = ring_map(fd, BATD_RXRING_MIN, ring);
    if (r == 0)
        *frames = BATD_RXRING_MIN;
    return r;
}

void batd_rxring_close(struct hardif *hif)
{
    if (hif->rx_ring)
        munmap(hif->rx_ring, (size_t)hif->rx_frames * RXRING_FRAME);
    hif->rx_ring = NULL;
}

unsigned batd_rxring_want(unsigned frames, unsigned drops, unsigned packets, unsigned quiet_s)
{
    if (drops && frames < BATD_RXRING_MAX)
        return frames * 2;
    /* what the link brought in the last second, held for BATD_RXRING_HOLD_MS */
    unsigned need = (unsigned)((uint64_t)packets * BATD_RXRING_HOLD_MS / 1000);
    if (!drops && quiet_s >= RXRING_QUIET_S && frames > BATD_RXRING_MIN && need < frames / 4)
        return frames / 2;
    return frames;
}

static struct tpacket2_hdr *slot(struct hardif *hif, unsigned i)
{
    return (struct tpacket2_hdr *)(hif->rx_ring + (size_t)i * RXRING_FRAME);
}

/* Replaces the ring by one of `frames` slots, after the frames waiting in it went through
 * the receive path. On failure the old size is tried again, then recvmmsg takes over. */
static void ring_resize(struct batd *bat, struct hardif *hif, unsigned frames)
{
    unsigned old = hif->rx_frames;
    batd_rxring_drain(bat, hif);
    batd_rxring_close(hif);
    int r = ring_map(hif->fd, frames, &hif->rx_ring);
    if (r == 0) {
        log_info("%s: receive ring %u -> %u KiB", hif->name, old * RXRING_FRAME / 1024,
                 frames * RXRING_FRAME / 1024);
        hif->rx_frames = frames;
    } else if (ring_map(hif->fd, old, &hif->rx_ring) == 0) {
        log_warn("%s: receive ring of %u KiB: %s; keeping %u KiB", hif->name,
                 frames * RXRING_FRAME / 1024, strerror(-r), old * RXRING_FRAME / 1024);
    } else {
        log_warn("%s: receive ring lost (%s), using recvmmsg", hif->name, strerror(-r));
        hif->rx_ring = NULL;
        hif->rx_frames = 0;
        batd_hardif_rewatch(bat, hif);
    }
    hif->rx_head = 0;
    hif->rx_quiet = 0;
}

void batd_rxring_tick(struct batd *bat, struct hardif *hif)
{
    if (!hif->rx_ring)
        return;
    struct tpacket_stats st; /* reading resets the kernel's counters */
    socklen_t len = sizeof st;
    if (getsockopt(hif->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) < 0)
        return;
    hif->rx_quiet = st.tp_drops ? 0 : hif->rx_quiet + 1;
    if (st.tp_drops)
        batd_count_n(bat, STAT_DROP_RING_FULL, st.tp_drops);
    unsigned want = batd_rxring_want(hif->rx_frames, st.tp_drops, st.tp_packets, hif->rx_quiet);
    if (want != hif->rx_frames)
        ring_resize(bat, hif, want);
}

/* One frame of the ring through the receive path (batd_hardif_rx). */
static void rx_one(struct batd *bat, struct hardif *hif, struct tpacket2_hdr *h)
{
    if (h->tp_snaplen < h->tp_len || h->tp_mac + h->tp_snaplen > RXRING_FRAME) {
        batd_count(bat, STAT_DROP_TRUNCATED);
        return;
    }
    const struct sockaddr_ll *sll =
        (const struct sockaddr_ll *)((uint8_t *)h + TPACKET_ALIGN(sizeof *h));
    if (sll->sll_pkttype == PACKET_OUTGOING)
        return;
    if (!bat->cfg.vlan_tpid && sll->sll_pkttype == PACKET_OTHERHOST) {
        /* tagged with a non-zero VID (the tag was stripped), or not addressed to us */
        batd_count(bat, STAT_DROP_BAD_DST);
        return;
    }
    int tci = -1;
    uint16_t tpid = 0;
    if (h->tp_status & TP_STATUS_VLAN_VALID) {
        tci = h->tp_vlan_tci;
        tpid = (h->tp_status & TP_STATUS_VLAN_TPID_VALID) ? h->tp_vlan_tpid : 0x8100;
    }
    batd_hardif_rx(bat, hif, (uint8_t *)h + h->tp_mac, h->tp_snaplen, tci, tpid);
}

/* Up to 4 bursts of the frames waiting in the ring; true when more may be waiting. */
static bool ring_read(struct batd *bat, struct hardif *hif)
{
    uint8_t *end = hif->rx_ring + (size_t)hif->rx_frames * RXRING_FRAME;
    for (int round = 0; round < 4; round++) {
        unsigned first = hif->rx_head, n = 0;
        batd_hardif_burst_begin_range(bat, hif->rx_ring, end);
        while (n < BATD_BATCH) {
            struct tpacket2_hdr *h = slot(hif, hif->rx_head);
            if (!(__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
                break;
            rx_one(bat, hif, h);
            hif->rx_head = (hif->rx_head + 1) % hif->rx_frames;
            n++;
        }
        /* queued sends reference ring slots: send them before handing the slots back */
        batd_hardif_burst_end(bat);
        for (unsigned i = 0; i < n; i++)
            __atomic_store_n(&slot(hif, (first + i) % hif->rx_frames)->tp_status,
                             TP_STATUS_KERNEL, __ATOMIC_RELEASE);
        if (n < BATD_BATCH)
            return false;
    }
    return true;
}

void batd_rxring_readable(int fd, unsigned events, void *arg)
{
    (void)fd;
    (void)events;
    struct hardif *hif = arg;
    ring_read(hif->bat, hif);
}

void batd_rxring_drain(struct batd *bat, struct hardif *hif)
{
    while (ring_read(bat, hif))
        ;
}
