/* The mesh as a graph from shared-state's tables; see meshgraph.h. */
#include "meshgraph.h"

#include "core/babel.h"
#include "limed.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NOMINAL_COST 256 /* a hop whose babel cost nobody published */

int ld_meshgraph_find(const struct ld_meshgraph *g, const char *name)
{
    for (int i = 0; i < g->n_node; i++)
        if (!strcmp(g->node[i].name, name))
            return i;
    return -1;
}

static const char *str_of(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static bool int_of(json_object *o, const char *key, int64_t *out)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) ||
        !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double) ||
          json_object_is_type(v, json_type_string)))
        return false;
    errno = 0;
    *out = json_object_get_int64(v);
    return errno == 0;
}

static int add_node(struct ld_meshgraph *g, const char *name)
{
    if (g->n_node == LD_MG_MAX_NODES || !name[0])
        return -1;
    struct ld_mg_node *n = &g->node[g->n_node];
    memset(n, 0, sizeof(*n));
    ld_strlcpy(n->name, name, sizeof(n->name));
    n->uptime = n->age = -1;
    n->hops = -1;
    return g->n_node++;
}

int ld_meshgraph_add_node(struct ld_meshgraph *g, const char *name, const char *ip)
{
    int i = ld_meshgraph_find(g, name);
    if (i < 0 && (i = add_node(g, name)) >= 0)
        ld_strlcpy(g->node[i].ip, ip ? ip : "", sizeof(g->node[i].ip));
    return i;
}

/* Nodes from node_info, after this node (always node 0, whatever the table holds). An
 * IPv4 published under two names is one node: this node's, else the newer entry's; the
 * other name goes into dropped (its link reports are ignored). */
static void nodes_from_info(struct ld_meshgraph *g, const char *self, json_object *info,
                            json_object *ages, json_object *dropped)
{
    int me = add_node(g, self);
    if (me >= 0)
        g->node[me].self = true;
    if (!info || !json_object_is_type(info, json_type_object))
        return;
    json_object_object_foreach(info, key, val) {
        if (!json_object_is_type(val, json_type_object))
            continue;
        int i = ld_meshgraph_find(g, key);
        if (i < 0 && (i = add_node(g, key)) < 0)
            continue;
        struct ld_mg_node *n = &g->node[i];
        n->published = true;
        int64_t age = -1, up = -1;
        if (!int_of(ages, key, &age) || age < 0)
            age = -1;
        const char *v4 = str_of(val, "ipv4"), *ssid = str_of(val, "ap_ssid");
        ld_strlcpy(n->ip, v4 ? v4 : "", sizeof(n->ip));
        n->ip[strcspn(n->ip, "/")] = 0;
        ld_strlcpy(n->ssid, ssid ? ssid : "", sizeof(n->ssid));
        n->age = age;
        json_object *gw;
        n->gateway = json_object_object_get_ex(val, "gateway", &gw) && json_object_get_boolean(gw);
        int64_t since = age > 0 ? age : 0; /* a published uptime too large to add: unknown */
        if (int_of(val, "uptime", &up) && up >= 0 && up <= INT64_MAX - since)
            n->uptime = up + since;
    }
    bool gone[LD_MG_MAX_NODES] = {false};
    for (int i = 0; i < g->n_node; i++)
        for (int j = i + 1; j < g->n_node && !gone[i]; j++) {
            const struct ld_mg_node *x = &g->node[i], *y = &g->node[j];
            if (gone[j] || !x->ip[0] || strcmp(x->ip, y->ip))
                continue;
            int loser = x->self ? j : y->self ? i : (y->age >= 0 && (x->age < 0 || y->age < x->age)) ? i : j;
            gone[loser] = true;
            json_object_object_add(dropped, g->node[loser].name, NULL);
        }
    int k = 0;
    for (int i = 0; i < g->n_node; i++)
        if (!gone[i])
            g->node[k++] = g->node[i];
    g->n_node = k;
}

/* A batman-adv neighbour not heard from for this long is not a link any more (batman
 * keeps a silent neighbour for minutes before it purges it; a live one is heard every
 * originator interval, 1-5 s). */
#define BAT_STALE_MS 30000

/* One end's report of a link. */
struct report {
    const char *key, *src;
    int node, cost, rxcost;
    bool babel;
};

/* Babel reports first (they make the links batman-adv reports then mark), by key. */
static int by_key(const void *a, const void *b)
{
    const struct report *x = a, *y = b;
    if (x->babel != y->babel)
        return x->babel ? -1 : 1;
    int c = strcmp(x->key, y->key);
    return c ? c : x->node - y->node;
}

static int find_link(const struct ld_meshgraph *g, int a, int b)
{
    if (a > b) {
        int t = a;
        a = b;
        b = t;
    }
    for (int i = 0; i < g->n_link; i++)
        if (g->link[i].a == a && g->link[i].b == b)
            return i;
    return -1;
}

