/* B.A.T.M.A.N. IV OGM handling (kernel: bat_iv_ogm.c). One routing table (the kernel's
 * "default" one); per-outgoing-interface differences are applied when forwarding. */
#include "ogm_iv.h"

#include <stdlib.h>

#include "hardif.h"
#include "log.h"
#include "neigh.h"
#include "originator.h"
#include "tt.h"

enum dup_status { NO_DUP, ORIG_DUP, NEIGH_DUP };

uint8_t batd_ogm_iv_calc_tq(uint8_t tq_in, unsigned eq, unsigned rq, unsigned iface_penalty)
{
    unsigned total = eq > rq ? rq : eq;
    uint64_t tq_own = 0;
    if (total >= 1 && rq >= 1)
        tq_own = (uint64_t)BATD_TQ_MAX * total / rq;
    uint64_t inv = BATADV_WINDOW - (rq > BATADV_WINDOW ? BATADV_WINDOW : rq);
    uint64_t inv_asym = (uint64_t)BATD_TQ_MAX * inv * inv * inv;
    inv_asym /= (uint64_t)BATADV_WINDOW * BATADV_WINDOW * BATADV_WINDOW;
    uint64_t asym = BATD_TQ_MAX - inv_asym;
    uint64_t iface = BATD_TQ_MAX - (iface_penalty > BATD_TQ_MAX ? BATD_TQ_MAX : iface_penalty);
    uint64_t c = (uint64_t)tq_in * tq_own * asym * iface;
    c /= (uint64_t)BATD_TQ_MAX * BATD_TQ_MAX * BATD_TQ_MAX;
    return (uint8_t)c;
}

uint8_t batd_ogm_iv_hop_penalty(uint8_t tq, unsigned hop_penalty)
{
    if (hop_penalty > BATD_TQ_MAX)
        hop_penalty = BATD_TQ_MAX;
    return (uint8_t)((unsigned)tq * (BATD_TQ_MAX - hop_penalty) / BATD_TQ_MAX);
}

static unsigned jitter(unsigned max)
{
    return max ? (unsigned)(random() % max) : 0;
}

/* --- aggregation: forwarded OGMs wait up to 100 ms per outgoing interface --- */

static size_t agg_limit(const struct hardif *hif)
{
    return hif->mtu < BATD_AGG_MAX ? hif->mtu : BATD_AGG_MAX;
}

static void agg_send(struct batd *bat, struct hardif *hif, uint8_t *p, size_t len, unsigned n)
{
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    bat->stats[STAT_MGMT_TX] += n;
    bat->stats[STAT_MGMT_TX_BYTES] += len;
    batd_hardif_send(bat, hif, bcast, p, len);
}

static void agg_timer_cb(void *arg)
{
    struct hardif *hif = arg;
    hif->agg_timer = NULL;
    batd_ogm_iv_flush(hif->bat, hif);
}

void batd_ogm_iv_flush(struct batd *bat, struct hardif *hif)
{
    if (hif->agg_timer) {
        lime_timer_cancel(bat->loop, hif->agg_timer);
        hif->agg_timer = NULL;
    }
    if (!hif->agg_len)
        return;
    static uint8_t flushbuf[BATD_HEADROOM + sizeof hif->agg];
    uint8_t *buf = flushbuf + BATD_HEADROOM;
    memcpy(buf, hif->agg, hif->agg_len);
    agg_send(bat, hif, buf, hif->agg_len, hif->agg_count);
    hif->agg_len = 0;
    hif->agg_count = 0;
}

static void agg_queue(struct batd *bat, struct hardif *hif, const uint8_t *ogm, size_t len)
{
    if (hif->agg_len &&
        (hif->agg_len + len > agg_limit(hif) || hif->agg_count >= BATD_AGG_MAX_OGMS))
        batd_ogm_iv_flush(bat, hif);
    if (len > sizeof hif->agg)
        return;
    memcpy(hif->agg + hif->agg_len, ogm, len);
    hif->agg_len += len;
    hif->agg_count++;
    if (!hif->agg_timer && bat->loop) {
        unsigned delay = jitter(10) + (bat->cfg.aggregation ? 100 : 0);
        hif->agg_timer = lime_timer_add(bat->loop, delay, agg_timer_cb, hif);
    }
}

/* --- own OGMs --- */

static void slide_own_window(struct batd *bat, struct hardif *hif)
{
    orig_for_each(bat, o) {
        o->bcast_own[hif->index] <<= 1;
        o->bcast_own_sum[hif->index] = (uint8_t)__builtin_popcountll(o->bcast_own[hif->index]);
    }
}

