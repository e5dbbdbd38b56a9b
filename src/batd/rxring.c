/* TPACKET_V2 receive ring. V2 rather than V3: V3 hands over whole blocks, waking the
 * reader only when a block fills or its retire timer (>= 1 ms) fires, which would delay
 * the sparse ACK stream of a TCP flow by up to a millisecond per hop. */
#include "rxring.h"

#include <errno.h>
#include <linux/if_packet.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "hardif.h"

#define RXRING_FRAME 2048u        /* slot size for MTUs up to ~1900 bytes */
#define RXRING_BLOCK (1u << 16)
#define RXRING_BYTES (4u << 20)   /* as much as the 4 MB receive buffer it replaces */

int rxring_open(int fd, unsigned max_frame, uint8_t **ring, unsigned *frames)
{
    /* slot: tpacket2_hdr + sockaddr_ll, PACKET_RESERVE headroom, the frame */
    unsigned need = TPACKET_ALIGN(TPACKET2_HDRLEN) + BATD_HEADROOM + max_frame + 16;
    if (need > RXRING_FRAME)
        return -EMSGSIZE;
    int v = TPACKET_V2, reserve = BATD_HEADROOM;
    if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v) < 0 ||
        setsockopt(fd, SOL_PACKET, PACKET_RESERVE, &reserve, sizeof reserve) < 0)
        return -errno;
    struct tpacket_req req = {
        .tp_block_size = RXRING_BLOCK,
        .tp_block_nr = RXRING_BYTES / RXRING_BLOCK,
        .tp_frame_size = RXRING_FRAME,
        .tp_frame_nr = RXRING_BYTES / RXRING_FRAME,
    };
    if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) < 0)
        return -errno;
    void *m = mmap(NULL, RXRING_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) {
        int e = -errno;
        struct tpacket_req off = {0};
        setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &off, sizeof off);
        return e;
    }
    /* frames queued (as skbs) since socket() hooked the protocol would keep the socket
     * readable for ever: the ring reader never looks at that queue */
    uint8_t scratch[64];
    while (recv(fd, scratch, sizeof scratch, MSG_DONTWAIT | MSG_TRUNC) >= 0)
        ;
    *ring = m;
    *frames = req.tp_frame_nr;
    return 0;
}

void rxring_close(struct hardif *hif)
{
    if (hif->rx_ring)
        munmap(hif->rx_ring, RXRING_BYTES);
    hif->rx_ring = NULL;
}

static struct tpacket2_hdr *slot(struct hardif *hif, unsigned i)
{
    return (struct tpacket2_hdr *)(hif->rx_ring + (size_t)i * RXRING_FRAME);
}

/* One frame of the ring through the receive path (hardif_rx). */
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
    hardif_rx(bat, hif, (uint8_t *)h + h->tp_mac, h->tp_snaplen, tci, tpid);
}

void rxring_readable(int fd, unsigned events, void *arg)
{
    (void)fd;
    (void)events;
    struct hardif *hif = arg;
    struct batd *bat = hif->bat;
    uint8_t *end = hif->rx_ring + (size_t)hif->rx_frames * RXRING_FRAME;
    for (int round = 0; round < 4; round++) {
        unsigned first = hif->rx_head, n = 0;
        hardif_burst_begin_range(bat, hif->rx_ring, end);
        while (n < BATD_BATCH) {
            struct tpacket2_hdr *h = slot(hif, hif->rx_head);
            if (!(__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
                break;
            rx_one(bat, hif, h);
            hif->rx_head = (hif->rx_head + 1) % hif->rx_frames;
            n++;
        }
        /* queued sends reference ring slots: send them before handing the slots back */
        hardif_burst_end(bat);
        for (unsigned i = 0; i < n; i++)
            __atomic_store_n(&slot(hif, (first + i) % hif->rx_frames)->tp_status,
                             TP_STATUS_KERNEL, __ATOMIC_RELEASE);
        if (n < BATD_BATCH)
            return;
    }
}
