/* lime-config against upstream's unit-test oracles: spec §5.3 (network), §5.4 (wireless),
 * §5.6 (LibreRouter integration case), §5.7 (batadv, openwrt_wan), and the protocol
 * entry parsing of §1.3. Each test builds a fake router root in a temp dir. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend_uci.h"
#include "config_testlib.h"
#include "ctx.h"
#include "migrate.h"

#define EQ(pkg, sec, opt, val) assert_string_equal(tl_get(pkg, sec, opt) ?: "(nil)", val)
#define NIL(pkg, sec, opt) assert_null(tl_get(pkg, sec, opt))

/* A minimal lime-defaults like the one upstream's tests load (no band sections). */
static const char min_defaults[] =
    "config lime 'system'\n\toption hostname 'LiMe-%M4%M5%M6'\n\toption domain 'thisnode.info'\n"
    "config lime 'network'\n\toption primary_interface 'eth0'\n"
    "\toption main_ipv4_address '10.%N1.0.0/16'\n\toption main_ipv6_address 'fd%N1:%N2%N3:%N4%N5::/64'\n"
    "\toption anygw_dhcp_start '2'\n\toption anygw_dhcp_limit '0'\n"
    "\toption anygw_mac 'aa:aa:aa:%N1:%N2:aa'\n\tlist protocols 'lan'\n"
    "config lime 'wifi'\n\toption ap_ssid 'LibreMesh.org'\n\tlist modes 'ap'\n\tlist modes 'ieee80211s'\n";

static char *bare_root(const char *node)
{
    char *r = tl_root(NULL);
    tl_netdev(r, "lo", "00:00:00:00:00:00", false);
    tl_netdev(r, "eth0", "a8:40:41:1c:84:d1", false);
    tl_write(r, "/etc/config/lime-defaults", min_defaults);
    if (node)
        tl_write(r, "/etc/config/lime-node", node);
    return r;
}

/* ---- §5.3 network ---- */

static void test_primary_interface_fallback(void **state)
{
    (void)state;
    char *r = tl_root(NULL);
    tl_netdev(r, "lo", "00:00:00:00:00:00", false);
    tl_write(r, "/etc/board.json", "{\"network\":{\"lan\":{\"device\":\"lo\",\"protocol\":\"static\"}}}");
    tl_write(r, "/etc/config/lime-defaults", min_defaults);
    tl_write(r, "/etc/config/lime-node",
             "config lime 'network'\n\toption primary_interface 'test0'\n\tlist protocols 'lan'\n");
    struct plan *p = tl_plan(r);
    assert_string_equal(p->primary_if, "lo");
    static const uint8_t zero[6];
    assert_memory_equal(p->primary_mac, zero, 6); /* get_mac("lo") */
    /* primary_address with MAC 00x6, LibreMesh.org, protocols {lan} */
    char buf[64];
    assert_string_equal(plan_addr_cidr(&p->node4, buf, sizeof buf), "10.13.255.254/16");
    assert_string_equal(plan_addr_cidr(&p->node6, buf, sizeof buf), "fd0d:fe46:8ce8::/64");
    /* the missing interface makes lime-autogen say auto */
    assert_non_null(strstr(p->autogen, "option primary_interface 'auto'"));
    plan_free(p);
    tl_write(r, "/etc/config/lime-node", "config lime 'network'\n\toption primary_interface 'auto'\n");
    p = tl_plan(r);
    assert_string_equal(p->primary_if, "lo");
    plan_free(p);
    tl_cleanup(r);
}

static void test_lan_configure_bridge(void **state)
{
    (void)state;
    char *r = bare_root("config lime 'network'\n\tlist protocols 'lan'\n");
    tl_netdev(r, "eth99", "02:00:00:00:00:99", false);
    tl_write(r, "/etc/config/network", "config device\n\toption name 'br-lan'\n\toption type 'bridge'\n"
                                       "config interface 'lan'\n\toption device 'br-lan'\n");
    tl_config(r);
    struct lime_uci_package *net = tl_pkg(r, "network");
    EQ(net, "lan", "mtu", "1500");
    EQ(net, "lan", "proto", "static");
    const char *br = lime_uci_section_name(lime_uci_section_first(net, "device"));
    assert_string_equal(tl_item(net, br, "ports", 0), "eth0");
    assert_string_equal(tl_item(net, br, "ports", 1), "eth99");
    lime_uci_free(net);
    tl_cleanup(r);
}

/* createVlanIface through the internal API, rendered by the uci backend. */
static struct lime_uci_package *render_vlan(const char *base, unsigned vid)
{
    struct plan *plan = calloc(1, sizeof *plan);
    struct plan_error err;
    struct plan_ctx ctx = {.plan = plan, .err = &err};
    struct plan_iface *f;
    struct plan_device *d;
    assert_int_equal(plan_network_create_vlan(&ctx, base, vid, "_fooproto", PLAN_VLAN_8021AD,
                                         PLAN_OWNER_NONE, &f, &d), 0);
    assert_true(vid ? d != NULL : d == NULL);
    struct lime_uci_package *net = lime_uci_new("network");
    assert_int_equal(plan_uci_apply_network(net, plan), 0);
    plan_free(plan);
    return net;
}

