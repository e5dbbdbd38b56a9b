/* The shared-state service (service.h): glues the store to the network, discovery,
 * persistence and hooks. Syncing:
 *  - periodically, per type, every update_interval (absolute deadlines, never skipped);
 *  - change_delay_ms (100) after a significant change (local insert or a merge that brought
 *    something new), at most once per 500 ms per type, so news crosses a hop in well
 *    under a second instead of one interval per hop;
 *  - with a new neighbour as soon as it is discovered.
 * Each sync with a peer sends only what changed since that peer last acknowledged a
 * table from us (absence never means deletion, so a partial slice is a valid upstream
 * message); every full_every-th exchange with a peer carries the full table. */
#include "service_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <json-c/json.h>

#include "conn.h"
#include "control.h"
#include "discover.h"
#include "hooks.h"
#include "log.h"
#include "loop.h"
#include "persist.h"
#include "publish.h"
#include "slice.h"
#include "wire.h"

#define MIN_CHANGE_GAP_MS 500
#define HOUSEKEEP_MS 1000

/* What a connection carries for us. */
struct conn_ctx {
    struct ss_service *ss;
    struct ss_conn *conn;
    struct conn_ctx *prev, *next;
    struct peer *peer;
    size_t type_idx;
    uint64_t seq_sent;  /* store seq when our slice was encoded */
    bool full, truncated;
    struct sync_round *round;
};

static const struct {
    const char *name;
    uint32_t ttl, interval;
} default_types[] = {
    {"bat-hosts", 2400, 30},        {"node_info", 2400, 33},
    {"node_info_ref", 2400, 50},    {"wifi_links_info", 2400, 33},
    {"wifi_links_info_ref", 2400, 50}, {"bat_links_info", 2400, 30},
    {"bat_links_info_ref", 2400, 50},  {"babel_links_info", 2400, 30},
    {"babel_links_info_ref", 2400, 50}, {"net-stats", 1200, 120},
    {"dnsmasq-leases", 3600, 60},   {"dnsmasq-hosts", 3600, 60},
    {"dnsmasq-servers", 3600, 60},  {"babeld-hosts", 3600, 60},
    {"nodes_and_links", 3600, 60},
};

void ss_config_defaults(struct ss_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->listen_addr = "::";
    cfg->port = SS_PORT;
    cfg->hello_ms = 2000;
    cfg->timeout_ms = 10000;
    cfg->change_delay_ms = 100;
    cfg->max_conns = 64;
    cfg->full_every = 10;
    cfg->interval_scale = 1.0;
}

struct ss_store *ss_service_store(struct ss_service *ss) { return ss->st; }

long ss_service_type_index(struct ss_service *ss, struct ss_type *t)
{
    for (size_t i = 0; i < ss_store_type_count(ss->st); i++)
        if (ss_store_type_at(ss->st, i) == t)
            return (long)i;
    return -1;
}

int ss_service_ensure_sched(struct ss_service *ss)
{
    size_t n = ss_store_type_count(ss->st);
    if (n <= ss->nsched)
        return 0;
    struct type_sched **ns = realloc(ss->sched, n * sizeof *ns);
    if (!ns)
        return -ENOMEM;
    ss->sched = ns;
    while (ss->nsched < n) {
        struct type_sched *t = calloc(1, sizeof *t);
        if (!t)
            return -ENOMEM;
        t->ss = ss;
        t->idx = ss->nsched;
        ss->sched[ss->nsched++] = t;
    }
    return 0;
}


/* ---- merging what arrives ------------------------------------------------------ */

/* Authenticates and merges one incoming body. Returns 0, or -1 (counted) when the
 * message is rejected. lo and hi get the store seq range the merge used. */
