/* ICMP echo responder and forwarder. */
#include "icmp.h"

#include "route.h"

static void record_route(struct batd *bat, uint8_t *p, size_t len, uint8_t msg_type)
{
    if (len < BATADV_ICMP_RR_LEN || (msg_type != BATADV_ECHO_REQUEST && msg_type != BATADV_ECHO_REPLY))
        return;
    uint8_t cur = p[17];
    if (cur >= BATADV_RR_LEN)
        return;
    memcpy(p + BATADV_ICMP_HLEN + 6 * (size_t)cur, batd_orig_addr(bat), 6);
    p[17] = (uint8_t)(cur + 1);
}

void batd_icmp_rx(struct batd *bat, struct hardif *hif, const uint8_t *eth_dst, const uint8_t *eth_src,
             uint8_t *p, size_t len)
{
    if (!batd_route_check_unicast(bat, eth_dst, eth_src, len, BATADV_ICMP_HLEN))
        return;
    struct bat_icmp ic;
    batd_icmp_parse(p, len, &ic);
    if (ic.msg_type == BATADV_TP) {
        batd_count(bat, STAT_DROP_UNSUPPORTED);
        return;
    }
    if (batd_is_my_mac(bat, ic.dst)) {
        batd_count(bat, STAT_ICMP_RX);
        if (ic.msg_type != BATADV_ECHO_REQUEST) {
            batd_count(bat, STAT_DROP_ICMP);
            return;
        }
        record_route(bat, p, len, ic.msg_type);
        ic.rr_cur = p[17];
        memcpy(ic.dst, ic.orig, 6);
        memcpy(ic.orig, batd_orig_addr(bat), 6);
        ic.msg_type = BATADV_ECHO_REPLY;
        ic.ttl = BATD_TTL;
        batd_icmp_pack(p, &ic);
        if (batd_route_send_to_orig(bat, ic.dst, p, len) == 0)
            batd_count(bat, STAT_ICMP_TX);
        return;
    }
    if (ic.ttl < 2) {
        batd_count(bat, STAT_DROP_TTL);
        if (ic.msg_type != BATADV_ECHO_REQUEST)
            return;
        memcpy(ic.dst, ic.orig, 6);
        memcpy(ic.orig, batd_orig_addr(bat), 6);
        ic.msg_type = BATADV_TTL_EXCEEDED;
        ic.ttl = BATD_TTL;
        batd_icmp_pack(p, &ic);
        if (batd_route_send_to_orig(bat, ic.dst, p, BATADV_ICMP_HLEN) == 0)
            batd_count(bat, STAT_ICMP_TX);
        return;
    }
    record_route(bat, p, len, ic.msg_type);
    batd_route_forward(bat, ic.dst, p, len);
}
