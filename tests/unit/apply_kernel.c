/* lime-apply's diff and rollback (kernel_apply.c) against the in-memory kernel behind the
 * kernel seam (src/core/nl_mock.h), without root: a re-apply makes no change, a changed
 * plan makes exactly the difference, a failure at any step rolls back to the state before,
 * and objects the ownership record does not list are never touched. */
#include "apply_fixture.h"
#include "desired.h"
#include "kernel_apply.h"
#include "log.h"
#include "nl.h"
#include "nl_mock.h"
#include "plan.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

/* The worked example's desired state (kernel VLANs or not; batd's TAP or the kernel's
 * batman-adv). */
static struct lr_desired *fixture_b(bool kernel_vlans, bool kernel_batman)
{
    struct plan *p = lr_fixture_plan(NULL);
    struct lr_desired *d = calloc(1, sizeof(*d));
    struct lr_daemon_links dl;
    char err[256];
    assert_non_null(p);
    assert_non_null(d);
    assert_int_equal(lr_desired_from_plan(p, kernel_vlans, kernel_batman, d, &dl, err, sizeof(err)), 0);
    plan_free(p);
    return d;
}

static struct lr_desired *fixture(bool kernel_vlans)
{
    return fixture_b(kernel_vlans, false);
}

static struct lr_desired *copy(const struct lr_desired *d)
{
    struct lr_desired *c = malloc(sizeof(*c));
    assert_non_null(c);
    memcpy(c, d, sizeof(*c));
    return c;
}

/* A host with its two Ethernet ports and nothing else. */
static void host(void)
{
    lime_nl_mock_reset();
    assert_true(lime_nl_mock_device("eth0") > 0);
    assert_true(lime_nl_mock_device("eth1") > 0);
}

/* lr_kernel_apply + (on failure) the rollback lime-apply does. Returns its result. */
static int apply(const struct lr_desired *want, const struct lr_desired *prev)
{
    struct lime_nl *nl = lime_nl_open();
    assert_non_null(nl);
    struct lr_kernel_opts o = {.dry_run = false, .fail_after = -1};
    struct lr_journal *j = NULL;
    int n = lr_kernel_apply(nl, want, prev, &o, &j);
    if (n < 0)
        lr_journal_rollback(nl, j);
    lr_journal_free(j);
    lime_nl_close(nl);
    return n;
}

static unsigned lines(const char *text)
{
    unsigned n = 0;
    for (; *text; text++)
        n += *text == '\n';
    return n;
}

/* ---------------------------------------------------------------- idempotency */

static void test_reapply_makes_no_change(void **state)
{
    (void)state;
    for (int vlans = 0; vlans < 2; vlans++) {
        struct lr_desired *want = fixture(vlans), *none = calloc(1, sizeof(*none));
        host();
        int n = apply(want, none);
        assert_true(n > 10);
        assert_int_equal((unsigned)n, lime_nl_mock_changes());
        assert_int_equal(lines(lime_nl_mock_log()), (unsigned)n);
        assert_null(strstr(lime_nl_mock_log(), "error"));
        char *before = lime_nl_mock_snapshot();
        /* every wanted object is there */
        assert_non_null(strstr(before, "link anygw kind=macvlan parent=br-lan master=- up=1"));
        assert_non_null(strstr(before, "link bat0 kind=tun parent=- master=br-lan up=1"));
        assert_non_null(strstr(before, "link eth1 kind=- parent=- master=br-lan up=1"));
        assert_non_null(strstr(before, "addr anygw 10.13.0.1/16 flags=0 metric=2147483647"));
        assert_non_null(strstr(before, "rule 2 pref 170 from 10.13.0.1/"));
        assert_non_null(strstr(before, "route 10.13.0.0/16 type 1 dev anygw via - table 170"));
        if (vlans)
            assert_non_null(strstr(before, "link eth0_29 kind=vlan parent=eth0"));

        lime_nl_mock_log_clear();
        assert_int_equal(apply(want, want), 0);
        assert_int_equal(lime_nl_mock_changes(), 0);
        assert_string_equal(lime_nl_mock_log(), "");
        char *after = lime_nl_mock_snapshot();
        assert_string_equal(after, before);
        free(before);
        free(after);
        free(want);
        free(none);
    }
}

/* ---------------------------------------------------------------- a changed plan */