static int intake(struct ss_service *ss, struct ss_type *t, const char *type, char *json,
                  size_t len, bool remote, uint64_t *lo, uint64_t *hi, bool *want_full)
{
    *want_full = false;
    struct ss_counters *k = ss_store_counters(ss->st);
    k->frames_in++;
    if (ss->key) { /* loopback too: the local CLI uses the control socket, not TCP */
        long plain = ss_auth_verify(ss->key, ss->keylen, type, json, len);
        if (plain < 0) {
            k->auth_failed++;
            ss_note(k->auth_failed, "%s: message without a valid community-key signature; rejected", type);
            return -1;
        }
        len = (size_t)plain;
        json[len] = 0;
    }
    struct ss_slice s;
    char err[160];
    if (ss_slice_parse(json, len, &s, err, sizeof err) < 0) {
        k->frames_malformed++;
        ss_note(k->frames_malformed, "%s: malformed message: %s; dropped", type, err);
        return -1;
    }
    if (s.bad) {
        k->frames_malformed++;
        ss_note(k->frames_malformed, "%s: %zu malformed entries skipped", type, s.bad);
    }
    *want_full = s.want_full;
    uint64_t now = lime_now_ms();
    *lo = ss_store_seq(ss->st) + 1;
    uint64_t before = t->changed_seq, before_seq = ss_store_seq(ss->st);
    /* Copies older than ours, or losing a tie, show the sender is out of date: send
     * ours again (touched after the merge so that the reply's skip range keeps them). */
    size_t *stale = s.n ? calloc(s.n, sizeof *stale) : NULL, nstale = 0;
    for (size_t i = 0; i < s.n; i++) {
        enum ss_merge_outcome o = ss_store_merge(ss->st, t, &s.copies[i], remote, now);
        if (stale && (o == SS_MERGE_LOST || o == SS_MERGE_OLDER))
            stale[nstale++] = i;
    }
    *hi = ss_store_seq(ss->st);
    for (size_t i = 0; i < nstale; i++) {
        struct ss_copy *c = &s.copies[stale[i]];
        struct ss_entry *e = ss_type_find(t, c->key);
        if (!e)
            continue;
        bool differs = strcmp(e->author, c->author) != 0 || strcmp(e->data, c->data) != 0;
        if (differs || ss_entry_ttl(e, now) > c->ttl_s + 5)
            ss_store_touch(ss->st, e);
    }
    free(stale);
    ss_slice_free(&s);
    long idx = ss_service_type_index(ss, t);
    if (idx >= 0 && (t->changed_seq != before || ss_store_seq(ss->st) != before_seq))
        ss_service_type_changed(ss, (size_t)idx);
    return 0;
}

/* Upstream's serialiser pretty-prints ("{\n    \"stateSlice\"..."); LiMe-C writes compact
 * JSON. An upstream node keeps its tables in RAM only and may have restarted since our
 * last exchange, so it always gets full tables, as upstream nodes send each other. */
static void note_legacy(struct peer *p, const char *json, size_t len)
{
    if (p && !p->legacy && len > 1 && json[0] == '{' && (json[1] == '\n' || json[1] == ' ')) {
        p->legacy = true;
        char a[96];
        ss_format_addr(&p->addr, a, sizeof a);
        log_info("peer %s speaks like upstream shared-state-async: full tables for it", a);
    }
}

static char *encode_for(struct ss_service *ss, struct ss_type *t, uint64_t since, uint64_t lo,
                        uint64_t hi, bool ask_full, size_t *len, bool *truncated)
{
    size_t count;
    int trunc;
    size_t max = ss_store_limits(ss->st)->max_message_bytes;
    if (ss->key)
        max -= SS_AUTH_TRAILER_LEN;
    char *json = ss_slice_encode(t, since, lo, hi, lime_now_ms(), max, len, &count, &trunc);
    if (!json)
        return NULL;
    *truncated = trunc;
    if (ask_full) { /* {"stateSlice":[...]} -> {"stateSlice":[...],"ssFull":true} */
        static const char tail[] = ",\"ssFull\":true}";
        char *nj = realloc(json, *len + sizeof tail);
        if (!nj) {
            free(json);
            return NULL;
        }
        json = nj;
        memcpy(json + *len - 1, tail, sizeof tail);
        *len += sizeof tail - 2;
    }
    if (trunc) {
        struct ss_counters *k = ss_store_counters(ss->st);
        k->rejected_size++;
        ss_note(k->rejected_size, "%s: table does not fit in one %zu byte message; sent %zu entries",
                t->name, max, count);
    }
    if (ss->key) {
        size_t slen;
        char *signed_json = ss_auth_sign(ss->key, ss->keylen, t->name, json, *len, &slen);
        free(json);
        json = signed_json;
        *len = slen;
    }
    ss_store_counters(ss->st)->frames_out++;
    return json;
}