static int link_at(struct ld_meshgraph *g, int a, int b)
{
    int i = find_link(g, a, b);
    if (i >= 0 || g->n_link == LD_MG_MAX_LINKS || a == b)
        return i;
    struct ld_mg_link *l = &g->link[g->n_link];
    memset(l, 0, sizeof(*l));
    l->a = a < b ? a : b;
    l->b = a < b ? b : a;
    l->quality = l->cost = -1;
    return g->n_link++;
}

/* Merges one end's view of a babel link: the worse quality, the larger cost. */
static void merge_babel(struct ld_mg_link *l, int quality, int cost)
{
    l->babel = true;
    if (quality >= 0 && (l->quality < 0 || quality < l->quality))
        l->quality = quality;
    if (cost >= 0 && cost > l->cost)
        l->cost = cost;
}

int ld_meshgraph_add_link(struct ld_meshgraph *g, int a, int b, int quality, int cost)
{
    int i = a >= 0 && b >= 0 ? link_at(g, a, b) : -1;
    if (i >= 0)
        merge_babel(&g->link[i], quality, cost);
    return i;
}

static int end_quality(const struct report *r)
{
    if (r->cost < 0)
        return -1;
    struct lime_babel_neigh n = {.cost = r->cost, .rxcost = r->rxcost < 0 ? 0 : r->rxcost};
    return lime_babel_quality(&n);
}

/* Collects every report of a links table (babel: true for babel_links_info). */
static void collect(struct ld_meshgraph *g, json_object *table, bool babel, json_object *dropped,
                    struct report **rep, size_t *n, size_t *cap)
{
    if (!table || !json_object_is_type(table, json_type_object))
        return;
    json_object_object_foreach(table, host, val) {
        json_object *links;
        if (json_object_object_get_ex(dropped, host, NULL) ||
            !json_object_object_get_ex(val, "links", &links) ||
            !json_object_is_type(links, json_type_object))
            continue;
        int node = ld_meshgraph_find(g, host);
        if (node < 0 && (node = add_node(g, host)) < 0)
            continue;
        json_object_object_foreach(links, key, l) {
            if (!json_object_is_type(l, json_type_object))
                continue;
            if (*n == *cap) {
                size_t nc = *cap ? *cap * 2 : 64;
                struct report *r = realloc(*rep, nc * sizeof(**rep));
                if (!r)
                    return;
                *rep = r;
                *cap = nc;
            }
            int64_t cost = -1, rx = -1, seen = 0;
            if (!babel && int_of(l, "last_seen_msecs", &seen) && seen > BAT_STALE_MS)
                continue;
            if (!babel || !int_of(l, "cost", &cost))
                cost = -1;
            if (!babel || !int_of(l, "rxcost", &rx))
                rx = -1;
            const char *src = str_of(l, babel ? "src_ip" : "src_mac");
            (*rep)[(*n)++] = (struct report){key, src ? src : "", node, (int)cost, (int)rx, babel};
        }
    }
}

/* A key reported by both ends: a link between every two reporters of different
 * addresses (two reporters of one address are the same end). Babel runs on every mesh
 * link, so where both ends publish their babel links, babel decides whether the link is
 * up and batman-adv only tells it lies inside a cloud; a batman-adv link makes a link of
 * its own only between nodes that do not both publish babel links (upstream nodes). */
static void links_from_reports(struct ld_meshgraph *g, struct report *rep, size_t n,
                               const bool *has_babel)
{
    if (!n)
        return; /* (rep may be NULL: qsort must not see it) */
    qsort(rep, n, sizeof(*rep), by_key);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && !strcmp(rep[j].key, rep[i].key) && rep[j].babel == rep[i].babel)
            j++;
        for (size_t x = i; x < j; x++)
            for (size_t y = x + 1; y < j; y++) {
                const struct report *p = &rep[x], *q = &rep[y];
                if (p->node == q->node || (p->src[0] && !strcasecmp(p->src, q->src)))
                    continue;
                if (p->babel) {
                    int k = link_at(g, p->node, q->node);
                    if (k >= 0) {
                        merge_babel(&g->link[k], end_quality(p), p->cost);
                        merge_babel(&g->link[k], end_quality(q), q->cost);
                    }
                    continue;
                }
                int k = find_link(g, p->node, q->node);
                if (k < 0 && !(has_babel[p->node] && has_babel[q->node]))
                    k = link_at(g, p->node, q->node);
                if (k >= 0)
                    g->link[k].batman = true;
            }
        i = j;
    }
}

/* Dijkstra from src by babel cost (a hop of unknown cost counts as a wireless one); ties
 * go to fewer hops, then to the lower index, so the result does not depend on table
 * order. hops[i] = -1 where unreachable; prev[i] = the node before i. O(n^2), n <= 256. */