static void test_create_vlan_iface(void **state)
{
    (void)state;
    struct lime_uci_package *net = render_vlan("eth99", 15);
    EQ(net, "lm_net_eth99_fooproto_dev", "name", "eth99_15");
    EQ(net, "lm_net_eth99_fooproto_dev", "type", "8021ad");
    EQ(net, "lm_net_eth99_fooproto_dev", "ifname", "eth99");
    EQ(net, "lm_net_eth99_fooproto_dev", "vid", "15");
    EQ(net, "lm_net_eth99_fooproto_if", "device", "eth99_15");
    EQ(net, "lm_net_eth99_fooproto_if", "auto", "1");
    EQ(net, "lm_net_eth99_fooproto_if", "proto", "none");
    lime_uci_free(net);

    net = render_vlan("eth99", 0);
    assert_null(lime_uci_section_get(net, "lm_net_eth99_fooproto_dev"));
    EQ(net, "lm_net_eth99_fooproto_if", "device", "eth99");
    EQ(net, "lm_net_eth99_fooproto_if", "proto", "static");
    lime_uci_free(net);

    net = render_vlan("wlan85", 15);
    EQ(net, "lm_net_wlan85_fooproto_dev", "ifname", "@lm_net_wlan85");
    EQ(net, "lm_net_wlan85_fooproto_dev", "name", "wlan85_15");
    EQ(net, "lm_net_wlan85_fooproto_if", "device", "wlan85_15");
    EQ(net, "lm_net_wlan85_fooproto_if", "proto", "none");
    lime_uci_free(net);

    net = render_vlan("wlan0-mesh", 0); /* vid 0 on wifi: wireless sets the device */
    NIL(net, "lm_net_wlan0_mesh_fooproto_if", "device");
    lime_uci_free(net);

    net = render_vlan("eth0.1", 29);
    EQ(net, "lm_net_eth0_1_fooproto_dev", "name", "eth0-1_29");
    lime_uci_free(net);
}

/* ---- §1.3 protocol entries ---- */

static void test_proto_parse(void **state)
{
    (void)state;
    struct plan_proto_args a;
    plan_proto_parse("batadv:%N1", &a);
    assert_string_equal(a.name, "batadv");
    assert_string_equal(a.vlan, "%N1");
    assert_int_equal(a.argc, 2);
    plan_proto_parse("bmx7:18:8021q", &a);
    assert_string_equal(a.type, "8021q");
    plan_proto_parse("a::b", &a); /* empty fields are dropped */
    assert_string_equal(a.name, "a");
    assert_string_equal(a.vlan, "b");
    assert_int_equal(a.argc, 2);
    plan_proto_parse("babeld:17:8021ad:_x", &a);
    assert_string_equal(a.suffix, "_x");
    assert_int_equal(plan_proto_lookup("olsr"), PROTO_UNKNOWN);
    assert_int_equal(plan_proto_lookup("babeld"), PROTO_BABELD);
    assert_null(plan_template_check("LiMe-%M4%M5%M6", false, false));
    assert_null(plan_template_check("100% fun", false, false));
    assert_non_null(plan_template_check("%N1", false, false));
    assert_non_null(plan_template_check("%M0", true, true));
    assert_non_null(plan_template_check("x%Zy", true, true));
    assert_non_null(plan_template_check("%H", true, false));
    assert_null(plan_template_check("LibreMesh.org/%H", false, true));
}

/* ---- §5.4 wireless ---- */

static void test_is5ghz_hwmodes(void **state)
{
    (void)state;
    const char *a[] = {"a"}, *an[] = {"a", "n"}, *acn[] = {"ac", "n"}, *bn[] = {"b", "n"},
               *bg[] = {"b", "g"};
    assert_true(plan_wireless_hwmodes_5ghz(a, 1));
    assert_true(plan_wireless_hwmodes_5ghz(an, 2));
    assert_true(plan_wireless_hwmodes_5ghz(acn, 2));
    assert_false(plan_wireless_hwmodes_5ghz(bn, 2));
    assert_false(plan_wireless_hwmodes_5ghz(bg, 2));
}

static const char *radio(const char *name, const char *band)
{
    static char buf[4][128];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "config wifi-device '%s'\n\toption type 'mac80211'\n"
                                    "\toption band '%s'\n\toption disabled '1'\n", name, band);
    return buf[k];
}

static struct plan *wifi_plan(char **root, const char *wireless, const char *node)
{
    *root = bare_root(node);
    tl_write(*root, "/etc/config/wireless", wireless);
    return tl_plan(*root);
}

static void test_scandevices(void **state)
{
    (void)state;
    char *r, w[512];
    struct plan *p = wifi_plan(&r, radio("radio0", "5g"), NULL);
    assert_int_equal(p->n_radios, 1);
    assert_int_equal(p->radios[0].index, 0);
    assert_int_equal(p->radios[0].per_band_index, 0);
    plan_free(p);
    tl_cleanup(r);

    snprintf(w, sizeof w, "%s%s", radio("radio1", "5g"), radio("radio0", "5g")); /* reversed */
    p = wifi_plan(&r, w, NULL);
    assert_int_equal(p->n_radios, 2);
    assert_string_equal(p->radios[0].name, "radio0");
    assert_int_equal(p->radios[0].per_band_index, 0);
    assert_string_equal(p->radios[1].name, "radio1");
    assert_int_equal(p->radios[1].per_band_index, 1);
    plan_free(p);
    tl_cleanup(r);

    snprintf(w, sizeof w, "%s%s%s", radio("radio0", "2g"), radio("radio1", "5g"), radio("radio2", "5g"));
    p = wifi_plan(&r, w, NULL);
    assert_int_equal(p->radios[0].per_band_index, 0);
    assert_int_equal(p->radios[1].per_band_index, 0);
    assert_int_equal(p->radios[2].per_band_index, 1);
    assert_false(p->radios[0].is_5ghz);
    assert_true(p->radios[2].is_5ghz);
    plan_free(p);
    tl_cleanup(r);

    /* band from the channel when there is no band option */
    p = wifi_plan(&r, "config wifi-device 'radio3'\n\toption channel '36'\n", NULL);
    assert_true(p->radios[0].is_5ghz);
    assert_int_equal(p->radios[0].index, 3);
    plan_free(p);
    tl_cleanup(r);
}

