/* The internet-gateway watcher: announces this node as a gateway while its WAN reaches
 * the internet (babeld-auto-gw-mode done inside limed). Whether the node is a gateway at
 * all is core/uplink.h's answer.
 *
 * On a node with a WAN, the watcher checks every interval whether the internet answers
 * through the WAN (an HTTP GET of check_url sent out of the WAN device, fetch.h, whose
 * body must be "success", as upstream's check-internet). While it does, the node holds
 *     default via <wan gateway> dev <wan> proto 7 metric 10
 * which babeld (filters `redistribute ip 0.0.0.0/0 le 0 proto 7 allow`) announces into the
 * mesh. After `fails` consecutive failed checks (a failure is re-checked after 1 s rather
 * than a whole interval) the route is deleted (the announcement is withdrawn) and the
 * WAN's own default route is demoted to metric 84831 so that a babel default via another
 * gateway wins on this node too; after `oks` passing checks both are undone. Settings
 * come from the gateway file lime-apply writes (ROOT/var/run/lime/gateway):
 *     key=value lines: wan, check_url, interval_ms, timeout_ms, fails, oks
 * No wan key → the watcher is idle. Routes are read and changed through the kernel seam
 * (core/nl.h). */
#ifndef LD_GATEWAY_H
#define LD_GATEWAY_H

#include <stdbool.h>

struct ld_ctx;
struct lime_loop;
struct ld_gateway;


struct ld_gateway *ld_gateway_new(struct lime_loop *loop);
/* Withdraws the announcement (deletes our proto-7 route, restores the demoted one). */
void ld_gateway_free(struct ld_gateway *gw);

/* (Re)reads the gateway file and restarts checking. Missing file = idle. 0 or -1. */
int ld_gateway_load(struct ld_gateway *gw, const char *gateway_path);

/* true while the last verdict is "internet reachable" and the default is announced. */
bool ld_gateway_online(const struct ld_gateway *gw);
/* Number of checks done, for /metrics and tests. */
unsigned ld_gateway_checks(const struct ld_gateway *gw);
/* The WAN's IPv4 next hop as text ("" when there is no WAN default route). */
const char *ld_gateway_wan_gateway(const struct ld_gateway *gw);
/* The WAN device name ("" when the watcher is idle). */
const char *ld_gateway_wan(const struct ld_gateway *gw);
/* Counters for /metrics. */
struct ld_gateway_stats {
    unsigned withdrawals;   /* times the default was withdrawn after being announced */
    unsigned suppressions;  /* times flap dampening held the uplink down */
    bool suppressed;        /* held down right now */
    unsigned probes, probe_replies;
};
void ld_gateway_stats(const struct ld_gateway *gw, struct ld_gateway_stats *out);

/* limed's watcher (main.c's module table): ld_gateway_init creates it from
 * ROOT/var/run/lime/gateway, ld_gateway_stop withdraws the announcement and frees it,
 * ld_gateway_reload re-reads the file (SIGHUP, through the supervisor's reload hook).
 * ld_gateway_current() is the running watcher or NULL. */
int ld_gateway_init(struct ld_ctx *ctx);
void ld_gateway_stop(struct ld_ctx *ctx);
void ld_gateway_reload(void);
struct ld_gateway *ld_gateway_current(void);

#endif