static void dijkstra(const struct ld_meshgraph *g, int src, int *hops, int *cost, int *prev)
{
    bool done[LD_MG_MAX_NODES] = {false};
    for (int i = 0; i < g->n_node; i++) {
        hops[i] = i == src ? 0 : -1;
        cost[i] = 0;
        prev[i] = -1;
    }
    for (;;) {
        int u = -1;
        for (int i = 0; i < g->n_node; i++)
            if (!done[i] && hops[i] >= 0 &&
                (u < 0 || cost[i] < cost[u] || (cost[i] == cost[u] && hops[i] < hops[u])))
                u = i;
        if (u < 0)
            break;
        done[u] = true;
        for (int k = 0; k < g->n_link; k++) {
            const struct ld_mg_link *l = &g->link[k];
            int v = l->a == u ? l->b : l->b == u ? l->a : -1;
            if (v < 0 || done[v])
                continue;
            int c = cost[u] + (l->cost > 0 && l->cost < 0xffff ? l->cost : NOMINAL_COST);
            if (hops[v] < 0 || c < cost[v] || (c == cost[v] && hops[u] + 1 < hops[v])) {
                cost[v] = c;
                hops[v] = hops[u] + 1;
                prev[v] = u;
            }
        }
    }
}

void ld_meshgraph_paths(struct ld_meshgraph *g)
{
    int hops[LD_MG_MAX_NODES], cost[LD_MG_MAX_NODES], prev[LD_MG_MAX_NODES];
    int me = -1;
    for (int i = 0; i < g->n_node && me < 0; i++)
        if (g->node[i].self)
            me = i;
    dijkstra(g, me, hops, cost, prev);
    for (int i = 0; i < g->n_node; i++) {
        g->node[i].hops = hops[i];
        g->node[i].cost = cost[i];
    }
}

int ld_meshgraph_route(const struct ld_meshgraph *g, int from, int to, int *out, int max)
{
    if (from < 0 || to < 0 || from >= g->n_node || to >= g->n_node)
        return -1;
    int hops[LD_MG_MAX_NODES], cost[LD_MG_MAX_NODES], prev[LD_MG_MAX_NODES];
    dijkstra(g, from, hops, cost, prev);
    if (hops[to] < 0 || hops[to] > max)
        return -1;
    for (int v = to, i = hops[to] - 1; i >= 0; v = prev[v], i--)
        out[i] = v;
    return hops[to];
}

/* Nodes without ap_ssid take the cloud of a node they share a batman-adv link with. */
static void clouds_over_batman(struct ld_meshgraph *g)
{
    for (bool again = true; again;) {
        again = false;
        for (int k = 0; k < g->n_link; k++) {
            struct ld_mg_link *l = &g->link[k];
            struct ld_mg_node *a = &g->node[l->a], *b = &g->node[l->b];
            if (!l->batman || !a->ssid[0] == !b->ssid[0])
                continue;
            if (a->ssid[0])
                ld_strlcpy(b->ssid, a->ssid, sizeof(b->ssid));
            else
                ld_strlcpy(a->ssid, b->ssid, sizeof(a->ssid));
            again = true;
        }
    }
}

void ld_meshgraph_build(struct ld_meshgraph *g, const char *self, const char *self_ssid,
                        json_object *node_info, json_object *ages, json_object *babel_links,
                        json_object *bat_links)
{
    g->n_node = g->n_link = 0;
    json_object *dropped = json_object_new_object();
    nodes_from_info(g, self, node_info, ages, dropped);
    int me = ld_meshgraph_find(g, self);
    if (me >= 0 && self_ssid && self_ssid[0])
        ld_strlcpy(g->node[me].ssid, self_ssid, sizeof(g->node[me].ssid));
    struct report *rep = NULL;
    size_t n = 0, cap = 0;
    collect(g, babel_links, true, dropped, &rep, &n, &cap);
    bool has_babel[LD_MG_MAX_NODES] = {false};
    for (size_t i = 0; i < n; i++)
        has_babel[rep[i].node] = true;
    if (babel_links && json_object_is_type(babel_links, json_type_object)) {
        /* a node whose babel report lists no link at all publishes babel links too */
        json_object_object_foreach(babel_links, host, val) {
            (void)val;
            int i = ld_meshgraph_find(g, host);
            if (i >= 0 && !json_object_object_get_ex(dropped, host, NULL))
                has_babel[i] = true;
        }
    }
    collect(g, bat_links, false, dropped, &rep, &n, &cap);
    links_from_reports(g, rep, n, has_babel);
    free(rep);
    json_object_put(dropped);
    clouds_over_batman(g);
    ld_meshgraph_paths(g);
}
