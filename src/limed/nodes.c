/* The mesh's nodes and links; see nodes.h. */
#include "nodes.h"

#include "core/babel.h"
#include "core/uplink.h"
#include "fetch.h"
#include "gwpath.h"
#include "limecfg.h"
#include "limed.h"
#include "meshgraph.h"
#include "meshnames.h"
#include "rpc.h"
#include "sharedstate.h"
#include "core/log.h"
#include "core/loop.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_NODES 256
#define REFRESH_MS 5000
#define HOSTNAME_RETRY_S 20 /* a renamed node shows its new name within this */

struct node {
    char ip[64], id[32], hostname[64], ssid[64];
    char via[64];        /* link-local address of the neighbour the /32 route goes through */
    time_t last_seen;    /* wall clock, for "gone since" */
    time_t asked;        /* last hostname request */
    bool online, gateway, in_use, pending, routed, in_graph;
    int metric, hops, cost, graph; /* cost: of the cheapest path; graph: index in it, -1 */
    int64_t uptime;      /* s, -1 unknown */
};

static struct node nodes[MAX_NODES];
static int n_nodes;
static struct node self; /* this node (never in nodes[]) */
static struct ld_meshgraph *graph;
static struct lime_timer *timer;
static bool dirty;

static struct node *find(const char *ip)
{
    for (int i = 0; ip[0] && i < n_nodes; i++)
        if (!strcmp(nodes[i].ip, ip))
            return &nodes[i];
    return NULL;
}

static struct node *find_name(const char *name)
{
    for (int i = 0; name[0] && i < n_nodes; i++)
        if (!strcmp(nodes[i].hostname, name))
            return &nodes[i];
    return NULL;
}

static struct node *add(const char *ip)
{
    if (n_nodes == MAX_NODES)
        return NULL;
    struct node *n = &nodes[n_nodes++];
    memset(n, 0, sizeof(*n));
    ld_strlcpy(n->ip, ip, sizeof(n->ip));
    n->hops = n->graph = -1;
    n->uptime = -1;
    dirty = true;
    return n;
}

static void drop(int i)
{
    nodes[i] = nodes[--n_nodes];
    dirty = true;
}

static void save(struct ld_ctx *ctx)
{
    char dir[512], path[600];
    ld_path(ctx, "/var/lib/limed", dir, sizeof(dir));
    mkdir(ld_path(ctx, "/var", path, sizeof(path)), 0755);
    mkdir(ld_path(ctx, "/var/lib", path, sizeof(path)), 0755);
    mkdir(dir, 0755);
    snprintf(path, sizeof(path), "%s/nodes.json", dir);
    json_object *a = json_object_new_array();
    for (int i = 0; i < n_nodes; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "ip", json_object_new_string(nodes[i].ip));
        json_object_object_add(o, "id", json_object_new_string(nodes[i].id));
        json_object_object_add(o, "hostname", json_object_new_string(nodes[i].hostname));
        json_object_object_add(o, "ssid", json_object_new_string(nodes[i].ssid));
        json_object_object_add(o, "last_seen", json_object_new_int64(nodes[i].last_seen));
        json_object_array_add(a, o);
    }
    const char *s = json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN);
    lime_write_file_atomic(path, s, strlen(s), 0644);
    json_object_put(a);
    dirty = false;
}