static char *on_request(void *ctx, struct ss_conn *c, const char *type, char *json, size_t len,
                        size_t *reply_len)
{
    struct ss_service *ss = ctx;
    struct conn_ctx *cc = ss_conn_user(c);
    struct ss_type *t = ss_store_type(ss->st, type);
    if (!t) {
        struct ss_counters *k = ss_store_counters(ss->st);
        k->unknown_type++;
        ss_note(k->unknown_type, "sync request for unknown type '%.64s'; closed", type);
        return NULL;
    }
    bool remote = !ss_addr_is_loopback(ss_conn_peer(c));
    uint64_t lo, hi;
    bool want_full;
    note_legacy(cc->peer, json, len);
    if (intake(ss, t, type, json, len, remote, &lo, &hi, &want_full) < 0)
        return NULL;
    long idx = ss_service_type_index(ss, t);
    cc->type_idx = (size_t)idx;
    uint64_t since = 0;
    if (remote && cc->peer) {
        struct peer_type *pt = ss_peer_type(cc->peer, (size_t)idx);
        if (pt && !cc->peer->legacy && !want_full && ss->cfg.full_every > 1 &&
            pt->exchanges % ss->cfg.full_every != 0)
            since = pt->acked_seq;
        cc->full = since == 0;
    } else {
        lo = hi = 0; /* the local CLI gets everything */
    }
    cc->seq_sent = ss_store_seq(ss->st);
    bool trunc;
    char *reply = encode_for(ss, t, since, lo, hi, false, reply_len, &trunc);
    cc->truncated = trunc;
    return reply;
}

static void on_reply(void *ctx, struct ss_conn *c, const char *type, char *json, size_t len)
{
    struct ss_service *ss = ctx;
    struct conn_ctx *cc = ss_conn_user(c);
    struct ss_type *t = ss_store_type(ss->st, type);
    if (!t)
        return;
    uint64_t before = ss_store_seq(ss->st), lo, hi;
    bool want_full;
    note_legacy(cc->peer, json, len);
    if (intake(ss, t, type, json, len, true, &lo, &hi, &want_full) < 0)
        return;
    /* The peer holds what we sent plus what it sent us (up to hi: not the entries
     * touched after the merge because it showed stale copies of them), if nothing else
     * changed here while the exchange was running. */
    if (before == cc->seq_sent)
        cc->seq_sent = hi;
}

static void on_done(void *ctx, struct ss_conn *c, int err)
{
    struct ss_service *ss = ctx;
    struct conn_ctx *cc = ss_conn_user(c);
    struct ss_counters *k = ss_store_counters(ss->st);
    k->bytes_in += ss_conn_bytes_in(c);
    k->bytes_out += ss_conn_bytes_out(c);
    bool server = ss_conn_is_server(c);
    if (server)
        ss->nconns--;
    if (err == -ETIMEDOUT)
        k->conns_timed_out++;
    if (!server) {
        if (err == 0)
            k->syncs_ok++;
        else {
            k->syncs_failed++;
            char a[96];
            ss_format_addr(ss_conn_peer(c), a, sizeof a);
            log_debug("sync with %s failed: %s", a, strerror(-err));
        }
    }
    if (cc->peer) {
        struct peer_type *pt = ss_peer_type(cc->peer, cc->type_idx);
        if (pt) {
            if (err == 0) {
                if (!cc->truncated && cc->seq_sent > pt->acked_seq)
                    pt->acked_seq = cc->seq_sent;
                pt->exchanges++;
                if (!server)
                    pt->fails = 0;
            } else if (!server) {
                pt->exchanges = 0; /* a failed peer gets the full table next time */
                if (err != -ECANCELED && !cc->round) {
                    pt->fails++;
                    ss_peer_schedule_retry(ss, cc->peer, cc->type_idx, pt);
                }
            }
            if (!server) {
                pt->inflight = false;
                if (pt->again && !ss->stopping) {
                    pt->again = false;
                    ss_service_start_sync(ss, cc->peer, cc->type_idx, NULL);
                }
            }
        }
    }
    if (cc->round) {
        if (err)
            cc->round->failed++;
        if (--cc->round->pending == 0) {
            cc->round->done(cc->round->arg, cc->round->failed, cc->round->total);
            free(cc->round);
        }
    }
    if (cc->prev)
        cc->prev->next = cc->next;
    else
        ss->conns = cc->next;
    if (cc->next)
        cc->next->prev = cc->prev;
    free(cc);
}