/* Sends one own OGM (in `ogm`, with headroom) on hif, joined by whatever forwarded OGMs
 * wait there. */
static void send_own_on(struct batd *bat, struct hardif *hif, uint8_t *ogm, size_t len)
{
    if (hif->agg_len && len + hif->agg_len <= agg_limit(hif) &&
        hif->agg_count < BATD_AGG_MAX_OGMS) {
        memcpy(ogm + len, hif->agg, hif->agg_len);
        unsigned n = 1 + hif->agg_count;
        size_t total = len + hif->agg_len;
        hif->agg_len = 0;
        hif->agg_count = 0;
        if (hif->agg_timer) {
            lime_timer_cancel(bat->loop, hif->agg_timer);
            hif->agg_timer = NULL;
        }
        agg_send(bat, hif, ogm, total, n);
    } else {
        agg_send(bat, hif, ogm, len, 1);
    }
    batd_count(bat, STAT_OGM_TX);
}

void batd_ogm_iv_send_own(struct batd *bat)
{
    if (!bat->n_hardifs)
        return;
    struct hardif *prim = batd_primary(bat);
    /* own OGM built in a scratch area of txbuf large enough for TVLVs + an aggregate */
    static uint8_t own[BATD_HEADROOM + 2 * BATD_FRAME_MAX];
    uint8_t *p = own + BATD_HEADROOM;
    batd_tt_commit(bat);
    size_t tvlv_max = prim->mtu > BATADV_OGM_HLEN + 64 ? prim->mtu - BATADV_OGM_HLEN : 64;
    size_t tvlv_len = batd_tt_ogm_tvlv_build(bat, p + BATADV_OGM_HLEN, tvlv_max);
    struct bat_ogm ogm = {
        .ttl = BATD_TTL, .flags = 0, .seqno = prim->ogm_seqno, .tq = BATD_TQ_MAX,
        .tvlv_len = (uint16_t)tvlv_len,
    };
    memcpy(ogm.orig, prim->mac, 6);
    memcpy(ogm.prev_sender, prim->mac, 6);
    for (unsigned i = 0; i < bat->n_hardifs; i++) {
        /* rebuild the header each time: send_own_on may append an aggregate behind it */
        batd_ogm_pack(p, &ogm);
        send_own_on(bat, &bat->hardifs[i], p, BATADV_OGM_HLEN + tvlv_len);
    }
    prim->ogm_seqno++;
    slide_own_window(bat, prim);
    for (unsigned i = 1; i < bat->n_hardifs; i++) {
        struct hardif *h = &bat->hardifs[i];
        struct bat_ogm s = {.ttl = 2, .seqno = h->ogm_seqno, .tq = BATD_TQ_MAX};
        memcpy(s.orig, h->mac, 6);
        memcpy(s.prev_sender, h->mac, 6);
        batd_ogm_pack(p, &s);
        send_own_on(bat, h, p, BATADV_OGM_HLEN);
        h->ogm_seqno++;
        slide_own_window(bat, h);
    }
}

static void ogm_timer_cb(void *arg)
{
    struct batd *bat = arg;
    bat->ogm_timer = NULL;
    batd_ogm_iv_send_own(bat);
    unsigned iv = bat->cfg.orig_interval;
    unsigned delay = iv > 20 ? iv - 20 + jitter(40) : iv;
    bat->ogm_timer = lime_timer_add(bat->loop, delay, ogm_timer_cb, bat);
}

void batd_ogm_iv_start(struct batd *bat)
{
    bat->ogm_timer = lime_timer_add(bat->loop, jitter(100), ogm_timer_cb, bat);
}

void batd_ogm_iv_stop(struct batd *bat)
{
    if (bat->ogm_timer)
        lime_timer_cancel(bat->loop, bat->ogm_timer);
    bat->ogm_timer = NULL;
    for (unsigned i = 0; i < bat->n_hardifs; i++) {
        struct hardif *h = &bat->hardifs[i];
        if (h->agg_timer)
            lime_timer_cancel(bat->loop, h->agg_timer);
        h->agg_timer = NULL;
    }
}

/* --- receive --- */

static void echo_rx(struct batd *bat, struct hardif *hif, const uint8_t *eth_src,
                    const struct bat_ogm *ogm)
{
    batd_count(bat, STAT_OGM_ECHO);
    if (!(ogm->flags & BATADV_DIRECTLINK) || !mac_eq(ogm->orig, hif->mac))
        return;
    struct orig *on = batd_orig_get(bat, eth_src);
    if (!on)
        return;
    /* bit 0 = the OGM sent last (hif->ogm_seqno is the next one) */
    int32_t bit = (int32_t)(hif->ogm_seqno - 1 - ogm->seqno);
    if (bit < 0 || bit >= BATADV_WINDOW)
        return;
    on->bcast_own[hif->index] |= (uint64_t)1 << bit;
    on->bcast_own_sum[hif->index] = (uint8_t)__builtin_popcountll(on->bcast_own[hif->index]);
}