static void load(struct ld_ctx *ctx)
{
    char path[512];
    json_object *a = json_object_from_file(ld_path(ctx, "/var/lib/limed/nodes.json", path,
                                                   sizeof(path)));
    if (!a || !json_object_is_type(a, json_type_array)) {
        json_object_put(a);
        return;
    }
    for (size_t i = 0; i < json_object_array_length(a) && n_nodes < MAX_NODES; i++) {
        json_object *o = json_object_array_get_idx(a, i), *v;
        const char *ip = json_object_object_get_ex(o, "ip", &v) ? json_object_get_string(v) : "";
        const char *name = json_object_object_get_ex(o, "hostname", &v) ? json_object_get_string(v) : "";
        if ((!ip[0] && !name[0]) || find(ip) || (!ip[0] && find_name(name)))
            continue;
        struct node *n = add(ip);
        ld_strlcpy(n->hostname, name, sizeof(n->hostname));
        if (json_object_object_get_ex(o, "id", &v))
            ld_strlcpy(n->id, json_object_get_string(v), sizeof(n->id));
        if (json_object_object_get_ex(o, "ssid", &v))
            ld_strlcpy(n->ssid, json_object_get_string(v), sizeof(n->ssid));
        if (json_object_object_get_ex(o, "last_seen", &v))
            n->last_seen = json_object_get_int64(v);
    }
    dirty = false;
    json_object_put(a);
}

struct ask {
    struct ld_ctx *ctx;
    char ip[64];
};

static void on_hostname(int status, const char *body, size_t len, void *arg)
{
    struct ask *a = arg;
    struct node *n = find(a->ip);
    if (n) {
        n->pending = false;
        if (status == 200 && body) {
            char name[64];
            size_t k = 0;
            for (size_t i = 0; i < len && k + 1 < sizeof(name); i++) {
                unsigned char c = (unsigned char)body[i];
                if (c == '\n' || c == '\r')
                    break;
                if (isalnum(c) || c == '-' || c == '_' || c == '.')
                    name[k++] = (char)c;
            }
            name[k] = 0;
            if (k && strcmp(name, n->hostname)) {
                ld_strlcpy(n->hostname, name, sizeof(n->hostname));
                dirty = true;
            }
        }
    }
    free(a);
}

static void ask_hostname(struct ld_ctx *ctx, struct node *n)
{
    time_t now = time(NULL);
    if (n->pending || (n->hostname[0] && now - n->asked < HOSTNAME_RETRY_S) ||
        (!n->hostname[0] && now - n->asked < 5))
        return;
    struct ask *a = calloc(1, sizeof(*a));
    if (!a)
        return;
    a->ctx = ctx;
    ld_strlcpy(a->ip, n->ip, sizeof(a->ip));
    n->asked = now;
    if (ld_fetch(ctx, n->ip, ctx->peer_port, "/cgi-bin/hostname", on_hostname, a) == 0)
        n->pending = true;
    else
        free(a);
}

/* Nodes babel routes to by their IPv4 /32 (meshes where every node announces one). */
static void nodes_from_babel(const struct lime_babel_state *b, time_t now)
{
    for (int i = 0; i < b->n_route; i++) {
        const struct lime_babel_route *r = &b->route[i];
        size_t pl = strlen(r->prefix);
        if (!r->installed || pl < 4 || strcmp(r->prefix + pl - 3, "/32") || !strchr(r->prefix, '.'))
            continue;
        char ip[64];
        snprintf(ip, sizeof(ip), "%.*s", (int)(pl - 3), r->prefix);
        struct node *n = find(ip);
        if (!n && !(n = add(ip)))
            continue;
        if (strcmp(n->id, r->id)) {
            ld_strlcpy(n->id, r->id, sizeof(n->id));
            dirty = true;
        }
        n->online = n->routed = true;
        n->metric = r->metric;
        ld_strlcpy(n->via, r->via, sizeof(n->via));
        n->last_seen = now;
    }
}

/* The graph index of the node behind this node's babel neighbour n, -1 if unknown. A
 * neighbour babel routes to by its /32 but whose node_info has not arrived yet becomes a
 * node of the graph under its roster name (or address). */
