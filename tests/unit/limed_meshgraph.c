/* limed's mesh graph (meshgraph.h) from shared-state tables shaped as the publishers make
 * them: links only while both ends report them, a switched-off node unreachable, hops by
 * babel cost, a renamed node counted once, clouds, link quality. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meshgraph.h"

/* The demo mesh of lime-sim (src/sim/topologies/demo.json): gw-a1, a1-a2, gw-b1, b1-b2,
 * a2-b2; clouds LibreMesh.org (gw a1 a2) and LiMe (b1 b2). Node i's link-local address
 * is fe80::<i>; a link's key is both addresses without ':' sorted and joined. */
static const char *const names[] = {"gw", "a1", "a2", "b1", "b2"};
static const int edges[][2] = {{0, 1}, {1, 2}, {0, 3}, {3, 4}, {2, 4}};

static void key_of(int a, int b, char *out, size_t len)
{
    char x[16], y[16];
    snprintf(x, sizeof x, "fe80%d", a + 1);
    snprintf(y, sizeof y, "fe80%d", b + 1);
    snprintf(out, len, "%s%s", strcmp(x, y) < 0 ? x : y, strcmp(x, y) < 0 ? y : x);
}

/* Tables as the nodes publish them; `off` (or -1) is switched off: it keeps its last
 * report, its neighbours no longer report it. cost[e] is edge e's babel cost. */
static void tables(int off, const int *cost, json_object **info, json_object **babel,
                   json_object **bat)
{
    *info = json_object_new_object();
    *babel = json_object_new_object();
    *bat = json_object_new_object();
    for (int i = 0; i < 5; i++) {
        json_object *ni = json_object_new_object();
        char ip[32];
        snprintf(ip, sizeof ip, "10.%d.1.%d", i < 3 ? 13 : 138, i + 1);
        json_object_object_add(ni, "hostname", json_object_new_string(names[i]));
        json_object_object_add(ni, "ipv4", json_object_new_string(ip));
        json_object_object_add(ni, "uptime", json_object_new_int(100 * (i + 1)));
        if (i == 0)
            json_object_object_add(ni, "gateway", json_object_new_boolean(1));
        if (i != 1) /* a1 is an upstream node: no ap_ssid */
            json_object_object_add(ni, "ap_ssid", json_object_new_string(i < 3 ? "LibreMesh.org" : "LiMe"));
        json_object_object_add(*info, names[i], ni);
        json_object *bl = json_object_new_object(), *tl = json_object_new_object();
        for (size_t e = 0; e < sizeof edges / sizeof edges[0]; e++) {
            int a = edges[e][0], b = edges[e][1];
            if ((a != i && b != i) || (i != off && (a == off || b == off)))
                continue;
            int other = a == i ? b : a;
            char key[64], src[32], dst[32];
            key_of(i, other, key, sizeof key);
            snprintf(src, sizeof src, "fe80::%d", i + 1);
            snprintf(dst, sizeof dst, "fe80::%d", other + 1);
            json_object *l = json_object_new_object();
            json_object_object_add(l, "src_ip", json_object_new_string(src));
            json_object_object_add(l, "dst_ip", json_object_new_string(dst));
            json_object_object_add(l, "cost", json_object_new_int(cost[e]));
            json_object_object_add(l, "rxcost", json_object_new_int(256));
            json_object_object_add(bl, key, l);
            if ((i < 3) == (other < 3)) { /* batman-adv: same cloud only */
                json_object *m = json_object_new_object();
                snprintf(src, sizeof src, "02:00:00:00:00:0%d", i + 1);
                json_object_object_add(m, "src_mac", json_object_new_string(src));
                json_object_object_add(m, "last_seen_msecs", json_object_new_int(500));
                json_object_object_add(tl, key, m);
            }
        }
        /* batman-adv keeps a silent neighbour for minutes: the switched-off node's
         * neighbours in its cloud still list it, heard long ago or (just after) recently */
        if (off >= 0 && i != off && (i < 3) == (off < 3))
            for (size_t e = 0; e < sizeof edges / sizeof edges[0]; e++)
                if ((edges[e][0] == i && edges[e][1] == off) || (edges[e][1] == i && edges[e][0] == off)) {
                    char key[64], src[32];
                    key_of(i, off, key, sizeof key);
                    json_object *m = json_object_new_object();
                    snprintf(src, sizeof src, "02:00:00:00:00:0%d", i + 1);
                    json_object_object_add(m, "src_mac", json_object_new_string(src));
                    json_object_object_add(m, "last_seen_msecs", json_object_new_int(3000) /* heard 3 s ago: babel already dropped it */);
                    json_object_object_add(tl, key, m);
                }
        json_object *w = json_object_new_object();
        json_object_object_add(w, "links", bl);
        json_object_object_add(*babel, names[i], w);
        w = json_object_new_object();
        json_object_object_add(w, "links", tl);
        json_object_object_add(*bat, names[i], w);
    }
}

static const int even[5] = {256, 256, 256, 256, 256};

