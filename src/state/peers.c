/* Peers: what this node knows about each neighbour it exchanges tables with (how far
 * it is acknowledged per type, for delta slices) and the retry of failed syncs. */
#include <stdlib.h>
#include <string.h>

#include "discover.h"
#include "loop.h"
#include "service_int.h"

#define MAX_PEERS 512

struct peer *ss_service_peer(struct ss_service *ss, const struct sockaddr_in6 *a)
{
    for (struct peer *p = ss->peers; p; p = p->next)
        if (memcmp(&p->addr.sin6_addr, &a->sin6_addr, sizeof a->sin6_addr) == 0 &&
            p->addr.sin6_port == a->sin6_port &&
            (!IN6_IS_ADDR_LINKLOCAL(&a->sin6_addr) || p->addr.sin6_scope_id == a->sin6_scope_id))
            return p;
    if (ss->npeers >= MAX_PEERS)
        return NULL; /* an address sweep must not grow this forever; untracked peers get full tables */
    struct peer *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    ss->npeers++;
    p->addr = *a;
    p->next = ss->peers;
    ss->peers = p;
    return p;
}

struct peer_type *ss_peer_type(struct peer *p, size_t idx)
{
    if (idx >= p->ntypes) {
        size_t n = idx + 8;
        struct peer_type *nt = realloc(p->types, n * sizeof *nt);
        if (!nt)
            return NULL;
        memset(nt + p->ntypes, 0, (n - p->ntypes) * sizeof *nt);
        p->types = nt;
        p->ntypes = n;
    }
    return &p->types[idx];
}

/* A failed sync with a peer is retried after 1, 2, 4 ... 32 s (it may have been
 * restarting, or its link down for a moment), not only at the next periodic tick. */
struct retry {
    struct ss_service *ss;
    struct peer *peer;
    size_t idx;
    struct lime_timer *timer;
};

static void on_retry(void *arg)
{
    struct retry *r = arg;
    struct peer_type *pt = ss_peer_type(r->peer, r->idx);
    if (pt)
        pt->retry = NULL;
    struct ss_service *ss = r->ss;
    struct peer *p = r->peer;
    size_t idx = r->idx;
    free(r);
    /* only while it is still a neighbour (explicit `sync` peers are not retried) */
    struct sockaddr_in6 nb[256];
    size_t n = ss_discover_list(ss->disc, nb, 256);
    for (size_t i = 0; i < n && i < 256; i++)
        if (!memcmp(&nb[i].sin6_addr, &p->addr.sin6_addr, sizeof p->addr.sin6_addr) &&
            nb[i].sin6_port == p->addr.sin6_port && nb[i].sin6_scope_id == p->addr.sin6_scope_id) {
            ss_service_start_sync(ss, p, idx, NULL);
            return;
        }
}

void ss_peer_schedule_retry(struct ss_service *ss, struct peer *p, size_t idx, struct peer_type *pt)
{
    if (pt->retry || ss->stopping)
        return;
    struct retry *r = calloc(1, sizeof *r);
    if (!r)
        return;
    *r = (struct retry){ss, p, idx, NULL};
    unsigned shift = pt->fails < 6 ? pt->fails : 6;
    r->timer = lime_timer_add(ss->loop, 500u << shift, on_retry, r);
    if (!r->timer) {
        free(r);
        return;
    }
    pt->retry = r;
}

void ss_peer_cancel_retries(struct ss_service *ss, struct peer *p)
{
    for (size_t i = 0; i < p->ntypes; i++) {
        struct retry *r = p->types[i].retry;
        if (r) {
            lime_timer_cancel(ss->loop, r->timer);
            free(r);
            p->types[i].retry = NULL;
        }
    }
}