static int neighbour_in_graph(struct ld_ctx *ctx, const struct lime_babel_state *b,
                              const struct lime_babel_neigh *nb)
{
    const char *id = lime_babel_neigh_id(b, nb->address);
    const struct lime_babel_route *hr = id[0] ? lime_babel_host_route(b, id) : NULL;
    char name[128] = "", ip[64] = "";
    if (hr) {
        snprintf(ip, sizeof(ip), "%.*s", (int)(strlen(hr->prefix) - 3), hr->prefix);
        for (int i = 0; i < graph->n_node; i++)
            if (!strcmp(graph->node[i].ip, ip))
                return i;
    }
    if (!ld_meshname_by_id(id, name, sizeof(name)))
        ld_meshname_by_addr(ctx, nb->address, name, sizeof(name));
    int i = name[0] ? ld_meshgraph_find(graph, name) : -1;
    if (i < 0 && ip[0]) {
        const struct node *n = find(ip);
        i = ld_meshgraph_add_node(graph, n && n->hostname[0] ? n->hostname : name[0] ? name : ip, ip);
    }
    return i;
}

/* The graph from shared-state, plus this node's own babel links (first-hand, so fresh
 * even before its own report went out). */
static void build_graph(struct ld_ctx *ctx, const struct lime_babel_state *b, const char *self_key)
{
    json_object *ages = NULL;
    json_object *info = ld_state_table("node_info", &ages);
    json_object *babel = ld_state_table("babel_links_info", NULL);
    json_object *bat = ld_state_table("bat_links_info", NULL);
    ld_meshgraph_build(graph, self_key, self.ssid, info, ages, babel, bat);
    json_object_put(info);
    json_object_put(ages);
    json_object_put(babel);
    json_object_put(bat);
    int me = ld_meshgraph_find(graph, self_key);
    for (int i = 0; me >= 0 && i < b->n_neigh; i++) {
        const struct lime_babel_neigh *nb = &b->neigh[i];
        int other = neighbour_in_graph(ctx, b, nb);
        if (other >= 0 && other != me && nb->cost < 0xffff)
            ld_meshgraph_add_link(graph, me, other, lime_babel_quality(nb), nb->cost);
    }
    ld_meshgraph_paths(graph);
}

/* Roster entries for the graph's nodes (by IPv4, else by name). */
static void nodes_from_graph(time_t now, const char *self_key)
{
    for (int i = 0; i < graph->n_node; i++) {
        const struct ld_mg_node *g = &graph->node[i];
        if (g->self || !strcmp(g->name, self_key)) {
            if (g->self) {
                self.graph = i;
                if (g->ip[0])
                    ld_strlcpy(self.ip, g->ip, sizeof(self.ip));
            }
            continue;
        }
        struct node *n = g->ip[0] ? find(g->ip) : NULL;
        if (!n)
            n = find_name(g->name);
        if (!n && !(n = add(g->ip)))
            continue;
        if (g->ip[0] && strcmp(n->ip, g->ip)) {
            ld_strlcpy(n->ip, g->ip, sizeof(n->ip));
            dirty = true;
        }
        /* the name and cloud it publishes; a node known from babel only keeps the name
         * its limed told (ask_hostname) */
        if (g->published && (strcmp(n->hostname, g->name) || strcmp(n->ssid, g->ssid))) {
            ld_strlcpy(n->hostname, g->name, sizeof(n->hostname));
            ld_strlcpy(n->ssid, g->ssid, sizeof(n->ssid));
            dirty = true;
        }
        if (!n->hostname[0] && !g->ip[0])
            ld_strlcpy(n->hostname, g->name, sizeof(n->hostname));
        n->in_graph = g->published;
        n->graph = i;
        n->gateway = g->gateway; /* it says so; babel's routes may add to it (gateways()) */
        n->uptime = g->uptime;
        n->hops = g->hops;
        n->cost = g->cost;
        if (g->hops >= 0) {
            n->online = true;
            n->last_seen = now;
        } else if (g->age >= 0 && now - g->age > n->last_seen) {
            n->last_seen = now - g->age; /* it published last then */
        }
    }
}

