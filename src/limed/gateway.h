/* Internet-gateway watcher (babeld-auto-gw-mode done inside limed).
 *
 * On a node with a WAN, checks every interval whether the internet answers through the
 * WAN (an HTTP GET of check_url, sent out of the WAN device, whose body must contain
 * "success", as upstream's check-internet). While it does, the node holds
 *     default via <wan gateway> dev <wan> proto 7 metric 10
 * which babeld (filters `redistribute ip 0.0.0.0/0 le 0 proto 7 allow`) announces into the
 * mesh. After `fails` consecutive failed checks (a failure is re-checked after 1 s rather
 * than a whole interval) the route is deleted (the announcement is
 * withdrawn) and the WAN's own default route is demoted to metric 84831 so that a babel
 * default via another gateway wins on this node too; after `oks` passing checks both are
 * undone. Settings come from the gateway file lime-apply writes (ROOT/run/lime/gateway):
 *     key=value lines: wan, check_url, interval_ms, timeout_ms, fails, oks
 * No wan key → the watcher is idle. */
#ifndef LR_GATEWAY_H
#define LR_GATEWAY_H

#include <stdbool.h>

struct lime_loop;
struct lr_gateway;

struct lr_gateway *lr_gateway_new(struct lime_loop *loop);
/* Withdraws the announcement (deletes our proto-7 route, restores the demoted one). */
void lr_gateway_free(struct lr_gateway *gw);

/* (Re)reads the gateway file and restarts checking. Missing file = idle. 0 or -1. */
int lr_gateway_load(struct lr_gateway *gw, const char *gateway_path);

/* true while the last verdict is "internet reachable" and the default is announced. */
bool lr_gateway_online(const struct lr_gateway *gw);
/* Number of checks done, for /metrics and tests. */
unsigned lr_gateway_checks(const struct lr_gateway *gw);
/* The WAN's IPv4 next hop as text ("" when there is no WAN default route). */
const char *lr_gateway_wan_gateway(const struct lr_gateway *gw);
/* The WAN device name ("" when the watcher is idle). */
const char *lr_gateway_wan(const struct lr_gateway *gw);

/* ---- limed glue (module table in main.c) ----
 * ld_gateway_init creates the watcher from ROOT/var/run/lime/gateway; ld_gateway_stop
 * withdraws the announcement and frees it; ld_gateway_reload re-reads the file (SIGHUP,
 * called by the supervisor module). ld_gateway_current() is the running watcher or NULL. */
struct ld_ctx;
int ld_gateway_init(struct ld_ctx *ctx);
void ld_gateway_stop(struct ld_ctx *ctx);
void ld_gateway_reload(void);
struct lr_gateway *ld_gateway_current(void);

#endif
