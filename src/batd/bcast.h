/* Broadcast flooding (spec §5.2): own broadcasts from the soft interface, and received
 * BCAST packets (per-originator 64-seqno dedup window, rebroadcast on every interface:
 * once on wired, three times 5 ms apart on wireless, then local delivery). */
#ifndef BATD_BCAST_H
#define BATD_BCAST_H

#include "batd.h"

/* A multicast/broadcast frame from the soft interface (headroom in front). */
void batd_bcast_tx(struct batd *bat, uint8_t *frame, size_t len);
void batd_bcast_rx(struct batd *bat, struct hardif *hif, const uint8_t *eth_dst, const uint8_t *eth_src,
              uint8_t *p, size_t len);

#endif
