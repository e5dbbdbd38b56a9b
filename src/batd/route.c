/* Unicast forwarding and delivery (kernel: routing.c, send.c). */
#include "route.h"

#include <errno.h>
#include <sys/uio.h>
#include <unistd.h>

#include "bcast.h"
#include "frag.h"
#include "hardif.h"
#include "originator.h"
#include "tt.h"

uint16_t batd_inner_vid(const uint8_t *frame, size_t len)
{
    if (len >= 18 && get_be16(frame + 12) == 0x8100)
        return BATADV_VLAN_HAS_TAG | (get_be16(frame + 14) & 0x0fff);
    return 0;
}

static bool inner_is_batman(const uint8_t *frame, size_t len)
{
    uint16_t type = get_be16(frame + 12);
    if (type == 0x8100 && len >= 18)
        type = get_be16(frame + 16);
    return type == BATADV_ETHERTYPE;
}

/* DHCPv4 (UDP to port 67) or DHCPv6 (UDP to port 547) toward a server, possibly
 * 802.1Q-tagged (kernel: batadv_gw_dhcp_recipient_get). */
bool batd_is_dhcp_to_server(const uint8_t *f, size_t len)
{
    size_t l3 = 14;
    uint16_t type = get_be16(f + 12);
    if (type == 0x8100) {
        if (len < 18)
            return false;
        type = get_be16(f + 16);
        l3 = 18;
    }
    if (type == 0x0800) {
        if (len < l3 + 20)
            return false;
        size_t ihl = (size_t)(f[l3] & 0x0f) * 4;
        if (ihl < 20 || f[l3 + 9] != 17 || len < l3 + ihl + 8 || (get_be16(f + l3 + 6) & 0x1fff))
            return false;
        return get_be16(f + l3 + ihl + 2) == 67;
    }
    if (type == 0x86dd) {
        if (len < l3 + 40 + 8 || f[l3 + 6] != 17)
            return false;
        return get_be16(f + l3 + 40 + 2) == 547;
    }
    return false;
}

void batd_deliver(struct batd *bat, const uint8_t *frame, size_t len)
{
    bat->stats[STAT_RX]++;
    bat->stats[STAT_RX_BYTES] += len;
    if (bat->tap_hook) {
        bat->tap_hook(bat, frame, len);
        return;
    }
    if (bat->tap_fd < 0)
        return;
    if (bat->tap_vnet) {
        batd_gro_push(&bat->gro, frame, len, batd_tap_write, bat);
        if (!bat->batching)
            batd_gro_flush(&bat->gro, batd_tap_write, bat);
        return;
    }
    if (write(bat->tap_fd, frame, len) < 0)
        batd_count(bat, STAT_DROP_TAP_ERROR);
}

void batd_tap_write(void *arg, const struct gro_vnet_hdr *vh, const uint8_t *frame, size_t len)
{
    struct batd *bat = arg;
    struct iovec iov[2] = {{.iov_base = (void *)vh, .iov_len = sizeof *vh},
                           {.iov_base = (void *)frame, .iov_len = len}};
    if (writev(bat->tap_fd, iov, 2) < 0)
        batd_count(bat, STAT_DROP_TAP_ERROR);
}

int batd_route_send_to_orig(struct batd *bat, const uint8_t *dest, uint8_t *p, size_t len)
{
    struct neigh *n = batd_orig_router_of(bat, dest);
    if (!n) {
        batd_count(bat, STAT_DROP_NO_ROUTE);
        return -1;
    }
    if (len > n->hif->mtu)
        return batd_frag_send(bat, n, dest, p, len);
    return batd_hardif_send(bat, n->hif, n->addr, p, len);
}

int batd_route_forward(struct batd *bat, const uint8_t *dest, uint8_t *p, size_t len)
{
    if (p[2] < 2) {
        batd_count(bat, STAT_DROP_TTL);
        return -1;
    }
    p[2]--;
    bat->stats[STAT_FORWARD]++;
    bat->stats[STAT_FORWARD_BYTES] += len;
    return batd_route_send_to_orig(bat, dest, p, len);
}

int batd_route_send_unicast_tvlv(struct batd *bat, const uint8_t *dst, uint8_t *pkt, size_t tvlv_len)
{
    struct bat_unicast_tvlv h = {.ttl = BATD_TTL, .tvlv_len = (uint16_t)tvlv_len};
    memcpy(h.dst, dst, 6);
    memcpy(h.src, batd_orig_addr(bat), 6);
    batd_unicast_tvlv_pack(pkt, &h);
    return batd_route_send_to_orig(bat, dst, pkt, BATADV_UNICAST_TVLV_HLEN + tvlv_len);
}

void batd_route_tx_from_soft(struct batd *bat, uint8_t *frame, size_t len)
{
    static const uint8_t stp[6] = {0x01, 0x80, 0xc2, 0, 0, 0};
    static const uint8_t ectp[6] = {0xcf, 0, 0, 0, 0, 0};
    if (len < ETH_HLEN_) {
        batd_count(bat, STAT_DROP_INNER_SHORT);
        return;
    }
    const uint8_t *dst = frame, *src = frame + 6;
    if (inner_is_batman(frame, len) || mac_eq(dst, stp) || mac_eq(dst, ectp)) {
        batd_count(bat, STAT_DROP_INNER_BATMAN);
        return;
    }
    uint16_t vid = batd_inner_vid(frame, len);
    batd_tt_local_learn(bat, src, vid);
    if (bat->cfg.gw_mode && batd_is_dhcp_to_server(frame, len)) {
        batd_count(bat, STAT_DROP_DHCP_NO_GATEWAY);
        return;
    }
    if (mac_is_multicast(dst)) {
        batd_bcast_tx(bat, frame, len);
        return;
    }
    struct orig *o = batd_tt_global_lookup(bat, dst, vid);
    if (!o) {
        batd_count(bat, STAT_DROP_UNKNOWN_DEST);
        batd_count(bat, STAT_TX_DROPPED);
        return;
    }
    uint8_t *p = frame - BATADV_UNICAST_HLEN;
    struct bat_unicast u = {.type = BATADV_UNICAST, .ttl = BATD_TTL, .ttvn = o->ttvn};
    memcpy(u.dest, o->addr, 6);
    batd_unicast_pack(p, &u);
    bat->stats[STAT_TX]++;
    bat->stats[STAT_TX_BYTES] += len;
    if (batd_route_send_to_orig(bat, o->addr, p, len + BATADV_UNICAST_HLEN) < 0)
        batd_count(bat, STAT_TX_DROPPED);
}

