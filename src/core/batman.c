/* The batman seam (batman.h): batd's control socket or the kernel module, asked in the
 * background, answers kept. */
#include "batman.h"

#include "loop.h"
#include "nl.h"

#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#define QUERY_TIMEOUT_MS 3000
#define ANSWER_MAX (1u << 20)
#define INTEREST_MS 30000

static const char *const commands[LIME_BATMAN_TABLES] = {"neighbors", "originators",
                                                         "translocal", "interfaces"};
/* The kernel's table behind each of ours. */
static const enum lime_batadv_table kernel_table[LIME_BATMAN_TABLES] = {
    LIME_BATADV_NEIGHBOURS, LIME_BATADV_ORIGINATORS, LIME_BATADV_TT_LOCAL, LIME_BATADV_HARDIFS};

struct lime_batman;

struct query { /* one question to batd in flight */
    struct lime_batman *c;
    enum lime_batman_table t;
    int fd;
    bool sent;
    struct lime_timer *deadline;
    char *buf;
    size_t len, cap;
};

struct table {
    struct json_object *answer;
    uint64_t at;           /* when it was last answered (0 = never) */
    uint64_t wanted_until; /* a reader wants it fresh until then */
    unsigned max_age_ms;
    struct query q;
};

struct lime_batman {
    struct lime_loop *loop;
    char ctl[108];          /* batd's control socket, or "" */
    char mesh_if[IFNAMSIZ]; /* the kernel's mesh interface, or "" */
    struct lime_nl *nl;
    struct table tables[LIME_BATMAN_TABLES];
    struct lime_timer *tick;
    uint64_t tick_at;
    struct {
        void (*cb)(void *arg, enum lime_batman_table t);
        void *arg;
    } listeners[8];
};

static void notify(struct lime_batman *c, enum lime_batman_table t)
{
    for (size_t i = 0; i < 8; i++)
        if (c->listeners[i].cb)
            c->listeners[i].cb(c->listeners[i].arg, t);
}

/* A new answer (NULL = none) for t. */
static void answered(struct lime_batman *c, enum lime_batman_table t, struct json_object *a)
{
    struct table *tb = &c->tables[t];
    json_object_put(tb->answer);
    tb->answer = a;
    tb->at = lime_now_ms();
    notify(c, t);
}

/* ---------------------------------------------------------------- batd */

static void query_end(struct query *q)
{
    struct lime_batman *c = q->c;
    if (q->fd >= 0) {
        lime_loop_del_fd(c->loop, q->fd);
        close(q->fd);
        q->fd = -1;
    }
    if (q->deadline)
        lime_timer_cancel(c->loop, q->deadline);
    q->deadline = NULL;
    free(q->buf);
    q->buf = NULL;
    q->len = q->cap = 0;
}

static void query_failed(struct query *q)
{
    query_end(q);
    answered(q->c, q->t, NULL);
}

static void on_deadline(void *arg)
{
    struct query *q = arg;
    q->deadline = NULL;
    query_failed(q);
}

static void on_io(int fd, unsigned events, void *arg)
{
    struct query *q = arg;
    (void)events;
    if (!q->sent) {
        char line[32];
        int n = snprintf(line, sizeof(line), "%s json\n", commands[q->t]);
        if (send(fd, line, (size_t)n, MSG_NOSIGNAL) != n) {
            query_failed(q);
            return;
        }
        q->sent = true;
        lime_loop_mod_fd(q->c->loop, fd, LIME_EV_READ);
        return;
    }
    for (;;) {
        if (q->cap - q->len < 4096) {
            if (q->cap >= ANSWER_MAX) {
                query_failed(q);
                return;
            }
            size_t cap = q->cap ? q->cap * 2 : 8192;
            char *b = realloc(q->buf, cap);
            if (!b) {
                query_failed(q);
                return;
            }
            q->buf = b;
            q->cap = cap;
        }
        ssize_t n = read(fd, q->buf + q->len, q->cap - q->len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n < 0) {
            query_failed(q);
            return;
        }
        if (n == 0)
            break;
        q->len += (size_t)n;
    }
    /* EOF: the whole answer. batd says "error: …" for what it cannot answer. */
    struct json_object *a = NULL;
    if (q->len && strncmp(q->buf, "error:", 6)) {
        q->buf[q->len] = 0;
        a = json_tokener_parse(q->buf);
        if (a && !json_object_is_type(a, json_type_array)) {
            json_object_put(a);
            a = NULL;
        }
    }
    struct lime_batman *c = q->c;
    enum lime_batman_table t = q->t;
    query_end(q);
    answered(c, t, a);
}