static void track(struct ss_service *ss, struct conn_ctx *cc, struct ss_conn *c)
{
    cc->conn = c;
    cc->next = ss->conns;
    if (ss->conns)
        ss->conns->prev = cc;
    ss->conns = cc;
    ss_conn_set_user(c, cc);
}

static const struct ss_conn_ops conn_ops = {on_request, on_reply, on_done};

/* ---- outgoing syncs ---------------------------------------------------------- */

void ss_service_start_sync(struct ss_service *ss, struct peer *p, size_t idx, struct sync_round *r)
{
    struct ss_type *t = ss_store_type_at(ss->st, idx);
    struct peer_type *pt = ss_peer_type(p, idx);
    if (!t || !pt)
        goto fail;
    if (pt->inflight && !r) {
        pt->again = true;
        return;
    }
    struct conn_ctx *cc = calloc(1, sizeof *cc);
    if (!cc)
        goto fail;
    uint64_t since = 0;
    if (!p->legacy && ss->cfg.full_every > 1 && pt->exchanges % ss->cfg.full_every != 0)
        since = pt->acked_seq;
    cc->ss = ss;
    cc->peer = p;
    cc->type_idx = idx;
    cc->round = r;
    cc->full = since == 0;
    cc->seq_sent = ss_store_seq(ss->st);
    size_t len;
    bool trunc;
    /* our first exchange with p since we started (or since it failed): we may have lost
     * state, so ask for its whole table */
    char *json = encode_for(ss, t, since, 0, 0, pt->exchanges == 0 && !p->legacy, &len, &trunc);
    cc->truncated = trunc;
    struct ss_conn *c = json ? ss_conn_sync(&ss->cp, &p->addr, t->name, json, len) : NULL;
    free(json);
    if (!c) {
        free(cc);
        ss_store_counters(ss->st)->syncs_failed++;
        goto fail;
    }
    track(ss, cc, c);
    if (!r)
        pt->inflight = true;
    return;
fail:
    if (r) {
        r->failed++;
        if (--r->pending == 0) {
            r->done(r->arg, r->failed, r->total);
            free(r);
        }
    }
}

/* Does t hold a live entry newer than what p acknowledged? */
static bool has_news_for(struct ss_service *ss, struct peer *p, size_t idx, struct ss_type *t)
{
    struct peer_type *pt = ss_peer_type(p, idx);
    if (!pt || p->legacy || pt->exchanges == 0 ||
        (ss->cfg.full_every > 1 && pt->exchanges % ss->cfg.full_every == 0))
        return true;
    for (size_t i = 0; i < t->n; i++)
        if (t->entries[i].seq > pt->acked_seq)
            return true;
    return false;
}

/* changed_only: a change-triggered round, which skips peers that have everything. */
static void sync_type_all(struct ss_service *ss, size_t idx, bool changed_only)
{
    struct sockaddr_in6 nb[256];
    size_t n = ss_discover_list(ss->disc, nb, 256);
    for (size_t i = 0; i < n && i < 256; i++) {
        struct peer *p = ss_service_peer(ss, &nb[i]);
        if (p && (!changed_only || has_news_for(ss, p, idx, ss_store_type_at(ss->st, idx))))
            ss_service_start_sync(ss, p, idx, NULL);
    }
}

