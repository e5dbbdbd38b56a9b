/* Fragmentation v2 (spec §5.3): reassembly of UNICAST_FRAG chains addressed to us (8
 * chains per originator, 10 s timeout, fragment 0 carries the tail), forwarding of
 * fragments for others as they are, and splitting of packets larger than an
 * interface's MTU. */
#ifndef BATD_FRAG_H
#define BATD_FRAG_H

#include "batd.h"

void batd_frag_rx(struct batd *bat, struct hardif *hif, const uint8_t *eth_dst, const uint8_t *eth_src,
             uint8_t *p, size_t len);
/* Sends packet p (len bytes) to neighbour n in fragments toward originator dest. */
int batd_frag_send(struct batd *bat, struct neigh *n, const uint8_t *dest, const uint8_t *p, size_t len);
void batd_frag_free_orig(struct orig *o);
void batd_frag_purge_orig(struct batd *bat, struct orig *o);

#endif