/* The nodes announcing a default route, and the one whose route this node uses (a node
 * also counts as a gateway when its node_info says so: babel passes on only the route
 * each neighbour chose, so a far gateway may not be heard here). */
static void gateways(const struct lime_babel_state *b)
{
    for (int i = 0; i < b->n_route; i++) {
        const struct lime_babel_route *r = &b->route[i];
        if (strcmp(r->prefix, "0.0.0.0/0") && strcmp(r->prefix, "::/0"))
            continue;
        char name[128] = "";
        ld_meshname_by_id(r->id, name, sizeof(name));
        for (int j = 0; j < n_nodes; j++) {
            struct node *n = &nodes[j];
            if ((n->id[0] && !strcmp(n->id, r->id)) || (name[0] && !strcmp(n->hostname, name))) {
                n->gateway = true;
                n->in_use |= r->installed && !strcmp(r->prefix, "0.0.0.0/0");
            }
        }
    }
}

void ld_nodes_refresh(struct ld_ctx *ctx)
{
    const struct lime_babel_state *b = lime_babel_state(ctx->babel);
    time_t now = time(NULL);
    for (int i = 0; i < n_nodes; i++) {
        struct node *n = &nodes[i];
        n->online = n->gateway = n->in_use = n->routed = n->in_graph = false;
        n->hops = n->graph = -1;
        n->uptime = -1;
    }
    char host[64];
    ld_rpc_hostname(ctx, host, sizeof(host));
    const char *key = ld_state_self() ? ld_state_self() : host;
    memset(&self, 0, sizeof(self));
    ld_strlcpy(self.hostname, host, sizeof(self.hostname));
    ld_lime_get(ctx, "wifi", "ap_ssid", false, self.ssid, sizeof(self.ssid));
    self.online = true;
    self.graph = -1;
    self.uptime = (int64_t)ld_uptime(ctx);
    self.gateway = lime_uplink_gateway(b);
    ld_strlcpy(self.id, b->my_id, sizeof(self.id));

    nodes_from_babel(b, now);
    build_graph(ctx, b, key);
    nodes_from_graph(now, key);
    /* this node under an old name or its address (a roster from before a rename) */
    for (int i = n_nodes - 1; i >= 0; i--)
        if (!strcmp(nodes[i].hostname, host) || !strcmp(nodes[i].hostname, key) ||
            (self.ip[0] && !strcmp(nodes[i].ip, self.ip)))
            drop(i);
    gateways(b);
    for (int i = 0; i < n_nodes; i++)
        if (nodes[i].online && !nodes[i].in_graph && nodes[i].ip[0])
            ask_hostname(ctx, &nodes[i]); /* no node_info: ask it its name */
    if (dirty)
        save(ctx);
}

static void on_timer(void *arg)
{
    struct ld_ctx *ctx = arg;
    timer = NULL;
    ld_nodes_refresh(ctx);
    timer = lime_timer_add(ctx->loop, REFRESH_MS, on_timer, ctx);
}

int ld_nodes_start(struct ld_ctx *ctx)
{
    graph = calloc(1, sizeof(*graph));
    if (!graph)
        return -ENOMEM;
    load(ctx);
    timer = lime_timer_add(ctx->loop, 200, on_timer, ctx);
    return timer ? 0 : -ENOMEM;
}

void ld_nodes_stop(struct ld_ctx *ctx)
{
    if (timer)
        lime_timer_cancel(ctx->loop, timer);
    timer = NULL;
    if (dirty)
        save(ctx);
    n_nodes = 0;
    free(graph);
    graph = NULL;
}

