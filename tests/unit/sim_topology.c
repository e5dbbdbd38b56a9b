/* lime-sim TOPOLOGY parsing: generated shapes and meshnet-lab JSON, and its errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "topology.h"

static int degree(const struct sim_state *st, int node)
{
    int d = 0;
    for (int i = 0; i < st->n_links; i++)
        d += st->links[i].a == node || st->links[i].b == node;
    return d;
}

/* Every node reachable from node 0 (union-find over links). */
static int connected(const struct sim_state *st)
{
    int parent[SIM_MAX_NODES];
    for (int i = 0; i < st->n_nodes; i++)
        parent[i] = i;
    for (int k = 0; k < st->n_links; k++) {
        int a = st->links[k].a, b = st->links[k].b;
        while (parent[a] != a)
            a = parent[a];
        while (parent[b] != b)
            b = parent[b];
        parent[a] = b;
    }
    int root = 0;
    while (parent[root] != root)
        root = parent[root];
    for (int i = 0; i < st->n_nodes; i++) {
        int r = i;
        while (parent[r] != r)
            r = parent[r];
        if (r != root)
            return 0;
    }
    return 1;
}

static void test_line_ring_grid(void **state)
{
    (void)state;
    struct sim_state st = {0};
    char err[256];
    assert_int_equal(sim_topology_parse("line:4", 0, &st, err, sizeof(err)), 0);
    assert_int_equal(st.n_nodes, 4);
    assert_int_equal(st.n_links, 3);
    assert_string_equal(st.nodes[0].name, "n1");
    assert_string_equal(st.nodes[3].name, "n4");
    assert_string_equal(st.nodes[0].ssid, "LibreMesh.org");
    assert_int_equal(degree(&st, 0), 1);
    assert_int_equal(degree(&st, 1), 2);
    assert_true(sim_link_find(&st, 2, 1) >= 0);
    assert_true(sim_link_find(&st, 0, 2) < 0);
    sim_state_free(&st);

    assert_int_equal(sim_topology_parse("ring:5", 0, &st, err, sizeof(err)), 0);
    assert_int_equal(st.n_links, 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(degree(&st, i), 2);
    sim_state_free(&st);

    assert_int_equal(sim_topology_parse("grid:3x2", 0, &st, err, sizeof(err)), 0);
    assert_int_equal(st.n_nodes, 6);
    assert_int_equal(st.n_links, 7); /* 2*2 horizontal + 3 vertical */
    assert_int_equal(degree(&st, 0), 2);
    assert_int_equal(degree(&st, 1), 3);
    sim_state_free(&st);
}

static void test_random_is_connected_and_seeded(void **state)
{
    (void)state;
    struct sim_state a = {0}, b = {0}, c = {0};
    char err[256];
    assert_int_equal(sim_topology_parse("random:30", 7, &a, err, sizeof(err)), 0);
    assert_int_equal(sim_topology_parse("random:30", 7, &b, err, sizeof(err)), 0);
    assert_int_equal(sim_topology_parse("random:30", 8, &c, err, sizeof(err)), 0);
    assert_int_equal(a.n_nodes, 30);
    assert_true(connected(&a));
    assert_true(a.n_links >= 29);
    assert_int_equal(a.n_links, b.n_links);
    assert_memory_equal(a.links, b.links, sizeof(*a.links) * (size_t)a.n_links);
    int same = c.n_links == a.n_links &&
               memcmp(a.links, c.links, sizeof(*a.links) * (size_t)a.n_links) == 0;
    assert_false(same);
    sim_state_free(&a);
    sim_state_free(&b);
    sim_state_free(&c);
}

static void test_bad_specs(void **state)
{
    (void)state;
    struct sim_state st = {0};
    char err[256];
    const char *bad[] = {"line:0", "line:", "line:x", "ring:2", "grid:3", "grid:3x", "grid:40x40",
                         "random:-1", "line:1001", "/nonexistent/topology.json"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        err[0] = 0;
        assert_int_equal(sim_topology_parse(bad[i], 0, &st, err, sizeof(err)), -1);
        assert_true(strlen(err) > 0);
        assert_int_equal(st.n_nodes, 0);
        assert_null(st.nodes);
    }
}

static void test_json(void **state)
{
    (void)state;
    struct sim_state st = {0};
    char err[256];
    const char *text = "{\"nodes\":[{\"id\":\"gw\",\"gateway\":true},{\"id\":\"b\",\"ssid\":\"LiMe\"}],\n"
                       " \"links\":[{\"source\":\"gw\",\"target\":\"a\",\"loss\":12.4},\n"
                       "           {\"source\":\"a\",\"target\":\"b\"}, {\"source\":3,\"target\":\"b\"}]}";
    assert_int_equal(sim_topology_parse_json(text, "t.json", &st, err, sizeof(err)), 0);
    assert_int_equal(st.n_nodes, 4);
    assert_string_equal(st.nodes[0].name, "gw");
    assert_true(st.nodes[0].gateway);
    assert_string_equal(st.nodes[1].ssid, "LiMe");
    assert_string_equal(st.nodes[2].name, "a");
    assert_string_equal(st.nodes[3].name, "3");
    assert_false(st.nodes[2].gateway);
    int k = sim_link_find(&st, 0, 2);
    assert_true(k >= 0);
    assert_int_equal(st.links[k].loss_pct, 12);
    sim_state_free(&st);
}

static void test_json_errors(void **state)
{
    (void)state;
    struct sim_state st = {0};
    char err[256];
    struct {
        const char *text, *want;
    } cases[] = {
        {"{\"links\": [\n{\"source\": \"a\",\n \"target\": }]}", "t.json:3:"},
        {"[1,2]", "expected an object with a \"links\" array"},
        {"{\"links\":[{\"source\":\"a\"}]}", "links[0]"},
        {"{\"links\":[{\"source\":\"a\",\"target\":\"a\"}]}", "links[0]"},
        {"{\"links\":[{\"source\":\"a-b\",\"target\":\"c\"}]}", "links[0]"},
        {"{\"links\":[{\"source\":\"a\",\"target\":\"b\",\"loss\":101}]}", "loss"},
        {"{\"links\":[{\"source\":\"a\",\"target\":\"b\"},{\"source\":\"b\",\"target\":\"a\"}]}", "duplicate"},
        {"{\"links\":[], \"nodes\":[{\"id\":\"a\",\"gateway\":\"yes\"}]}", "gateway"},
        {"{\"links\":[]}", "at least one node"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        err[0] = 0;
        assert_int_equal(sim_topology_parse_json(cases[i].text, "t.json", &st, err, sizeof(err)), -1);
        if (!strstr(err, cases[i].want))
            fail_msg("case %zu: '%s' does not contain '%s'", i, err, cases[i].want);
        assert_int_equal(st.n_nodes, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_ring_grid),   cmocka_unit_test(test_random_is_connected_and_seeded),
        cmocka_unit_test(test_bad_specs),        cmocka_unit_test(test_json),
        cmocka_unit_test(test_json_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
