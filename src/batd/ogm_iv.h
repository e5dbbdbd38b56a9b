/* B.A.T.M.A.N. IV: own OGM generation (interval + jitter), receive pipeline (windows,
 * echo counting, TQ, ranking), rebroadcast rules and aggregation (spec §3). */
#ifndef BATD_OGM_IV_H
#define BATD_OGM_IV_H

#include "batd.h"

/* TQ of an OGM received with tq_in from a neighbour whose own OGMs we got rq times
 * (of the last 64) and which echoed eq of ours; iface_penalty is the interface's extra hop
 * penalty (0 by default). Spec §3.5. */
uint8_t batd_ogm_iv_calc_tq(uint8_t tq_in, unsigned eq, unsigned rq, unsigned iface_penalty);
/* The TQ after the forwarding hop penalty: tq * (255 - hop_penalty) / 255. */
uint8_t batd_ogm_iv_hop_penalty(uint8_t tq, unsigned hop_penalty);

/* Sends own OGMs now and every orig_interval (±jitter) afterwards. */
void batd_ogm_iv_start(struct batd *bat);
void batd_ogm_iv_stop(struct batd *bat);
/* Emits one round of own OGMs (primary on every interface, secondary on itself). */
void batd_ogm_iv_send_own(struct batd *bat);

/* A received OGM frame payload (possibly an aggregate). */
void batd_ogm_iv_rx(struct batd *bat, struct hardif *hif, const uint8_t *eth_dst, const uint8_t *eth_src,
               uint8_t *p, size_t len);

/* Flushes the pending aggregate of hif now. */
void batd_ogm_iv_flush(struct batd *bat, struct hardif *hif);

#endif
