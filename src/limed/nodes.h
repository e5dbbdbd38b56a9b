/* The mesh's nodes and links as this node knows them, refreshed every 5 s:
 *  - the roster: every other node ever seen (kept in ROOT/var/lib/limed/nodes.json), from
 *    shared-state's node_info (name, main IPv4, cloud, uptime) and from babel's IPv4 /32
 *    routes (router id; then the name is asked from that node's limed, GET
 *    /cgi-bin/hostname);
 *  - the links between nodes and who is reachable: meshgraph.h over shared-state's
 *    babel_links_info / bat_links_info, plus this node's own babel neighbours.
 * A node is online while it is reachable: a path of links that both their ends still
 * report joins it to this node, or babel routes to its /32. Otherwise it is gone
 * (switched off, out of range, or cut off from this part of the mesh). This node itself
 * is never in the roster. */
#ifndef LD_NODES_H
#define LD_NODES_H

#include <json-c/json.h>
#include <stdbool.h>

struct ld_ctx;

int ld_nodes_start(struct ld_ctx *ctx);
void ld_nodes_stop(struct ld_ctx *ctx);
/* Re-reads babeld and shared-state now. */
void ld_nodes_refresh(struct ld_ctx *ctx);
/* The other nodes: [{hostname, ip, id, online, last_seen (s ago, 0 = now), metric, gateway,
 * via, ssid, uptime (s, -1 unknown), hops and cost of the cheapest path (-1 unknown)}] */
json_object *ld_nodes_json(struct ld_ctx *ctx);
/* The whole picture (lime-utils get_mesh): {this_node, ssid, nodes: [{hostname, ip, ssid,
 * self, online, gateway, in_use, uptime, hops, last_seen}] (this node first, then by cloud
 * and name; one entry per name), links: [{a, b, quality, cost, babel, batman}] (a, b:
 * hostnames; every link once), path: [hostnames from the next hop to the gateway in use]
 * (gwpath.h; [] when unknown)}. */
json_object *ld_mesh_json(struct ld_ctx *ctx);
/* Hostname of the node with main IPv4 ip or router id (this node too); NULL if unknown. */
const char *ld_nodes_hostname(struct ld_ctx *ctx, const char *ip_or_id);
/* Main IPv4 of the node named hostname; NULL if unknown. */
const char *ld_nodes_ip(const char *hostname);
/* Links on the cheapest known path from this node to the node with that main IPv4,
 * router id or hostname; -1 if unknown or not reachable. */
int ld_nodes_hops(const char *ip_or_id);
/* Number of other nodes known and how many are online. */
void ld_nodes_count(int *total, int *online);

#endif
