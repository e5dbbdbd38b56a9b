/* Every node of the mesh this node has seen, online or gone. A node is a babel router
 * id with its main IPv4 (/32 host route); its hostname is asked from that node's limed
 * (GET /cgi-bin/hostname, as upstream's tools do) or read from shared-state's node_info.
 * The list survives restarts in
 * ROOT/var/lib/limed/nodes.json. Refreshed every 5 s from babeld. */
#ifndef LD_NODES_H
#define LD_NODES_H

#include <json-c/json.h>
#include <stdbool.h>

struct ld_ctx;

int ld_nodes_start(struct ld_ctx *ctx);
void ld_nodes_stop(struct ld_ctx *ctx);
/* Re-reads babeld now. */
void ld_nodes_refresh(struct ld_ctx *ctx);
/* [{hostname, ip, id, online, last_seen (s ago, 0 = now), metric, gateway, via}] */
json_object *ld_nodes_json(struct ld_ctx *ctx);
/* Hostname of the node with main IPv4 ip or router id; NULL if unknown. */
const char *ld_nodes_hostname(struct ld_ctx *ctx, const char *ip_or_id);
/* Number of known nodes and how many are online. */
void ld_nodes_count(int *total, int *online);

#endif
