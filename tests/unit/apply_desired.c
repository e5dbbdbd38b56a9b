/* plan → desired kernel state (with and without kernel VLANs), its text record. */
#include "apply_fixture.h"
#include "batadv_backend.h"
#include "desired.h"
#include "nl.h"
#include "plan.h"

#include <linux/batman_adv.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

static const struct lr_want_link *link_named(const struct lr_desired *d, const char *name)
{
    for (unsigned i = 0; i < d->n_links; i++)
        if (!strcmp(d->links[i].name, name))
            return &d->links[i];
    return NULL;
}

static bool has_addr(const struct lr_desired *d, const char *ifname, const char *text, unsigned len)
{
    int fam;
    uint8_t a[16];
    assert_int_equal(lr_addr_parse(text, &fam, a), 0);
    for (unsigned i = 0; i < d->n_addrs; i++)
        if (!strcmp(d->addrs[i].ifname, ifname) && d->addrs[i].family == fam &&
            d->addrs[i].prefixlen == len && !memcmp(d->addrs[i].addr, a, fam == AF_INET ? 4 : 16))
            return true;
    return false;
}

static unsigned index_of(const struct lr_desired *d, const char *name)
{
    for (unsigned i = 0; i < d->n_links; i++)
        if (!strcmp(d->links[i].name, name))
            return i;
    return 999;
}

static void test_no_kernel_vlans(void **state)
{
    (void)state;
    struct plan *p = lr_fixture_plan(NULL);
    struct lr_desired *d = calloc(1, sizeof(*d));
    struct lr_daemon_links dl;
    char err[256];
    assert_int_equal(lr_desired_from_plan(p, false, false, d, &dl, err, sizeof(err)), 0);
    const struct lr_want_link *br = link_named(d, "br-lan"), *gw = link_named(d, "anygw"),
                              *bat = link_named(d, "bat0"), *eth1 = link_named(d, "eth1");
    assert_non_null(br);
    assert_string_equal(br->kind, "bridge");
    assert_non_null(gw);
    assert_string_equal(gw->kind, "macvlan");
    assert_string_equal(gw->parent, "br-lan");
    assert_true(gw->has_mac);
    assert_memory_equal(gw->mac, "\xaa\xaa\xaa\x0d\xfe\xaa", 6);
    assert_non_null(bat);
    assert_string_equal(bat->kind, "tap");
    assert_string_equal(bat->master, "br-lan");
    assert_non_null(eth1);
    assert_string_equal(eth1->master, "br-lan");
    /* parents before children */
    assert_true(index_of(d, "br-lan") < index_of(d, "anygw"));
    assert_true(index_of(d, "br-lan") < index_of(d, "bat0"));
    /* no VLAN devices; the babel /32 sits on the raw link */
    assert_null(link_named(d, "eth0_17"));
    assert_null(link_named(d, "eth0_29"));
    assert_true(has_addr(d, "eth0", "10.13.132.209", 32));
    assert_true(has_addr(d, "br-lan", "10.13.132.209", 16));
    assert_true(has_addr(d, "br-lan", "fd0d:fe46:8ce8::1c:84d1", 64));
    assert_true(has_addr(d, "anygw", "10.13.0.1", 16));
    assert_true(has_addr(d, "anygw", "fd0d:fe46:8ce8::1", 64));
    for (unsigned i = 0; i < d->n_addrs; i++)
        if (!strcmp(d->addrs[i].ifname, "anygw"))
            assert_int_equal(d->addrs[i].rt_priority, 2147483647u);
    assert_int_equal(d->n_rules, 2);
    assert_int_equal(d->rules[0].table, 170);
    assert_int_equal(d->rules[0].priority, LR_RULE_PRIORITY);
    assert_int_equal(d->n_routes, 2);
    assert_string_equal(d->routes[0].oif, "anygw");
    assert_int_equal(d->routes[1].metric, 1024);
    /* batd tags VLAN 29 (802.1ad) on eth0; babel untagged on eth0 */
    assert_int_equal(dl.n_bat_ifs, 1);
    assert_string_equal(dl.bat_ifs[0], "eth0");
    assert_int_equal(dl.bat_vid, 29);
    assert_int_equal(dl.bat_vproto, 0x88a8);
    assert_int_equal(dl.n_babel_ifs, 1);
    assert_string_equal(dl.babel_ifs[0], "eth0");
    assert_string_equal(dl.babel_types[0], "wireless");
    free(d);
    plan_free(p);
}

