/* Neighbour discovery (see discover.h). */
#include "discover.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "babel.h"
#include "batman.h"
#include "conn.h"
#include "log.h"
#include "loop.h"

#define MAX_NEIGH 256
#define HELLO_GROUP "ff12::bee"
#define POLL_MS 10000

struct ss_discover;

enum source { SRC_STATIC = 1, SRC_HELLO = 2, SRC_BABELD = 4, SRC_BATD = 8 };

struct neigh {
    struct sockaddr_in6 addr;
    unsigned sources;
    uint64_t hello_until, babeld_until, batd_until;
};

struct ss_discover {
    struct lime_loop *loop;
    struct ss_discover_config cfg;
    ss_neighbour_cb on_new;
    void *arg;
    struct neigh neigh[MAX_NEIGH];
    size_t n;
    int udp;
    unsigned ifindex[32];
    size_t nif;
    struct lime_timer *hello_timer, *poll_timer;
    struct lime_babel *babel; /* cfg.babel, or our own client */
    bool own_babel;
    struct lime_batman *batman; /* cfg.batman, or our own client */
    bool own_batman;
    char *last_batd; /* the latest neighbour table, for publishers */
};

static bool same_addr(const struct sockaddr_in6 *a, const struct sockaddr_in6 *b)
{
    return memcmp(&a->sin6_addr, &b->sin6_addr, sizeof a->sin6_addr) == 0 &&
           a->sin6_port == b->sin6_port &&
           (!IN6_IS_ADDR_LINKLOCAL(&a->sin6_addr) || a->sin6_scope_id == b->sin6_scope_id);
}

static void seen(struct ss_discover *d, const struct sockaddr_in6 *a, enum source src,
                 uint64_t until)
{
    struct sockaddr_in6 x = *a;
    if (!x.sin6_port)
        x.sin6_port = htons(d->cfg.port);
    x.sin6_flowinfo = 0;
    for (size_t i = 0; i < d->n; i++) {
        struct neigh *nb = &d->neigh[i];
        if (!same_addr(&nb->addr, &x))
            continue;
        nb->sources |= src;
        if (src == SRC_HELLO)
            nb->hello_until = until;
        else if (src == SRC_BABELD)
            nb->babeld_until = until;
        else if (src == SRC_BATD)
            nb->batd_until = until;
        return;
    }
    if (d->n == MAX_NEIGH)
        return;
    struct neigh *nb = &d->neigh[d->n++];
    memset(nb, 0, sizeof *nb);
    nb->addr = x;
    nb->sources = src;
    nb->hello_until = src == SRC_HELLO ? until : 0;
    nb->babeld_until = src == SRC_BABELD ? until : 0;
    nb->batd_until = src == SRC_BATD ? until : 0;
    d->on_new(d->arg, &nb->addr);
}

static void expire(struct ss_discover *d)
{
    uint64_t now = lime_now_ms();
    size_t w = 0;
    for (size_t i = 0; i < d->n; i++) {
        struct neigh *nb = &d->neigh[i];
        if ((nb->sources & SRC_HELLO) && nb->hello_until <= now)
            nb->sources &= ~(unsigned)SRC_HELLO;
        if ((nb->sources & SRC_BABELD) && nb->babeld_until <= now)
            nb->sources &= ~(unsigned)SRC_BABELD;
        if ((nb->sources & SRC_BATD) && nb->batd_until <= now)
            nb->sources &= ~(unsigned)SRC_BATD;
        if (nb->sources)
            d->neigh[w++] = *nb;
    }
    d->n = w;
}

const struct lime_babel_state *ss_discover_babeld(struct ss_discover *d)
{
    const struct lime_babel_state *b = d && d->babel ? lime_babel_state(d->babel) : NULL;
    return b && b->ok ? b : NULL;
}

const char *ss_discover_batd_neighbours(struct ss_discover *d) { return d ? d->last_batd : NULL; }

size_t ss_discover_list(struct ss_discover *d, struct sockaddr_in6 *out, size_t max)
{
    if (!d)
        return 0;
    expire(d);
    for (size_t i = 0; i < d->n && i < max; i++)
        out[i] = d->neigh[i].addr;
    return d->n;
}

/* ---- multicast hellos ------------------------------------------------------------ */

