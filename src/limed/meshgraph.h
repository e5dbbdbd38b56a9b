/* The whole mesh as a graph, built from shared-state's tables (pure: no I/O, unit-tested):
 *   node_info        {host: {hostname, ipv4, ap_ssid, uptime, gateway}}   the nodes
 *   babel_links_info {host: {links: {key: {src_ip, dst_ip, cost, rxcost}}}}
 *   bat_links_info   {host: {links: {key: {src_mac, dst_mac}}}}
 * Every node publishes its own links under a key made of both ends' addresses, so both
 * ends of a link publish the same key. A link is taken as real only while BOTH ends report
 * it: a node that is switched off keeps its last report in the tables until it expires
 * (about 40 min), but its neighbours drop it from theirs within seconds. A node is
 * reachable when a path of real links joins it to this node; that is what "online" means
 * in the UI (docs/limed.md). Clouds: a node's ap_ssid, else that of a node it shares a
 * batman-adv link with (batman-adv links exist only inside one cloud). */
#ifndef LD_MESHGRAPH_H
#define LD_MESHGRAPH_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#define LD_MG_MAX_NODES 256
#define LD_MG_MAX_LINKS 1024

struct ld_mg_node {
    char name[64];  /* node_info key (its hostname) */
    char ip[64];    /* main IPv4, "" if unknown */
    char ssid[64];  /* its cloud, "" if unknown */
    int64_t uptime; /* seconds now (published uptime + age of the entry); -1 unknown */
    int64_t age;    /* seconds since its node_info was published; -1 unknown */
    bool self;
    bool published; /* it has a node_info entry (else: known from links or babel only) */
    bool gateway;   /* it says it shares an internet connection (node_info "gateway") */
    int hops;       /* links on the cheapest path from this node (0 = self); -1 unreachable */
    int cost;       /* babel cost of that path */
};

struct ld_mg_link {
    int a, b;          /* node indices, a < b */
    bool babel, batman;
    int quality;       /* 0..100 from babel's cost as lime_babel_quality(), the worse of both
                        * ends; -1 unknown */
    int cost;          /* babel cost, the larger of both ends; -1 unknown */
};

struct ld_meshgraph {
    struct ld_mg_node node[LD_MG_MAX_NODES];
    int n_node;
    struct ld_mg_link link[LD_MG_MAX_LINKS];
    int n_link;
};

/* Builds g (caller-allocated; it is large) from the tables (any may be NULL). self and
 * self_ssid describe this node, which is always node of the graph (hops 0). ages:
 * {node_info key: seconds since published} (NULL = unknown). Two node_info entries with
 * one IPv4 (a renamed node's old name lingers until it expires) count as one node: the
 * more recently published (this node's own name for this node); the other name's link
 * reports are ignored. */
void ld_meshgraph_build(struct ld_meshgraph *g, const char *self, const char *self_ssid,
                        json_object *node_info, json_object *ages, json_object *babel_links,
                        json_object *bat_links);
/* Index of the node named name, -1 if none. */
int ld_meshgraph_find(const struct ld_meshgraph *g, const char *name);
/* Adds a node (not in shared-state yet: known to babel only); returns its index, or the
 * existing one of that name, -1 when full. */
int ld_meshgraph_add_node(struct ld_meshgraph *g, const char *name, const char *ip);
/* Adds (or marks babel on) the link a-b with quality/cost (-1 = unknown); for this node's
 * own babel neighbours, which limed knows first-hand. Returns its index or -1 (full). */
int ld_meshgraph_add_link(struct ld_meshgraph *g, int a, int b, int quality, int cost);
/* Recomputes hops/cost from this node (after links were added). */
void ld_meshgraph_paths(struct ld_meshgraph *g);
/* The cheapest path from node `from` to node `to` (babel cost; unknown hops count as a
 * wireless one): the node indices after `from` up to `to` into out (at most max); returns
 * their number, 0 if from == to, -1 if there is none or it is longer than max. */
int ld_meshgraph_route(const struct ld_meshgraph *g, int from, int to, int *out, int max);

#endif