/* b = a with three differences: one route fewer, one more address, another VLAN MTU. */
static struct lr_desired *changed(const struct lr_desired *a)
{
    struct lr_desired *b = copy(a);
    assert_int_equal(b->n_routes, 2);
    b->n_routes = 1;
    struct lr_want_addr *x = &b->addrs[b->n_addrs++];
    memset(x, 0, sizeof(*x));
    snprintf(x->ifname, sizeof(x->ifname), "br-lan");
    assert_int_equal(lr_addr_parse("192.0.2.1", &x->family, x->addr), 0);
    x->prefixlen = 24;
    for (unsigned i = 0; i < b->n_links; i++)
        if (!strcmp(b->links[i].name, "eth0_29"))
            b->links[i].mtu = 1400;
    return b;
}

static void test_changed_plan_makes_only_the_difference(void **state)
{
    (void)state;
    struct lr_desired *a = fixture(true), *b = changed(a), *none = calloc(1, sizeof(*none));
    char removed[200], d[64];
    snprintf(removed, sizeof(removed), "route_del %s/%u dev %s via - table %u metric %u proto 4 type 1\n",
             lr_addr_str(a->routes[1].family, a->routes[1].dst, d, sizeof(d)), a->routes[1].dst_len,
             a->routes[1].oif, a->routes[1].table, a->routes[1].metric);

    host();
    assert_true(apply(a, none) > 0);
    lime_nl_mock_log_clear();
    assert_int_equal(apply(b, a), 3);
    char want[600];
    snprintf(want, sizeof(want), "%s%s%s", removed, "link_set eth0_29 mtu 1400\n",
             "addr_add 192.0.2.1/24 dev br-lan metric 0\n");
    assert_string_equal(lime_nl_mock_log(), want);
    char *diffed = lime_nl_mock_snapshot();

    /* the same state as applying b on a fresh host */
    host();
    assert_true(apply(b, none) > 0);
    char *fresh = lime_nl_mock_snapshot();
    assert_string_equal(diffed, fresh);

    /* and back: exactly the inverse three */
    lime_nl_mock_log_clear();
    assert_int_equal(apply(a, b), 3);
    free(diffed);
    free(fresh);
    free(a);
    free(b);
    free(none);
}

/* ---------------------------------------------------------------- rollback */

/* Prints the lines of a that b lacks. */
static void print_lines_missing(const char *what, const char *a, const char *b)
{
    for (const char *l = a; *l;) {
        const char *e = strchr(l, '\n');
        size_t n = e ? (size_t)(e - l) + 1 : strlen(l);
        char line[300];
        snprintf(line, sizeof(line), "%.*s", (int)n, l);
        if (!strstr(b, line))
            print_error("%s: %s", what, line);
        l += n;
    }
}

/* For every step N of applying want over prev (starting from the state setup() leaves),
 * a failure at step N is rolled back to exactly that state. Returns the steps tried. */
static unsigned fail_every_step(void (*setup)(void), const struct lr_desired *want,
                                const struct lr_desired *prev)
{
    setup();
    lime_nl_mock_log_clear();
    int total = apply(want, prev);
    assert_true(total > 0);
    for (int step = 1; step <= total; step++) {
        setup();
        char *before = lime_nl_mock_snapshot();
        lime_nl_mock_log_clear();
        lime_nl_mock_fail_at((unsigned)step, -EIO);
        if (apply(want, prev) != -1)
            fail_msg("step %d of %d did not fail:\n%s", step, total, lime_nl_mock_log());
        char *after = lime_nl_mock_snapshot();
        if (strcmp(before, after)) {
            print_error("failure at step %d of %d: not rolled back\n", step, total);
            print_lines_missing("lost", before, after);
            print_lines_missing("extra", after, before);
            print_error("changes:\n%s", lime_nl_mock_log());
            fail();
        }
        free(before);
        free(after);
    }
    return (unsigned)total;
}

static struct lr_desired *g_a, *g_b;

static void fresh_host(void)
{
    host();
}

static void host_with_a(void)
{
    struct lr_desired none = {0};
    host();
    assert_true(apply(g_a, &none) > 0);
}

static void test_failure_rolls_back_a_fresh_apply(void **state)
{
    (void)state;
    struct lr_desired *none = calloc(1, sizeof(*none));
    for (int vlans = 0; vlans < 2; vlans++) {
        struct lr_desired *want = fixture(vlans);
        assert_true(fail_every_step(fresh_host, want, none) > 10);
        free(want);
    }
    free(none);
}

