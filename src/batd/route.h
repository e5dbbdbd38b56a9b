/* Unicast data path (spec §5.1): frames entering from the soft interface, and
 * UNICAST/UNICAST_4ADDR/UNICAST_TVLV/unknown unicast-class packets from the mesh:
 * deliver, re-route on stale TT data, or forward with TTL checks. */
#ifndef BATD_ROUTE_H
#define BATD_ROUTE_H

#include "batd.h"

/* A frame read from the soft interface at `frame` (BATD_HEADROOM writable bytes in front). */
void batd_route_tx_from_soft(struct batd *bat, uint8_t *frame, size_t len);

void batd_route_rx_unicast(struct batd *bat, struct hardif *hif, const uint8_t *eth_dst,
                      const uint8_t *eth_src, uint8_t *p, size_t len);
void batd_route_rx_unicast_tvlv(struct batd *bat, struct hardif *hif, const uint8_t *eth_dst,
                           const uint8_t *eth_src, uint8_t *p, size_t len);
void batd_route_rx_unknown(struct batd *bat, struct hardif *hif, const uint8_t *eth_dst,
                      const uint8_t *eth_src, uint8_t *p, size_t len);

/* Checks common to unicast-class packets: length, Ethernet dst is one of my hard
 * interfaces, src not multicast. Counts and returns false when the packet must go. */
bool batd_route_check_unicast(struct batd *bat, const uint8_t *eth_dst, const uint8_t *eth_src,
                         size_t len, size_t hlen);

/* Sends batman packet p (headroom in front) to the next hop toward originator `dest`,
 * fragmenting when it exceeds the interface MTU. 0 or -1 (no route: counted). */
int batd_route_send_to_orig(struct batd *bat, const uint8_t *dest, uint8_t *p, size_t len);
/* Decrements TTL (byte 2) and forwards toward dest; counts TTL drops. */
int batd_route_forward(struct batd *bat, const uint8_t *dest, uint8_t *p, size_t len);
/* Fills a UNICAST_TVLV header at pkt (tvlv_len bytes of containers follow it) and sends it. */
int batd_route_send_unicast_tvlv(struct batd *bat, const uint8_t *dst, uint8_t *pkt, size_t tvlv_len);

/* Hands an inner Ethernet frame to the soft interface. */
void batd_deliver(struct batd *bat, const uint8_t *frame, size_t len);
/* Writes one frame with its virtio_net_hdr to the TAP (gro output). */
void batd_tap_write(void *bat, const struct gro_vnet_hdr *vh, const uint8_t *frame, size_t len);
/* Is this inner frame a DHCP request toward a server (IPv4 port 67, IPv6 port 547)? */
bool batd_is_dhcp_to_server(const uint8_t *frame, size_t len);
/* VID of an inner frame: 0x8000|vid when 802.1Q-tagged, else 0. */
uint16_t batd_inner_vid(const uint8_t *frame, size_t len);

#endif
