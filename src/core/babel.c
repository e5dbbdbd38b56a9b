/* The babeld seam (babel.h): babeld's state kept current over its local socket. */
#include "babel.h"

#include "log.h"
#include "loop.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define RETRY_MS 1000
#define LINE_MAX_LEN 1024

/* ---------------------------------------------------------------- the state */

/* src into dst (len bytes), cut if longer; always terminated. */
static void copy(char *dst, size_t len, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (n >= len)
        n = len - 1;
    if (n)
        memcpy(dst, src, n);
    dst[n] = 0;
}

/* Index of the object with key in an array of n structs of size bytes whose first
 * member is the key, or -1. */
static int find_key(const void *base, int n, size_t size, const char *key)
{
    for (int i = 0; i < n; i++)
        if (!strcmp((const char *)base + (size_t)i * size, key))
            return i;
    return -1;
}

static void remove_at(void *base, int *n, size_t size, int i)
{
    char *b = base;
    (*n)--;
    if (i != *n)
        memmove(b + (size_t)i * size, b + (size_t)(i + 1) * size, (size_t)(*n - i) * size);
}

static void parse_neigh(struct lime_babel_neigh *x, char **tok, int n)
{
    for (int i = 3; i + 1 < n; i += 2) {
        const char *k = tok[i], *v = tok[i + 1];
        if (!strcmp(k, "address"))
            copy(x->address, sizeof(x->address), v);
        else if (!strcmp(k, "if"))
            copy(x->iface, sizeof(x->iface), v);
        else if (!strcmp(k, "reach"))
            x->reach = (unsigned)strtoul(v, NULL, 16) & 0xffff;
        else if (!strcmp(k, "rxcost"))
            x->rxcost = atoi(v);
        else if (!strcmp(k, "txcost"))
            x->txcost = atoi(v);
        else if (!strcmp(k, "cost"))
            x->cost = atoi(v);
    }
}

static void parse_route(struct lime_babel_route *x, char **tok, int n)
{
    for (int i = 3; i + 1 < n; i += 2) {
        const char *k = tok[i], *v = tok[i + 1];
        if (!strcmp(k, "prefix"))
            copy(x->prefix, sizeof(x->prefix), v);
        else if (!strcmp(k, "from"))
            copy(x->from, sizeof(x->from), v);
        else if (!strcmp(k, "installed"))
            x->installed = !strcmp(v, "yes");
        else if (!strcmp(k, "id"))
            copy(x->id, sizeof(x->id), v);
        else if (!strcmp(k, "metric"))
            x->metric = atoi(v);
        else if (!strcmp(k, "refmetric"))
            x->refmetric = atoi(v);
        else if (!strcmp(k, "via"))
            copy(x->via, sizeof(x->via), v);
        else if (!strcmp(k, "if"))
            copy(x->iface, sizeof(x->iface), v);
    }
}

void lime_babel_apply_line(struct lime_babel_state *s, const char *line)
{
    char buf[LINE_MAX_LEN];
    char *tok[40];
    int n = 0;
    copy(buf, sizeof(buf), line);
    for (char *save, *t = strtok_r(buf, " \t\r\n", &save); t && n < 40;
         t = strtok_r(NULL, " \t\r\n", &save))
        tok[n++] = t;
    if (n >= 2 && !strcmp(tok[0], "my-id")) {
        copy(s->my_id, sizeof(s->my_id), tok[1]);
        return;
    }
    if (n < 3)
        return;
    bool flush = !strcmp(tok[0], "flush");
    if (!flush && strcmp(tok[0], "add") && strcmp(tok[0], "change"))
        return;
    const char *what = tok[1];
    char key[sizeof(s->xroute[0].key)]; /* a key too long for its field is cut, also here */
    if (!strcmp(what, "neighbour")) {
        copy(key, sizeof(s->neigh[0].key), tok[2]);
        int i = find_key(s->neigh, s->n_neigh, sizeof(s->neigh[0]), key);
        if (flush) {
            if (i >= 0)
                remove_at(s->neigh, &s->n_neigh, sizeof(s->neigh[0]), i);
            return;
        }
        struct lime_babel_neigh x = {0};
        copy(x.key, sizeof(x.key), key);
        parse_neigh(&x, tok, n);
        if (!x.address[0])
            return;
        if (i < 0 && s->n_neigh < LIME_BABEL_MAX_NEIGH)
            i = s->n_neigh++;
        if (i >= 0)
            s->neigh[i] = x;
    } else if (!strcmp(what, "route")) {
        copy(key, sizeof(s->route[0].key), tok[2]);
        int i = find_key(s->route, s->n_route, sizeof(s->route[0]), key);
        if (flush) {
            if (i >= 0)
                remove_at(s->route, &s->n_route, sizeof(s->route[0]), i);
            return;
        }
        struct lime_babel_route x = {0};
        copy(x.key, sizeof(x.key), key);
        parse_route(&x, tok, n);
        if (!x.prefix[0])
            return;
        if (i < 0 && s->n_route < LIME_BABEL_MAX_ROUTES)
            i = s->n_route++;
        if (i >= 0)
            s->route[i] = x;
    } else if (!strcmp(what, "xroute")) {
        copy(key, sizeof(s->xroute[0].key), tok[2]);
        int i = find_key(s->xroute, s->n_xroute, sizeof(s->xroute[0]), key);
        if (flush) {
            if (i >= 0)
                remove_at(s->xroute, &s->n_xroute, sizeof(s->xroute[0]), i);
            return;
        }
        struct lime_babel_xroute x = {0};
        copy(x.key, sizeof(x.key), key);
        for (int k = 3; k + 1 < n; k += 2)
            if (!strcmp(tok[k], "prefix"))
                copy(x.prefix, sizeof(x.prefix), tok[k + 1]);
        if (!x.prefix[0])
            return;
        if (i < 0 && s->n_xroute < LIME_BABEL_MAX_XROUTES)
            i = s->n_xroute++;
        if (i >= 0)
            s->xroute[i] = x;
    }
}

