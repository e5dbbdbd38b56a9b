/* The babeld seam: one asynchronous client of babeld's local socket (the unix local-path,
 * read-only, or the TCP local-port on ::1), shared by every reader of babeld's state:
 * limed (neighbours, routes, gateways, /metrics) and shared-state (discovery of
 * neighbours, the babeld-hosts and babel_links_info publishers).
 *
 * The client connects, sends "monitor" and keeps babeld's state current from the lines
 * babeld then pushes (babeld's local.c: after the "BABEL 1.0 … my-id … ok" banner, one
 * "add interface|neighbour|xroute|route KEY k v …" line per object, "ok", then "add",
 * "change" and "flush" lines as objects appear, change and go). It never blocks: the
 * socket is non-blocking on the loop; when babeld is absent or goes away the state is
 * empty (ok = false) and the client connects again every second. */
#ifndef LIME_BABEL_H
#define LIME_BABEL_H

#include <stdbool.h>
#include <stdint.h>

struct lime_loop;

#define LIME_BABEL_MAX_NEIGH 64
#define LIME_BABEL_MAX_ROUTES 512
#define LIME_BABEL_MAX_XROUTES 64

struct lime_babel_neigh {
    char key[40];         /* babeld's own handle of the object */
    char address[64], iface[32];
    unsigned reach;       /* 16-bit hello history */
    int rxcost, txcost, cost;
};

struct lime_babel_route {
    char key[40];
    char prefix[64], from[64], id[32], via[64], iface[32];
    bool installed;
    int metric, refmetric;
};

struct lime_babel_xroute { /* a prefix this node exports */
    char key[136];
    char prefix[64];
};

struct lime_babel_state {
    bool ok; /* connected and babeld's first full answer is in */
    char my_id[32];
    struct lime_babel_neigh neigh[LIME_BABEL_MAX_NEIGH];
    int n_neigh;
    struct lime_babel_route route[LIME_BABEL_MAX_ROUTES];
    int n_route;
    struct lime_babel_xroute xroute[LIME_BABEL_MAX_XROUTES];
    int n_xroute;
};

/* ---- babeld's state (pure functions, for the client and for tests) ---- */

/* Applies one line of the local protocol to s: "my-id ID", and
 * "add|change|flush neighbour|route|xroute KEY key value …" (an add or change replaces
 * the object with the same KEY, a flush removes it). Other lines are ignored. */
void lime_babel_apply_line(struct lime_babel_state *s, const char *line);
/* Link quality 0..100 from a neighbour's cost: the interface's nominal cost (96 wired,
 * 256 wireless) is 100, twice that 50, unreachable 0. */
int lime_babel_quality(const struct lime_babel_neigh *n);
/* The installed route for prefix (e.g. "0.0.0.0/0"), NULL if none. */
const struct lime_babel_route *lime_babel_installed(const struct lime_babel_state *s,
                                                    const char *prefix);
/* The IPv4 host route (/32) announced by router id, i.e. that node's main address. */
const struct lime_babel_route *lime_babel_host_route(const struct lime_babel_state *s,
                                                     const char *id);
/* The router id of the neighbour with link-local address addr ("" if unknown). */
const char *lime_babel_neigh_id(const struct lime_babel_state *s, const char *addr);
/* Does this node export a default route (xroute 0.0.0.0/0 or ::/0)? */
bool lime_babel_exports_default(const struct lime_babel_state *s);

/* ---- the client ---- */

struct lime_babel;

/* A client of babeld's unix local-path socket (path), or, with path NULL, of its TCP
 * local-port on [::1]:port. It connects at once and keeps reconnecting; NULL only
 * without memory. */
struct lime_babel *lime_babel_open(struct lime_loop *loop, const char *path, uint16_t port);
void lime_babel_close(struct lime_babel *c);
/* babeld's current state; never NULL (ok = false while babeld does not answer). */
const struct lime_babel_state *lime_babel_state(const struct lime_babel *c);
/* cb(arg) runs after babeld's state changed (lines applied, babeld answered, babeld
 * went away); at most 8 listeners. 0 or -ENOSPC. */
int lime_babel_listen(struct lime_babel *c, void (*cb)(void *arg), void *arg);
void lime_babel_unlisten(struct lime_babel *c, void (*cb)(void *arg), void *arg);

#endif