static void ask_kernel(struct lime_batman *c, enum lime_batman_table t);

static void ask_batd(struct lime_batman *c, enum lime_batman_table t)
{
    struct query *q = &c->tables[t].q;
    if (q->fd >= 0)
        return; /* a question is out */
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof(a.sun_path), "%s", c->ctl);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 && errno != EINPROGRESS) ||
        lime_loop_add_fd(c->loop, fd, LIME_EV_WRITE, on_io, q) < 0) {
        if (fd >= 0)
            close(fd);
        if (c->mesh_if[0])
            ask_kernel(c, t); /* no batd here: the kernel's batman-adv, if it runs */
        else
            answered(c, t, NULL); /* batd is not running */
        return;
    }
    q->fd = fd;
    q->sent = false;
    q->deadline = lime_timer_add(c->loop, QUERY_TIMEOUT_MS, on_deadline, q);
}

/* ---------------------------------------------------------------- the kernel */

static void add_mac(struct json_object *o, const char *key, const uint8_t m[6])
{
    char mac[18];
    snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
    json_object_object_add(o, key, json_object_new_string(mac));
}

static void add_int(struct json_object *o, const char *key, int64_t v)
{
    json_object_object_add(o, key, json_object_new_int64(v));
}

static void add_bool(struct json_object *o, const char *key, bool v)
{
    json_object_object_add(o, key, json_object_new_boolean(v));
}

struct json_object *lime_batman_json(enum lime_batman_table t,
                                     const struct lime_nl_batadv_entry *v, size_t n)
{
    struct json_object *arr = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        const struct lime_nl_batadv_entry *e = &v[i];
        struct json_object *o = json_object_new_object();
        switch (t) {
        case LIME_BATMAN_NEIGHBOURS:
            add_mac(o, "neigh_address", e->addr);
            json_object_object_add(o, "hard_ifname", json_object_new_string(e->hard_ifname));
            add_int(o, "hard_ifindex", e->hard_ifindex);
            add_int(o, "last_seen_msecs", e->last_seen_ms);
            break;
        case LIME_BATMAN_ORIGINATORS:
            add_mac(o, "orig_address", e->addr);
            add_mac(o, "neigh_address", e->neigh);
            json_object_object_add(o, "hard_ifname", json_object_new_string(e->hard_ifname));
            add_int(o, "hard_ifindex", e->hard_ifindex);
            add_int(o, "last_seen_msecs", e->last_seen_ms);
            if (e->tq >= 0)
                add_int(o, "tq", e->tq);
            else
                add_int(o, "throughput", e->throughput);
            add_bool(o, "best", e->best);
            break;
        case LIME_BATMAN_TRANSLOCAL:
            add_mac(o, "client_address", e->addr);
            add_int(o, "vid", e->vid);
            add_int(o, "crc32", e->crc32);
            add_int(o, "last_seen_msecs", e->last_seen_ms);
            add_int(o, "flags", e->tt_flags);
            break;
        case LIME_BATMAN_INTERFACES:
            json_object_object_add(o, "hard_ifname", json_object_new_string(e->hard_ifname));
            add_int(o, "hard_ifindex", e->hard_ifindex);
            add_mac(o, "hard_address", e->addr);
            add_bool(o, "active", e->active);
            break;
        case LIME_BATMAN_TABLES:
            break;
        }
        json_object_array_add(arr, o);
    }
    return arr;
}

/* One local round trip: done at once. */
static void ask_kernel(struct lime_batman *c, enum lime_batman_table t)
{
    struct json_object *a = NULL;
    if (!c->nl)
        c->nl = lime_nl_open();
    int mesh = c->nl ? lime_nl_ifindex(c->nl, c->mesh_if) : 0;
    struct lime_nl_batadv_entry *v;
    size_t n;
    if (mesh && lime_nl_batadv_dump(c->nl, mesh, kernel_table[t], &v, &n) == 0) {
        a = lime_batman_json(t, v, n);
        free(v);
    }
    answered(c, t, a);
}

/* ---------------------------------------------------------------- the client */