/* From babeld's own link cost: a perfect link costs the interface's nominal cost (96 on
 * "wired" interfaces, 256 on "wireless" ones, where the cost is the ETX scaled by 256);
 * a worse link costs proportionally more; 0xFFFF is unreachable. The reach bits are not
 * used: they only say how long the neighbour has been heard. */
int lime_babel_quality(const struct lime_babel_neigh *n)
{
    if (n->cost <= 0 || n->cost >= 0xffff)
        return 0;
    int nominal = (n->rxcost >= 256 || n->cost >= 256) ? 256 : 96;
    int q = 100 * nominal / n->cost;
    return q > 100 ? 100 : q;
}

const struct lime_babel_route *lime_babel_installed(const struct lime_babel_state *s,
                                                    const char *prefix)
{
    for (int i = 0; i < s->n_route; i++)
        if (s->route[i].installed && !strcmp(s->route[i].prefix, prefix))
            return &s->route[i];
    return NULL;
}

const struct lime_babel_route *lime_babel_host_route(const struct lime_babel_state *s,
                                                     const char *id)
{
    const struct lime_babel_route *best = NULL;
    for (int i = 0; i < s->n_route; i++) {
        const struct lime_babel_route *r = &s->route[i];
        size_t pl = strlen(r->prefix);
        if (strcmp(r->id, id) || pl < 3 || strcmp(r->prefix + pl - 3, "/32") ||
            !strchr(r->prefix, '.'))
            continue;
        if (!best || (r->installed && !best->installed))
            best = r;
    }
    return best;
}

const char *lime_babel_neigh_id(const struct lime_babel_state *s, const char *addr)
{
    /* The neighbour's own announcements are the routes with refmetric 0 via it. */
    for (int i = 0; i < s->n_route; i++)
        if (!strcmp(s->route[i].via, addr) && s->route[i].refmetric == 0)
            return s->route[i].id;
    return "";
}

bool lime_babel_exports_default(const struct lime_babel_state *s)
{
    for (int i = 0; i < s->n_xroute; i++)
        if (!strcmp(s->xroute[i].prefix, "0.0.0.0/0") || !strcmp(s->xroute[i].prefix, "::/0"))
            return true;
    return false;
}

/* ---------------------------------------------------------------- the client */

struct lime_babel {
    struct lime_loop *loop;
    char path[108];
    uint16_t port;
    int fd;
    bool connected, sent, banner_done;
    struct lime_timer *retry;
    char buf[8192];
    size_t len;
    struct {
        void (*cb)(void *arg);
        void *arg;
    } listeners[8];
    bool changed;
    struct lime_babel_state state; /* what readers see */
    struct lime_babel_state next;  /* filled by the first full answer after a connect */
};

static void try_connect(void *arg);

/* The state's tables are sized for the largest mesh (~180 KiB each, two of them) but read
 * only up to their counts: emptying and copying touch only what is used, so a small mesh
 * keeps the rest of them unwritten, never resident (calloc'd memory of that size comes
 * straight from mmap, zero pages until written). A whole-struct memset or copy made all
 * 364 KiB resident in every limed. */
static void state_empty(struct lime_babel_state *s)
{
    s->ok = false;
    s->my_id[0] = 0;
    s->n_neigh = s->n_route = s->n_xroute = 0;
}

static void state_copy(struct lime_babel_state *to, const struct lime_babel_state *from)
{
    to->ok = from->ok;
    memcpy(to->my_id, from->my_id, sizeof(to->my_id));
    to->n_neigh = from->n_neigh;
    memcpy(to->neigh, from->neigh, (size_t)from->n_neigh * sizeof(from->neigh[0]));
    to->n_route = from->n_route;
    memcpy(to->route, from->route, (size_t)from->n_route * sizeof(from->route[0]));
    to->n_xroute = from->n_xroute;
    memcpy(to->xroute, from->xroute, (size_t)from->n_xroute * sizeof(from->xroute[0]));
}

static void notify(struct lime_babel *c)
{
    if (!c->changed)
        return;
    c->changed = false;
    for (size_t i = 0; i < 8; i++)
        if (c->listeners[i].cb)
            c->listeners[i].cb(c->listeners[i].arg);
}