static const struct ld_mg_link *link_of(const struct ld_meshgraph *g, const char *a, const char *b)
{
    int x = ld_meshgraph_find(g, a), y = ld_meshgraph_find(g, b);
    for (int k = 0; k < g->n_link; k++)
        if ((g->link[k].a == x && g->link[k].b == y) || (g->link[k].a == y && g->link[k].b == x))
            return &g->link[k];
    return NULL;
}

static const struct ld_mg_node *node(const struct ld_meshgraph *g, const char *name)
{
    int i = ld_meshgraph_find(g, name);
    assert_true(i >= 0);
    return &g->node[i];
}

static void whole_mesh_from_b2(void **state)
{
    (void)state;
    json_object *info, *babel, *bat, *ages = json_object_new_object();
    tables(-1, even, &info, &babel, &bat);
    json_object_object_add(ages, "gw", json_object_new_int(30));
    struct ld_meshgraph *g = calloc(1, sizeof(*g));
    ld_meshgraph_build(g, "b2", "LiMe", info, ages, babel, bat);
    assert_int_equal(g->n_node, 5);
    assert_int_equal(g->n_link, 5); /* every link once */
    assert_true(node(g, "b2")->self);
    assert_int_equal(node(g, "b2")->hops, 0);
    assert_int_equal(node(g, "b1")->hops, 1);
    assert_int_equal(node(g, "gw")->hops, 2);  /* b2-b1-gw, not b2-a2-a1-gw */
    assert_int_equal(node(g, "a1")->hops, 2);  /* b2-a2-a1 */
    assert_string_equal(node(g, "gw")->ip, "10.13.1.1");
    assert_true(node(g, "gw")->gateway && !node(g, "b1")->gateway);
    assert_int_equal(node(g, "gw")->uptime, 100 + 30); /* published 30 s ago */
    assert_string_equal(node(g, "a1")->ssid, "LibreMesh.org"); /* over its batman links */
    assert_true(link_of(g, "gw", "a1")->batman && link_of(g, "gw", "a1")->babel);
    assert_false(link_of(g, "gw", "b1")->batman);
    assert_int_equal(link_of(g, "b1", "b2")->quality, 100);
    assert_null(link_of(g, "gw", "b2"));
    json_object_put(info);
    json_object_put(babel);
    json_object_put(bat);
    json_object_put(ages);
    free(g);
}

static void switched_off_node_is_unreachable(void **state)
{
    (void)state;
    json_object *info, *babel, *bat;
    tables(0 /* gw off */, even, &info, &babel, &bat);
    struct ld_meshgraph *g = calloc(1, sizeof(*g));
    ld_meshgraph_build(g, "a2", "LibreMesh.org", info, NULL, babel, bat);
    assert_int_equal(node(g, "gw")->hops, -1);     /* still in node_info, but gone */
    assert_null(link_of(g, "gw", "a1"));            /* only gw still reports it */
    assert_null(link_of(g, "gw", "b1"));
    assert_int_equal(g->n_link, 3);
    assert_int_equal(node(g, "b1")->hops, 2);      /* a2-b2-b1 */
    assert_int_equal(node(g, "gw")->uptime, 100);  /* age unknown: as published */
    json_object_put(info);
    json_object_put(babel);
    json_object_put(bat);
    free(g);
}

/* Nodes that publish no babel links (upstream's without babeld facts): their batman-adv
 * links, while heard lately, are links of the picture. */
static void batman_links_of_nodes_without_babel(void **state)
{
    (void)state;
    json_object *info, *babel, *bat;
    tables(-1, even, &info, &babel, &bat);
    json_object_object_del(babel, "a1");
    json_object_object_del(babel, "gw");
    struct ld_meshgraph *g = calloc(1, sizeof(*g));
    ld_meshgraph_build(g, "a2", "LibreMesh.org", info, NULL, babel, bat);
    assert_non_null(link_of(g, "a1", "a2"));
    assert_true(link_of(g, "a1", "a2")->batman && !link_of(g, "a1", "a2")->babel);
    assert_int_equal(link_of(g, "a1", "a2")->quality, -1);
    assert_non_null(link_of(g, "gw", "a1"));
    assert_null(link_of(g, "gw", "b1")); /* babel only, and gw publishes none */
    assert_int_equal(node(g, "gw")->hops, 2);
    /* a batman neighbour not heard for long is no link */
    json_object *w, *links, *l;
    json_object_object_get_ex(bat, "gw", &w);
    json_object_object_get_ex(w, "links", &links);
    char key[64];
    key_of(0, 1, key, sizeof key);
    json_object_object_get_ex(links, key, &l);
    json_object_object_add(l, "last_seen_msecs", json_object_new_int(60000));
    ld_meshgraph_build(g, "a2", "LibreMesh.org", info, NULL, babel, bat);
    assert_null(link_of(g, "gw", "a1"));
    assert_int_equal(node(g, "gw")->hops, -1);
    json_object_put(info);
    json_object_put(babel);
    json_object_put(bat);
    free(g);
}