static void test_failure_rolls_back_a_change(void **state)
{
    (void)state;
    g_a = fixture(true);
    /* b: a's changes plus the anycast gateway gone (its link, addresses, rule, route) and
     * bat0 no longer in br-lan, so the diff deletes owned objects and releases a port */
    g_b = changed(g_a);
    struct lr_desired *b = g_b;
    unsigned w = 0;
    for (unsigned i = 0; i < b->n_links; i++)
        if (strcmp(b->links[i].name, "anygw"))
            b->links[w++] = b->links[i];
    b->n_links = w;
    w = 0;
    for (unsigned i = 0; i < b->n_addrs; i++)
        if (strcmp(b->addrs[i].ifname, "anygw"))
            b->addrs[w++] = b->addrs[i];
    b->n_addrs = w;
    b->n_rules = 0;
    b->n_routes = 0;
    for (unsigned i = 0; i < b->n_links; i++)
        if (!strcmp(b->links[i].name, "eth1"))
            b->links[i].master[0] = 0;
    assert_true(fail_every_step(host_with_a, g_b, g_a) >= 8);
    /* and the way back, which re-creates them */
    struct lr_desired *t = g_a;
    g_a = g_b;
    g_b = t;
    assert_true(fail_every_step(host_with_a, g_b, g_a) >= 8);
    free(g_a);
    free(g_b);
}

/* ---------------------------------------------------------------- ownership */

static const char *const foreign[] = {"foreign0", "198.51.100", "203.0.113", "fmv0"};

static void add_foreign(void)
{
    struct lime_nl *nl = lime_nl_open();
    struct lime_nl_link_spec br = {.name = "foreign0", .kind = "bridge"};
    struct lime_nl_link_spec mv = {.name = "fmv0", .kind = "macvlan", .parent = "eth0"};
    assert_int_equal(lime_nl_link_add(nl, &br), 0);
    assert_int_equal(lime_nl_link_add(nl, &mv), 0);
    struct lime_nl_addr a = {.family = AF_INET, .ifindex = lime_nl_ifindex(nl, "br-lan"),
                             .addr = {198, 51, 100, 1}, .prefixlen = 24};
    assert_int_equal(lime_nl_addr_add(nl, &a), 0);
    a.ifindex = lime_nl_ifindex(nl, "eth1");
    memcpy(a.addr, (uint8_t[]){203, 0, 113, 5}, 4);
    a.prefixlen = 32;
    assert_int_equal(lime_nl_addr_add(nl, &a), 0);
    struct lime_nl_rule r = {.family = AF_INET, .priority = 170, .table = 170,
                             .src = {198, 51, 100, 0}, .src_len = 24};
    assert_int_equal(lime_nl_rule_add(nl, &r), 0);
    struct lime_nl_route rt = {.family = AF_INET, .table = 170, .dst = {198, 51, 100, 0},
                               .dst_len = 24, .oif = lime_nl_ifindex(nl, "eth0")};
    assert_int_equal(lime_nl_route_add(nl, &rt), 0);
    lime_nl_close(nl);
}

static void assert_foreign_kept(const char *snapshot, bool on_br_lan)
{
    assert_null(strstr(lime_nl_mock_log(), "foreign0"));
    for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++)
        if (strstr(lime_nl_mock_log(), foreign[i]))
            fail_msg("touched a foreign object (%s):\n%s", foreign[i], lime_nl_mock_log());
    assert_non_null(strstr(snapshot, "link foreign0 kind=bridge"));
    assert_non_null(strstr(snapshot, "link fmv0 kind=macvlan parent=eth0"));
    assert_non_null(strstr(snapshot, "addr eth1 203.0.113.5/32"));
    assert_non_null(strstr(snapshot, "rule 2 pref 170 from 198.51.100.0/24 lookup 170"));
    assert_non_null(strstr(snapshot, "route 198.51.100.0/24 type 1 dev eth0 via - table 170"));
    if (on_br_lan)
        assert_non_null(strstr(snapshot, "addr br-lan 198.51.100.1/24"));
}

