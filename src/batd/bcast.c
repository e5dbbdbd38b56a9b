/* Broadcast flooding and duplicate suppression. */
#include "bcast.h"

#include <stdlib.h>

#include "hardif.h"
#include "neigh.h"
#include "originator.h"
#include "route.h"

static const uint8_t bcast_addr[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

/* A pending wireless retransmission (broadcasts are rare: one allocation each is fine). */
struct bcast_repeat {
    struct batd *bat;
    struct hardif *hif;
    unsigned left;
    size_t len;
    uint8_t buf[];
};

static void repeat_cb(void *arg)
{
    struct bcast_repeat *r = arg;
    batd_hardif_send(r->bat, r->hif, bcast_addr, r->buf + BATD_HEADROOM, r->len);
    if (--r->left && r->bat->loop) {
        lime_timer_add(r->bat->loop, 5, repeat_cb, r);
        return;
    }
    free(r);
}

static void send_on(struct batd *bat, struct hardif *hif, uint8_t *p, size_t len)
{
    batd_hardif_send(bat, hif, bcast_addr, p, len);
    if (!hif->wireless || !bat->loop)
        return;
    struct bcast_repeat *r = malloc(sizeof *r + BATD_HEADROOM + len);
    if (!r)
        return;
    r->bat = bat;
    r->hif = hif;
    r->left = 2;
    r->len = len;
    memcpy(r->buf + BATD_HEADROOM, p, len);
    lime_timer_add(bat->loop, 5, repeat_cb, r);
}

void batd_bcast_tx(struct batd *bat, uint8_t *frame, size_t len)
{
    uint8_t *p = frame - BATADV_BCAST_HLEN;
    struct bat_bcast b = {.ttl = BATD_BCAST_TTL, .seqno = ++bat->bcast_seqno};
    memcpy(b.orig, batd_orig_addr(bat), 6);
    batd_bcast_pack(p, &b);
    bat->stats[STAT_TX]++;
    bat->stats[STAT_TX_BYTES] += len;
    batd_count(bat, STAT_BCAST_TX);
    for (unsigned i = 0; i < bat->n_hardifs; i++) {
        struct hardif *hif = &bat->hardifs[i];
        if (batd_hardif_no_broadcast(hif, NULL, NULL))
            continue;
        send_on(bat, hif, p, len + BATADV_BCAST_HLEN);
    }
}

void batd_bcast_rx(struct batd *bat, struct hardif *hif, const uint8_t *eth_dst, const uint8_t *eth_src,
              uint8_t *p, size_t len)
{
    if (!mac_is_bcast(eth_dst)) {
        batd_count(bat, STAT_DROP_BAD_DST);
        return;
    }
    if (mac_is_multicast(eth_src)) {
        batd_count(bat, STAT_DROP_BAD_SRC);
        return;
    }
    struct bat_bcast b;
    if (batd_bcast_parse(p, len, &b) < 0) {
        batd_count(bat, STAT_DROP_SHORT);
        return;
    }
    if (batd_is_my_mac(bat, b.orig)) {
        batd_count(bat, STAT_DROP_FROM_ME);
        return;
    }
    if (b.ttl < 2) {
        batd_count(bat, STAT_DROP_TTL);
        return;
    }
    struct orig *o = batd_orig_find(bat, b.orig);
    if (!o) {
        batd_count(bat, STAT_DROP_UNKNOWN_ORIG);
        return;
    }
    if (o->bcast_valid && batd_seqwin_test(o->bcast_bits, o->last_bcast_seqno, b.seqno)) {
        batd_count(bat, STAT_DROP_BCAST_DUP);
        return;
    }
    int32_t diff = (int32_t)(b.seqno - o->last_bcast_seqno);
    if (o->bcast_valid && batd_window_protected(bat, diff, BATADV_WINDOW, &o->bcast_seqno_reset)) {
        batd_count(bat, STAT_DROP_BCAST_PROTECTED);
        return;
    }
    if (batd_seqwin_update(&o->bcast_bits, o->bcast_valid ? diff : INT32_MIN, true) || !o->bcast_valid)
        o->last_bcast_seqno = b.seqno;
    o->bcast_valid = true;
    p[2]--;
    batd_count(bat, STAT_BCAST_RX);
    for (unsigned i = 0; i < bat->n_hardifs; i++) {
        struct hardif *out = &bat->hardifs[i];
        if (batd_hardif_no_broadcast(out, b.orig, eth_src))
            continue;
        send_on(bat, out, p, len);
        batd_count(bat, STAT_BCAST_FWD);
    }
    if (len - BATADV_BCAST_HLEN < ETH_HLEN_) {
        batd_count(bat, STAT_DROP_INNER_SHORT);
        return;
    }
    batd_deliver(bat, p + BATADV_BCAST_HLEN, len - BATADV_BCAST_HLEN);
}
