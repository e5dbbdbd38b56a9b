/* babeld.conf from the plan (spec §2.6 + babeld-auto-gw-mode): the redistribute filters
 * in upstream's order, the babel interfaces (VLAN devices, or the raw links on a kernel
 * without VLANs), a router-id derived from the node's main IPv4, hello/update intervals
 * from the plan's runtime settings, the per-node local socket, and — when the user names
 * a preferred gateway — `in` filters that make every other gateway's default route
 * costlier, so the preferred one wins while it announces and the nearest other one wins
 * when it does not. */
#ifndef LR_BABELD_CONF_H
#define LR_BABELD_CONF_H

#include <stdint.h>

struct plan;
struct lr_daemon_links;
struct lr_paths;

/* Metric added to default routes of gateways other than the preferred one. Babel link
 * costs here are 256 per wireless hop, so this outweighs ~4 hops. */
#define LR_PREFERRED_PENALTY 1024

/* babeld's smoothing-half-life (s). 0 = off: route choices follow the metrics at once. */
#define LR_BABEL_SMOOTHING_HALF_LIFE 0
/* A default route of this kernel protocol is announced with metric 65534, i.e. as
 * unreachable: limed's gateway watcher turns its proto-7 route into one when it
 * withdraws (src/limed/gateway.c says why babeld 1.12.1 needs it). */
#define LR_BABEL_WITHDRAW_PROTO 6

/* babel router-id for a node whose main IPv4 is a.b.c.d: 02:4c:4d:00:a:b:c:d ("LM"). */
void lr_babel_router_id(const uint8_t ipv4[4], char *buf, unsigned len);

/* Resolves the preferred gateway setting (an IPv4 address, or a hostname looked up in
 * ROOT/etc/hosts) to an IPv4 address. 0, or -1 if it does not resolve. */
int lr_resolve_gateway(const char *name, const char *root, uint8_t ipv4[4]);

/* The whole file, malloc'd; NULL on allocation failure. */
char *lr_babeld_conf(const struct plan *p, const struct lr_daemon_links *dl,
                     const struct lr_paths *paths);

#endif
