/* PACKET_RX_RING (TPACKET_V2) receive path of a hard interface: the kernel copies every
 * frame into a ring shared with batd instead of queueing an skb for recvmmsg, and frames
 * are forwarded from the ring in place (queued by reference, one sendmmsg per burst)
 * before their slots go back to the kernel. */
#ifndef BATD_RXRING_H
#define BATD_RXRING_H

#include "batd.h"

/* Sets up a ring on packet socket fd (not yet watched) for frames up to max_frame bytes
 * and drops what the socket queued before. 0 with the ring and its frame count set, or -errno: the
 * caller then keeps the recvmmsg path. */
int rxring_open(int fd, unsigned max_frame, uint8_t **ring, unsigned *frames);
void rxring_close(struct hardif *hif);
/* lime_loop callback for a hard interface with a ring (arg: the hardif). */
void rxring_readable(int fd, unsigned events, void *arg);

#endif