static void test_kernel_vlans(void **state)
{
    (void)state;
    struct plan *p = lr_fixture_plan(NULL);
    struct lr_desired *d = calloc(1, sizeof(*d));
    struct lr_daemon_links dl;
    char err[256];
    assert_int_equal(lr_desired_from_plan(p, true, false, d, &dl, err, sizeof(err)), 0);
    const struct lr_want_link *v29 = link_named(d, "eth0_29"), *v17 = link_named(d, "eth0_17");
    assert_non_null(v29);
    assert_string_equal(v29->kind, "vlan");
    assert_string_equal(v29->parent, "eth0");
    assert_int_equal(v29->vlan_id, 29);
    assert_int_equal(v29->vlan_proto, 0x88a8);
    assert_int_equal(v29->mtu, 1496);
    assert_memory_equal(v29->mac, "\x02\x95\x39\x1c\x84\xd1", 6);
    assert_non_null(v17);
    assert_true(index_of(d, "eth0") < index_of(d, "eth0_17"));
    assert_true(has_addr(d, "eth0_17", "10.13.132.209", 32));
    assert_false(has_addr(d, "eth0", "10.13.132.209", 32));
    assert_string_equal(dl.bat_ifs[0], "eth0_29");
    assert_int_equal(dl.bat_vid, 0);
    assert_string_equal(dl.babel_ifs[0], "eth0_17");
    free(d);
    plan_free(p);
}

static void test_record_roundtrip(void **state)
{
    (void)state;
    struct plan *p = lr_fixture_plan(NULL);
    struct lr_desired *d = calloc(1, sizeof(*d)), *e = calloc(1, sizeof(*e));
    struct lr_daemon_links dl;
    char err[256], path[] = "/tmp/lr-unit-applied.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(lr_desired_from_plan(p, true, false, d, &dl, err, sizeof(err)), 0);
    assert_int_equal(lr_desired_save(d, path), 0);
    assert_int_equal(lr_desired_load(e, path, err, sizeof(err)), 0);
    assert_int_equal(e->n_links, d->n_links);
    assert_int_equal(e->n_addrs, d->n_addrs);
    assert_int_equal(e->n_rules, d->n_rules);
    assert_int_equal(e->n_routes, d->n_routes);
    for (unsigned i = 0; i < d->n_links; i++) {
        assert_string_equal(e->links[i].name, d->links[i].name);
        assert_string_equal(e->links[i].kind, d->links[i].kind);
        assert_string_equal(e->links[i].parent, d->links[i].parent);
        assert_string_equal(e->links[i].master, d->links[i].master);
        assert_int_equal(e->links[i].mtu, d->links[i].mtu);
        assert_int_equal(e->links[i].vlan_id, d->links[i].vlan_id);
        assert_int_equal(e->links[i].has_mac, d->links[i].has_mac);
        assert_int_equal(e->links[i].up, d->links[i].up);
    }
    for (unsigned i = 0; i < d->n_addrs; i++) {
        assert_true(lr_addr_same(&e->addrs[i], &d->addrs[i]));
        assert_int_equal(e->addrs[i].rt_priority, d->addrs[i].rt_priority);
    }
    for (unsigned i = 0; i < d->n_rules; i++)
        assert_true(lr_rule_same(&e->rules[i], &d->rules[i]));
    for (unsigned i = 0; i < d->n_routes; i++)
        assert_true(lr_route_same(&e->routes[i], &d->routes[i]));

    /* a missing record is an empty state; a malformed one names file:line */
    unlink(path);
    assert_int_equal(lr_desired_load(e, path, err, sizeof(err)), 0);
    assert_int_equal(e->n_links + e->n_addrs, 0);
    FILE *f = fopen(path, "w");
    fputs("# header\naddr eth0 10.0.0.1/8 0\naddr eth0 not-an-address 0\n", f);
    fclose(f);
    assert_int_equal(lr_desired_load(e, path, err, sizeof(err)), -1);
    char want[300];
    snprintf(want, sizeof(want), "%s:3:", path);
    assert_non_null(strstr(err, want));
    unlink(path);
    free(d);
    free(e);
    plan_free(p);
}