static void orig_update(struct batd *bat, struct orig *o, struct neigh *sender, uint8_t tq,
                        uint8_t ttl, enum dup_status dup)
{
    for (struct neigh *n = o->neighs; n; n = n->next)
        if (n != sender && dup == NO_DUP)
            batd_neigh_push_tq(n, 0);
    sender->last_seen = batd_now(bat);
    batd_neigh_push_tq(sender, tq);
    if (dup == NO_DUP) {
        o->last_ttl = ttl;
        sender->last_ttl = ttl;
    }
    struct neigh *r = o->router;
    if (r == sender)
        return;
    if (r) {
        if (r->tq_avg > sender->tq_avg)
            return;
        if (r->tq_avg == sender->tq_avg) {
            struct orig *ro = batd_orig_find(bat, r->addr), *so = batd_orig_find(bat, sender->addr);
            unsigned sum_r = ro ? ro->bcast_own_sum[r->hif->index] : 0;
            unsigned sum_s = so ? so->bcast_own_sum[sender->hif->index] : 0;
            if (sum_r >= sum_s)
                return;
        }
    }
    batd_orig_set_router(bat, o, sender);
}

/* Queues the forwarded copy of one OGM (header + TVLVs at p) on every interface. */
static void forward(struct batd *bat, struct hardif *in, const uint8_t *eth_src, const uint8_t *p,
                    size_t len, const struct bat_ogm *ogm, uint8_t tq, bool single_hop,
                    bool from_best)
{
    if (ogm->ttl <= 1) {
        batd_count(bat, STAT_DROP_TTL);
        return;
    }
    uint8_t flags = ogm->flags & ~BATADV_PRIMARIES_FIRST_HOP;
    if (!from_best) {
        if (!single_hop) {
            batd_count(bat, STAT_DROP_OGM_NOT_FWD);
            return;
        }
        flags |= BATADV_NOT_BEST_NEXT_HOP;
    } else {
        flags &= ~BATADV_NOT_BEST_NEXT_HOP;
    }
    uint8_t buf[BATADV_OGM_HLEN + 2048];
    if (len > sizeof buf)
        return;
    memcpy(buf, p, len);
    struct bat_ogm f = *ogm;
    f.ttl = (uint8_t)(ogm->ttl - 1);
    memcpy(f.prev_sender, eth_src, 6);
    for (unsigned i = 0; i < bat->n_hardifs; i++) {
        struct hardif *out = &bat->hardifs[i];
        if (single_hop && ogm->ttl <= 2 && out != in)
            continue;
        uint8_t t = tq;
        if (out == in && out->wireless)
            t = batd_ogm_iv_hop_penalty(t, bat->cfg.hop_penalty);
        f.tq = batd_ogm_iv_hop_penalty(t, bat->cfg.hop_penalty);
        f.flags = flags & ~BATADV_DIRECTLINK;
        if (single_hop && out == in)
            f.flags |= BATADV_DIRECTLINK;
        batd_ogm_pack(buf, &f);
        agg_queue(bat, out, buf, len);
        batd_count(bat, STAT_OGM_FWD);
    }
}