static void add_common(json_object *o, const struct node *n, time_t now)
{
    json_object_object_add(o, "hostname", json_object_new_string(n->hostname));
    json_object_object_add(o, "ip", json_object_new_string(n->ip));
    json_object_object_add(o, "ssid", json_object_new_string(n->ssid));
    json_object_object_add(o, "online", json_object_new_boolean(n->online));
    json_object_object_add(o, "gateway", json_object_new_boolean(n->gateway));
    json_object_object_add(o, "uptime", json_object_new_int64(n->online ? n->uptime : -1));
    json_object_object_add(o, "hops", json_object_new_int(n->online ? n->hops : -1));
    json_object_object_add(o, "cost", json_object_new_int(n->online && n->hops >= 0 ? n->cost : -1));
    json_object_object_add(o, "last_seen",
                           json_object_new_int64(n->online ? 0 : (int64_t)(now - n->last_seen)));
}

json_object *ld_nodes_json(struct ld_ctx *ctx)
{
    json_object *a = json_object_new_array();
    time_t now = time(NULL);
    for (int i = 0; i < n_nodes; i++) {
        const struct node *n = &nodes[i];
        json_object *o = json_object_new_object();
        add_common(o, n, now);
        json_object_object_add(o, "id", json_object_new_string(n->id));
        json_object_object_add(o, "metric", json_object_new_int(n->online && n->routed ? n->metric : -1));
        json_object_object_add(o, "via", json_object_new_string(n->online && n->routed ? n->via : ""));
        json_object_array_add(a, o);
    }
    return a;
}

/* The way to the gateway in use, by name from the next hop to the gateway: the hops
 * gwpath traced (the route really taken), else babel's next hop followed by the
 * cheapest path of the graph from there (inside a cloud there are no /32 routes to
 * trace by). */
static json_object *way_out(struct ld_ctx *ctx, const char *const *name_of)
{
    json_object *jp = json_object_new_array();
    char hops[LD_GWPATH_MAX][64];
    int nh = ld_gwpath_get(hops);
    for (int i = 0; i < nh; i++) {
        const char *h = ld_nodes_hostname(ctx, hops[i]);
        json_object_array_add(jp, json_object_new_string(h ? h : hops[i]));
    }
    const struct lime_babel_state *b = lime_babel_state(ctx->babel);
    const struct lime_babel_route *def = lime_babel_installed(b, "0.0.0.0/0");
    int gw = -1, next = -1;
    for (int i = 0; i < n_nodes && gw < 0; i++)
        if (nodes[i].in_use)
            gw = nodes[i].graph;
    for (int i = 0; def && i < b->n_neigh && next < 0; i++)
        if (!strcmp(b->neigh[i].address, def->via))
            next = neighbour_in_graph(ctx, b, &b->neigh[i]);
    int way[LD_GWPATH_MAX];
    int n = nh || !graph || gw < 0 || next < 0
                ? -1
                : ld_meshgraph_route(graph, next, gw, way, LD_GWPATH_MAX - 1);
    if (n >= 0 && name_of[next]) {
        json_object_array_add(jp, json_object_new_string(name_of[next]));
        for (int i = 0; i < n && name_of[way[i]]; i++)
            json_object_array_add(jp, json_object_new_string(name_of[way[i]]));
    }
    return jp;
}

/* Output order of the picture: this node, then by cloud, then by name. */
static int by_cloud(const void *x, const void *y)
{
    const struct node *a = *(const struct node *const *)x, *b = *(const struct node *const *)y;
    int c = strcmp(a->ssid, b->ssid);
    return c ? c : strcmp(a->hostname, b->hostname);
}