static void on_change_timer(void *arg)
{
    struct type_sched *s = arg;
    s->change = NULL;
    s->last_change_sync_ms = lime_now_ms();
    sync_type_all(s->ss, s->idx, true);
}

static void arm_periodic(struct ss_service *ss, size_t idx);

void ss_service_arm_periodic(struct ss_service *ss, size_t idx)
{
    if (idx < ss->nsched && !ss->sched[idx]->periodic)
        arm_periodic(ss, idx);
}

static void on_periodic_timer(void *arg)
{
    struct type_sched *s = arg;
    s->periodic = NULL;
    sync_type_all(s->ss, s->idx, false);
    arm_periodic(s->ss, s->idx);
}

static void arm_periodic(struct ss_service *ss, size_t idx)
{
    struct ss_type *t = ss_store_type_at(ss->st, idx);
    struct type_sched *s = ss->sched[idx];
    uint64_t period = (uint64_t)(t->interval_s * 1000.0 * ss->cfg.interval_scale);
    if (period < 200)
        period = 200;
    uint64_t now = lime_now_ms();
    if (!s->next_periodic_ms) /* a random phase, so neighbours do not tick together */
        s->next_periodic_ms = now + 1 + (uint64_t)((double)period * rand() / ((double)RAND_MAX + 1));
    while (s->next_periodic_ms <= now) /* absolute deadlines: late ticks are not skipped */
        s->next_periodic_ms += period;
    s->periodic = lime_timer_add(ss->loop, s->next_periodic_ms - now, on_periodic_timer, s);
}

void ss_service_type_changed(struct ss_service *ss, size_t idx)
{
    if (ss_service_ensure_sched(ss) < 0)
        return;
    struct type_sched *s = ss->sched[idx];
    if (!s->periodic)
        arm_periodic(ss, idx);
    if (s->change || ss->cfg.no_change_sync)
        return;
    uint64_t now = lime_now_ms(), delay = ss->cfg.change_delay_ms;
    if (s->last_change_sync_ms && now < s->last_change_sync_ms + MIN_CHANGE_GAP_MS &&
        s->last_change_sync_ms + MIN_CHANGE_GAP_MS - now > delay)
        delay = s->last_change_sync_ms + MIN_CHANGE_GAP_MS - now;
    s->change = lime_timer_add(ss->loop, delay, on_change_timer, s);
}

static void on_new_neighbour(void *arg, const struct sockaddr_in6 *a)
{
    struct ss_service *ss = arg;
    struct peer *p = ss_service_peer(ss, a);
    if (!p)
        return;
    char txt[96];
    ss_format_addr(a, txt, sizeof txt);
    log_info("new neighbour %s", txt);
    for (size_t i = 0; i < ss_store_type_count(ss->st); i++) {
        struct peer_type *pt = ss_peer_type(p, i);
        if (pt)
            pt->exchanges = 0; /* it may have restarted: full tables first */
        /* every type, also empty ones: we may be the one that just started empty */
        ss_service_start_sync(ss, p, i, NULL);
    }
}

/* ---- housekeeping: ageing, persistence, hooks ------------------------------------ */

static void housekeep(void *arg)
{
    struct ss_service *ss = arg;
    ss->housekeep = lime_timer_add(ss->loop, HOUSEKEEP_MS, housekeep, ss);
    uint64_t now = lime_now_ms();
    ss_store_bleach(ss->st, now);
    if (ss_service_ensure_sched(ss) < 0)
        return;
    for (size_t i = 0; i < ss_store_type_count(ss->st); i++) {
        struct ss_type *t = ss_store_type_at(ss->st, i);
        struct type_sched *s = ss->sched[i];
        uint64_t newest = t->changed_seq;
        for (size_t j = 0; j < t->n; j++)
            if (t->entries[j].seq > newest)
                newest = t->entries[j].seq;
        if (ss->cfg.state_dir && newest > s->persisted_seq) {
            if (ss_persist_save_type(ss->cfg.state_dir, t, now) == 0)
                s->persisted_seq = newest;
        }
        if (t->changed_seq > s->hooked_seq) {
            s->hooked_seq = t->changed_seq;
            ss_hooks_changed(ss->hooks, t, ss->hostname, now);
        }
    }
    if (ss->publish)
        ss_publish_tick(ss->publish, now);
}