static void test_distance_precedence(void **state)
{
    (void)state;
    char *r;
    struct plan *p = wifi_plan(&r, radio("radio0", "5g"), "config lime 'wifi'\n\toption distance '123'\n");
    assert_string_equal(p->radios[0].distance, "123");
    plan_free(p);
    tl_cleanup(r);
    p = wifi_plan(&r, radio("radio0", "5g"),
                  "config lime 'wifi'\n\toption distance '123'\n"
                  "config lime-wifi-band '5ghz'\n\toption distance '444'\n");
    assert_string_equal(p->radios[0].distance, "444");
    plan_free(p);
    tl_cleanup(r);
    p = wifi_plan(&r, radio("radio0", "5g"),
                  "config lime 'wifi'\n\toption distance '123'\n"
                  "config lime-wifi-band '5ghz'\n\toption distance '444'\n"
                  "config wifi 'radio0'\n\toption distance '999'\n");
    assert_string_equal(p->radios[0].distance, "999");
    plan_free(p);
    tl_cleanup(r);
}

static const char *wopt(const struct plan *p, const char *section, const char *key)
{
    for (int i = 0; i < p->n_wifi_ifaces; i++)
        if (!strcmp(p->wifi_ifaces[i].section, section))
            for (int k = 0; k < p->wifi_ifaces[i].n_opts; k++)
                if (!strcmp(p->wifi_ifaces[i].opts[k].key, key))
                    return p->wifi_ifaces[i].opts[k].value;
    return NULL;
}

static void test_channels_and_options(void **state)
{
    (void)state;
    char *r, w[512];
    snprintf(w, sizeof w, "%s%s", radio("radio0", "5g"), radio("radio1", "5g"));
    struct plan *p = wifi_plan(&r, w,
                               "config lime 'wifi'\n\tlist channel '48'\n\tlist channel '157'\n"
                               "\toption txpower '100'\n\toption country 'FOO'\n"
                               "\toption ieee80211s_mesh_param_foo 'bar'\n");
    assert_string_equal(p->radios[0].channel, "48");
    assert_string_equal(p->radios[1].channel, "157");
    assert_string_equal(p->radios[0].txpower, "100");
    assert_string_equal(p->radios[0].country, "FOO");
    assert_string_equal(wopt(p, "lm_wlan0_mesh_radio0", "mesh_param_foo") ?: "(nil)", "bar");
    assert_null(wopt(p, "lm_wlan0_ap_radio0", "mesh_param_foo")); /* another mode's key */
    assert_null(wopt(p, "lm_wlan0_mesh_radio0", "txpower"));      /* radio-level key */
    plan_free(p);
    /* the uci backend puts them on the radio sections */
    tl_config(r);
    struct lime_uci_package *wl = tl_pkg(r, "wireless");
    EQ(wl, "radio0", "channel", "48");
    EQ(wl, "radio1", "channel", "157");
    EQ(wl, "radio0", "txpower", "100");
    EQ(wl, "radio0", "country", "FOO");
    EQ(wl, "lm_wlan0_mesh_radio0", "mesh_param_foo", "bar");
    lime_uci_free(wl);
    tl_cleanup(r);
}

static void test_client_mode(void **state)
{
    (void)state;
    char *r;
    struct plan *p = wifi_plan(&r, radio("radio0", "2g"),
                               "config lime-wifi-band '2ghz'\n\tlist modes 'ap'\n"
                               "config wifi 'radio0'\n\tlist modes 'client'\n"
                               "\toption client_ssid 'MyCommunity'\n");
    assert_string_equal(p->radios[0].channel, "auto");
    assert_int_equal(p->n_wifi_ifaces, 1);
    assert_string_equal(p->wifi_ifaces[0].section, "lm_wlan0_sta_radio0");
    assert_string_equal(p->wifi_ifaces[0].mode, "sta");
    assert_string_equal(wopt(p, "lm_wlan0_sta_radio0", "ssid") ?: "(nil)", "MyCommunity");
    plan_free(p);
    tl_cleanup(r);
}

static void test_manual_mode(void **state)
{
    (void)state;
    char *r;
    /* a plain `option modes 'manual'` (upstream fails on it) leaves the radio alone */
    struct plan *p = wifi_plan(&r, radio("radio0", "2g"),
                               "config wifi 'radio0'\n\toption modes 'manual'\n");
    assert_true(p->radios[0].manual);
    assert_int_equal(p->n_wifi_ifaces, 0);
    plan_free(p);
    tl_config(r);
    struct lime_uci_package *wl = tl_pkg(r, "wireless");
    EQ(wl, "radio0", "disabled", "1");
    lime_uci_free(wl);
    tl_cleanup(r);
}

/* ---- §5.6 LibreRouter integration case ---- */

static void test_librerouter_device(void **state)
{
    (void)state;
    char *r = tl_root("librerouter");
    tl_config(r);
    struct plan *lr = tl_plan(r); /* radios find their phy by the `path` option */
    assert_string_equal(lr->radios[0].phy, "phy0");
    assert_string_equal(lr->radios[1].phy, "phy2"); /* pci0000:00/0000:00:00.0 */
    assert_string_equal(lr->radios[2].phy, "phy1");
    assert_true(lr->radios[1].has_phy_mac);
    assert_int_equal(lr->radios[1].phy_mac[5], 0x52);
    plan_free(lr);
    struct lime_uci_package *a = tl_pkg(r, "lime-autogen");
    EQ(a, "lm_hwd_openwrt_wan", "linux_name", "wan");
    lime_uci_free(a);
    struct lime_uci_package *net = tl_pkg(r, "network");
    EQ(net, "lm_net_lan1_babeld_dev", "ifname", "lan1");
    EQ(net, "lm_net_lan1_babeld_dev", "vid", "17");
    EQ(net, "lm_net_lan1_babeld_dev", "mtu", "1496");
    EQ(net, "lm_net_lan1_babeld_if", "device", "lan1_17");
    EQ(net, "lm_net_lan1_batadv_dev", "mtu", "1532"); /* not eth*: wifi-like MTU */
    EQ(net, "lm_net_wlan1_mesh_babeld_dev", "ifname", "@lm_net_wlan1_mesh");
    EQ(net, "lm_net_wlan1_mesh_babeld_dev", "vid", "17");
    NIL(net, "lm_net_wlan1_mesh_babeld_dev", "mtu");
    EQ(net, "lm_net_wlan1_mesh_batadv_dev", "vid", "29");
    NIL(net, "globals", "ula_prefix");
    /* the DSA conduit eth0 gets nothing */
    assert_null(lime_uci_section_get(net, "lm_net_eth0_batadv_dev"));
    EQ(net, "wan", "device", "wan");
    NIL(net, "lm_net_wan_babeld_dev", "mtu"); /* neither eth* nor lan*: inherits */
    lime_uci_free(net);
    struct lime_uci_package *wl = tl_pkg(r, "wireless");
    static const char *const ch[] = {"11", "48", "157"}, *const ht[] = {"HT20", "HT40", "HT40"},
                             *const di[] = {"1000", "10000", "10000"};
    for (int i = 0; i < 3; i++) {
        char rn[16];
        snprintf(rn, sizeof rn, "radio%d", i);
        EQ(wl, rn, "disabled", "0");
        EQ(wl, rn, "noscan", "1");
        EQ(wl, rn, "channel", ch[i]);
        EQ(wl, rn, "htmode", ht[i]);
        EQ(wl, rn, "distance", di[i]);
    }
    lime_uci_free(wl);
    tl_cleanup(r);
}