static const struct lr_want_batadv *setting(const struct lr_desired *d, int s)
{
    for (unsigned i = 0; i < d->n_batadv; i++)
        if (d->batadv[i].setting == s)
            return &d->batadv[i];
    return NULL;
}

/* The kernel's batman-adv: bat0 of kind batadv with the plan's algorithm in br-lan, the
 * batadv VLANs enslaved to it, upstream's settings, and no batd. */
static void test_kernel_batman(void **state)
{
    (void)state;
    struct plan *p = lr_fixture_plan(NULL);
    struct lr_desired *d = calloc(1, sizeof(*d));
    struct lr_daemon_links dl;
    char err[256];
    assert_int_equal(lr_desired_from_plan(p, true, true, d, &dl, err, sizeof(err)), 0);
    const struct lr_want_link *bat = link_named(d, "bat0"), *v29 = link_named(d, "eth0_29"),
                              *v17 = link_named(d, "eth0_17");
    assert_non_null(bat);
    assert_string_equal(bat->kind, "batadv");
    assert_string_equal(bat->algo, "BATMAN_IV");
    assert_string_equal(bat->master, "br-lan");
    assert_true(bat->up);
    assert_true(index_of(d, "bat0") < index_of(d, "eth0_29"));
    assert_string_equal(v29->master, "bat0");
    assert_string_equal(v17->master, "");
    assert_int_equal(dl.n_bat_ifs, 0); /* no batd */
    assert_int_equal(dl.n_babel_ifs, 1);
    /* spec §2.5: orig_interval 2000, BLA 1, multicast_mode 0, and with anygw DAT 0 and
     * gw_mode client; nothing else (hop penalty, aggregation, ... stay the kernel's) */
    assert_int_equal(d->n_batadv, 5);
    assert_int_equal(setting(d, LIME_BATADV_ORIG_INTERVAL)->value, 2000);
    assert_int_equal(setting(d, LIME_BATADV_BLA)->value, 1);
    assert_int_equal(setting(d, LIME_BATADV_MCAST_FORCEFLOOD)->value, 1);
    assert_int_equal(setting(d, LIME_BATADV_DAT)->value, 0);
    assert_int_equal(setting(d, LIME_BATADV_GW_MODE)->value, BATADV_GW_MODE_CLIENT);
    for (unsigned i = 0; i < d->n_batadv; i++) {
        assert_string_equal(d->batadv[i].mesh, "bat0");
        assert_string_equal(d->batadv[i].hard, "");
    }

    /* without anygw (no gw_mode, DAT unset): three settings */
    p->batman.distributed_arp_table = -1;
    p->batman.gw_mode[0] = 0;
    assert_int_equal(lr_desired_from_plan(p, true, true, d, &dl, err, sizeof(err)), 0);
    assert_int_equal(d->n_batadv, 3);
    assert_null(setting(d, LIME_BATADV_DAT));
    assert_null(setting(d, LIME_BATADV_GW_MODE));

    /* the kernel module needs kernel VLANs for VLAN hard interfaces */
    assert_int_equal(lr_desired_from_plan(p, false, true, d, &dl, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "eth0_29"));
    assert_non_null(strstr(err, "VLANs"));
    free(d);
    plan_free(p);
}

