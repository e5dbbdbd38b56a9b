/* GET /metrics: Prometheus text exposition (format 0.0.4) of what limed can state
 * honestly: babel neighbours and their link costs, routes and gateways, known nodes,
 * interface traffic counters, DHCP clients (dnsmasq lease file), and limed's own
 * HTTP/RPC counters. */
#ifndef LD_METRICS_H
#define LD_METRICS_H

struct ld_ctx;

/* Returns the malloc'd exposition text. */
char *ld_metrics_render(struct ld_ctx *ctx);
/* DHCP clients of this node: lines of the dnsmasq lease file (lime-apply's, else
 * upstream's /tmp/dhcp.leases); -1 when there is none. */
int ld_metrics_clients(struct ld_ctx *ctx);

#endif