void lime_batman_refresh(struct lime_batman *c, enum lime_batman_table t)
{
    if (!c || t >= LIME_BATMAN_TABLES)
        return;
    if (c->ctl[0])
        ask_batd(c, t); /* which asks the kernel when no batd listens */
    else if (c->mesh_if[0])
        ask_kernel(c, t);
}

static void schedule(struct lime_batman *c);

/* Keeps the tables a reader wants fresh. */
static void on_tick(void *arg)
{
    struct lime_batman *c = arg;
    c->tick = NULL;
    uint64_t now = lime_now_ms();
    for (int t = 0; t < LIME_BATMAN_TABLES; t++) {
        struct table *tb = &c->tables[t];
        if (tb->wanted_until > now && now - tb->at >= tb->max_age_ms)
            lime_batman_refresh(c, (enum lime_batman_table)t);
    }
    schedule(c);
}

static void schedule(struct lime_batman *c)
{
    uint64_t now = lime_now_ms();
    unsigned every = 0;
    for (int t = 0; t < LIME_BATMAN_TABLES; t++) {
        const struct table *tb = &c->tables[t];
        if (tb->wanted_until > now && (!every || tb->max_age_ms < every))
            every = tb->max_age_ms;
    }
    if (every < 100 && every)
        every = 100;
    if (!every || (c->tick && c->tick_at <= now + every))
        return;
    if (c->tick)
        lime_timer_cancel(c->loop, c->tick);
    c->tick = lime_timer_add(c->loop, every, on_tick, c);
    c->tick_at = now + every;
}

struct json_object *lime_batman_get(struct lime_batman *c, enum lime_batman_table t,
                                    unsigned max_age_ms)
{
    if (!c || t >= LIME_BATMAN_TABLES)
        return NULL;
    struct table *tb = &c->tables[t];
    uint64_t now = lime_now_ms();
    if (!tb->at || now - tb->at >= max_age_ms)
        lime_batman_refresh(c, t);
    tb->wanted_until = now + INTEREST_MS;
    tb->max_age_ms = max_age_ms ? max_age_ms : 1;
    schedule(c);
    return tb->answer ? json_object_get(tb->answer) : NULL;
}

struct json_object *lime_batman_latest(struct lime_batman *c, enum lime_batman_table t)
{
    if (!c || t >= LIME_BATMAN_TABLES || !c->tables[t].answer)
        return NULL;
    return json_object_get(c->tables[t].answer);
}

int lime_batman_listen(struct lime_batman *c, void (*cb)(void *arg, enum lime_batman_table t),
                       void *arg)
{
    for (size_t i = 0; i < 8; i++)
        if (!c->listeners[i].cb) {
            c->listeners[i].cb = cb;
            c->listeners[i].arg = arg;
            return 0;
        }
    return -ENOSPC;
}

void lime_batman_unlisten(struct lime_batman *c, void (*cb)(void *arg, enum lime_batman_table t),
                          void *arg)
{
    for (size_t i = 0; c && i < 8; i++)
        if (c->listeners[i].cb == cb && c->listeners[i].arg == arg)
            c->listeners[i].cb = NULL;
}

struct lime_batman *lime_batman_open(struct lime_loop *loop, const char *batd_ctl,
                                     const char *mesh_if)
{
    struct lime_batman *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->loop = loop;
    if (batd_ctl && strlen(batd_ctl) < sizeof(c->ctl))
        snprintf(c->ctl, sizeof(c->ctl), "%s", batd_ctl);
    if (mesh_if && strlen(mesh_if) < sizeof(c->mesh_if))
        snprintf(c->mesh_if, sizeof(c->mesh_if), "%s", mesh_if);
    for (int t = 0; t < LIME_BATMAN_TABLES; t++) {
        c->tables[t].q.c = c;
        c->tables[t].q.t = (enum lime_batman_table)t;
        c->tables[t].q.fd = -1;
    }
    for (int t = 0; t < LIME_BATMAN_TABLES; t++)
        lime_batman_refresh(c, (enum lime_batman_table)t);
    return c;
}

void lime_batman_close(struct lime_batman *c)
{
    if (!c)
        return;
    for (int t = 0; t < LIME_BATMAN_TABLES; t++) {
        query_end(&c->tables[t].q);
        json_object_put(c->tables[t].answer);
    }
    if (c->tick)
        lime_timer_cancel(c->loop, c->tick);
    lime_nl_close(c->nl);
    free(c);
}
