/* Fragment reassembly and creation (kernel: fragmentation.c). */
#include "frag.h"

#include <stdlib.h>

#include "hardif.h"
#include "originator.h"
#include "route.h"

static void chain_reset(struct frag_chain *c)
{
    memset(c->slot, 0, sizeof c->slot);
    c->collected = 0;
    c->active = false;
}

void batd_frag_free_orig(struct orig *o)
{
    for (int i = 0; i < BATD_FRAG_CHAINS; i++) {
        free(o->frag[i].buf);
        o->frag[i].buf = NULL;
        chain_reset(&o->frag[i]);
    }
}

void batd_frag_purge_orig(struct batd *bat, struct orig *o)
{
    uint64_t now = batd_now(bat);
    for (int i = 0; i < BATD_FRAG_CHAINS; i++) {
        struct frag_chain *c = &o->frag[i];
        if (c->active && now - c->timestamp > BATD_FRAG_TIMEOUT_MS) {
            batd_count(bat, STAT_DROP_FRAG_TIMEOUT);
            chain_reset(c);
            free(c->buf);
            c->buf = NULL;
        }
    }
}

void batd_frag_rx(struct batd *bat, struct hardif *hif, const uint8_t *eth_dst, const uint8_t *eth_src,
             uint8_t *p, size_t len)
{
    if (!batd_route_check_unicast(bat, eth_dst, eth_src, len, BATADV_FRAG_HLEN))
        return;
    struct bat_frag f;
    batd_frag_parse(p, len, &f);
    if (!batd_is_my_mac(bat, f.dest)) {
        bat->stats[STAT_FRAG_FWD]++;
        bat->stats[STAT_FRAG_FWD_BYTES] += len;
        batd_route_forward(bat, f.dest, p, len);
        return;
    }
    size_t plen = len - BATADV_FRAG_HLEN;
    if (f.no >= BATD_FRAG_MAX || plen == 0 || plen > BATD_FRAG_MAX_SIZE ||
        f.total_size > BATD_FRAG_MAX * (BATD_FRAG_MAX_SIZE - BATADV_FRAG_HLEN) ||
        f.total_size < 2) {
        batd_count(bat, STAT_DROP_FRAG_MALFORMED);
        return;
    }
    struct orig *o = batd_orig_find(bat, f.orig);
    if (!o) {
        batd_count(bat, STAT_DROP_UNKNOWN_ORIG);
        return;
    }
    bat->stats[STAT_FRAG_RX]++;
    bat->stats[STAT_FRAG_RX_BYTES] += len;
    struct frag_chain *c = &o->frag[f.seqno % BATD_FRAG_CHAINS];
    uint64_t now = batd_now(bat);
    if (!c->active || c->seqno != f.seqno || now - c->timestamp > BATD_FRAG_TIMEOUT_MS) {
        if (c->active && c->collected)
            batd_count(bat, STAT_DROP_FRAG_TIMEOUT);
        chain_reset(c);
        c->active = true;
        c->seqno = f.seqno;
        c->total_size = f.total_size;
        c->timestamp = now;
    }
    if (c->total_size != f.total_size) {
        batd_count(bat, STAT_DROP_FRAG_MALFORMED);
        return;
    }
    if (c->slot[f.no].have) {
        batd_count(bat, STAT_DROP_FRAG_DUP);
        return;
    }
    if (!c->buf) {
        c->buf = malloc((size_t)BATD_FRAG_MAX * BATD_FRAG_MAX_SIZE);
        if (!c->buf)
            return;
    }
    memcpy(c->buf + (size_t)f.no * BATD_FRAG_MAX_SIZE, p + BATADV_FRAG_HLEN, plen);
    c->slot[f.no].have = true;
    c->slot[f.no].len = (uint16_t)plen;
    c->collected += (uint32_t)plen;
    if (c->collected < c->total_size)
        return;
    if (c->collected > c->total_size) {
        batd_count(bat, STAT_DROP_FRAG_MALFORMED);
        chain_reset(c);
        return;
    }
    /* merge: highest fragment number first (it carries the original header) */
    uint8_t *out = bat->fragbuf + BATD_HEADROOM;
    size_t off = 0;
    for (int i = BATD_FRAG_MAX - 1; i >= 0; i--) {
        if (!c->slot[i].have)
            continue;
        memcpy(out + off, c->buf + (size_t)i * BATD_FRAG_MAX_SIZE, c->slot[i].len);
        off += c->slot[i].len;
    }
    chain_reset(c);
    if (off < 2 || out[0] == BATADV_UNICAST_FRAG) {
        batd_count(bat, STAT_DROP_FRAG_MALFORMED);
        return;
    }
    batd_rx_packet(bat, hif, eth_dst, eth_src, out, off);
}

int batd_frag_send(struct batd *bat, struct neigh *n, const uint8_t *dest, const uint8_t *p, size_t len)
{
    unsigned mtu = n->hif->mtu < BATD_FRAG_MAX_SIZE ? n->hif->mtu : BATD_FRAG_MAX_SIZE;
    if (mtu <= BATADV_FRAG_HLEN + 8) {
        batd_count(bat, STAT_DROP_FRAG_TOO_BIG);
        return -1;
    }
    size_t max = mtu - BATADV_FRAG_HLEN;
    size_t num = (len + max - 1) / max;
    if (num > BATD_FRAG_MAX) {
        batd_count(bat, STAT_DROP_FRAG_TOO_BIG);
        return -1;
    }
    size_t size = (len + num - 1) / num;
    struct bat_frag f = {.ttl = BATD_TTL, .seqno = bat->frag_seqno++, .total_size = (uint16_t)len};
    memcpy(f.dest, dest, 6);
    memcpy(f.orig, batd_orig_addr(bat), 6);
    uint8_t *out = bat->fragtx + BATD_HEADROOM;
    size_t end = len;
    for (size_t i = 0; i < num; i++) {
        size_t start = end > size ? end - size : 0;
        if (i == num - 1)
            start = 0;
        f.no = (uint8_t)i;
        batd_frag_pack(out, &f);
        memcpy(out + BATADV_FRAG_HLEN, p + start, end - start);
        size_t flen = BATADV_FRAG_HLEN + end - start;
        bat->stats[STAT_FRAG_TX]++;
        bat->stats[STAT_FRAG_TX_BYTES] += flen;
        if (batd_hardif_send(bat, n->hif, n->addr, out, flen) < 0)
            return -1;
        end = start;
    }
    return 0;
}
