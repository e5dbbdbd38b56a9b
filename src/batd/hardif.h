/* Hard interfaces: AF_PACKET sockets, batd's own 802.1ad/802.1Q tagging, and the receive
 * dispatcher that every incoming batman-adv frame goes through (spec §1.1, §6.2). */
#ifndef BATD_HARDIF_H
#define BATD_HARDIF_H

#include "batd.h"

/* Opens the packet socket of an interface by name, reads its MAC and MTU. 0 or -errno. */
int batd_hardif_open(struct batd *bat, const char *name);
void batd_hardif_close(struct batd *bat, struct hardif *hif);
/* Re-reads the interface MTU (someone may change it after start); logs changes. */
void batd_hardif_refresh_mtu(struct batd *bat, struct hardif *hif);
/* Starts watching every hard interface's socket on bat->loop. */
int batd_hardif_watch_all(struct batd *bat);
/* Watches hif's socket again with the reader its receive path needs now (ring or not). */
void batd_hardif_rewatch(struct batd *bat, struct hardif *hif);

/* Sends a batman-adv packet `p` (len bytes) to `dst` on hif. `p` must have at least
 * 18 bytes of writable headroom in front of it: the Ethernet header (and VLAN tag) is
 * written there. Returns 0, or -1 (counted as drop_tx_error). */
int batd_hardif_send(struct batd *bat, struct hardif *hif, const uint8_t *dst, uint8_t *p, size_t len);
/* Receive bursts: between begin and end, sends of frames inside the burst's slots are
 * queued (by reference) and go out with one sendmmsg per interface at the end. */
void batd_hardif_burst_begin(struct batd *bat);
/* The same for frames that lie in [lo, hi) (a receive ring). */
void batd_hardif_burst_begin_range(struct batd *bat, uint8_t *lo, uint8_t *hi);
void batd_hardif_burst_end(struct batd *bat);
/* The receive path: one Ethernet frame as it came from hif. `frame` must lie in a buffer
 * with BATD_HEADROOM writable bytes in front of it (packets are forwarded in place).
 * aux_tci >= 0 is a VLAN tag the kernel stripped (PACKET_AUXDATA). */
void batd_hardif_rx(struct batd *bat, struct hardif *hif, uint8_t *frame, size_t len, int aux_tci,
               uint16_t aux_tpid);
/* Receive path for tests and fuzzing: copies the frame (as on the wire, tag inline) into
 * the receive buffer and runs batd_hardif_rx. */
void batd_rx_frame(struct batd *bat, struct hardif *hif, const uint8_t *frame, size_t len);
/* Dispatches one batman-adv packet (after the Ethernet header); used again for packets
 * reassembled from fragments. */
void batd_rx_packet(struct batd *bat, struct hardif *hif, const uint8_t *eth_dst,
                    const uint8_t *eth_src, uint8_t *p, size_t len);

#endif
