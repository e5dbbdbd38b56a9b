/* Per-interface direct neighbour lists. */
#include "neigh.h"

#include <stdlib.h>

void batd_hardif_neigh_seen(struct batd *bat, struct hardif *hif, const uint8_t *addr)
{
    for (struct hardif_neigh *n = hif->neighs; n; n = n->next) {
        if (mac_eq(n->addr, addr)) {
            n->last_seen = batd_now(bat);
            return;
        }
    }
    struct hardif_neigh *n = calloc(1, sizeof *n);
    if (!n)
        return;
    memcpy(n->addr, addr, 6);
    n->last_seen = batd_now(bat);
    n->next = hif->neighs;
    hif->neighs = n;
}

void batd_hardif_neigh_purge(struct batd *bat, struct hardif *hif, bool all)
{
    uint64_t now = batd_now(bat);
    struct hardif_neigh **pn = &hif->neighs;
    while (*pn) {
        struct hardif_neigh *n = *pn;
        if (all || now - n->last_seen > BATD_NEIGH_TIMEOUT_MS) {
            *pn = n->next;
            free(n);
            continue;
        }
        pn = &n->next;
    }
}

bool batd_hardif_no_broadcast(const struct hardif *hif, const uint8_t *orig, const uint8_t *from)
{
    const struct hardif_neigh *n = hif->neighs;
    if (!n)
        return true;
    if (n->next)
        return false;
    return (orig && mac_eq(n->addr, orig)) || (from && mac_eq(n->addr, from));
}
