/* Names of other nodes from shared-state's tables, the way upstream's app finds them
 * (inside one cloud there are no per-node /32 babel routes to go by):
 *   babeld-hosts     {router-id: hostname}
 *   babel_links_info {host: {links: {key: {src_ip (host's link-local), dst_ip, iface}}}}
 *   bat-hosts        {mac: "<host>_<iface>"}
 *   nodes_and_links  {host: {hostname, macs: [...]}}
 *   node_info        {host: {hostname, ipv4 "a.b.c.d/len", ipv6}}
 * Every function writes the hostname into buf and returns buf, or NULL when unknown
 * (or when limed runs without the shared-state service). */
#ifndef LD_MESHNAMES_H
#define LD_MESHNAMES_H

#include <stddef.h>

struct ld_ctx;

/* babel router id ("02:4c:52:ff:fe:00:01:01") -> hostname, from babeld-hosts. */
const char *ld_meshname_by_id(const char *router_id, char *buf, size_t len);
/* MAC -> hostname, from bat-hosts, then nodes_and_links / node_info macs. */
const char *ld_meshname_by_mac(struct ld_ctx *ctx, const char *mac, char *buf, size_t len);
/* Any address of a node -> hostname: node_info ipv4/ipv6, babel_links_info src_ip and,
 * for an EUI-64 link-local address, the MAC inside it (by_mac). */
const char *ld_meshname_by_addr(struct ld_ctx *ctx, const char *addr, char *buf, size_t len);

/* A node's main IPv4 address (node_info ipv4, without its length) by hostname, or by
 * babel router id (babeld-hosts, then node_info): routable across the whole mesh. */
const char *ld_meshaddr_by_name(const char *hostname, char *buf, size_t len);
const char *ld_meshaddr_by_id(const char *router_id, char *buf, size_t len);
/* The IPv4 address of the node owning babel router id: its /32 in babel's routes, else
 * (inside one cloud, where nodes have no /32 of their own) by_id; "" when unknown. */
struct lime_babel_state;
void ld_node_ip(const struct lime_babel_state *b, const char *id, char *ip, size_t len);

#endif