/* ---- listener ------------------------------------------------------------------ */

static void on_accept(int fd, unsigned events, void *arg)
{
    struct ss_service *ss = arg;
    for (int i = 0; i < 16; i++) {
        struct sockaddr_in6 a;
        socklen_t al = sizeof a;
        int c = accept4(fd, (struct sockaddr *)&a, &al, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (c < 0)
            return;
        struct ss_counters *k = ss_store_counters(ss->st);
        if (ss->nconns >= ss->cfg.max_conns) {
            k->conns_refused++;
            ss_note(k->conns_refused, "%u connections open; refusing more", ss->nconns);
            close(c);
            continue;
        }
        k->conns_accepted++;
        struct conn_ctx *cc = calloc(1, sizeof *cc);
        if (!cc) {
            close(c);
            continue;
        }
        cc->ss = ss;
        if (!ss_addr_is_loopback(&a)) {
            struct sockaddr_in6 key = a; /* the peer's server listens on our port */
            key.sin6_port = htons(ss->cfg.port);
            key.sin6_flowinfo = 0;
            cc->peer = ss_service_peer(ss, &key);
        }
        struct ss_conn *conn = ss_conn_serve(&ss->cp, c, &a);
        if (!conn) {
            free(cc);
            continue;
        }
        track(ss, cc, conn);
        ss->nconns++;
    }
}

static int open_listener(struct ss_service *ss)
{
    struct sockaddr_in6 a;
    if (ss_parse_addr(ss->cfg.listen_addr, ss->cfg.port, &a) < 0) {
        log_err("listen address '%s' is not an IP address", ss->cfg.listen_addr);
        return -1;
    }
    int fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1, zero = 0;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 64) < 0) {
        log_err("cannot listen on [%s]:%u: %s", ss->cfg.listen_addr, ss->cfg.port, strerror(errno));
        close(fd);
        return -1;
    }
    if (lime_loop_add_fd(ss->loop, fd, LIME_EV_READ, on_accept, ss) < 0) {
        close(fd);
        return -1;
    }
    ss->listen_fd = fd;
    return 0;
}

static int read_key(struct ss_service *ss, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        log_err("%s: cannot read the community key: %s", path, strerror(errno));
        return -1;
    }
    char buf[1024];
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        n--;
    if (n <= 0) {
        log_err("%s:1: expected a non-empty community key", path);
        return -1;
    }
    ss->key = malloc((size_t)n);
    if (!ss->key)
        return -1;
    memcpy(ss->key, buf, (size_t)n);
    ss->keylen = (size_t)n;
    return 0;
}

