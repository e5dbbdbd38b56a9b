/* PACKET_RX_RING (TPACKET_V2) receive path of a hard interface: the kernel copies every
 * frame into a ring shared with batd instead of queueing an skb for recvmmsg, and frames
 * are forwarded from the ring in place (queued by reference, one sendmmsg per burst)
 * before their slots go back to the kernel. */
#ifndef BATD_RXRING_H
#define BATD_RXRING_H

#include "batd.h"

/* Sets up a ring of BATD_RXRING_MIN slots on packet socket fd (not yet watched) for
 * frames up to max_frame bytes and drops what the socket queued before. 0 with the ring
 * and its frame count set, or -errno: the caller then keeps the recvmmsg path. */
int batd_rxring_open(int fd, unsigned max_frame, uint8_t **ring, unsigned *frames);
void batd_rxring_close(struct hardif *hif);
/* lime_loop callback for a hard interface with a ring (arg: the hardif). */
void batd_rxring_readable(int fd, unsigned events, void *arg);
/* Passes every frame waiting in the ring through the receive path. */
void batd_rxring_drain(struct batd *bat, struct hardif *hif);
/* Once a second: reads the kernel's ring counters (frames, drops for want of a slot,
 * counted as drop_rx_ring_full) and resizes the ring as batd_rxring_want says. */
void batd_rxring_tick(struct batd *bat, struct hardif *hif);
/* The sizing rule, alone for tests: the slot count a ring of `frames` slots should have
 * after a second in which the link brought `packets` frames, of which `drops` found no
 * free slot, `quiet_s` seconds after the last drop. */
unsigned batd_rxring_want(unsigned frames, unsigned drops, unsigned packets, unsigned quiet_s);

#endif
