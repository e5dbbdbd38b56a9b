/* Internals shared by service.c (sync engine) and api.c (the functions limed calls). */
#ifndef SS_SERVICE_INT_H
#define SS_SERVICE_INT_H

#include <netinet/in.h>

#include "conn.h"
#include "service.h"

struct lime_timer;
struct ss_discover;
struct ss_control;
struct ss_hooks;
struct ss_publish;
struct conn_ctx;

struct retry;

struct peer_type {
    uint64_t acked_seq; /* the peer holds every change of ours up to this seq */
    uint32_t exchanges;
    uint32_t fails;       /* failed syncs in a row (retry backoff) */
    bool inflight, again;
    struct retry *retry;  /* pending retry after a failure, or NULL */
};

struct peer {
    struct sockaddr_in6 addr; /* port = ours */
    struct peer_type *types;  /* indexed like the store's types */
    size_t ntypes;
    bool legacy; /* an upstream node (pretty-printed JSON): RAM only, so it gets full tables */
    struct peer *next;
};

struct type_sched {
    struct ss_service *ss;
    size_t idx;
    struct lime_timer *periodic, *change;
    uint64_t next_periodic_ms;
    uint64_t last_change_sync_ms;
    uint64_t persisted_seq, hooked_seq;
};

struct ss_service {
    struct lime_loop *loop;
    struct ss_config cfg;
    char hostname[256];
    struct ss_store *st;
    int listen_fd;
    unsigned nconns;
    struct ss_conn_params cp;
    char *key;
    size_t keylen;
    struct peer *peers;
    struct type_sched **sched; /* one per store type, same index */
    size_t nsched;
    struct conn_ctx *conns;    /* every open connection */
    size_t npeers;
    bool stopping;
    struct ss_discover *disc;
    struct ss_control *control;
    struct ss_hooks *hooks;
    struct ss_publish *publish;
    struct lime_timer *housekeep;
};

struct sync_round {
    ss_sync_done_cb done;
    void *arg;
    int pending, failed, total;
};

int ss_service_ensure_sched(struct ss_service *ss);
/* Arms the periodic sync of type idx if it is not armed yet. */
void ss_service_arm_periodic(struct ss_service *ss, size_t idx);
/* A type's table changed (local insert, merge): sync soon, persist, run hooks. */
void ss_service_type_changed(struct ss_service *ss, size_t idx);
struct peer *ss_service_peer(struct ss_service *ss, const struct sockaddr_in6 *a);
/* Starts one sync of type idx with p; with a round, counts into it. */
void ss_service_start_sync(struct ss_service *ss, struct peer *p, size_t idx,
                           struct sync_round *r);
long ss_service_type_index(struct ss_service *ss, struct ss_type *t);

/* peers.c */
/* Per-type state of a peer (grows as types are registered); NULL on ENOMEM. */
struct peer_type *ss_peer_type(struct peer *p, size_t idx);
/* Retries a failed sync of type idx with p after a backoff, while p is a neighbour. */
void ss_peer_schedule_retry(struct ss_service *ss, struct peer *p, size_t idx, struct peer_type *pt);
void ss_peer_cancel_retries(struct ss_service *ss, struct peer *p);

#endif