bool batd_route_check_unicast(struct batd *bat, const uint8_t *eth_dst, const uint8_t *eth_src,
                         size_t len, size_t hlen)
{
    if (len < hlen) {
        batd_count(bat, STAT_DROP_SHORT);
        return false;
    }
    if (!batd_is_my_mac(bat, eth_dst)) {
        batd_count(bat, STAT_DROP_BAD_DST);
        return false;
    }
    if (mac_is_multicast(eth_src)) {
        batd_count(bat, STAT_DROP_BAD_SRC);
        return false;
    }
    return true;
}

void batd_route_rx_unicast(struct batd *bat, struct hardif *hif, const uint8_t *eth_dst,
                      const uint8_t *eth_src, uint8_t *p, size_t len)
{
    size_t hlen = p[0] == BATADV_UNICAST_4ADDR ? BATADV_UNICAST_4ADDR_HLEN : BATADV_UNICAST_HLEN;
    if (!batd_route_check_unicast(bat, eth_dst, eth_src, len, hlen))
        return;
    struct bat_unicast u;
    batd_unicast_parse(p, len, &u);
    uint8_t *inner = p + hlen;
    size_t ilen = len - hlen;
    if (!batd_is_my_mac(bat, u.dest)) {
        /* TTVN check at a forwarder: a packet built from an older table of its destination
         * than mine is re-routed to the client's current originator (spec §5.1) */
        struct orig *d = batd_orig_find(bat, u.dest);
        if (d && d->tt_initialised && ttvn_before(u.ttvn, d->ttvn) && ilen >= ETH_HLEN_ &&
            !mac_is_multicast(inner)) {
            uint16_t vid = batd_inner_vid(inner, ilen);
            struct orig *o = batd_tt_global_lookup(bat, inner, vid);
            if (o && o != d) {
                memcpy(p + 4, o->addr, 6);
                p[3] = o->ttvn;
                memcpy(u.dest, o->addr, 6);
            } else if (!o && batd_tt_local_has(bat, inner, vid)) {
                memcpy(p + 4, batd_orig_addr(bat), 6); /* now my client: deliver here */
                p[3] = bat->ttvn;
                memcpy(u.dest, batd_orig_addr(bat), 6);
            }
        }
        if (!batd_is_my_mac(bat, u.dest)) {
            batd_route_forward(bat, u.dest, p, len);
            return;
        }
    }
    if (ilen < ETH_HLEN_) {
        batd_count(bat, STAT_DROP_INNER_SHORT);
        return;
    }
    if (inner_is_batman(inner, ilen)) {
        batd_count(bat, STAT_DROP_INNER_BATMAN);
        return;
    }
    /* TT check at the destination: a client that moved on is re-routed */
    if (!mac_is_multicast(inner) && !mac_eq(inner, bat->soft_mac)) {
        uint16_t vid = batd_inner_vid(inner, ilen);
        if (!batd_tt_local_has(bat, inner, vid)) {
            struct orig *o = batd_tt_global_lookup(bat, inner, vid);
            if (o && !batd_is_my_mac(bat, o->addr)) {
                memcpy(p + 4, o->addr, 6);
                p[3] = o->ttvn;
                batd_route_forward(bat, o->addr, p, len);
                return;
            }
        }
    }
    batd_deliver(bat, inner, ilen);
}

void batd_route_rx_unicast_tvlv(struct batd *bat, struct hardif *hif, const uint8_t *eth_dst,
                           const uint8_t *eth_src, uint8_t *p, size_t len)
{
    if (!batd_route_check_unicast(bat, eth_dst, eth_src, len, BATADV_UNICAST_TVLV_HLEN))
        return;
    struct bat_unicast_tvlv u;
    if (batd_unicast_tvlv_parse(p, len, &u) < 0) {
        batd_count(bat, STAT_DROP_TVLV_MALFORMED);
        return;
    }
    if (!batd_is_my_mac(bat, u.dst)) {
        batd_route_forward(bat, u.dst, p, len);
        return;
    }
    batd_tt_unicast_tvlv_rx(bat, u.src, p + BATADV_UNICAST_TVLV_HLEN, u.tvlv_len);
}

void batd_route_rx_unknown(struct batd *bat, struct hardif *hif, const uint8_t *eth_dst,
                      const uint8_t *eth_src, uint8_t *p, size_t len)
{
    if (!batd_route_check_unicast(bat, eth_dst, eth_src, len, BATADV_UNICAST_HLEN))
        return;
    uint8_t dest[6];
    memcpy(dest, p + 4, 6);
    if (batd_is_my_mac(bat, dest)) {
        batd_count(bat, STAT_DROP_TYPE);
        return;
    }
    batd_route_forward(bat, dest, p, len);
}