static void path_follows_cost_and_worse_end(void **state)
{
    (void)state;
    /* gw-b1 lossy (cost 1000): from b2, gw is cheaper through a2-a1 (3 hops) */
    const int cost[5] = {256, 256, 1000, 256, 256};
    json_object *info, *babel, *bat;
    tables(-1, cost, &info, &babel, &bat);
    /* one end sees a2-b2 worse than the other: the link shows the worse */
    json_object *w, *links, *l;
    json_object_object_get_ex(babel, "a2", &w);
    json_object_object_get_ex(w, "links", &links);
    char key[64];
    key_of(2, 4, key, sizeof key);
    json_object_object_get_ex(links, key, &l);
    json_object_object_add(l, "cost", json_object_new_int(512));
    struct ld_meshgraph *g = calloc(1, sizeof(*g));
    ld_meshgraph_build(g, "b2", "LiMe", info, NULL, babel, bat);
    assert_int_equal(link_of(g, "a2", "b2")->quality, 50);
    assert_int_equal(link_of(g, "a2", "b2")->cost, 512);
    assert_int_equal(node(g, "gw")->hops, 3); /* 512+256+256 < 256+1000 */
    int way[8];
    assert_int_equal(ld_meshgraph_route(g, ld_meshgraph_find(g, "b2"), ld_meshgraph_find(g, "gw"), way, 8), 3);
    assert_string_equal(g->node[way[0]].name, "a2");
    assert_string_equal(g->node[way[1]].name, "a1");
    assert_string_equal(g->node[way[2]].name, "gw");
    /* from b1 (babel's next hop, say) the cheapest way is its direct link */
    assert_int_equal(ld_meshgraph_route(g, ld_meshgraph_find(g, "b1"), ld_meshgraph_find(g, "gw"), way, 8), 1);
    assert_int_equal(ld_meshgraph_route(g, 0, 0, way, 8), 0);
    assert_int_equal(ld_meshgraph_route(g, ld_meshgraph_find(g, "b2"), ld_meshgraph_find(g, "gw"), way, 2), -1);
    json_object_put(info);
    json_object_put(babel);
    json_object_put(bat);
    free(g);
}

static void renamed_node_counts_once(void **state)
{
    (void)state;
    json_object *info, *babel, *bat, *ages = json_object_new_object();
    tables(-1, even, &info, &babel, &bat);
    /* b1 was "old-b1" 20 min ago: same address, same links reported under the old name */
    json_object *ni, *bl;
    json_object_object_get_ex(info, "b1", &ni);
    json_object_object_add(info, "old-b1", json_object_get(ni));
    json_object_object_get_ex(babel, "b1", &bl);
    json_object_object_add(babel, "old-b1", json_object_get(bl));
    json_object_object_add(ages, "old-b1", json_object_new_int(1200));
    json_object_object_add(ages, "b1", json_object_new_int(5));
    struct ld_meshgraph *g = calloc(1, sizeof(*g));
    ld_meshgraph_build(g, "b2", "LiMe", info, ages, babel, bat);
    assert_int_equal(g->n_node, 5);
    assert_int_equal(ld_meshgraph_find(g, "old-b1"), -1);
    assert_int_equal(g->n_link, 5);
    assert_int_equal(node(g, "b1")->hops, 1);
    /* this node's own old name is never kept over its current one */
    ld_meshgraph_build(g, "old-b1", "LiMe", info, ages, babel, bat);
    assert_int_equal(ld_meshgraph_find(g, "b1"), -1);
    assert_true(node(g, "old-b1")->self);
    json_object_put(info);
    json_object_put(babel);
    json_object_put(bat);
    json_object_put(ages);
    free(g);
}

static void alone_without_tables(void **state)
{
    (void)state;
    struct ld_meshgraph *g = calloc(1, sizeof(*g));
    ld_meshgraph_build(g, "solo", "Net", NULL, NULL, NULL, NULL);
    assert_int_equal(g->n_node, 1);
    assert_true(g->node[0].self);
    assert_string_equal(g->node[0].ssid, "Net");
    /* a first-hand link added afterwards, then the paths again */
    json_object *info = json_object_new_object();
    json_object_object_add(info, "peer", json_object_new_object());
    ld_meshgraph_build(g, "solo", "Net", info, NULL, NULL, NULL);
    assert_int_equal(node(g, "peer")->hops, -1);
    assert_true(ld_meshgraph_add_link(g, ld_meshgraph_find(g, "solo"), ld_meshgraph_find(g, "peer"), 80, 300) >= 0);
    ld_meshgraph_paths(g);
    assert_int_equal(node(g, "peer")->hops, 1);
    json_object_put(info);
    free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(whole_mesh_from_b2),
        cmocka_unit_test(switched_off_node_is_unreachable),
        cmocka_unit_test(batman_links_of_nodes_without_babel),
        cmocka_unit_test(path_follows_cost_and_worse_end),
        cmocka_unit_test(renamed_node_counts_once),
        cmocka_unit_test(alone_without_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