/* ---- §5.7 batadv and openwrt_wan ---- */

static void test_batadv_bat0(void **state)
{
    (void)state;
    char *r = bare_root("config lime 'network'\n\tlist protocols 'lan'\n\tlist protocols 'batadv'\n");
    /* alfred installed (its config exists): batmanif follows batman-adv (§2.5, §2.10) */
    tl_write(r, "/etc/config/alfred", "config alfred 'alfred'\n\toption interface 'br-lan'\n"
                                     "\toption batmanif 'none'\n");
    tl_config(r);
    struct lime_uci_package *al = tl_pkg(r, "alfred");
    EQ(al, "alfred", "batmanif", "bat0");
    EQ(al, "alfred", "interface", "br-lan");
    lime_uci_free(al);
    struct lime_uci_package *net = tl_pkg(r, "network");
    EQ(net, "bat0", "proto", "batadv");
    EQ(net, "bat0", "routing_algo", "BATMAN_IV");
    EQ(net, "bat0", "bridge_loop_avoidance", "1");
    EQ(net, "bat0", "multicast_mode", "0");
    EQ(net, "bat0", "orig_interval", "2000");
    NIL(net, "bat0", "distributed_arp_table");
    NIL(net, "bat0", "gw_mode");
    lime_uci_free(net);
    tl_write(r, "/etc/config/lime-node", "config lime 'network'\n\tlist protocols 'lan'\n"
                                        "\tlist protocols 'anygw'\n\tlist protocols 'batadv'\n");
    tl_config(r);
    net = tl_pkg(r, "network");
    EQ(net, "bat0", "distributed_arp_table", "0");
    EQ(net, "bat0", "gw_mode", "client");
    lime_uci_free(net);
    tl_write(r, "/etc/config/lime-node", "config lime 'network'\n\tlist protocols 'lan'\n");
    tl_config(r);
    al = tl_pkg(r, "alfred");
    EQ(al, "alfred", "batmanif", "none"); /* lan without batadv */
    lime_uci_free(al);
    tl_cleanup(r);
}

static void test_batadv_before_lan_keeps_bat0(void **state)
{
    (void)state;
    char *r = bare_root("config lime 'network'\n\tlist protocols 'batadv'\n\tlist protocols 'lan'\n");
    struct plan *p = tl_plan(r);
    const struct plan_device *br = plan_find_device(p, "br-lan");
    assert_non_null(br);
    assert_int_equal(br->n_ports, 2);
    assert_string_equal(br->ports[0], "bat0");
    assert_string_equal(br->ports[1], "eth0");
    plan_free(p);
    tl_cleanup(r);
}

static void test_openwrt_wan(void **state)
{
    (void)state;
    char *r = bare_root(NULL);
    tl_netdev(r, "wan", "02:00:00:00:00:01", false);
    tl_write(r, "/etc/board.json", "{\"network\":{\"wan\":{\"device\":\"wan\",\"protocol\":\"dhcp\"}}}");
    tl_config(r);
    struct lime_uci_package *a = tl_pkg(r, "lime-autogen");
    EQ(a, "lm_hwd_openwrt_wan", "linux_name", "wan");
    EQ(a, "lm_hwd_openwrt_wan", "autogenerated", "true");
    assert_int_equal(tl_count(a, "lm_hwd_openwrt_wan", "protocols"), 1);
    assert_string_equal(tl_item(a, "lm_hwd_openwrt_wan", "protocols", 0), "wan");
    lime_uci_free(a);
    /* a user override with autogenerated false is kept as written */
    tl_write(r, "/etc/config/lime-node", "config net 'lm_hwd_openwrt_wan'\n\toption autogenerated 'false'\n"
                                        "\toption linux_name 'wan'\n\tlist protocols 'lan'\n");
    tl_config(r);
    a = tl_pkg(r, "lime-autogen");
    assert_int_equal(tl_count(a, "lm_hwd_openwrt_wan", "protocols"), 1);
    assert_string_equal(tl_item(a, "lm_hwd_openwrt_wan", "protocols", 0), "lan");
    lime_uci_free(a);
    tl_cleanup(r);

    /* a board without wan (lan given as ifname), and an empty board: no crash, no section */
    static const char *const boards[] = {"{\"network\":{\"lan\":{\"ifname\":\"eth0\"}}}", "{}"};
    for (int i = 0; i < 2; i++) {
        r = bare_root(NULL);
        tl_write(r, "/etc/board.json", boards[i]);
        struct plan *p = tl_plan(r);
        assert_null(strstr(p->autogen, "lm_hwd_openwrt_wan"));
        plan_free(p);
        tl_cleanup(r);
    }
}

/* ---- other protocol behaviour ---- */