static void test_foreign_objects_are_never_touched(void **state)
{
    (void)state;
    struct lr_desired *a = fixture(true), *b = changed(a), *none = calloc(1, sizeof(*none));
    host();
    assert_true(apply(a, none) > 0);
    add_foreign();

    /* a changed plan, and a re-apply of it */
    lime_nl_mock_log_clear();
    assert_int_equal(apply(b, a), 3);
    char *s = lime_nl_mock_snapshot();
    assert_foreign_kept(s, true);
    free(s);
    lime_nl_mock_log_clear();
    assert_int_equal(apply(b, b), 0);

    /* a record that lists objects someone else already removed: nothing is tried */
    struct lime_nl *nl = lime_nl_open();
    assert_int_equal(lime_nl_link_del(nl, lime_nl_ifindex(nl, "anygw")), 0);
    lime_nl_close(nl);
    lime_nl_mock_log_clear();
    assert_true(apply(none, b) > 0);
    assert_null(strstr(lime_nl_mock_log(), "anygw"));
    assert_null(strstr(lime_nl_mock_log(), "error"));

    /* nothing wanted any more: every owned link is gone, every foreign object stays
     * (except the address on br-lan, which the kernel removes with br-lan) */
    s = lime_nl_mock_snapshot();
    assert_foreign_kept(s, false);
    assert_null(strstr(s, "link br-lan"));
    assert_null(strstr(s, "link eth0_17"));
    assert_null(strstr(s, "link bat0"));
    assert_non_null(strstr(s, "link eth0 "));
    assert_non_null(strstr(s, "link eth1 "));
    assert_non_null(strstr(s, "link lo "));
    free(s);
    free(a);
    free(b);
    free(none);
}

/* ---------------------------------------------------------------- kernel batman-adv */

static struct lr_want_batadv *find_setting(struct lr_desired *d, int s)
{
    for (unsigned i = 0; i < d->n_batadv; i++)
        if (d->batadv[i].setting == s)
            return &d->batadv[i];
    return NULL;
}

static void test_kernel_batman_apply(void **state)
{
    (void)state;
    struct lr_desired *want = fixture_b(true, true), *none = calloc(1, sizeof(*none));
    host();
    int n = apply(want, none);
    assert_true(n > 10);
    assert_null(strstr(lime_nl_mock_log(), "error"));
    assert_non_null(strstr(lime_nl_mock_log(), "link_add bat0 batadv parent=-\n"));
    assert_null(strstr(lime_nl_mock_log(), "tap_create"));
    char *s = lime_nl_mock_snapshot();
    assert_non_null(strstr(s, "link bat0 kind=batadv parent=- master=br-lan up=1"));
    assert_non_null(strstr(s, "link eth0_29 kind=vlan parent=eth0 master=bat0 up=1 mtu=1496 "
                              "mac=02:95:39:1c:84:d1 vlan=29/88a8"));
    assert_non_null(strstr(s, "link eth0_17 kind=vlan parent=eth0 master=- up=1"));
    /* upstream's settings, read back from the (mock) kernel; the rest at its defaults */
    assert_non_null(strstr(s, "batadv bat0 algo=BATMAN_IV aggregated_ogms=1 ap_isolation=0 "
                              "bonding=0 bridge_loop_avoidance=1 distributed_arp_table=0 "
                              "fragmentation=1 gw_mode=1 hop_penalty=30 multicast_forceflood=1 "
                              "network_coding=0 orig_interval=2000 multicast_fanout=16\n"));
    assert_non_null(strstr(s, "batadv_hardif eth0_29 mesh=bat0 hop_penalty=0 elp_interval=500 "
                              "throughput_override=0\n"));
    /* every setting is one change, made only when the kernel differs: 4 (BLA is 1 already) */
    unsigned sets = 0;
    for (const char *l = lime_nl_mock_log(); (l = strstr(l, "batadv_set ")); l++)
        sets++;
    assert_int_equal(sets, 4);

    lime_nl_mock_log_clear();
    assert_int_equal(apply(want, want), 0);
    assert_string_equal(lime_nl_mock_log(), "");
    char *again = lime_nl_mock_snapshot();
    assert_string_equal(again, s);
    free(s);
    free(again);
    free(want);
    free(none);
}

static void test_kernel_batman_rollback(void **state)
{
    (void)state;
    struct lr_desired *want = fixture_b(true, true), *none = calloc(1, sizeof(*none));
    assert_true(fail_every_step(fresh_host, want, none) > 10);
    free(want);
    free(none);
}

/* batd's TAP ↔ the kernel's batman-adv: the TAP is replaced by a mesh (its ports released
 * first), and back; a failure at any step restores the state before, settings included */
