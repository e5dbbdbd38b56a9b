/* libFuzzer harness over batd's receive path: whole Ethernet frames in. The first byte
 * picks the interface (two hard interfaces) and whether the instance runs tagged; the
 * rest is the frame. First byte 0x4X: the frame goes to the TAP-side GRO instead; 0x5X:
 * it enters from the soft interface (TT learning, encapsulation, flooding). One long-lived instance, so state (originators, TT, fragment chains)
 * builds up across inputs like in a running daemon. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "batd.h"
#include "gro.h"
#include "hardif.h"
#include "ogm_iv.h"
#include "originator.h"
#include "route.h"
#include "tt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct batd bat, bat_tagged;
static bool ready;
static uint64_t clock_ms = 1000000;

static void tx_hook(struct batd *b, struct hardif *hif, const uint8_t *frame, size_t len)
{
    (void)b;
    (void)hif;
    volatile uint8_t sink = len ? frame[len - 1] : 0;
    (void)sink;
}

static void gro_sink(void *ctx, const struct gro_vnet_hdr *vh, const uint8_t *frame, size_t len)
{
    (void)ctx;
    volatile uint8_t sink = (uint8_t)(vh->gso_size + (len ? frame[len - 1] : 0));
    (void)sink;
}

static void tap_hook(struct batd *b, const uint8_t *frame, size_t len)
{
    tx_hook(b, NULL, frame, len);
}

static void setup(struct batd *b, uint16_t tpid)
{
    static const uint8_t m1[6] = {2, 0, 0, 0, 0, 3}, m2[6] = {2, 0, 0, 0, 0, 4};
    struct batd_config cfg = {.soft_if = "bat0", .orig_interval = 1000, .hop_penalty = 30,
                              .vlan_tpid = tpid, .vlan_id = 29,
                              .gw_mode = tpid ? BATD_GW_CLIENT : BATD_GW_OFF};
    batd_init(b, NULL, &cfg);
    batd_add_hardif(b, "h0", m1, 1500);
    batd_add_hardif(b, "h1", m2, 1400);
    b->tx_hook = tx_hook;
    b->tap_hook = tap_hook;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready) {
        setup(&bat, 0);
        setup(&bat_tagged, 0x88a8);
        ready = true;
    }
    if (size < 1)
        return 0;
    if ((data[0] & 0xf0) == 0x40) {
        /* the TAP side of delivery: userspace GRO over arbitrary inner frames, in pairs */
        static struct gro g;
        size_t half = (size_t)(size - 1) / 2;
        batd_gro_push(&g, data + 1, half, gro_sink, NULL);
        batd_gro_push(&g, data + 1 + half, size - 1 - half, gro_sink, NULL);
        batd_gro_flush(&g, gro_sink, NULL);
        return 0;
    }
    if ((data[0] & 0xf0) == 0x50) {
        /* the other way in: a frame from the soft interface */
        static uint8_t buf[BATD_HEADROOM + 4096];
        size_t n = size - 1 > 4096 ? 4096 : size - 1;
        memcpy(buf + BATD_HEADROOM, data + 1, n);
        struct batd *t = (data[0] & 2) ? &bat_tagged : &bat;
        batd_route_tx_from_soft(t, buf + BATD_HEADROOM, n);
        return 0;
    }
    struct batd *b = (data[0] & 2) ? &bat_tagged : &bat;
    clock_ms += 1 + (data[0] >> 4) * 500;
    b->now_override = clock_ms;
    batd_rx_frame(b, &b->hardifs[data[0] & 1], data + 1, size - 1);
    static unsigned runs;
    if (++runs % 256 == 0) { /* the daemon's 1 s purge worker, so state stays bounded */
        batd_orig_purge(b);
        batd_tt_purge(b);
    }
    if ((data[0] & 0x0c) == 0x0c)
        batd_ogm_iv_send_own(b); /* exercises TT commit and own OGM building too */
    return 0;
}
