/* lime-apply's Wi-Fi (src/apply/wifi*.c) on the in-memory kernel (nl_mock.h), without root
 * or radios: live radios in the plan (what a radio cannot do is left out with an error
 * naming it), the Wi-Fi interfaces and the open-mesh join made and recorded, a re-apply
 * changing nothing, a failure at every step rolled back to the state before, changes that
 * rejoin or remove exactly what they must, and the hostapd / wpa_supplicant configs. */
#include "desired.h"
#include "kernel_apply.h"
#include "log.h"
#include "nl.h"
#include "nl80211.h"
#include "nl_mock.h"
#include "paths.h"
#include "plan.h"
#include "wifi.h"

#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

static char root[64];

static void put(const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    for (char *s = path + strlen(root) + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            mkdir(path, 0755);
            *s = '/';
        }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

/* A node root: eth0 for its address, lime-node with extra lines, one phy "phyA". */
static void drop_root(void);

static void make_root(const char *lime_node_extra)
{
    drop_root(); /* one root at a time: a test that makes another one leaves none behind */
    snprintf(root, sizeof(root), "/tmp/apply_wifi.XXXXXX");
    assert_non_null(mkdtemp(root));
    put("sys/class/net/eth0/address", "02:4c:52:00:01:01\n");
    put("sys/class/ieee80211/phyA/macaddress", "02:4c:77:00:01:01\n");
    char text[2048];
    snprintf(text, sizeof(text),
             "config lime 'system'\n\toption hostname 'w1'\n"
             "config lime 'network'\n\toption primary_interface 'eth0'\n"
             "config net 'e0'\n\toption linux_name 'eth0'\n\tlist protocols 'manual'\n%s",
             lime_node_extra ? lime_node_extra : "");
    put("etc/config/lime-node", text);
}

static void drop_root(void)
{
    if (root[0])
        nftw(root, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
    root[0] = 0;
}

static struct plan *build(const struct lime_nl_wifi_phy *phys, size_t n)
{
    char sys[128];
    snprintf(sys, sizeof(sys), "%s/sys", root);
    struct plan_options o = {.sysfs = sys, .live_radios = true, .live_phys = phys, .n_live_phys = n};
    struct plan *p = NULL;
    struct plan_error err;
    assert_int_equal(plan_build(root, &o, &p, &err), 0);
    return p;
}

static const uint32_t ALL = (1u << LIME_WIFI_STATION) | (1u << LIME_WIFI_AP) |
                            (1u << LIME_WIFI_MESH) | (1u << LIME_WIFI_ADHOC);

/* The mock kernel with eth0 and phyA, and the desired state of lime-node's plan. */
static struct lr_desired *desired_of(const char *extra, uint32_t types, struct plan **pp)
{
    lime_nl_mock_reset();
    assert_true(lime_nl_mock_device("eth0") > 0);
    struct lime_nl_wifi_phy ph;
    lime_nl_mock_phy_std(&ph, 0, "phyA", types);
    assert_int_equal(lime_nl_mock_phy(&ph), 0);
    make_root(extra);
    struct plan *p = build(&ph, 1);
    struct lr_desired *d = calloc(1, sizeof(*d));
    struct lr_daemon_links dl;
    char err[256] = "";
    assert_int_equal(lr_desired_from_plan(p, true, false, d, &dl, err, sizeof(err)), 0);
    if (pp)
        *pp = p;
    else
        plan_free(p);
    return d;
}

static int apply_fail(const struct lr_desired *want, const struct lr_desired *prev, int fail_after)
{
    struct lime_nl *nl = lime_nl_open();
    struct lime_nl_wifi *w = lime_nl_wifi_open();
    assert_non_null(nl);
    assert_non_null(w);
    struct lr_kernel_opts o = {.fail_after = fail_after, .wifi = w};
    struct lr_journal *j = NULL;
    int n = lr_kernel_apply(nl, want, prev, &o, &j);
    if (n < 0)
        lr_journal_rollback(nl, j);
    lr_journal_free(j);
    lime_nl_wifi_close(w);
    lime_nl_close(nl);
    return n;
}

static int apply(const struct lr_desired *want, const struct lr_desired *prev)
{
    return apply_fail(want, prev, -1);
}

/* ---------------------------------------------------------------- plan */

static void test_live_plan(void **state)
{
    (void)state;
    struct plan *p;
    struct lr_desired *d = desired_of(NULL, ALL, &p);
    assert_int_equal(p->n_radios, 1);
    assert_true(p->radios[0].live);
    assert_string_equal(p->radios[0].phy, "phyA");
    assert_int_equal(p->radios[0].freq, 2462); /* lime-defaults: channel 11 */
    assert_int_equal(p->n_wifi_ifaces, 3);
    assert_int_equal(p->n_radio_errors, 0);
    /* lime-defaults' modes: ap, apname, ieee80211s; the mesh joined by lime-apply */
    assert_int_equal(d->n_wifi, 3);
    assert_string_equal(d->wifi[0].name, "wlan0-ap");
    assert_true(d->wifi[0].daemon);
    assert_string_equal(d->wifi[2].name, "wlan0-mesh");
    assert_int_equal(d->wifi[2].join, 'm');
    assert_int_equal(d->wifi[2].j.ssid_len, 4);
    assert_memory_equal(d->wifi[2].j.ssid, "LiMe", 4);
    assert_int_equal(d->wifi[2].j.forwarding, 0);
    assert_int_equal(d->wifi[2].j.mcast_rate, 240); /* 24000 kbit/s */
    assert_int_equal(d->wifi[2].j.beacon_interval, 100);
    /* distinct addresses per interface of the radio */
    static const uint8_t m0[6] = {0x02, 0x4c, 0x77, 0, 1, 1}, m2[6] = {0x22, 0x4c, 0x77, 0, 1, 1};
    assert_memory_equal(d->wifi[0].mac, m0, 6);
    assert_memory_equal(d->wifi[2].mac, m2, 6);
    /* batman and babel run over the mesh interface's VLANs */
    bool v29 = false, v17 = false;
    for (unsigned i = 0; i < d->n_links; i++) {
        v29 |= !strcmp(d->links[i].name, "wlan0-mesh_29") && d->links[i].vlan_id == 29;
        v17 |= !strcmp(d->links[i].name, "wlan0-mesh_17");
    }
    assert_true(v29 && v17);
    plan_free(p);
    free(d);
    drop_root();
}

static void test_radio_without_mesh(void **state)
{
    (void)state;
    struct plan *p;
    struct lr_desired *d =
        desired_of(NULL, (1u << LIME_WIFI_STATION) | (1u << LIME_WIFI_AP), &p);
    assert_int_equal(p->n_radio_errors, 1);
    assert_non_null(strstr(p->radio_errors[0], "radio0 (phyA): cannot do 802.11s mesh"));
    assert_non_null(strstr(p->radio_errors[0], "mode ieee80211s left out"));
    /* the rest of the node: both access points, no mesh, no VLANs on a missing radio */
    assert_int_equal(d->n_wifi, 2);
    for (unsigned i = 0; i < d->n_links; i++)
        assert_null(strstr(d->links[i].name, "wlan0-mesh"));
    assert_true(apply(d, &(struct lr_desired){0}) > 0);
    char *snap = lime_nl_mock_snapshot();
    assert_non_null(strstr(snap, "wifi wlan0-ap phy=0 type=3"));
    assert_null(strstr(snap, "wlan0-mesh"));
    free(snap);
    plan_free(p);
    free(d);
    drop_root();

    /* a phy that allows only two interfaces on one channel: the third mode goes */
    lime_nl_mock_reset();
    struct lime_nl_wifi_phy ph;
    lime_nl_mock_phy_std(&ph, 0, "phyA", ALL);
    ph.combs[0].max[0] = 2;
    ph.combs[0].max_ifaces = 2;
    make_root(NULL);
    p = build(&ph, 1);
    assert_int_equal(p->n_wifi_ifaces, 2);
    assert_int_equal(p->n_radio_errors, 1);
    assert_non_null(strstr(p->radio_errors[0], "mode ieee80211s"));
    plan_free(p);
    drop_root();
}

static void test_channel_checks(void **state)
{
    (void)state;
    /* 5 GHz only radio: channel 48 is no-IR without a country */
    lime_nl_mock_reset();
    struct lime_nl_wifi_phy ph;
    lime_nl_mock_phy_std(&ph, 0, "phyA", ALL);
    ph.bands[0] = ph.bands[1];
    ph.n_bands = 1;
    for (int i = 0; i < ph.bands[0].n_chans; i++)
        ph.bands[0].chans[i].no_ir = true;
    make_root(NULL);
    struct plan *p = build(&ph, 1);
    assert_true(p->radios[0].is_5ghz);
    assert_int_equal(p->n_wifi_ifaces, 0);
    assert_int_equal(p->n_radio_errors, 1);
    assert_non_null(strstr(p->radio_errors[0], "radio0 (phyA): channel 48"));
    assert_non_null(strstr(p->radio_errors[0], "country"));
    plan_free(p);
    drop_root();
    /* with a country it is used */
    make_root("config lime 'wifi'\n\toption country 'ES'\n");
    p = build(&ph, 1);
    assert_int_equal(p->n_radio_errors, 0);
    assert_int_equal(p->n_wifi_ifaces, 3);
    assert_int_equal(p->radios[0].freq, 5240);
    struct lr_desired d;
    struct lr_daemon_links dl;
    char err[256];
    assert_int_equal(lr_desired_from_plan(p, true, false, &d, &dl, err, sizeof(err)), 0);
    assert_string_equal(d.country, "ES");
    assert_int_equal(d.wifi[2].j.width, LIME_WIFI_WIDTH_40); /* 5ghz.htmode HT40 */
    assert_int_equal(d.wifi[2].j.center1, 5230);
    plan_free(p);
    drop_root();
}

/* ---------------------------------------------------------------- kernel */

static void test_apply_idempotent_and_rollback(void **state)
{
    (void)state;
    struct lr_desired *want = desired_of(NULL, ALL, NULL), none = {0};
    char *before = lime_nl_mock_snapshot();
    int n = apply(want, &none);
    assert_true(n > 10);
    char *after = lime_nl_mock_snapshot();
    assert_non_null(strstr(after, "wifi wlan0-mesh phy=0 type=7 join=m id=LiMe freq=2462 width=1"));
    assert_non_null(strstr(after, "fwd=0 nolearn=1"));
    assert_non_null(strstr(after, "link wlan0-mesh_29 kind=vlan parent=wlan0-mesh"));
    assert_non_null(strstr(after, "link wlan0-mesh kind=- parent=- master=- up=1 mtu=1536"));
    assert_non_null(strstr(after, "wifi wlan0-apname phy=0 type=3 join=-"));
    /* the join comes after the link is up */
    const char *log = lime_nl_mock_log();
    const char *up = strstr(log, "link_set wlan0-mesh up"), *join = strstr(log, "mesh_join wlan0-mesh");
    assert_non_null(up);
    assert_non_null(join);
    assert_true(up < join);

    lime_nl_mock_log_clear();
    assert_int_equal(apply(want, want), 0);
    char *again = lime_nl_mock_snapshot();
    assert_string_equal(again, after);

    /* a failure at every step of a fresh apply leaves the kernel as it was */
    for (int k = 0; k < n; k++) {
        struct lr_desired *w2 = desired_of(NULL, ALL, NULL);
        char *clean = lime_nl_mock_snapshot();
        assert_int_equal(apply_fail(w2, &none, k), -1);
        char *rolled = lime_nl_mock_snapshot();
        assert_string_equal(rolled, clean);
        free(clean);
        free(rolled);
        free(w2);
        drop_root();
    }
    free(before);
    free(after);
    free(again);
    free(want);
    drop_root();
}

/* A changed mesh (another channel, another mesh ID) is left and joined again; a mesh
 * that goes away is deleted with its VLANs; failures in those changes roll back too. */
static void test_changes(void **state)
{
    (void)state;
    struct lr_desired *a = desired_of(NULL, ALL, NULL), none = {0};
    assert_true(apply(a, &none) > 0);
    char *state_a = lime_nl_mock_snapshot();
    struct lime_nl_wifi_phy ph;
    lime_nl_mock_phy_std(&ph, 0, "phyA", ALL);

    /* another mesh ID */
    drop_root();
    make_root("config lime 'wifi'\n\toption ieee80211s_mesh_id 'Other'\n");
    struct plan *p = build(&ph, 1);
    struct lr_desired b;
    struct lr_daemon_links dl;
    char err[256];
    assert_int_equal(lr_desired_from_plan(p, true, false, &b, &dl, err, sizeof(err)), 0);
    plan_free(p);
    lime_nl_mock_log_clear();
    assert_int_equal(apply(&b, a), 2);
    assert_non_null(strstr(lime_nl_mock_log(), "mesh_leave wlan0-mesh"));
    assert_non_null(strstr(lime_nl_mock_log(), "mesh_join wlan0-mesh id=Other"));
    /* and back, failing at each of its two steps: rolled back to b's state */
    char *state_b = lime_nl_mock_snapshot();
    for (int k = 0; k < 2; k++) {
        assert_int_equal(apply_fail(a, &b, k), -1);
        char *s = lime_nl_mock_snapshot();
        assert_string_equal(s, state_b);
        free(s);
    }
    assert_int_equal(apply(a, &b), 2);
    char *s = lime_nl_mock_snapshot();
    assert_string_equal(s, state_a);
    free(s);
    free(state_b);

    /* no more mesh: the interface and its VLANs go; the access points stay */
    drop_root();
    make_root("config lime 'wifi'\n\tlist modes 'ap'\n\tlist modes 'apname'\n");
    p = build(&ph, 1);
    assert_int_equal(lr_desired_from_plan(p, true, false, &b, &dl, err, sizeof(err)), 0);
    plan_free(p);
    assert_true(apply(&b, a) > 0);
    s = lime_nl_mock_snapshot();
    assert_null(strstr(s, "wlan0-mesh"));
    assert_non_null(strstr(s, "wifi wlan0-ap "));
    free(s);
    /* and back again */
    assert_true(apply(a, &b) > 0);
    s = lime_nl_mock_snapshot();
    assert_string_equal(s, state_a);
    free(s);
    free(state_a);
    free(a);
    drop_root();
}

static void test_country(void **state)
{
    (void)state;
    struct lr_desired *d = desired_of("config lime 'wifi'\n\toption country 'ES'\n", ALL, NULL), none = {0};
    assert_string_equal(d->country, "ES");
    char *clean = lime_nl_mock_snapshot();
    assert_non_null(strstr(clean, "wifi reg 00"));
    assert_int_equal(apply_fail(d, &none, 0), -1); /* failing before anything */
    int n = apply(d, &none);
    char *s = lime_nl_mock_snapshot();
    assert_non_null(strstr(s, "wifi reg ES"));
    free(s);
    /* rollback after the country was set restores the old one */
    for (int k = 1; k < n; k++) {
        lime_nl_mock_reset();
        assert_true(lime_nl_mock_device("eth0") > 0);
        struct lime_nl_wifi_phy ph;
        lime_nl_mock_phy_std(&ph, 0, "phyA", ALL);
        lime_nl_mock_phy(&ph);
        assert_int_equal(apply_fail(d, &none, k), -1);
        char *r = lime_nl_mock_snapshot();
        assert_string_equal(r, clean);
        free(r);
    }
    free(clean);
    free(d);
    drop_root();
}

static void test_record_roundtrip(void **state)
{
    (void)state;
    struct lr_desired *d = desired_of("config lime 'wifi'\n\toption country 'ES'\n"
                                      "\tlist modes 'ap'\n\tlist modes 'adhoc'\n", ALL, NULL);
    assert_int_equal(d->n_wifi, 2);
    assert_int_equal(d->wifi[1].join, 'i');
    assert_true(d->wifi[1].j.has_bssid); /* lime-defaults' ca:fe:00:c0:ff:ee */
    char path[128], err[256];
    snprintf(path, sizeof(path), "%s/applied", root);
    assert_int_equal(lr_desired_save(d, path), 0);
    struct lr_desired back;
    assert_int_equal(lr_desired_load(&back, path, err, sizeof(err)), 0);
    assert_int_equal(back.n_wifi, 2);
    assert_string_equal(back.country, "ES");
    assert_memory_equal(&back.wifi[1].j, &d->wifi[1].j, sizeof(back.wifi[1].j));
    assert_string_equal(back.wifi[0].phy, "phyA");
    /* a damaged wifi line is an error naming its line */
    FILE *f = fopen(path, "a");
    fputs("wifi wlan9 phyA 7 zz:00 0 m 4c 2462 1 2462 0 100 0 1 -\n", f);
    fclose(f);
    assert_int_equal(lr_desired_load(&back, path, err, sizeof(err)), -1);
    assert_non_null(strstr(err, ":"));
    free(d);
    drop_root();
}

/* ---------------------------------------------------------------- daemons */

static char *conf_of(const char *extra, const char *ifname, char *err, size_t errlen)
{
    struct plan *p;
    struct lr_desired *d = desired_of(extra, ALL, &p);
    struct lr_paths paths;
    lr_paths_init(&paths, root);
    struct lr_wifi_daemon dm[LR_MAX_WIFI_DAEMONS];
    int n = 0;
    char *text = NULL;
    if (lr_wifi_daemons(p, d, &paths, dm, &n, err, (unsigned)errlen) == 0) {
        for (int i = 0; i < n; i++)
            if (!strcmp(dm[i].ifname, ifname))
                text = strdup(dm[i].text);
        lr_wifi_daemons_free(dm, n);
    }
    plan_free(p);
    free(d);
    drop_root();
    return text;
}

static void test_daemon_confs(void **state)
{
    (void)state;
    char err[256];
    char *h = conf_of("config lime 'wifi'\n\toption ap_key 'cloudb-pass'\n", "wlan0-ap", err, sizeof(err));
    assert_non_null(h);
    assert_non_null(strstr(h, "interface=wlan0-ap\n"));
    assert_non_null(strstr(h, "bridge=br-lan\n"));
    assert_non_null(strstr(h, "ssid=LibreMesh.org\n"));
    assert_non_null(strstr(h, "channel=11\nbeacon_int=100\n"));
    assert_non_null(strstr(h, "wpa=2\nwpa_key_mgmt=WPA-PSK\n"));
    assert_non_null(strstr(h, "wpa_passphrase=cloudb-pass\n"));
    free(h);
    h = conf_of(NULL, "wlan0-apname", err, sizeof(err));
    assert_non_null(strstr(h, "ssid=LibreMesh.org/w1\n"));
    assert_null(strstr(h, "wpa="));
    free(h);
    /* too short a passphrase: an error naming the interface, nothing written */
    h = conf_of("config lime 'wifi'\n\toption ap_key 'short'\n", "wlan0-ap", err, sizeof(err));
    assert_null(h);
    assert_non_null(strstr(err, "lm_wlan0_ap_radio0 (wlan0-ap): key: a WPA passphrase has 8 to 63"));
    h = conf_of("config lime 'wifi'\n\toption ap_encryption 'wep'\n\toption ap_key 'abcdefghij'\n",
                "wlan0-ap", err, sizeof(err));
    assert_null(h);
    assert_non_null(strstr(err, "encryption 'wep' is not supported"));
    /* a mesh key: SAE through wpa_supplicant, lime-apply joins nothing itself */
    struct lr_desired *d = desired_of("config lime 'wifi'\n\toption ieee80211s_key 'meshkey-good'\n", ALL, NULL);
    assert_int_equal(d->wifi[2].join, 0);
    assert_true(d->wifi[2].daemon);
    free(d);
    drop_root();
    char *w = conf_of("config lime 'wifi'\n\toption ieee80211s_key 'meshkey-good'\n", "wlan0-mesh", err,
                      sizeof(err));
    assert_non_null(w);
    assert_non_null(strstr(w, "mesh_fwding=0\n"));
    assert_non_null(strstr(w, "\tssid=\"LiMe\"\n\tmode=5\n\tfrequency=2462\n\tbeacon_int=100\n"));
    assert_non_null(strstr(w, "\tkey_mgmt=SAE\n\tsae_password=\"meshkey-good\"\n"));
    free(w);
}

int main(void)
{
    lime_log_init("apply_wifi", LIME_LOG_ERR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_live_plan),
        cmocka_unit_test(test_radio_without_mesh),
        cmocka_unit_test(test_channel_checks),
        cmocka_unit_test(test_apply_idempotent_and_rollback),
        cmocka_unit_test(test_changes),
        cmocka_unit_test(test_country),
        cmocka_unit_test(test_record_roundtrip),
        cmocka_unit_test(test_daemon_confs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