static void send_hellos(void *arg)
{
    struct ss_discover *d = arg;
    d->hello_timer = lime_timer_add(d->loop, d->cfg.hello_ms, send_hellos, d);
    char msg[300];
    int len = snprintf(msg, sizeof msg, "limess 1 %s\n", d->cfg.hostname);
    struct sockaddr_in6 to = {.sin6_family = AF_INET6, .sin6_port = htons(d->cfg.port)};
    inet_pton(AF_INET6, HELLO_GROUP, &to.sin6_addr);
    for (size_t i = 0; i < d->nif; i++) {
        unsigned idx = d->ifindex[i];
        if (!idx) { /* interface may appear later */
            d->ifindex[i] = if_nametoindex(d->cfg.ifaces[i]);
            if (!(idx = d->ifindex[i]))
                continue;
            struct ipv6_mreq m = {.ipv6mr_interface = idx};
            m.ipv6mr_multiaddr = to.sin6_addr;
            setsockopt(d->udp, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m, sizeof m);
        }
        setsockopt(d->udp, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx, sizeof idx);
        to.sin6_scope_id = idx;
        if (sendto(d->udp, msg, (size_t)len, 0, (struct sockaddr *)&to, sizeof to) < 0) {
            if (errno == ENODEV || errno == ENXIO || errno == EINVAL)
                d->ifindex[i] = 0; /* the interface went away: look it up again */
            else if (errno != ENETDOWN && errno != EADDRNOTAVAIL && errno != ENETUNREACH)
                log_debug("hello on %s: %s", d->cfg.ifaces[i], strerror(errno));
        }
    }
}

static void on_hello(int fd, unsigned events, void *arg)
{
    struct ss_discover *d = arg;
    for (int k = 0; k < 64; k++) {
        char buf[512];
        struct sockaddr_in6 from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(fd, buf, sizeof buf - 1, 0, (struct sockaddr *)&from, &fl);
        if (n < 0)
            return;
        buf[n] = 0;
        if (strncmp(buf, "limess 1 ", 9) != 0 || !IN6_IS_ADDR_LINKLOCAL(&from.sin6_addr))
            continue;
        bool ours = false;
        for (size_t i = 0; i < d->nif; i++)
            ours |= d->ifindex[i] == from.sin6_scope_id;
        if (!ours)
            continue;
        seen(d, &from, SRC_HELLO, lime_now_ms() + 3u * d->cfg.hello_ms + 500);
    }
}

static int open_udp(struct ss_discover *d)
{
    int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1, zero = 0, hops = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero, sizeof zero);
    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof hops);
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons(d->cfg.port),
                             .sin6_addr = IN6ADDR_ANY_INIT};
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        log_err("discovery: cannot bind UDP port %u: %s", d->cfg.port, strerror(errno));
        close(fd);
        return -1;
    }
    d->udp = fd;
    return lime_loop_add_fd(d->loop, fd, LIME_EV_READ, on_hello, d);
}

/* ---- babeld ---------------------------------------------------------------------- */

void ss_discover_babeld_neighbours(const struct lime_babel_state *b, uint16_t port,
                                   void (*cb)(void *arg, const struct sockaddr_in6 *a), void *arg)
{
    for (int i = 0; b && i < b->n_neigh; i++) {
        char full[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
        snprintf(full, sizeof full, "%s%%%s", b->neigh[i].address, b->neigh[i].iface);
        struct sockaddr_in6 a;
        if (ss_parse_addr(full, port, &a) == 0)
            cb(arg, &a);
    }
}

static void babeld_seen(void *arg, const struct sockaddr_in6 *a)
{
    struct ss_discover *d = arg;
    seen(d, a, SRC_BABELD, lime_now_ms() + 3u * POLL_MS);
}

/* babeld's state changed: a new neighbour is a neighbour at once. */
static void babeld_changed(void *arg)
{
    struct ss_discover *d = arg;
    ss_discover_babeld_neighbours(ss_discover_babeld(d), d->cfg.port, babeld_seen, d);
}

static void batd_neighbours(struct json_object *arr, uint16_t port,
                            void (*cb)(void *arg, const struct sockaddr_in6 *a), void *arg)
{
    for (size_t i = 0; json_object_is_type(arr, json_type_array) &&
                       i < json_object_array_length(arr); i++) {
        struct json_object *el = json_object_array_get_idx(arr, i), *mac, *ifn;
        if (!json_object_object_get_ex(el, "neigh_address", &mac) ||
            !json_object_object_get_ex(el, "hard_ifname", &ifn))
            continue;
        unsigned idx = if_nametoindex(json_object_get_string(ifn));
        struct sockaddr_in6 a;
        if (idx && ss_eui64_ll(json_object_get_string(mac), idx, port, &a) == 0)
            cb(arg, &a);
    }
}

void ss_discover_parse_batd(const char *json, uint16_t port,
                            void (*cb)(void *arg, const struct sockaddr_in6 *a), void *arg)
{
    struct json_object *arr = json_tokener_parse(json);
    batd_neighbours(arr, port, cb, arg);
    json_object_put(arr);
}

static void batd_seen(void *arg, const struct sockaddr_in6 *a)
{
    struct ss_discover *d = arg;
    seen(d, a, SRC_BATD, lime_now_ms() + 3u * POLL_MS);
}

/* batman-adv answered its neighbour table. */
static void batman_answered(void *arg, enum lime_batman_table t)
{
    struct ss_discover *d = arg;
    if (t != LIME_BATMAN_NEIGHBOURS)
        return;
    struct json_object *arr = lime_batman_latest(d->batman, t);
    if (!arr)
        return; /* keep the last answer for the publishers */
    free(d->last_batd);
    d->last_batd = strdup(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN));
    batd_neighbours(arr, d->cfg.port, batd_seen, d);
    json_object_put(arr);
}