static void test_wan_vlan_static_dsa_unknown(void **state)
{
    (void)state;
    char *r = bare_root("config lime 'network'\n\tlist protocols 'lan'\n\tlist protocols 'olsr:14'\n"
                        "\tlist protocols 'babeld:17'\n"
                        "config net 'up'\n\toption linux_name 'eth1'\n\tlist protocols 'wan:20'\n"
                        "config net 'fixed'\n\toption linux_name 'eth2'\n\tlist protocols 'static'\n"
                        "\toption static_ipv4 '192.0.2.5/24'\n\toption static_gateway_ipv4 '192.0.2.1'\n"
                        "config net 'off'\n\toption linux_name 'eth3'\n");
    tl_netdev(r, "eth1", "02:00:00:00:00:01", false);
    tl_netdev(r, "eth2", "02:00:00:00:00:02", false);
    tl_netdev(r, "eth3", "02:00:00:00:00:03", false);
    tl_netdev(r, "lan4", "02:00:00:00:00:04", true);
    tl_write(r, "/etc/board.json", "{\"network\":{\"lan\":{\"ports\":[\"lan4\"],\"protocol\":\"static\"}}}");
    tl_config(r);
    struct lime_uci_package *net = tl_pkg(r, "network");
    EQ(net, "lm_net_eth1_dev", "type", "8021q");
    EQ(net, "lm_net_eth1_dev", "name", "eth1_20");
    EQ(net, "lm_net_eth1_dev", "vid", "20");
    EQ(net, "wan", "proto", "dhcp");
    EQ(net, "wan", "device", "eth1_20");
    EQ(net, "lm_net_eth2_static", "proto", "static");
    EQ(net, "lm_net_eth2_static", "ifname", "eth2");
    EQ(net, "lm_net_eth2_static", "ipaddr", "192.0.2.5");
    EQ(net, "lm_net_eth2_static", "netmask", "255.255.255.0");
    EQ(net, "lm_net_eth2_static", "gateway", "192.0.2.1");
    assert_null(lime_uci_section_get(net, "lm_net_eth3_babeld_if")); /* no protocols: manual */
    assert_null(lime_uci_section_get(net, "lm_net_lan4_babeld_if")); /* DSA port: lan only */
    const char *br = lime_uci_section_name(lime_uci_section_first(net, "device"));
    assert_string_equal(tl_item(net, br, "ports", 1), "lan4");
    lime_uci_free(net);
    tl_cleanup(r);
}

/* ---- §5.5 system and generic_config ---- */

static const char shadow[] = "root::0:0:99999:7:::\ndaemon:*:0:0:99999:7:::\n";

static void test_root_password(void **state)
{
    (void)state;
    char *r = bare_root(NULL);
    tl_write(r, "/etc/shadow", shadow);
    tl_config(r); /* DO_NOTHING */
    char *s = tl_read(r, "/etc/shadow", NULL);
    assert_string_equal(s, shadow);
    free(s);
    assert_null(tl_read(r, "/etc/shadow-", NULL));

    tl_write(r, "/etc/config/lime-node", "config lime 'system'\n\toption root_password_policy 'SET_SECRET'\n"
                                        "\toption root_password_secret '$1$vv44cu1H$Y/wT9laa7yJ7TqtwiyVO2/'\n");
    tl_config(r);
    s = tl_read(r, "/etc/shadow", NULL);
    assert_string_equal(s, "root:$1$vv44cu1H$Y/wT9laa7yJ7TqtwiyVO2/:0:0:99999:7:::\ndaemon:*:0:0:99999:7:::\n");
    free(s);
    s = tl_read(r, "/etc/shadow-", NULL);
    assert_string_equal(s, shadow); /* the previous content */
    free(s);

    tl_write(r, "/etc/shadow", shadow);
    tl_write(r, "/etc/config/lime-node", "config lime 'system'\n\toption root_password_policy 'RANDOM'\n");
    tl_config(r);
    s = tl_read(r, "/etc/shadow", NULL);
    assert_true(!strncmp(s, "root:$6$", 8));
    assert_true(strlen(strchr(s, ':') + 1) > 40);
    assert_non_null(strstr(s, ":0:0:99999:7:::\ndaemon:*:0:0:99999:7:::\n"));
    char *first = s;
    tl_config(r); /* root has a password now: RANDOM changes nothing */
    s = tl_read(r, "/etc/shadow", NULL);
    assert_string_equal(s, first);
    free(s);
    free(first);

    tl_write(r, "/etc/config/lime-node", "config lime 'system'\n\toption root_password_policy 'FOO'\n");
    struct plan *p;
    struct plan_error err;
    assert_int_equal(plan_build(r, NULL, &p, &err), -1);
    assert_non_null(strstr(err.msg, "root_password_policy"));
    tl_cleanup(r);
}

static void test_generic_uci_config(void **state)
{
    (void)state;
    char *r = bare_root("config generic_uci_config 'libremap'\n"
                        "\tlist uci_set 'libremap.settings=libremap'\n"
                        "\tlist uci_set 'libremap.settings.community=our.libre.org'\n"
                        "\tlist uci_set 'invalid.settings.foo=bar'\n"
                        "\tlist uci_set 'bad syntax'\n"
                        "\tlist uci_set 'libremap.settings.community_lat=-200.123'\n"
                        "\tlist uci_set 'libremap.settings.community_lon=500.9'\n");
    tl_config(r);
    struct lime_uci_package *lm = tl_pkg(r, "libremap");
    assert_string_equal(lime_uci_section_type(lime_uci_section_get(lm, "settings")), "libremap");
    EQ(lm, "settings", "community", "our.libre.org");
    EQ(lm, "settings", "community_lat", "-200.123");
    EQ(lm, "settings", "community_lon", "500.9");
    lime_uci_free(lm);
    assert_null(tl_read(r, "/etc/config/invalid", NULL)); /* the bad entry created nothing */
    tl_cleanup(r);
}

