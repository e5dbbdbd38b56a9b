/* Reads babeld's state through its local (read-only) socket: the `dump` command gives
 * neighbours, routes and exported routes. Results are cached for a second so a busy UI
 * does not hammer babeld. When babeld is not running the dump is empty (ok = false). */
#ifndef LD_BABEL_H
#define LD_BABEL_H

#include <stdbool.h>

struct ld_ctx;

#define LD_BABEL_MAX_NEIGH 64
#define LD_BABEL_MAX_ROUTES 512

struct ld_babel_neigh {
    char address[64], iface[32];
    unsigned reach;       /* 16-bit hello history */
    int rxcost, txcost, cost;
};

struct ld_babel_route {
    char prefix[64], from[64], id[32], via[64], iface[32];
    bool installed;
    int metric, refmetric;
};

struct ld_babel {
    bool ok;
    char my_id[32];
    struct ld_babel_neigh neigh[LD_BABEL_MAX_NEIGH];
    int n_neigh;
    struct ld_babel_route route[LD_BABEL_MAX_ROUTES];
    int n_route;
    char xroute[64][64]; /* prefixes this node exports */
    int n_xroute;
};

/* The (cached) dump; never NULL. */
const struct ld_babel *ld_babel_get(struct ld_ctx *ctx);
/* Parses one `add ...` line into b (exposed for unit tests). */
void ld_babel_parse_line(struct ld_babel *b, const char *line);
/* Link quality 0..100 from a neighbour's reach bits and cost. */
int ld_babel_quality(const struct ld_babel_neigh *n);
/* The installed route for prefix (e.g. "0.0.0.0/0"), NULL if none. */
const struct ld_babel_route *ld_babel_installed(const struct ld_babel *b, const char *prefix);
/* The IPv4 host route (/32) announced by router id, i.e. that node's main address. */
const struct ld_babel_route *ld_babel_host_route(const struct ld_babel *b, const char *id);
/* Does this node share an internet connection with the mesh? True when babeld exports
 * a default route (xroute 0.0.0.0/0 or ::/0); without babeld, when the kernel has a
 * default route of its own. */
bool ld_babel_self_gateway(struct ld_ctx *ctx, const struct ld_babel *b);
/* The router id of the neighbour with link-local address addr ("" if unknown). */
const char *ld_babel_neigh_id(const struct ld_babel *b, const char *addr);

#endif