static void poll_sources(void *arg)
{
    struct ss_discover *d = arg;
    d->poll_timer = lime_timer_add(d->loop, POLL_MS, poll_sources, d);
    if (d->babel)
        ss_discover_babeld_neighbours(ss_discover_babeld(d), d->cfg.port, babeld_seen, d);
    lime_batman_refresh(d->batman, LIME_BATMAN_NEIGHBOURS);
}

int ss_eui64_ll(const char *mac, unsigned ifindex, uint16_t port, struct sockaddr_in6 *out)
{
    unsigned b[6];
    char tail;
    if (sscanf(mac, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
               &tail) != 6)
        return -1;
    memset(out, 0, sizeof *out);
    out->sin6_family = AF_INET6;
    out->sin6_port = htons(port);
    out->sin6_scope_id = ifindex;
    uint8_t *a = out->sin6_addr.s6_addr;
    a[0] = 0xfe;
    a[1] = 0x80;
    a[8] = (uint8_t)(b[0] ^ 0x02);
    a[9] = (uint8_t)b[1];
    a[10] = (uint8_t)b[2];
    a[11] = 0xff;
    a[12] = 0xfe;
    a[13] = (uint8_t)b[3];
    a[14] = (uint8_t)b[4];
    a[15] = (uint8_t)b[5];
    return 0;
}

struct ss_discover *ss_discover_start(struct lime_loop *loop, const struct ss_discover_config *cfg,
                                      ss_neighbour_cb on_new, void *arg)
{
    struct ss_discover *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->loop = loop;
    d->cfg = *cfg;
    d->on_new = on_new;
    d->arg = arg;
    d->udp = -1;
    d->batman = cfg->batman;
    if (!d->batman && (cfg->batd_ctl || cfg->batadv_if)) {
        d->batman = lime_batman_open(loop, cfg->batd_ctl, cfg->batadv_if);
        d->own_batman = true;
    }
    if (d->batman)
        lime_batman_listen(d->batman, batman_answered, d);
    d->babel = cfg->babel;
    if (!d->babel && (cfg->babeld_socket || cfg->babeld_port)) {
        d->babel = lime_babel_open(loop, cfg->babeld_socket, cfg->babeld_port);
        d->own_babel = true;
    }
    if (d->babel)
        lime_babel_listen(d->babel, babeld_changed, d);
    if (!d->cfg.hello_ms)
        d->cfg.hello_ms = 2000;
    for (size_t i = 0; i < cfg->npeers; i++) {
        struct sockaddr_in6 a;
        if (ss_parse_addr(cfg->peers[i], cfg->port, &a) < 0) {
            log_warn("peer '%s': expected an IP address (fe80::1%%eth0 or 10.0.0.1); ignored",
                     cfg->peers[i]);
            continue;
        }
        seen(d, &a, SRC_STATIC, 0);
    }
    d->nif = cfg->nifaces < 32 ? cfg->nifaces : 32;
    if (d->nif) {
        if (open_udp(d) < 0) {
            ss_discover_stop(d);
            return NULL;
        }
        send_hellos(d);
    }
    if (d->babel || d->batman)
        poll_sources(d);
    return d;
}

void ss_discover_stop(struct ss_discover *d)
{
    if (!d)
        return;
    lime_batman_unlisten(d->batman, batman_answered, d);
    if (d->own_batman)
        lime_batman_close(d->batman);
    lime_babel_unlisten(d->babel, babeld_changed, d);
    if (d->own_babel)
        lime_babel_close(d->babel);
    lime_timer_cancel(d->loop, d->hello_timer);
    lime_timer_cancel(d->loop, d->poll_timer);
    if (d->udp >= 0) {
        lime_loop_del_fd(d->loop, d->udp);
        close(d->udp);
    }
    free(d->last_batd);
    free(d);
}