static void process_one(struct batd *bat, struct hardif *in, const uint8_t *eth_src, uint8_t *p,
                        size_t len)
{
    struct bat_ogm ogm;
    batd_ogm_parse(p, len, &ogm);
    bat->stats[STAT_MGMT_RX]++;
    bat->stats[STAT_MGMT_RX_BYTES] += len;
    if (batd_is_my_mac(bat, ogm.orig)) {
        echo_rx(bat, in, eth_src, &ogm);
        return;
    }
    if (batd_is_my_mac(bat, ogm.prev_sender)) {
        batd_count(bat, STAT_DROP_OGM_PREV_SENDER);
        return;
    }
    if (ogm.flags & BATADV_NOT_BEST_NEXT_HOP) {
        batd_count(bat, STAT_DROP_OGM_NOT_BEST);
        return;
    }
    bool single_hop = mac_eq(eth_src, ogm.orig);
    if (single_hop)
        batd_hardif_neigh_seen(bat, in, eth_src);
    struct orig *o = batd_orig_get(bat, ogm.orig);
    if (!o)
        return;
    struct neigh *sender = batd_orig_neigh_get(bat, o, eth_src, in);
    if (!sender)
        return;

    /* sequence window and duplicate classification (default table) */
    int32_t diff = (int32_t)(ogm.seqno - o->last_real_seqno);
    if (o->seqno_valid &&
        batd_window_protected(bat, diff, BATADV_WINDOW, &o->seqno_reset)) {
        batd_count(bat, STAT_DROP_OGM_PROTECTED);
        return;
    }
    enum dup_status dup = NO_DUP;
    bool moved = false;
    for (struct neigh *n = o->neighs; n; n = n->next) {
        bool is_dup = o->seqno_valid && batd_seqwin_test(n->real_bits, o->last_real_seqno, ogm.seqno);
        bool mark = n == sender;
        if (mark) {
            if (is_dup)
                dup = NEIGH_DUP;
        } else if (is_dup && dup != NEIGH_DUP) {
            dup = ORIG_DUP;
        }
        moved |= batd_seqwin_update(&n->real_bits, o->seqno_valid ? diff : INT32_MIN, mark);
        n->real_count = (uint8_t)__builtin_popcountll(n->real_bits);
    }
    if (moved || !o->seqno_valid) {
        o->last_real_seqno = ogm.seqno;
        o->seqno_valid = true;
    }
    if (ogm.tq == 0) {
        batd_count(bat, STAT_DROP_OGM_TQ0);
        return;
    }
    /* avoid temporary routing loops */
    struct neigh *router = o->router;
    if (router && mac_eq(router->addr, ogm.prev_sender) && !mac_eq(ogm.orig, ogm.prev_sender)) {
        struct neigh *rr = batd_orig_router_of(bat, router->addr);
        if (rr && mac_eq(rr->addr, router->addr)) {
            batd_count(bat, STAT_DROP_OGM_LOOP);
            return;
        }
    }
    batd_tt_ogm_tvlv_rx(bat, o, p + BATADV_OGM_HLEN, ogm.tvlv_len);
    /* the neighbour's own originator entry */
    struct orig *on = single_hop ? o : batd_orig_get(bat, eth_src);
    if (!on)
        return;
    if (!single_hop && !on->router) {
        batd_count(bat, STAT_DROP_OGM_NO_NEIGH_ROUTE);
        return;
    }
    struct neigh *nn = batd_orig_neigh_get(bat, on, on->addr, in);
    if (!nn)
        return;
    uint64_t now = batd_now(bat);
    if (on == o)
        nn->last_seen = now;
    o->last_seen = now;
    uint8_t tq = batd_ogm_iv_calc_tq(ogm.tq, on->bcast_own_sum[in->index], nn->real_count, 0);
    bool bidirect = tq >= 1;
    bool sameseq = o->last_real_seqno == ogm.seqno;
    bool similar_ttl = (int)o->last_ttl - 3 <= (int)ogm.ttl;
    /* "from the best next hop" is judged against the route as it was before this OGM
     * ranked, as the kernel does: the copy that makes the route switch to its sender is
     * not forwarded (and the first one that creates a route), only later ones */
    bool from_best = o->router == sender && sender->tq_avg != 0;
    if (bidirect && (dup == NO_DUP || (sameseq && similar_ttl)))
        orig_update(bat, o, sender, tq, ogm.ttl, dup);
    if (single_hop) {
        forward(bat, in, eth_src, p, BATADV_OGM_HLEN + ogm.tvlv_len, &ogm, tq, true, from_best);
        return;
    }
    if (!bidirect || dup == NEIGH_DUP) {
        batd_count(bat, STAT_DROP_OGM_NOT_FWD);
        return;
    }
    forward(bat, in, eth_src, p, BATADV_OGM_HLEN + ogm.tvlv_len, &ogm, tq, false, from_best);
}

void batd_ogm_iv_rx(struct batd *bat, struct hardif *hif, const uint8_t *eth_dst, const uint8_t *eth_src,
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
    size_t off = 0;
    unsigned n = 0;
    while (len - off >= BATADV_OGM_HLEN) {
        uint8_t *q = p + off;
        if (q[0] != BATADV_IV_OGM)
            break;
        uint16_t tl = get_be16(q + 22);
        if ((size_t)tl > len - off - BATADV_OGM_HLEN || (tl & 1)) {
            batd_count(bat, STAT_DROP_OGM_MALFORMED);
            break;
        }
        process_one(bat, hif, eth_src, q, BATADV_OGM_HLEN + tl);
        off += BATADV_OGM_HLEN + tl;
        n++;
    }
    if (!n)
        batd_count(bat, STAT_DROP_SHORT);
    else
        batd_count(bat, STAT_OGM_RX);
}
