/* Originator and per-originator neighbour tables. */
#include "originator.h"

#include <stdlib.h>

#include "frag.h"
#include "log.h"
#include "tt.h"

unsigned batd_mac_hash(const uint8_t *a)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < 6; i++)
        h = (h ^ a[i]) * 16777619u;
    return h ^ (h >> 16);
}

struct orig *batd_orig_find(struct batd *bat, const uint8_t *addr)
{
    for (struct orig *o = bat->orig_hash[batd_mac_hash(addr) % BATD_ORIG_HASH]; o; o = o->hnext)
        if (mac_eq(o->addr, addr))
            return o;
    return NULL;
}

struct orig *batd_orig_get(struct batd *bat, const uint8_t *addr)
{
    struct orig *o = batd_orig_find(bat, addr);
    if (o)
        return o;
    if (bat->n_origs >= BATD_MAX_ORIGS) {
        batd_count(bat, STAT_DROP_ORIG_LIMIT);
        return NULL;
    }
    o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    memcpy(o->addr, addr, 6);
    o->last_seen = batd_now(bat);
    unsigned b = batd_mac_hash(addr) % BATD_ORIG_HASH;
    o->hnext = bat->orig_hash[b];
    bat->orig_hash[b] = o;
    bat->n_origs++;
    return o;
}

static void neigh_free_list(struct neigh *n)
{
    while (n) {
        struct neigh *next = n->next;
        free(n);
        n = next;
    }
}

static void orig_destroy(struct batd *bat, struct orig *o)
{
    batd_tt_global_del_orig(bat, o);
    batd_frag_free_orig(o);
    neigh_free_list(o->neighs);
    free(o);
}

void batd_orig_free_all(struct batd *bat)
{
    for (unsigned b = 0; b < BATD_ORIG_HASH; b++) {
        struct orig *o = bat->orig_hash[b];
        while (o) {
            struct orig *next = o->hnext;
            batd_frag_free_orig(o);
            neigh_free_list(o->neighs);
            free(o);
            o = next;
        }
        bat->orig_hash[b] = NULL;
    }
    bat->n_origs = 0;
}

struct neigh *batd_orig_neigh_find(struct orig *o, const uint8_t *addr, const struct hardif *hif)
{
    for (struct neigh *n = o->neighs; n; n = n->next)
        if (n->hif == hif && mac_eq(n->addr, addr))
            return n;
    return NULL;
}

struct neigh *batd_orig_neigh_get(struct batd *bat, struct orig *o, const uint8_t *addr, struct hardif *hif)
{
    struct neigh *n = batd_orig_neigh_find(o, addr, hif);
    if (n)
        return n;
    n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    memcpy(n->addr, addr, 6);
    n->hif = hif;
    n->last_seen = batd_now(bat);
    n->next = o->neighs;
    o->neighs = n;
    return n;
}

void batd_neigh_push_tq(struct neigh *n, uint8_t tq)
{
    n->tq_recv[n->tq_index] = tq;
    n->tq_index = (uint8_t)((n->tq_index + 1) % BATD_TQ_GLOBAL_WINDOW);
    unsigned sum = 0, cnt = 0;
    for (int i = 0; i < BATD_TQ_GLOBAL_WINDOW; i++) {
        if (n->tq_recv[i]) {
            sum += n->tq_recv[i];
            cnt++;
        }
    }
    n->tq_avg = cnt ? (uint8_t)(sum / cnt) : 0;
}

void batd_orig_set_router(struct batd *bat, struct orig *o, struct neigh *router)
{
    if (o->router == router)
        return;
    if (!router) {
        log_debug("route to %02x:%02x:%02x:%02x:%02x:%02x deleted", o->addr[0], o->addr[1],
                  o->addr[2], o->addr[3], o->addr[4], o->addr[5]);
        batd_tt_global_del_orig(bat, o);
    } else if (!o->router) {
        log_debug("route to %02x:%02x:%02x:%02x:%02x:%02x via %02x:%02x:%02x:%02x:%02x:%02x",
                  o->addr[0], o->addr[1], o->addr[2], o->addr[3], o->addr[4], o->addr[5],
                  router->addr[0], router->addr[1], router->addr[2], router->addr[3],
                  router->addr[4], router->addr[5]);
    }
    o->router = router;
}

struct neigh *batd_orig_router_of(struct batd *bat, const uint8_t *addr)
{
    struct orig *o = batd_orig_find(bat, addr);
    return o ? o->router : NULL;
}

void batd_orig_purge(struct batd *bat)
{
    uint64_t now = batd_now(bat);
    for (unsigned b = 0; b < BATD_ORIG_HASH; b++) {
        struct orig **po = &bat->orig_hash[b];
        while (*po) {
            struct orig *o = *po;
            if (now - o->last_seen > BATD_ORIG_TIMEOUT_MS) {
                *po = o->hnext;
                bat->n_origs--;
                orig_destroy(bat, o);
                continue;
            }
            bool lost_router = false;
            struct neigh **pn = &o->neighs;
            while (*pn) {
                struct neigh *n = *pn;
                if (now - n->last_seen > BATD_NEIGH_TIMEOUT_MS) {
                    *pn = n->next;
                    if (o->router == n) {
                        o->router = NULL;
                        lost_router = true;
                    }
                    free(n);
                    continue;
                }
                pn = &n->next;
            }
            if (lost_router) {
                struct neigh *best = NULL;
                for (struct neigh *n = o->neighs; n; n = n->next)
                    if (n->tq_avg && (!best || n->tq_avg > best->tq_avg))
                        best = n;
                o->router = best;
                if (!best)
                    batd_tt_global_del_orig(bat, o);
            }
            batd_frag_purge_orig(bat, o);
            po = &o->hnext;
        }
    }
}