static void test_switch_batd_kernel(void **state)
{
    (void)state;
    g_a = fixture_b(true, false);
    g_b = fixture_b(true, true);
    host_with_a();
    lime_nl_mock_log_clear();
    int n = apply(g_b, g_a);
    assert_true(n > 5);
    assert_non_null(strstr(lime_nl_mock_log(), "link_del bat0\n"));
    assert_non_null(strstr(lime_nl_mock_log(), "link_set eth0_29 master bat0\n"));
    char *switched = lime_nl_mock_snapshot();
    struct lr_desired none = {0};
    host();
    assert_true(apply(g_b, &none) > 0);
    char *fresh = lime_nl_mock_snapshot();
    /* the same objects as a fresh apply (the new mesh's MAC is the kernel's choice) */
    assert_non_null(strstr(switched, "link bat0 kind=batadv parent=- master=br-lan up=1"));
    assert_non_null(strstr(switched, "batadv bat0 algo=BATMAN_IV"));
    char *a = strstr(switched, "batadv bat0"), *b = strstr(fresh, "batadv bat0");
    assert_int_equal(strcspn(a, "\n"), strcspn(b, "\n"));
    assert_memory_equal(a, b, strcspn(a, "\n"));
    free(switched);
    free(fresh);
    assert_true(fail_every_step(host_with_a, g_b, g_a) > 5);
    /* and back to batd: the mesh goes (its hard interfaces released first), a TAP comes */
    struct lr_desired *t = g_a;
    g_a = g_b;
    g_b = t;
    host_with_a();
    lime_nl_mock_log_clear();
    assert_true(apply(g_b, g_a) > 0);
    const char *log = lime_nl_mock_log();
    char *rel = strstr(log, "link_set eth0_29 master none\n"), *del = strstr(log, "link_del bat0\n");
    assert_non_null(rel);
    assert_non_null(del);
    assert_true(rel < del);
    assert_non_null(strstr(log, "tap_create bat0\n"));
    char *s = lime_nl_mock_snapshot();
    assert_null(strstr(s, "batadv bat0"));
    assert_non_null(strstr(s, "link eth0_29 kind=vlan parent=eth0 master=- "));
    free(s);
    assert_true(fail_every_step(host_with_a, g_b, g_a) >= 4);
    free(g_a);
    free(g_b);
}

/* A changed setting and a dropped one: exactly two changes (the dropped one back to the
 * kernel's default), the state of a fresh apply, rollback at every step. */
static void test_changed_batadv_settings(void **state)
{
    (void)state;
    g_a = fixture_b(true, true);
    g_b = copy(g_a);
    find_setting(g_b, LIME_BATADV_ORIG_INTERVAL)->value = 5000;
    struct lr_want_batadv *gw = find_setting(g_b, LIME_BATADV_GW_MODE);
    *gw = g_b->batadv[--g_b->n_batadv];
    host_with_a();
    lime_nl_mock_log_clear();
    assert_int_equal(apply(g_b, g_a), 2);
    assert_string_equal(lime_nl_mock_log(), "batadv_set bat0 gw_mode 0\nbatadv_set bat0 orig_interval 5000\n");
    char *diffed = lime_nl_mock_snapshot();
    struct lr_desired none = {0};
    host();
    assert_true(apply(g_b, &none) > 0);
    char *fresh = lime_nl_mock_snapshot();
    char *a = strstr(diffed, "batadv bat0"), *b = strstr(fresh, "batadv bat0");
    assert_non_null(strstr(a, "gw_mode=0 "));
    assert_non_null(strstr(a, "orig_interval=5000 "));
    assert_int_equal(strcspn(a, "\n"), strcspn(b, "\n"));
    assert_memory_equal(a, b, strcspn(a, "\n"));
    free(diffed);
    free(fresh);
    assert_int_equal(fail_every_step(host_with_a, g_b, g_a), 2);
    free(g_a);
    free(g_b);
}

/* A hard-interface setting (the seam's SET_HARDIF): set, idempotent, undone on failure,
 * back to the default when dropped. */
static void test_hardif_setting(void **state)
{
    (void)state;
    g_a = fixture_b(true, true);
    g_b = copy(g_a);
    struct lr_want_batadv *h = &g_b->batadv[g_b->n_batadv++];
    memset(h, 0, sizeof(*h));
    snprintf(h->mesh, sizeof(h->mesh), "bat0");
    snprintf(h->hard, sizeof(h->hard), "eth0_29");
    h->setting = LIME_BATADV_HARD_HOP_PENALTY;
    h->value = 10;
    host_with_a();
    lime_nl_mock_log_clear();
    assert_int_equal(apply(g_b, g_a), 1);
    assert_string_equal(lime_nl_mock_log(), "batadv_set bat0 eth0_29 hop_penalty 10\n");
    char *s = lime_nl_mock_snapshot();
    assert_non_null(strstr(s, "batadv_hardif eth0_29 mesh=bat0 hop_penalty=10 "));
    free(s);
    lime_nl_mock_log_clear();
    assert_int_equal(apply(g_b, g_b), 0);
    assert_int_equal(apply(g_a, g_b), 1);
    assert_string_equal(lime_nl_mock_log(), "batadv_set bat0 eth0_29 hop_penalty 0\n");
    assert_int_equal(fail_every_step(host_with_a, g_b, g_a), 1);
    free(g_a);
    free(g_b);
}

