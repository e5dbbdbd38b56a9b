/* batman-adv ICMP (spec §5.9): answer echo requests to us (batctl ping from kernel
 * nodes), forward others, report TTL exceeded, append to route-record packets. */
#ifndef BATD_ICMP_H
#define BATD_ICMP_H

#include "batd.h"

void batd_icmp_rx(struct batd *bat, struct hardif *hif, const uint8_t *eth_dst, const uint8_t *eth_src,
             uint8_t *p, size_t len);

#endif