static void test_batman_choice(void **state)
{
    (void)state;
    char why[200];
    /* auto: the module when it exists and VLANs are not missing */
    assert_int_equal(lr_batman_choose("auto", true, true, true, why, sizeof(why)), LR_BATMAN_KERNEL);
    assert_non_null(strstr(why, "kernel"));
    assert_int_equal(lr_batman_choose("", true, false, false, why, sizeof(why)), LR_BATMAN_KERNEL);
    assert_int_equal(lr_batman_choose("auto", false, true, true, why, sizeof(why)), LR_BATMAN_BATD);
    assert_non_null(strstr(why, "no batman-adv module"));
    assert_int_equal(lr_batman_choose("auto", true, true, false, why, sizeof(why)), LR_BATMAN_BATD);
    assert_non_null(strstr(why, "VLANs"));
    /* forced */
    assert_int_equal(lr_batman_choose("batd", true, true, true, why, sizeof(why)), LR_BATMAN_BATD);
    assert_non_null(strstr(why, "batadv_backend batd"));
    assert_int_equal(lr_batman_choose("kernel", true, true, true, why, sizeof(why)), LR_BATMAN_KERNEL);
    assert_int_equal(lr_batman_choose("kernel", false, true, true, why, sizeof(why)), LR_BATMAN_ERROR);
    assert_non_null(strstr(why, "network.batadv_backend is kernel, but this kernel has no batman-adv module"));
    assert_int_equal(lr_batman_choose("kernel", true, true, false, why, sizeof(why)), LR_BATMAN_ERROR);
}

/* batadv settings and the algorithm survive the record; bad batadv lines are errors */
static void test_record_batadv(void **state)
{
    (void)state;
    struct plan *p = lr_fixture_plan(NULL);
    struct lr_desired *d = calloc(1, sizeof(*d)), *e = calloc(1, sizeof(*e));
    struct lr_daemon_links dl;
    char err[256], path[] = "/tmp/lr-unit-applied.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(lr_desired_from_plan(p, true, true, d, &dl, err, sizeof(err)), 0);
    struct lr_want_batadv *h = &d->batadv[d->n_batadv++]; /* a hard-interface setting too */
    memset(h, 0, sizeof(*h));
    snprintf(h->mesh, sizeof(h->mesh), "bat0");
    snprintf(h->hard, sizeof(h->hard), "eth0_29");
    h->setting = LIME_BATADV_HARD_HOP_PENALTY;
    h->value = 10;
    assert_int_equal(lr_desired_save(d, path), 0);
    assert_int_equal(lr_desired_load(e, path, err, sizeof(err)), 0);
    assert_string_equal(link_named(e, "bat0")->algo, "BATMAN_IV");
    assert_string_equal(link_named(e, "bat0")->kind, "batadv");
    assert_string_equal(link_named(e, "eth0_29")->algo, "");
    assert_int_equal(e->n_batadv, d->n_batadv);
    for (unsigned i = 0; i < d->n_batadv; i++) {
        assert_true(lr_batadv_same(&e->batadv[i], &d->batadv[i]));
        assert_int_equal(e->batadv[i].value, d->batadv[i].value);
    }
    static const char *const bad[] = {
        "batadv bat0 - no_such_setting 1\n",
        "batadv bat0 - orig_interval -1\n",
        "batadv bat0 - gw_mode 3\n",                /* above the kernel's range */
        "batadv bat0 - elp_interval 500\n",         /* a hard-interface setting on the mesh */
        "batadv bat0 eth0_29 orig_interval 500\n",  /* a mesh setting on a hard interface */
        "batadv bat0 - orig_interval\n",
        "link bat0 batadv - 0 0 0 - 0 br-lan 1 BATMAN_IV_AND_MORE_THAN_15\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        FILE *f = fopen(path, "w");
        fputs(bad[i], f);
        fclose(f);
        err[0] = 0;
        if (lr_desired_load(e, path, err, sizeof(err)) != -1)
            fail_msg("accepted: %s", bad[i]);
        assert_non_null(strstr(err, ":1:"));
    }
    unlink(path);
    free(d);
    free(e);
    plan_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kernel_batman),
        cmocka_unit_test(test_batman_choice),
        cmocka_unit_test(test_record_batadv),
        cmocka_unit_test(test_no_kernel_vlans),
        cmocka_unit_test(test_kernel_vlans),
        cmocka_unit_test(test_record_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