/* §1.1 layering: lime-defaults < lime-community < lime-<mac12> < lime-node */
static void test_layering_mac_file(void **state)
{
    (void)state;
    char *r = bare_root(NULL);
    tl_write(r, "/etc/config/lime-community", "config lime 'system'\n\toption hostname 'comm-%M6'\n"
                                             "config lime 'wifi'\n\toption ap_ssid 'MyCommunity'\n");
    struct plan *p = tl_plan(r);
    assert_string_equal(p->hostname, "comm-d1");
    assert_int_equal(p->network_id[0], 0xbe); /* md5("MyCommunity\n") = beeff81b... */
    char buf[64];
    assert_string_equal(plan_addr_cidr(&p->node4, buf, sizeof buf), "10.190.132.209/16");
    plan_free(p);
    tl_write(r, "/etc/config/lime-a840411c84d1", "config lime 'system'\n\toption hostname 'mac-file'\n");
    p = tl_plan(r);
    assert_string_equal(p->hostname, "mac-file");
    plan_free(p);
    tl_write(r, "/etc/config/lime-node", "config lime 'system'\n\toption hostname 'node file'\n");
    p = tl_plan(r);
    assert_string_equal(p->hostname, "node-file"); /* sanitised */
    plan_free(p);
    tl_cleanup(r);
}

static void test_assets(void **state)
{
    (void)state;
    char *r = bare_root("config copy_asset 'c1'\n\toption asset 'node/collectd.conf'\n"
                        "\toption dst '/etc/collectd.conf'\n"
                        "config copy_asset 'c2'\n\toption asset 'node/missing'\n\toption dst '/etc/x'\n"
                        "config run_asset 'r1'\n\toption asset 'community/rm-marker.sh'\n"
                        "\toption when 'ATCONFIG'\n"
                        "config run_asset 'r2'\n\toption asset 'node/fails.sh'\n\toption when 'ATCONFIG'\n"
                        "config run_asset 'r3'\n\toption asset 'node/nope.sh'\n\toption when 'ATCONFIG'\n");
    tl_write(r, "/etc/lime-assets/node/collectd.conf", "foo");
    tl_write(r, "/etc/lime-assets/community/rm-marker.sh", "#!/bin/sh\nrm \"$LIME_ROOT/marker\"\n");
    tl_write(r, "/etc/lime-assets/node/fails.sh", "#!/bin/sh\nexit 1\n");
    tl_write(r, "/marker", "x");
    const char *args[] = {"--root", r, "-q", NULL};
    assert_int_equal(tl_run(args, NULL), 0); /* failing/missing assets are logged only */
    char *c = tl_read(r, "/etc/collectd.conf", NULL);
    assert_string_equal(c ?: "(nil)", "foo");
    free(c);
    assert_null(tl_read(r, "/etc/x", NULL));
    assert_null(tl_read(r, "/marker", NULL)); /* the ATCONFIG script ran */
    char *m = tl_read(r, "/etc/.cfg_first_boot_already_run", NULL);
    assert_non_null(m);
    free(m);
    struct plan *p = tl_plan(r);
    assert_int_equal(p->n_copy_assets, 2);
    assert_int_equal(p->n_run_assets, 3);
    assert_int_equal(plan_uci_run_assets(r, p), -1); /* exit 1 and missing script fail */
    plan_free(p);
    tl_cleanup(r);
}

/* ---- §1.4 hooks ---- */

static void test_hooks(void **state)
{
    (void)state;
    char *r = bare_root(NULL);
    tl_write(r, "/etc/hotplug.d/lime-config/10-log", "#!/bin/sh\necho \"$ACTION\" >> \"$LIME_ROOT/hooklog\"\n"
             "[ \"$ACTION\" = pre ] && printf \"config lime 'system'\\n\\toption hostname 'from-hook'\\n\" "
             "> \"$LIME_ROOT/etc/config/lime-node\"\nexit 0\n");
    char path[600];
    snprintf(path, sizeof path, "%s/etc/hotplug.d/lime-config/10-log", r);
    assert_int_equal(chmod(path, 0755), 0);
    tl_write(r, "/etc/hotplug.d/lime-config/20-not-executable", "#!/bin/sh\nexit 1\n");
    const char *args[] = {"--root", r, "-q", NULL};
    assert_int_equal(tl_run(args, NULL), 0);
    char *log = tl_read(r, "/hooklog", NULL);
    assert_string_equal(log ?: "(nil)", "init\npre\nmerged\nconfigured\npost\n");
    free(log);
    struct lime_uci_package *sys = tl_pkg(r, "system"); /* the pre hook's lime-node was read */
    const char *sec = lime_uci_section_name(lime_uci_section_first(sys, "system"));
    EQ(sys, sec, "hostname", "from-hook");
    lime_uci_free(sys);
    assert_int_equal(tl_run(args, NULL), 0);
    const char *dry[] = {"--root", r, "-q", "--dry-run", NULL};
    assert_int_equal(tl_run(dry, NULL), 0);
    log = tl_read(r, "/hooklog", NULL);
    assert_string_equal(log, "init\npre\nmerged\nconfigured\npost\npre\nmerged\nconfigured\npost\n");
    free(log);
    tl_cleanup(r);
}

/* ---- §5.5 migrate-wifi-bands-cfg ---- */

static struct lime_uci_package *parse(const char *text)
{
    struct lime_uci_package *p = lime_uci_parse("lime", text, strlen(text), "t", NULL);
    assert_non_null(p);
    return p;
}

