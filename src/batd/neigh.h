/* Direct neighbours per hard interface (kernel: batadv_hardif_neigh_node): refreshed by
 * every OGM a neighbour sends about itself, purged after 200 s. Used to skip useless
 * broadcast retransmissions and for `batd ctl neighbors`. */
#ifndef BATD_NEIGH_H
#define BATD_NEIGH_H

#include "batd.h"

struct hardif_neigh {
    struct hardif_neigh *next;
    uint8_t addr[6];
    uint64_t last_seen;
};

void batd_hardif_neigh_seen(struct batd *bat, struct hardif *hif, const uint8_t *addr);
void batd_hardif_neigh_purge(struct batd *bat, struct hardif *hif, bool all);
/* True when a flooded packet need not go out on hif: no neighbours, or the only one is
 * the packet's originator or the node it came from. */
bool batd_hardif_no_broadcast(const struct hardif *hif, const uint8_t *orig, const uint8_t *from);

#endif