struct ss_service *ss_service_start(struct lime_loop *loop, const struct ss_config *cfg)
{
    struct ss_service *ss = calloc(1, sizeof *ss);
    if (!ss)
        return NULL;
    ss->loop = loop;
    ss->cfg = *cfg;
    ss->listen_fd = -1;
    if (cfg->hostname)
        snprintf(ss->hostname, sizeof ss->hostname, "%s", cfg->hostname);
    else if (gethostname(ss->hostname, sizeof ss->hostname - 1) < 0)
        snprintf(ss->hostname, sizeof ss->hostname, "lime");
    srand((unsigned)getpid() ^ (unsigned)lime_now_ms());
    ss->st = ss_store_new(ss->hostname, &cfg->limits);
    if (!ss->st)
        goto fail;
    if (!cfg->no_default_types)
        for (size_t i = 0; i < sizeof default_types / sizeof *default_types; i++)
            ss_store_register(ss->st, default_types[i].name, "community", default_types[i].ttl,
                              default_types[i].interval);
    if (cfg->uci_types && access(cfg->uci_types, R_OK) == 0)
        ss_load_uci_types(cfg->uci_types, ss->st);
    if (cfg->key_file && read_key(ss, cfg->key_file) < 0)
        goto fail;
    ss->cp = (struct ss_conn_params){.loop = loop, .ops = &conn_ops, .ctx = ss,
                                     .timeout_ms = cfg->timeout_ms,
                                     .max_json = ss_store_limits(ss->st)->max_message_bytes};
    if (cfg->state_dir) {
        int n = ss_persist_load(cfg->state_dir, ss->st, lime_now_ms());
        if (n > 0)
            log_info("reloaded %d entries from %s", n, cfg->state_dir);
    }
    if (ss_service_ensure_sched(ss) < 0)
        goto fail;
    for (size_t i = 0; i < ss->nsched; i++) {
        ss->sched[i]->persisted_seq = ss_store_seq(ss->st);
        arm_periodic(ss, i);
    }
    if (cfg->listen_addr && open_listener(ss) < 0)
        goto fail;
    struct ss_hooks_config hc = {cfg->hooks_dir, cfg->dhcp_hostsfile, cfg->addn_hosts,
                                 cfg->dnsmasq_pidfile, cfg->servers_file};
    ss->hooks = ss_hooks_new(loop, &hc, ss_store_counters(ss->st));
    struct ss_discover_config dc = {.hostname = ss->hostname, .ifaces = cfg->ifaces,
                                    .nifaces = cfg->nifaces, .peers = cfg->peers,
                                    .npeers = cfg->npeers, .port = cfg->port,
                                    .hello_ms = cfg->hello_ms, .babel = cfg->babel,
                                    .babeld_port = cfg->babeld_port,
                                    .babeld_socket = cfg->babeld_socket,
                                    .batadv_if = cfg->batadv_if,
                                    .batman = cfg->batman, .batd_ctl = cfg->batd_ctl};
    ss->disc = ss_discover_start(loop, &dc, on_new_neighbour, ss);
    if (!ss->hooks || !ss->disc)
        goto fail;
    if (cfg->control_path) {
        ss->control = ss_control_start(loop, cfg->control_path, ss);
        if (!ss->control)
            goto fail;
    }
    ss->publish = ss_publish_new(ss, cfg);
    ss->housekeep = lime_timer_add(loop, HOUSEKEEP_MS, housekeep, ss);
    log_info("shared-state: %s, %zu types, port %u%s", ss->hostname,
             ss_store_type_count(ss->st), cfg->port, ss->key ? ", community key set" : "");
    return ss;
fail:
    ss_service_stop(ss);
    return NULL;
}

void ss_service_stop(struct ss_service *ss)
{
    if (!ss)
        return;
    ss->stopping = true;
    while (ss->conns) /* on_done unlinks and frees the context */
        ss_conn_abort(ss->conns->conn);
    if (ss->st && ss->cfg.state_dir) {
        uint64_t now = lime_now_ms();
        ss_store_bleach(ss->st, now);
        ss_persist_save_types(ss->cfg.state_dir, ss->st);
        for (size_t i = 0; i < ss_store_type_count(ss->st); i++) {
            struct ss_type *t = ss_store_type_at(ss->st, i);
            if (i >= ss->nsched || t->n || ss_store_seq(ss->st) > ss->sched[i]->persisted_seq)
                ss_persist_save_type(ss->cfg.state_dir, t, now);
        }
    }
    ss_publish_free(ss->publish);
    ss_control_stop(ss->control);
    ss_discover_stop(ss->disc);
    ss_hooks_free(ss->hooks);
    lime_timer_cancel(ss->loop, ss->housekeep);
    for (size_t i = 0; i < ss->nsched; i++) {
        lime_timer_cancel(ss->loop, ss->sched[i]->periodic);
        lime_timer_cancel(ss->loop, ss->sched[i]->change);
        free(ss->sched[i]);
    }
    if (ss->listen_fd >= 0) {
        lime_loop_del_fd(ss->loop, ss->listen_fd);
        close(ss->listen_fd);
    }
    while (ss->peers) {
        struct peer *p = ss->peers;
        ss->peers = p->next;
        ss_peer_cancel_retries(ss, p);
        free(p->types);
        free(p);
    }
    free(ss->sched);
    free(ss->key);
    ss_store_free(ss->st);
    free(ss);
}