json_object *ld_mesh_json(struct ld_ctx *ctx)
{
    time_t now = time(NULL);
    const struct node *list[MAX_NODES + 1];
    const char *name_of[LD_MG_MAX_NODES] = {NULL}; /* graph index -> output name */
    int n = 0;
    list[n++] = &self;
    for (int i = 0; i < n_nodes; i++) {
        const struct node *x = &nodes[i];
        if (!x->hostname[0] && !x->ip[0])
            continue;
        /* one entry per name: the online one, else the last seen */
        if (!strcmp(x->hostname, self.hostname))
            continue;
        int dup = -1;
        for (int j = 1; j < n && dup < 0; j++)
            if (x->hostname[0] && !strcmp(list[j]->hostname, x->hostname))
                dup = j;
        if (dup < 0)
            list[n++] = x;
        else if ((x->online && !list[dup]->online) ||
                 (x->online == list[dup]->online && x->last_seen > list[dup]->last_seen))
            list[dup] = x;
    }
    qsort(list + 1, (size_t)(n - 1), sizeof(list[0]), by_cloud);
    json_object *jn = json_object_new_array();
    for (int i = 0; i < n; i++) {
        const struct node *x = list[i];
        const char *name = x->hostname[0] ? x->hostname : x->ip;
        if (x->graph >= 0 && x->graph < LD_MG_MAX_NODES)
            name_of[x->graph] = name;
        json_object *o = json_object_new_object();
        add_common(o, x, now);
        json_object_object_add(o, "hostname", json_object_new_string(name));
        json_object_object_add(o, "self", json_object_new_boolean(x == &self));
        json_object_object_add(o, "in_use", json_object_new_boolean(x->in_use));
        if (x == &self) {
            json_object_object_add(o, "uptime", json_object_new_int64(self.uptime));
            json_object_object_add(o, "hops", json_object_new_int(0));
        }
        json_object_array_add(jn, o);
    }
    json_object *jl = json_object_new_array();
    for (int k = 0; graph && k < graph->n_link; k++) {
        const struct ld_mg_link *l = &graph->link[k];
        const char *a = name_of[l->a], *b = name_of[l->b];
        if (!a || !b || !strcmp(a, b))
            continue;
        json_object *o = json_object_new_object();
        json_object_object_add(o, "a", json_object_new_string(a));
        json_object_object_add(o, "b", json_object_new_string(b));
        json_object_object_add(o, "quality", json_object_new_int(l->quality));
        json_object_object_add(o, "cost", json_object_new_int(l->cost));
        json_object_object_add(o, "babel", json_object_new_boolean(l->babel));
        json_object_object_add(o, "batman", json_object_new_boolean(l->batman));
        json_object_array_add(jl, o);
    }
    json_object *jp = way_out(ctx, name_of);
    json_object *out = json_object_new_object();
    json_object_object_add(out, "this_node", json_object_new_string(self.hostname));
    json_object_object_add(out, "ssid", json_object_new_string(self.ssid));
    json_object_object_add(out, "nodes", jn);
    json_object_object_add(out, "links", jl);
    json_object_object_add(out, "path", jp);
    return out;
}

const char *ld_nodes_hostname(struct ld_ctx *ctx, const char *key)
{
    (void)ctx;
    if (self.hostname[0] && ((self.ip[0] && !strcmp(self.ip, key)) || (self.id[0] && !strcmp(self.id, key))))
        return self.hostname;
    for (int i = 0; i < n_nodes; i++)
        if ((!strcmp(nodes[i].ip, key) || !strcmp(nodes[i].id, key)) && nodes[i].hostname[0])
            return nodes[i].hostname;
    return NULL;
}

const char *ld_nodes_ip(const char *hostname)
{
    for (int i = 0; hostname[0] && i < n_nodes; i++)
        if (!strcmp(nodes[i].hostname, hostname) && nodes[i].ip[0])
            return nodes[i].ip;
    return NULL;
}

int ld_nodes_hops(const char *key)
{
    for (int i = 0; key[0] && i < n_nodes; i++)
        if (!strcmp(nodes[i].ip, key) || !strcmp(nodes[i].id, key) || !strcmp(nodes[i].hostname, key))
            return nodes[i].online ? nodes[i].hops : -1;
    return -1;
}

void ld_nodes_count(int *total, int *online)
{
    *total = n_nodes;
    *online = 0;
    for (int i = 0; i < n_nodes; i++)
        *online += nodes[i].online;
}