/* Another routing algorithm cannot be set on a live mesh: bat0 is re-created. */
static void test_algo_change_recreates(void **state)
{
    (void)state;
    g_a = fixture_b(true, true);
    g_b = copy(g_a);
    for (unsigned i = 0; i < g_b->n_links; i++)
        if (!strcmp(g_b->links[i].name, "bat0"))
            snprintf(g_b->links[i].algo, sizeof(g_b->links[i].algo), "BATMAN_V");
    host_with_a();
    lime_nl_mock_log_clear();
    assert_true(apply(g_b, g_a) > 3);
    char *s = lime_nl_mock_snapshot();
    assert_non_null(strstr(s, "batadv bat0 algo=BATMAN_V "));
    assert_non_null(strstr(s, "orig_interval=2000 "));
    assert_non_null(strstr(s, "link eth0_29 kind=vlan parent=eth0 master=bat0 "));
    free(s);
    assert_true(fail_every_step(host_with_a, g_b, g_a) > 3);
    free(g_a);
    free(g_b);
}

/* A mesh someone else made, with its own settings and hard interface, is left alone. */
static void test_foreign_mesh_untouched(void **state)
{
    (void)state;
    struct lr_desired *want = fixture_b(true, true), *none = calloc(1, sizeof(*none));
    host();
    struct lime_nl *nl = lime_nl_open();
    struct lime_nl_link_spec m = {.name = "bat9", .kind = "batadv"};
    assert_int_equal(lime_nl_link_add(nl, &m), 0);
    assert_true(lime_nl_mock_device("veth9") > 0);
    int bat9 = lime_nl_ifindex(nl, "bat9"), veth9 = lime_nl_ifindex(nl, "veth9");
    assert_int_equal(lime_nl_link_set_master(nl, veth9, bat9), 0);
    assert_int_equal(lime_nl_batadv_set(nl, bat9, 0, LIME_BATADV_ORIG_INTERVAL, 3000), 0);
    assert_int_equal(lime_nl_batadv_set(nl, bat9, veth9, LIME_BATADV_HARD_HOP_PENALTY, 7), 0);
    lime_nl_close(nl);
    char *before = lime_nl_mock_snapshot();
    lime_nl_mock_log_clear();
    assert_true(apply(want, none) > 0);
    assert_true(apply(none, want) > 0);
    assert_null(strstr(lime_nl_mock_log(), "bat9"));
    assert_null(strstr(lime_nl_mock_log(), "veth9"));
    char *after = lime_nl_mock_snapshot();
    /* every line about the foreign mesh is as it was */
    for (const char *l = before; *l; l += strcspn(l, "\n") + 1) {
        char line[600];
        snprintf(line, sizeof(line), "%.*s\n", (int)strcspn(l, "\n"), l);
        if (strstr(line, "bat9") || strstr(line, "veth9"))
            assert_non_null(strstr(after, line));
    }
    free(before);
    free(after);
    free(want);
    free(none);
}

int main(void)
{
    lime_log_init("apply_kernel", LIME_LOG_ERR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kernel_batman_apply),
        cmocka_unit_test(test_kernel_batman_rollback),
        cmocka_unit_test(test_switch_batd_kernel),
        cmocka_unit_test(test_changed_batadv_settings),
        cmocka_unit_test(test_hardif_setting),
        cmocka_unit_test(test_algo_change_recreates),
        cmocka_unit_test(test_foreign_mesh_untouched),
        cmocka_unit_test(test_reapply_makes_no_change),
        cmocka_unit_test(test_changed_plan_makes_only_the_difference),
        cmocka_unit_test(test_failure_rolls_back_a_fresh_apply),
        cmocka_unit_test(test_failure_rolls_back_a_change),
        cmocka_unit_test(test_foreign_objects_are_never_touched),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