static void assert_list(const struct lime_uci_package *p, const char *sec, const char *opt,
                        const char *const *want, size_t n)
{
    assert_int_equal(tl_count(p, sec, opt), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(tl_item(p, sec, opt, i), want[i]);
}

static void test_migrate_wifi_bands(void **state)
{
    (void)state;
    /* case 1 */
    struct lime_uci_package *c = parse("config lime 'wifi'\n\tlist modes 'ap_2ghz'\n"
                                       "\tlist modes 'apname_2ghz'\n\tlist modes 'ieee80211s'\n");
    assert_int_equal(plan_migrate_wifi_bands(c), 1);
    static const char *const c2[] = {"ap", "apname", "ieee80211s"}, *const c5[] = {"ieee80211s"};
    assert_list(c, "2ghz", "modes", c2, 3);
    assert_list(c, "5ghz", "modes", c5, 1);
    assert_string_equal(lime_uci_section_type(lime_uci_section_get(c, "2ghz")), "lime-wifi-band");
    assert_int_equal(tl_count(c, "wifi", "modes"), 0);
    lime_uci_free(c);
    struct lime_uci_package *n = parse("config lime 'wifi'\n\tlist modes 'ap_2ghz'\n"
                                       "\tlist modes 'apname_2ghz'\n\tlist modes 'ieee80211s_5ghz'\n");
    assert_int_equal(plan_migrate_wifi_bands(n), 1);
    static const char *const n2[] = {"ap", "apname"};
    assert_list(n, "2ghz", "modes", n2, 2);
    assert_list(n, "5ghz", "modes", c5, 1);
    lime_uci_free(n);
    /* case 2: a band with no modes gets manual; no modes -> no band sections */
    n = parse("config lime 'wifi'\n\tlist modes 'ap_2ghz'\n");
    plan_migrate_wifi_bands(n);
    static const char *const man[] = {"manual"};
    assert_list(n, "5ghz", "modes", man, 1);
    lime_uci_free(n);
    n = parse("config lime 'wifi'\n\toption ap_ssid 'x'\n");
    assert_int_equal(plan_migrate_wifi_bands(n), 0);
    assert_null(lime_uci_section_get(n, "2ghz"));
    assert_null(lime_uci_section_get(n, "5ghz"));
    lime_uci_free(n);
    /* case 3: per-band options */
    n = parse("config lime 'wifi'\n\tlist channel_5ghz '48'\n\tlist channel_5ghz '157'\n"
              "\toption channel_2ghz '1'\n\toption htmode_2ghz '20'\n\toption ap_ssid 'x'\n");
    assert_int_equal(plan_migrate_wifi_bands(n), 1);
    static const char *const ch[] = {"48", "157"};
    assert_list(n, "5ghz", "channel", ch, 2);
    EQ(n, "2ghz", "channel", "1");
    EQ(n, "2ghz", "htmode", "20");
    NIL(n, "wifi", "channel_2ghz");
    EQ(n, "wifi", "ap_ssid", "x");
    lime_uci_free(n);
    /* the tool on a root: lime-defaults untouched */
    char *r = tl_root(NULL);
    tl_write(r, "/etc/config/lime-defaults", "config lime 'wifi'\n\tlist modes 'ap_2ghz'\n");
    tl_write(r, "/etc/config/lime-community", "config lime 'wifi'\n\tlist modes 'ap_2ghz'\n");
    assert_int_equal(plan_migrate_wifi_bands_root(r), 0);
    struct lime_uci_package *d = tl_pkg(r, "lime-defaults");
    assert_int_equal(tl_count(d, "wifi", "modes"), 1);
    lime_uci_free(d);
    d = tl_pkg(r, "lime-community");
    assert_int_equal(tl_count(d, "wifi", "modes"), 0);
    assert_list(d, "5ghz", "modes", man, 1);
    lime_uci_free(d);
    tl_cleanup(r);
}

/* §5.1 indexFromName (radio11 -> 11) and §2.13 scandevices: radios sorted by the number
 * in their name, not by string (radio2 before radio11). */
static void test_radio_index_from_name(void **state)
{
    (void)state;
    char *r, w[512];
    snprintf(w, sizeof w, "%s%s", radio("radio11", "5g"), radio("radio2", "5g"));
    struct plan *p = wifi_plan(&r, w, NULL);
    assert_int_equal(p->n_radios, 2);
    assert_string_equal(p->radios[0].name, "radio2");
    assert_int_equal(p->radios[0].index, 2);
    assert_int_equal(p->radios[0].per_band_index, 0);
    assert_string_equal(p->radios[1].name, "radio11");
    assert_int_equal(p->radios[1].index, 11);
    assert_int_equal(p->radios[1].per_band_index, 1);
    assert_non_null(wopt(p, "lm_wlan11_ap_radio11", "ssid")); /* wlan<index>-ap */
    plan_free(p);
    tl_cleanup(r);
}

/* §2.4 with a community domain and a DHCP limit; §2.1: a radio-specific ap_ssid is the
 * SSID of that radio's ap iface but never the seed of the %N hash. */
static void test_anygw_domain_limit_ssid(void **state)
{
    (void)state;
    char *r = bare_root("config lime 'system'\n\toption domain 'mesh.example'\n"
                        "config lime 'network'\n\tlist protocols 'lan'\n\tlist protocols 'anygw'\n"
                        "\toption anygw_dhcp_limit '100'\n"
                        "config wifi 'radio0'\n\toption ap_ssid 'Other'\n");
    tl_write(r, "/etc/config/wireless", radio("radio0", "2g"));
    tl_config(r);
    struct lime_uci_package *d = tl_pkg(r, "dhcp");
    EQ(d, "lm_net_br_lan_anygw_if_dhcp", "limit", "100");
    EQ(d, "lm_net_br_lan_anygw_if_dhcp", "start", "2");
    static const char *const names[] = {"anygw", "thisnode.info", "minodo.info", "meuno.info",
                                        "mesh.example"};
    assert_int_equal(tl_count(d, "anygw_dns", "name"), 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(tl_item(d, "anygw_dns", "name", i), names[i]);
    assert_string_equal(tl_item(d, "node_name_dns", "name", 1), "LiMe-1c84d1.mesh.example");
    const char *dm = lime_uci_section_name(lime_uci_section_first(d, "dnsmasq"));
    EQ(d, dm, "domain", "mesh.example");
    EQ(d, dm, "local", "/mesh.example/");
    lime_uci_free(d);
    char *v6 = tl_read(r, "/etc/dnsmasq.d/lime-proto-anygw-20-ipv6.conf", NULL);
    assert_non_null(strstr(v6 ?: "", "dhcp-option=tag:anygw,option6:domain-search,mesh.example\n"));
    free(v6);
    struct lime_uci_package *net = tl_pkg(r, "network");
    EQ(net, "lm_net_br_lan_anygw_dev", "macaddr", "aa:aa:aa:0d:fe:aa"); /* LibreMesh.org */
    EQ(net, "lan", "ipaddr", "10.13.132.209");
    lime_uci_free(net);
    struct lime_uci_package *wl = tl_pkg(r, "wireless");
    EQ(wl, "lm_wlan0_ap_radio0", "ssid", "Other");
    lime_uci_free(wl);
    tl_cleanup(r);
}

/* §5.1 get_root_secret / set_root_secret through SET_SECRET: the hash on root's line
 * (the first line) is compared; equal -> nothing written, no backup. */
static void test_root_secret_compare(void **state)
{
    (void)state;
    static const char cur[] = "root:$1$abdccu1H$Y/wmslafly12Tqtwiy1la/:0:0:99999:7:::\n"
                              "daemon:*:0:0:99999:7:::\n";
    char *r = bare_root("config lime 'system'\n\toption root_password_policy 'SET_SECRET'\n"
                        "\toption root_password_secret '$1$abdccu1H$Y/wmslafly12Tqtwiy1la/'\n");
    tl_write(r, "/etc/shadow", cur);
    tl_config(r);
    char *s = tl_read(r, "/etc/shadow", NULL);
    assert_string_equal(s, cur);
    free(s);
    assert_null(tl_read(r, "/etc/shadow-", NULL));
    tl_cleanup(r);
}

/* §2.10/§2.4: `/etc/init.d/odhcpd disable` (use_odhcpd false) and `dnsmasq enable`
 * (anygw), done as rc.common does under ROOT: rc.d symlinks from START=/STOP=. */
static bool is_link_to(const char *root, const char *rel, const char *target)
{
    char path[600], buf[256];
    snprintf(path, sizeof path, "%s%s", root, rel);
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n < 0)
        return false;
    buf[n] = '\0';
    return !strcmp(buf, target);
}

static void test_init_scripts(void **state)
{
    (void)state;
    char *r = bare_root("config lime 'network'\n\tlist protocols 'lan'\n\tlist protocols 'anygw'\n");
    tl_write(r, "/etc/init.d/odhcpd", "#!/bin/sh /etc/rc.common\nSTART=35\nSTOP=85\nUSE_PROCD=1\n");
    tl_write(r, "/etc/init.d/dnsmasq", "#!/bin/sh /etc/rc.common\nSTART=19\nSTOP=85\nUSE_PROCD=1\n");
    tl_write(r, "/etc/rc.d/.keep", "");
    char path[600];
    snprintf(path, sizeof path, "%s/etc/rc.d/S35odhcpd", r);
    assert_int_equal(symlink("../init.d/odhcpd", path), 0);
    snprintf(path, sizeof path, "%s/etc/rc.d/K85odhcpd", r);
    assert_int_equal(symlink("../init.d/odhcpd", path), 0);
    snprintf(path, sizeof path, "%s/etc/rc.d/S10dnsmasq", r); /* an old START */
    assert_int_equal(symlink("../init.d/dnsmasq", path), 0);

    const char *dry[] = {"--root", r, "-q", "--dry-run", NULL};
    assert_int_equal(tl_run(dry, NULL), 0); /* --dry-run touches no link */
    assert_true(is_link_to(r, "/etc/rc.d/S35odhcpd", "../init.d/odhcpd"));

    const char *args[] = {"--root", r, "-q", NULL};
    assert_int_equal(tl_run(args, NULL), 0);
    assert_false(is_link_to(r, "/etc/rc.d/S35odhcpd", "../init.d/odhcpd"));
    assert_false(is_link_to(r, "/etc/rc.d/K85odhcpd", "../init.d/odhcpd"));
    assert_true(is_link_to(r, "/etc/rc.d/S19dnsmasq", "../init.d/dnsmasq"));
    assert_true(is_link_to(r, "/etc/rc.d/K85dnsmasq", "../init.d/dnsmasq"));
    assert_false(is_link_to(r, "/etc/rc.d/S10dnsmasq", "../init.d/dnsmasq"));

    tl_write(r, "/etc/config/lime-node", "config lime 'network'\n\tlist protocols 'lan'\n"
                                        "\toption use_odhcpd 'true'\n");
    assert_int_equal(tl_run(args, NULL), 0);
    assert_true(is_link_to(r, "/etc/rc.d/S35odhcpd", "../init.d/odhcpd"));
    assert_true(is_link_to(r, "/etc/rc.d/K85odhcpd", "../init.d/odhcpd"));
    assert_true(is_link_to(r, "/etc/rc.d/S19dnsmasq", "../init.d/dnsmasq")); /* never disabled */
    tl_cleanup(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_primary_interface_fallback),
        cmocka_unit_test(test_lan_configure_bridge),
        cmocka_unit_test(test_create_vlan_iface),
        cmocka_unit_test(test_proto_parse),
        cmocka_unit_test(test_is5ghz_hwmodes),
        cmocka_unit_test(test_scandevices),
        cmocka_unit_test(test_distance_precedence),
        cmocka_unit_test(test_channels_and_options),
        cmocka_unit_test(test_client_mode),
        cmocka_unit_test(test_manual_mode),
        cmocka_unit_test(test_librerouter_device),
        cmocka_unit_test(test_batadv_bat0),
        cmocka_unit_test(test_batadv_before_lan_keeps_bat0),
        cmocka_unit_test(test_openwrt_wan),
        cmocka_unit_test(test_wan_vlan_static_dsa_unknown),
        cmocka_unit_test(test_root_password),
        cmocka_unit_test(test_generic_uci_config),
        cmocka_unit_test(test_assets),
        cmocka_unit_test(test_layering_mac_file),
        cmocka_unit_test(test_migrate_wifi_bands),
        cmocka_unit_test(test_hooks),
        cmocka_unit_test(test_radio_index_from_name),
        cmocka_unit_test(test_anygw_domain_limit_ssid),
        cmocka_unit_test(test_root_secret_compare),
        cmocka_unit_test(test_init_scripts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