static void disconnect(struct lime_babel *c, bool retry)
{
    if (c->fd >= 0) {
        lime_loop_del_fd(c->loop, c->fd);
        close(c->fd);
        c->fd = -1;
    }
    if (c->state.ok) {
        log_debug("babeld: connection lost");
        c->changed = true;
    }
    state_empty(&c->state);
    c->connected = c->sent = c->banner_done = false;
    c->len = 0;
    if (retry && !c->retry)
        c->retry = lime_timer_add(c->loop, RETRY_MS, try_connect, c);
}

/* One complete line from babeld. */
static void on_line(struct lime_babel *c, const char *line)
{
    if (!strcmp(line, "bad") || (!strncmp(line, "no", 2) && (!line[2] || line[2] == ' '))) {
        disconnect(c, true);
        return;
    }
    if (!strcmp(line, "ok")) {
        if (!c->banner_done) { /* the banner: ask for everything and then the changes */
            c->banner_done = true;
            if (send(c->fd, "monitor\n", 8, MSG_NOSIGNAL) != 8)
                disconnect(c, true);
            return;
        }
        if (!c->state.ok) { /* the full answer to "monitor" is in */
            state_copy(&c->state, &c->next);
            c->state.ok = true;
            c->changed = true;
        }
        return;
    }
    lime_babel_apply_line(c->state.ok ? &c->state : &c->next, line);
    c->changed |= c->state.ok;
}

static void on_io(int fd, unsigned events, void *arg)
{
    struct lime_babel *c = arg;
    if (!c->connected) {
        int err = 0;
        socklen_t l = sizeof(err);
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l);
        if (err) {
            disconnect(c, true);
            notify(c);
            return;
        }
        c->connected = true;
        lime_loop_mod_fd(c->loop, fd, LIME_EV_READ);
        return;
    }
    (void)events;
    for (;;) {
        ssize_t n = read(fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            break;
        if (n <= 0) {
            disconnect(c, true);
            break;
        }
        c->len += (size_t)n;
        c->buf[c->len] = 0;
        char *line = c->buf, *nl;
        while ((nl = strchr(line, '\n'))) {
            *nl = 0;
            on_line(c, line);
            if (c->fd < 0)
                break; /* on_line gave up on the connection */
            line = nl + 1;
        }
        if (c->fd < 0)
            break;
        c->len = strlen(line);
        memmove(c->buf, line, c->len + 1);
        if (c->len == sizeof(c->buf) - 1)
            c->len = 0; /* an absurdly long line: drop it */
    }
    notify(c);
}

static void try_connect(void *arg)
{
    struct lime_babel *c = arg;
    c->retry = NULL;
    state_empty(&c->next);
    int fd, r;
    if (c->path[0]) {
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        snprintf(a.sun_path, sizeof(a.sun_path), "%s", c->path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        r = fd < 0 ? -1 : connect(fd, (struct sockaddr *)&a, sizeof(a));
    } else {
        struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons(c->port),
                                 .sin6_addr = IN6ADDR_LOOPBACK_INIT};
        fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        r = fd < 0 ? -1 : connect(fd, (struct sockaddr *)&a, sizeof(a));
    }
    if (fd >= 0 && (r == 0 || errno == EINPROGRESS) &&
        lime_loop_add_fd(c->loop, fd, LIME_EV_WRITE, on_io, c) == 0) {
        c->fd = fd;
        return;
    }
    if (fd >= 0)
        close(fd);
    disconnect(c, true);
}

struct lime_babel *lime_babel_open(struct lime_loop *loop, const char *path, uint16_t port)
{
    struct lime_babel *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->loop = loop;
    c->fd = -1;
    c->port = port;
    if (path) {
        if (strlen(path) >= sizeof(c->path)) {
            log_warn("babeld socket path too long: %s", path);
        } else {
            snprintf(c->path, sizeof(c->path), "%s", path);
        }
    }
    if (c->path[0] || c->port)
        try_connect(c);
    return c;
}

void lime_babel_close(struct lime_babel *c)
{
    if (!c)
        return;
    disconnect(c, false);
    if (c->retry)
        lime_timer_cancel(c->loop, c->retry);
    free(c);
}

int lime_babel_listen(struct lime_babel *c, void (*cb)(void *arg), void *arg)
{
    for (size_t i = 0; i < 8; i++)
        if (!c->listeners[i].cb) {
            c->listeners[i].cb = cb;
            c->listeners[i].arg = arg;
            return 0;
        }
    return -ENOSPC;
}

void lime_babel_unlisten(struct lime_babel *c, void (*cb)(void *arg), void *arg)
{
    for (size_t i = 0; c && i < 8; i++)
        if (c->listeners[i].cb == cb && c->listeners[i].arg == arg)
            c->listeners[i].cb = NULL;
}

const struct lime_babel_state *lime_babel_state(const struct lime_babel *c)
{
    static const struct lime_babel_state none;
    return c ? &c->state : &none;
}
