/* Originator table: one entry per mesh node address heard in an OGM, with its
 * neighbours (candidate next hops), the chosen router, and purge timers (spec §3.6, §3.9). */
#ifndef BATD_ORIGINATOR_H
#define BATD_ORIGINATOR_H

#include "batd.h"

struct orig *batd_orig_find(struct batd *bat, const uint8_t *addr);
/* Finds or creates (NULL only when out of memory). */
struct orig *batd_orig_get(struct batd *bat, const uint8_t *addr);
void batd_orig_free_all(struct batd *bat);

/* Neighbours of one originator. */
struct neigh *batd_orig_neigh_find(struct orig *o, const uint8_t *addr, const struct hardif *hif);
struct neigh *batd_orig_neigh_get(struct batd *bat, struct orig *o, const uint8_t *addr, struct hardif *hif);
/* Pushes a TQ sample into the neighbour's 5-slot ring and recomputes tq_avg
 * (mean of the non-zero slots). */
void batd_neigh_push_tq(struct neigh *n, uint8_t tq);

/* Sets the router (next hop) of o; a change to/from NULL adds/removes the route and
 * the originator's TT global entries. */
void batd_orig_set_router(struct batd *bat, struct orig *o, struct neigh *router);
/* Router of the originator whose address is addr, or NULL. */
struct neigh *batd_orig_router_of(struct batd *bat, const uint8_t *addr);

/* Drops neighbours not heard for 200 s and originators not heard for 400 s;
 * re-elects a router when the current one went away. */
void batd_orig_purge(struct batd *bat);

/* Iteration helper for dumps. */
#define orig_for_each(bat, o)                                                          \
    for (unsigned orig_bucket_ = 0; orig_bucket_ < BATD_ORIG_HASH; orig_bucket_++)     \
        for (struct orig *o = (bat)->orig_hash[orig_bucket_]; o; o = o->hnext)

unsigned batd_mac_hash(const uint8_t *addr);

#endif
