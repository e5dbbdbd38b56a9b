/* End to end: the lime-config binary on a copy of tests/fixtures/worked-example (spec §8,
 * every value listed there), idempotence, --dry-run, and malformed lime-node files that
 * must write nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"
#include "config_testlib.h"

#define EQ(pkg, sec, opt, val) assert_string_equal(tl_get(pkg, sec, opt) ?: "(nil)", val)
#define NIL(pkg, sec, opt) assert_null(tl_get(pkg, sec, opt))

static char *root;

static int setup(void **state)
{
    (void)state;
    root = tl_root("worked-example");
    const char *args[] = {"--root", root, "-q", NULL};
    char *err = NULL;
    int rc = tl_run(args, &err);
    if (rc != 0)
        fprintf(stderr, "lime-config failed: %s\n", err ? err : "");
    free(err);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    tl_cleanup(root);
    root = NULL;
    return 0;
}

static void test_system_uhttpd(void **state)
{
    (void)state;
    struct lime_uci_package *sys = tl_pkg(root, "system");
    struct lime_uci_section *s;
    int n = 0;
    lime_uci_foreach_section(sys, "system", s)
    {
        EQ(sys, lime_uci_section_name(s), "hostname", "LiMe-1c84d1");
        n++;
    }
    assert_int_equal(n, 1);
    lime_uci_free(sys);
    struct lime_uci_package *uh = tl_pkg(root, "uhttpd");
    EQ(uh, "main", "listen_http", "80");
    EQ(uh, "main", "listen_https", "443");
    EQ(uh, "main", "max_requests", "6");
    EQ(uh, "main", "script_timeout", "15");
    EQ(uh, "main", "redirect_https", "0");
    lime_uci_free(uh);
}

static void test_wireless(void **state)
{
    (void)state;
    struct lime_uci_package *w = tl_pkg(root, "wireless");
    static const char *const ch[] = {"11", "48"}, *const ht[] = {"HT20", "HT40"},
                             *const dist[] = {"1000", "10000"}, *const mc[] = {"24000", "6000"};
    for (int r = 0; r < 2; r++) {
        char radio[16], sec[64], ifn[32], net[32], buf[64];
        snprintf(radio, sizeof radio, "radio%d", r);
        EQ(w, radio, "disabled", "0");
        EQ(w, radio, "noscan", "1");
        EQ(w, radio, "channel", ch[r]);
        EQ(w, radio, "htmode", ht[r]);
        EQ(w, radio, "distance", dist[r]);
        snprintf(buf, sizeof buf, "default_%s", radio);
        assert_null(lime_uci_section_get(w, buf)); /* OpenWrt's default iface is gone */

        snprintf(sec, sizeof sec, "lm_wlan%d_ap_radio%d", r, r);
        snprintf(ifn, sizeof ifn, "wlan%d-ap", r);
        EQ(w, sec, "mode", "ap");
        EQ(w, sec, "device", radio);
        EQ(w, sec, "ifname", ifn);
        EQ(w, sec, "network", "lan");
        EQ(w, sec, "ssid", "LibreMesh.org");

        snprintf(sec, sizeof sec, "lm_wlan%d_apname_radio%d", r, r);
        snprintf(ifn, sizeof ifn, "wlan%d-apname", r);
        EQ(w, sec, "mode", "ap");
        EQ(w, sec, "ifname", ifn);
        EQ(w, sec, "network", "lan");
        EQ(w, sec, "ssid", "LibreMesh.org/LiMe-1c84d1");

        snprintf(sec, sizeof sec, "lm_wlan%d_mesh_radio%d", r, r);
        snprintf(ifn, sizeof ifn, "wlan%d-mesh", r);
        snprintf(net, sizeof net, "lm_net_wlan%d_mesh", r);
        EQ(w, sec, "mode", "mesh");
        EQ(w, sec, "device", radio);
        EQ(w, sec, "ifname", ifn);
        EQ(w, sec, "network", net);
        EQ(w, sec, "mesh_id", "LiMe");
        EQ(w, sec, "mesh_fwding", "0");
        EQ(w, sec, "mesh_nolearn", "1");
        EQ(w, sec, "mcast_rate", mc[r]);
        NIL(w, sec, "ssid");
    }
    int n = 0;
    struct lime_uci_section *s;
    lime_uci_foreach_section(w, "wifi-iface", s) n++;
    assert_int_equal(n, 6);
    lime_uci_free(w);
}

static const char *bridge_section(struct lime_uci_package *net)
{
    struct lime_uci_section *s;
    lime_uci_foreach_section(net, "device", s)
    {
        const char *n = tl_get(net, lime_uci_section_name(s), "name");
        if (n && !strcmp(n, "br-lan"))
            return lime_uci_section_name(s);
    }
    return NULL;
}

static void test_network_core(void **state)
{
    (void)state;
    struct lime_uci_package *net = tl_pkg(root, "network");
    EQ(net, "lan", "proto", "static");
    EQ(net, "lan", "ipaddr", "10.13.132.209");
    EQ(net, "lan", "netmask", "255.255.0.0");
    EQ(net, "lan", "ip6addr", "fd0d:fe46:8ce8::1c:84d1/64");
    EQ(net, "lan", "mtu", "1500");
    const char *br = bridge_section(net);
    assert_non_null(br);
    assert_int_equal(tl_count(net, br, "ports"), 2);
    assert_string_equal(tl_item(net, br, "ports", 0), "bat0");
    assert_string_equal(tl_item(net, br, "ports", 1), "eth0");

    EQ(net, "bat0", "proto", "batadv");
    EQ(net, "bat0", "routing_algo", "BATMAN_IV");
    EQ(net, "bat0", "bridge_loop_avoidance", "1");
    EQ(net, "bat0", "multicast_mode", "0");
    EQ(net, "bat0", "orig_interval", "2000");
    EQ(net, "bat0", "distributed_arp_table", "0");
    EQ(net, "bat0", "gw_mode", "client");

    EQ(net, "wan", "proto", "dhcp");
    EQ(net, "wan", "device", "eth1");
    EQ(net, "wan6", "proto", "none");
    NIL(net, "globals", "ula_prefix");
    lime_uci_free(net);
}

static void test_network_mesh_links(void **state)
{
    (void)state;
    struct lime_uci_package *net = tl_pkg(root, "network");
    static const char *const wl[] = {"wlan0-mesh", "wlan1-mesh"};
    static const char *const wmac[] = {"02:58:47:1c:84:d1", "02:ab:46:1c:84:d1"};
    for (int i = 0; i < 2; i++) {
        char s[64], sec[96], name[32], at[80];
        snprintf(s, sizeof s, "lm_net_wlan%d_mesh", i);
        snprintf(at, sizeof at, "@%s", s);
        EQ(net, s, "proto", "none");
        EQ(net, s, "mtu", "1536");
        EQ(net, s, "auto", "1");
        snprintf(sec, sizeof sec, "%s_batadv_dev", s);
        snprintf(name, sizeof name, "%s_29", wl[i]);
        EQ(net, sec, "type", "8021ad");
        EQ(net, sec, "name", name);
        EQ(net, sec, "ifname", at);
        EQ(net, sec, "vid", "29");
        EQ(net, sec, "mtu", "1532");
        EQ(net, sec, "macaddr", wmac[i]);
        snprintf(sec, sizeof sec, "%s_batadv_if", s);
        EQ(net, sec, "proto", "batadv_hardif");
        EQ(net, sec, "master", "bat0");
        EQ(net, sec, "device", name);
        snprintf(sec, sizeof sec, "%s_babeld_dev", s);
        snprintf(name, sizeof name, "%s_17", wl[i]);
        EQ(net, sec, "type", "8021ad");
        EQ(net, sec, "name", name);
        EQ(net, sec, "ifname", at);
        EQ(net, sec, "vid", "17");
        NIL(net, sec, "mtu");
        snprintf(sec, sizeof sec, "%s_babeld_if", s);
        EQ(net, sec, "proto", "static");
        EQ(net, sec, "ipaddr", "10.13.132.209");
        EQ(net, sec, "netmask", "255.255.255.255");
        EQ(net, sec, "device", name);
    }
    static const char *const eth[] = {"eth0", "eth1"};
    static const char *const emac[] = {"02:95:39:1c:84:d1", "02:bb:ed:1c:84:d1"};
    for (int i = 0; i < 2; i++) {
        char sec[96], name[32];
        snprintf(sec, sizeof sec, "lm_net_%s_batadv_dev", eth[i]);
        snprintf(name, sizeof name, "%s_29", eth[i]);
        EQ(net, sec, "type", "8021ad");
        EQ(net, sec, "name", name);
        EQ(net, sec, "ifname", eth[i]);
        EQ(net, sec, "vid", "29");
        EQ(net, sec, "mtu", "1496");
        EQ(net, sec, "macaddr", emac[i]);
        snprintf(sec, sizeof sec, "lm_net_%s_batadv_if", eth[i]);
        EQ(net, sec, "proto", "batadv_hardif");
        EQ(net, sec, "master", "bat0");
        EQ(net, sec, "device", name);
        snprintf(sec, sizeof sec, "lm_net_%s_babeld_dev", eth[i]);
        snprintf(name, sizeof name, "%s_17", eth[i]);
        EQ(net, sec, "name", name);
        EQ(net, sec, "ifname", eth[i]);
        EQ(net, sec, "vid", "17");
        EQ(net, sec, "mtu", "1496");
        snprintf(sec, sizeof sec, "lm_net_%s_babeld_if", eth[i]);
        EQ(net, sec, "proto", "static");
        EQ(net, sec, "ipaddr", "10.13.132.209");
        EQ(net, sec, "netmask", "255.255.255.255");
        EQ(net, sec, "device", name);
    }
    lime_uci_free(net);
}

static void test_network_anygw(void **state)
{
    (void)state;
    struct lime_uci_package *net = tl_pkg(root, "network");
    EQ(net, "lm_net_br_lan_anygw_dev", "type", "macvlan");
    EQ(net, "lm_net_br_lan_anygw_dev", "name", "anygw");
    EQ(net, "lm_net_br_lan_anygw_dev", "ifname", "br-lan");
    EQ(net, "lm_net_br_lan_anygw_dev", "macaddr", "aa:aa:aa:0d:fe:aa");
    NIL(net, "lm_net_br_lan_anygw_dev", "mode");
    EQ(net, "lm_net_br_lan_anygw_if", "proto", "static");
    EQ(net, "lm_net_br_lan_anygw_if", "device", "anygw");
    EQ(net, "lm_net_br_lan_anygw_if", "auto", "1");
    EQ(net, "lm_net_br_lan_anygw_if", "ipaddr", "10.13.0.1");
    EQ(net, "lm_net_br_lan_anygw_if", "netmask", "255.255.0.0");
    EQ(net, "lm_net_br_lan_anygw_if", "ip6addr", "fd0d:fe46:8ce8::1/64");
    EQ(net, "lm_net_br_lan_anygw_if", "metric", "2147483647");
    assert_string_equal(lime_uci_section_type(lime_uci_section_get(net, "lm_net_anygw_rule4")), "rule");
    EQ(net, "lm_net_anygw_rule4", "src", "10.13.0.1/32");
    EQ(net, "lm_net_anygw_rule4", "lookup", "170");
    assert_string_equal(lime_uci_section_type(lime_uci_section_get(net, "lm_net_anygw_route4")), "route");
    EQ(net, "lm_net_anygw_route4", "interface", "lm_net_br_lan_anygw_if");
    EQ(net, "lm_net_anygw_route4", "target", "10.13.0.0");
    EQ(net, "lm_net_anygw_route4", "netmask", "255.255.0.0");
    EQ(net, "lm_net_anygw_route4", "table", "170");
    assert_string_equal(lime_uci_section_type(lime_uci_section_get(net, "lm_net_anygw_rule6")), "rule6");
    EQ(net, "lm_net_anygw_rule6", "src", "fd0d:fe46:8ce8::1/128");
    EQ(net, "lm_net_anygw_rule6", "lookup", "170");
    assert_string_equal(lime_uci_section_type(lime_uci_section_get(net, "lm_net_anygw_route6")), "route6");
    EQ(net, "lm_net_anygw_route6", "interface", "lm_net_br_lan_anygw_if");
    EQ(net, "lm_net_anygw_route6", "target", "fd0d:fe46:8ce8::/64");
    EQ(net, "lm_net_anygw_route6", "table", "170");
    lime_uci_free(net);
}

static void test_dhcp(void **state)
{
    (void)state;
    struct lime_uci_package *d = tl_pkg(root, "dhcp");
    EQ(d, "lan", "ignore", "1");
    const char *s = "lm_net_br_lan_anygw_if_dhcp";
    assert_string_equal(lime_uci_section_type(lime_uci_section_get(d, s)), "dhcp");
    EQ(d, s, "interface", "lm_net_br_lan_anygw_if");
    EQ(d, s, "start", "2");
    EQ(d, s, "limit", "65533");
    EQ(d, s, "leasetime", "1h");
    EQ(d, s, "force", "1");
    assert_string_equal(lime_uci_section_type(lime_uci_section_get(d, "lm_net_br_lan_anygw_if")), "tag");
    assert_int_equal(tl_count(d, "lm_net_br_lan_anygw_if", "dhcp_option"), 1);
    assert_string_equal(tl_item(d, "lm_net_br_lan_anygw_if", "dhcp_option", 0), "option:mtu,1350");
    EQ(d, "lm_net_br_lan_anygw_if", "force", "1");
    struct lime_uci_section *dm = lime_uci_section_first(d, "dnsmasq");
    assert_non_null(dm);
    const char *n = lime_uci_section_name(dm);
    EQ(d, n, "domain", "thisnode.info");
    EQ(d, n, "local", "/thisnode.info/");
    EQ(d, n, "expandhosts", "1");
    EQ(d, n, "domainneeded", "1");
    EQ(d, n, "localservice", "0");
    assert_int_equal(tl_count(d, n, "server"), 3);
    assert_string_equal(tl_item(d, n, "server", 0), "4.2.2.2");
    assert_string_equal(tl_item(d, n, "server", 1), "141.1.1.1");
    assert_string_equal(tl_item(d, n, "server", 2), "2001:470:20::2");
    EQ(d, n, "confdir", "/etc/dnsmasq.d");
    EQ(d, n, "add_local_fqdn", "0");
    EQ(d, n, "add_local_hostname", "0");
    EQ(d, n, "dhcphostsfile", "/tmp/dhcp.hosts_remote");
    assert_int_equal(tl_count(d, "node_name_dns", "name"), 2);
    assert_string_equal(tl_item(d, "node_name_dns", "name", 0), "LiMe-1c84d1");
    assert_string_equal(tl_item(d, "node_name_dns", "name", 1), "LiMe-1c84d1.thisnode.info");
    EQ(d, "node_name_dns", "ip", "10.13.132.209,fd0d:fe46:8ce8::1c:84d1");
    static const char *const any[] = {"anygw", "thisnode.info", "minodo.info", "meuno.info"};
    assert_int_equal(tl_count(d, "anygw_dns", "name"), 4);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(tl_item(d, "anygw_dns", "name", i), any[i]);
    EQ(d, "anygw_dns", "ip", "10.13.0.1,fd0d:fe46:8ce8::1");
    lime_uci_free(d);

    char *v6 = tl_read(root, "/etc/dnsmasq.d/lime-proto-anygw-20-ipv6.conf", NULL);
    assert_non_null(v6);
    assert_string_equal(v6, "enable-ra\n"
                            "ra-param=anygw,mtu:1350,120\n"
                            "dhcp-range=tag:anygw,fd0d:fe46:8ce8::,ra-names,24h\n"
                            "dhcp-option=tag:anygw,option6:domain-search,thisnode.info\n");
    free(v6);
}

static void test_babeld(void **state)
{
    (void)state;
    struct lime_uci_package *b = tl_pkg(root, "babeld");
    EQ(b, "general", "local_port", "30003");
    EQ(b, "general", "ubus_bindings", "true");
    static const struct {
        const char *name, *ip, *le, *local, *proto, *action;
    } f[] = {
        {"ula6", "fc00::/7", NULL, NULL, NULL, "allow"},
        {"public6", "2000::0/3", NULL, NULL, NULL, "allow"},
        {"default6", "0::0/0", "0", NULL, "7", "allow"},
        {"mesh4", "10.0.0.0/8", NULL, NULL, NULL, "allow"},
        {"mptp4", "172.16.0.0/12", NULL, NULL, NULL, "allow"},
        {"default4", "0.0.0.0/0", "0", NULL, "7", "allow"},
        {"localdeny", NULL, NULL, "true", NULL, "deny"},
        {"denyany", NULL, NULL, NULL, NULL, "deny"},
    };
    struct lime_uci_section *s = lime_uci_section_first(b, "filter");
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++, s = lime_uci_section_next(s, "filter")) {
        assert_non_null(s);
        assert_string_equal(lime_uci_section_name(s), f[i].name); /* order matters */
        EQ(b, f[i].name, "type", "redistribute");
        assert_string_equal(tl_get(b, f[i].name, "ip") ?: "-", f[i].ip ?: "-");
        assert_string_equal(tl_get(b, f[i].name, "le") ?: "-", f[i].le ?: "-");
        assert_string_equal(tl_get(b, f[i].name, "local") ?: "-", f[i].local ?: "-");
        assert_string_equal(tl_get(b, f[i].name, "proto") ?: "-", f[i].proto ?: "-");
        EQ(b, f[i].name, "action", f[i].action);
    }
    assert_null(s);
    static const char *const ifs[][2] = {{"lm_net_wlan0_mesh_babeld_if", "wlan0-mesh_17"},
                                         {"lm_net_wlan1_mesh_babeld_if", "wlan1-mesh_17"},
                                         {"lm_net_eth0_babeld_if", "eth0_17"},
                                         {"lm_net_eth1_babeld_if", "eth1_17"}};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(lime_uci_section_type(lime_uci_section_get(b, ifs[i][0])), "interface");
        EQ(b, ifs[i][0], "ifname", ifs[i][1]);
        EQ(b, ifs[i][0], "type", "wireless");
    }
    int n = 0;
    lime_uci_foreach_section(b, "interface", s) n++;
    assert_int_equal(n, 4);
    lime_uci_free(b);
}

static void test_firewall(void **state)
{
    (void)state;
    struct lime_uci_package *fw = tl_pkg(root, "firewall");
    struct lime_uci_section *s = lime_uci_section_first(fw, "defaults");
    assert_non_null(s);
    EQ(fw, lime_uci_section_name(s), "input", "ACCEPT");
    EQ(fw, lime_uci_section_name(s), "output", "ACCEPT");
    EQ(fw, lime_uci_section_name(s), "forward", "ACCEPT");
    const char *lan = NULL;
    lime_uci_foreach_section(fw, "zone", s)
        if (!strcmp(tl_get(fw, lime_uci_section_name(s), "name"), "lan"))
            lan = lime_uci_section_name(s);
    assert_non_null(lan);
    EQ(fw, lan, "input", "ACCEPT");
    EQ(fw, lan, "output", "ACCEPT");
    EQ(fw, lan, "forward", "ACCEPT");
    EQ(fw, lan, "mtu_fix", "1");
    static const char *const nets[] = {
        "lan", "lm_net_br_lan_anygw_if", "lm_net_eth0_batadv_if", "lm_net_eth0_babeld_if",
        "lm_net_eth1_batadv_if", "lm_net_eth1_babeld_if", "lm_net_wlan0_mesh_batadv_if",
        "lm_net_wlan0_mesh_babeld_if", "lm_net_wlan1_mesh_batadv_if", "lm_net_wlan1_mesh_babeld_if"};
    size_t n = tl_count(fw, lan, "network");
    assert_int_equal(n, sizeof nets / sizeof nets[0]);
    assert_string_equal(tl_item(fw, lan, "network", 0), "lan");
    for (size_t i = 0; i < sizeof nets / sizeof nets[0]; i++) {
        bool found = false;
        for (size_t k = 0; k < n; k++)
            found = found || !strcmp(tl_item(fw, lan, "network", k), nets[i]);
        assert_true(found);
    }
    const char *r = "lime_allow_wan_all_link_local";
    assert_string_equal(lime_uci_section_type(lime_uci_section_get(fw, r)), "rule");
    EQ(fw, r, "src", "wan");
    EQ(fw, r, "family", "ipv6");
    EQ(fw, r, "src_ip", "fe80::/10");
    EQ(fw, r, "dest_ip", "fe80::/10");
    EQ(fw, r, "target", "ACCEPT");
    lime_uci_free(fw);
    char *nft = tl_read(root, "/usr/share/nftables.d/ruleset-post/lime-proto-anygw_anycast-rules.nft", NULL);
    assert_non_null(nft);
    assert_non_null(strstr(nft, "define anygw_macs = aa:aa:aa:00:00:00/24"));
    assert_non_null(strstr(nft, "chain forward_anygw"));
    assert_non_null(strstr(nft, "ether daddr $anygw_macs counter drop"));
    assert_non_null(strstr(nft, "chain postrouting_anygw"));
    assert_non_null(strstr(nft, "oifname \"bat0\" ether saddr $anygw_macs counter drop"));
    assert_non_null(strstr(nft, "nd-router-solicit"));
    assert_non_null(strstr(nft, "nd-router-advert"));
    free(nft);
}

static void test_autogen(void **state)
{
    (void)state;
    char *text = tl_read(root, "/etc/config/lime-autogen", NULL);
    assert_non_null(text);
    assert_memory_equal(text, LIME_AUTOGEN_HEADER, strlen(LIME_AUTOGEN_HEADER));
    free(text);
    struct lime_uci_package *a = tl_pkg(root, "lime-autogen");
    const char *s = "lm_hwd_openwrt_wan";
    assert_string_equal(lime_uci_section_type(lime_uci_section_get(a, s)), "net");
    EQ(a, s, "linux_name", "eth1");
    EQ(a, s, "autogenerated", "true");
    static const char *const p[] = {"ieee80211s", "anygw", "batadv:%N1", "olsr:14", "olsr6:15",
                                    "olsr2:16", "babeld:17", "bmx7:0", "wan"};
    assert_int_equal(tl_count(a, s, "protocols"), 9);
    for (size_t i = 0; i < 9; i++)
        assert_string_equal(tl_item(a, s, "protocols", i), p[i]);
    EQ(a, "network", "primary_interface", "eth0");
    EQ(a, "wifi", "ap_ssid", "LibreMesh.org");
    /* the merged defaults are all there */
    EQ(a, "system", "hostname", "LiMe-%M4%M5%M6");
    EQ(a, "network", "main_ipv4_address", "10.%N1.0.0/16");
    assert_int_equal(tl_count(a, "network", "protocols"), 9);
    assert_string_equal(lime_uci_section_type(lime_uci_section_get(a, "5ghz")), "lime-wifi-band");
    assert_int_equal(tl_count(a, "5ghz", "channel"), 2);
    assert_string_equal(tl_item(a, "uhttpd_https", "uci_set", 0), "uhttpd.main.redirect_https=0");
    lime_uci_free(a);
    char *sysctl = tl_read(root, "/etc/sysctl.conf", NULL);
    assert_non_null(strstr(sysctl, "net.ipv4.conf.default.rp_filter=2\nnet.ipv4.conf.all.rp_filter=2\n"));
    assert_null(strstr(sysctl, "rp_filter=1"));
    free(sysctl);
}

/* The generated nft rules and dnsmasq snippet are accepted by the real tools (check
 * modes only: nothing is applied). Skipped when a tool is missing or lacks privileges. */
static void test_real_tools_accept_outputs(void **state)
{
    (void)state;
    char nft[600], v6[600];
    snprintf(nft, sizeof nft, "%s/usr/share/nftables.d/ruleset-post/lime-proto-anygw_anycast-rules.nft", root);
    snprintf(v6, sizeof v6, "--conf-file=%s/etc/dnsmasq.d/lime-proto-anygw-20-ipv6.conf", root);
    const char *nft_argv[] = {"nft", "-c", "-f", nft, NULL};
    const char *dm_argv[] = {"dnsmasq", "--test", v6, NULL};
    int rc = tl_exec(nft_argv);
    if (rc == 127 || (rc != 0 && geteuid() != 0))
        fprintf(stderr, "nft unavailable or not root: nft check skipped\n");
    else
        assert_int_equal(rc, 0);
    rc = tl_exec(dm_argv);
    if (rc == 127)
        fprintf(stderr, "dnsmasq unavailable: check skipped\n");
    else
        assert_int_equal(rc, 0);
}

/* A second run changes nothing; --dry-run on a fresh copy shows a diff and writes nothing. */
static void test_rerun_and_dry_run(void **state)
{
    (void)state;
    size_t l1, l2;
    char *before = tl_snapshot(root, &l1);
    const char *args[] = {"--root", root, "-q", NULL};
    assert_int_equal(tl_run(args, NULL), 0);
    char *after = tl_snapshot(root, &l2);
    assert_int_equal(l1, l2);
    assert_memory_equal(before, after, l1);
    free(before);
    free(after);

    char *fresh = tl_root("worked-example");
    before = tl_snapshot(fresh, &l1);
    const char *dargs[] = {"--root", fresh, "--dry-run", "-q", NULL};
    assert_int_equal(tl_run(dargs, NULL), 0);
    after = tl_snapshot(fresh, &l2);
    assert_int_equal(l1, l2);
    assert_memory_equal(before, after, l1);
    free(before);
    free(after);
    tl_cleanup(fresh);
}

/* A rewritten file keeps its permissions (libuci's commit does too): a wireless file
 * made 0600 for its keys does not become world-readable. */
static void test_file_modes_kept(void **state)
{
    (void)state;
    char *r = tl_root("worked-example");
    char path[600];
    snprintf(path, sizeof path, "%s/etc/config/wireless", r);
    assert_int_equal(chmod(path, 0600), 0);
    const char *args[] = {"--root", r, "-q", NULL};
    assert_int_equal(tl_run(args, NULL), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    char *w = tl_read(r, "/etc/config/wireless", NULL);
    assert_non_null(strstr(w, "lm_wlan0_mesh_radio0")); /* it was rewritten */
    free(w);
    snprintf(path, sizeof path, "%s/etc/config/lime-autogen", r); /* new file: 0644 */
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644);
    tl_cleanup(r);
}

/* Malformed lime-node: "file:line: ..." on stderr, exit non-zero, every file unchanged. */
static void expect_rejected_in(const char *file, const char *text, const char *want_line,
                               const char *want_msg)
{
    char *r = tl_root("worked-example");
    const char *args[] = {"--root", r, "-q", NULL};
    assert_int_equal(tl_run(args, NULL), 0); /* a previous good run wrote everything */
    tl_write(r, file, text);
    size_t l1, l2;
    char *before = tl_snapshot(r, &l1);
    char *err = NULL;
    assert_int_equal(tl_run(args, &err), 1); /* exactly 1: a sanitizer exit would differ */
    assert_non_null(err);
    char where[256];
    /* want_line NULL: any line (a quote may legally span lines, so where the parser
     * notices depends on the file) */
    snprintf(where, sizeof where, "%s%s:%s", r, file, want_line ? want_line : "");
    if (!strstr(err, where) || !strstr(err, want_msg))
        fail_msg("stderr lacks '%s' / '%s':\n%s", where, want_msg, err);
    char *after = tl_snapshot(r, &l2);
    assert_int_equal(l1, l2);
    assert_memory_equal(before, after, l1);
    free(before);
    free(after);
    free(err);
    tl_cleanup(r);
}

static void expect_rejected(const char *node, const char *want_line, const char *want_msg)
{
    expect_rejected_in("/etc/config/lime-node", node, want_line, want_msg);
}

static void test_malformed_quote(void **state)
{
    (void)state;
    expect_rejected("config lime 'system'\n\toption hostname 'node-a\n\nconfig lime 'network'\n",
                    NULL, "quote");
}

static void test_malformed_section_type(void **state)
{
    (void)state;
    expect_rejected("config lime 'system'\n\toption hostname 'node-a'\n\nconfig limee 'network'\n"
                    "\toption x 'y'\n",
                    "4:", "unknown section type 'limee'");
}

static void test_malformed_template(void **state)
{
    (void)state;
    expect_rejected("\nconfig lime 'system'\n\toption domain 'x.info'\n\toption hostname 'LiMe-%M7'\n",
                    "4:", "bad template");
    expect_rejected("config lime 'network'\n\toption main_ipv4_address '10.%Q1.0.0/16'\n", "2:",
                    "bad template");
}

static void test_malformed_values(void **state)
{
    (void)state;
    expect_rejected("config lime 'network'\n\tlist protocols 'lan'\n\tlist protocols 'batadv:foo'\n",
                    "3:", "VLAN 'foo'");
    expect_rejected("\nconfig lime 'network'\n\toption main_ipv4_address '10.0.0.0/99'\n", "3:",
                    "main_ipv4_address");
}

/* lime-community goes through the same checks as lime-node. */
static void test_malformed_community(void **state)
{
    (void)state;
    const char *c = "/etc/config/lime-community";
    expect_rejected_in(c, "config lime 'wifi'\n\toption ap_ssid 'x\n", NULL, "quote");
    expect_rejected_in(c, "config lime 'wifi'\n\toption ap_ssid 'x'\nconfig bogus 'y'\n", "3:",
                       "unknown section type 'bogus'");
    expect_rejected_in(c, "config lime 'system'\n\toption hostname 'a%Zb'\n", "2:", "bad template");
    expect_rejected_in(c, "config lime 'network'\n\tlist protocols 'babeld:x1'\n", "2:", "VLAN 'x1'");
}

/* A garbled board.json is an error (file:line where known) and writes nothing. */
static void test_garbled_board(void **state)
{
    (void)state;
    const char *b = "/etc/board.json";
    expect_rejected_in(b, "{\"network\": {", "1:", "invalid JSON (unexpected end of file)");
    expect_rejected_in(b, "", "1:", "invalid JSON");
    expect_rejected_in(b, "{\"network\":\n {\"lan\": x}}", "2:", "invalid JSON");
    expect_rejected_in(b, "[1, 2]", "1:", "expected a JSON object");
    expect_rejected_in(b, "{\"network\": {\"wan\": {\"device\": 5}}}", "",
                       "network.wan.device: expected a string");
}

/* Without board.json the run still succeeds: no WAN detection, eth* from sysfs. */
static void test_missing_board(void **state)
{
    (void)state;
    char *r = tl_root("worked-example");
    char path[600];
    snprintf(path, sizeof path, "%s/etc/board.json", r);
    assert_int_equal(unlink(path), 0);
    const char *args[] = {"--root", r, "-q", NULL};
    assert_int_equal(tl_run(args, NULL), 0);
    struct lime_uci_package *a = tl_pkg(r, "lime-autogen");
    assert_null(lime_uci_section_get(a, "lm_hwd_openwrt_wan"));
    lime_uci_free(a);
    struct lime_uci_package *net = tl_pkg(r, "network");
    EQ(net, "lan", "ipaddr", "10.13.132.209");
    EQ(net, "lm_net_eth1_babeld_dev", "name", "eth1_17"); /* eth1 meshes as a plain eth* */
    EQ(net, "wan", "proto", "none");
    lime_uci_free(net);
    tl_cleanup(r);
}

int main(void)
{
    const struct CMUnitTest worked[] = {
        cmocka_unit_test(test_system_uhttpd),    cmocka_unit_test(test_wireless),
        cmocka_unit_test(test_network_core),     cmocka_unit_test(test_network_mesh_links),
        cmocka_unit_test(test_network_anygw),    cmocka_unit_test(test_dhcp),
        cmocka_unit_test(test_babeld),           cmocka_unit_test(test_firewall),
        cmocka_unit_test(test_autogen),          cmocka_unit_test(test_real_tools_accept_outputs),
        cmocka_unit_test(test_rerun_and_dry_run), cmocka_unit_test(test_file_modes_kept),
    };
    const struct CMUnitTest malformed[] = {
        cmocka_unit_test(test_malformed_quote),
        cmocka_unit_test(test_malformed_section_type),
        cmocka_unit_test(test_malformed_template),
        cmocka_unit_test(test_malformed_values),
        cmocka_unit_test(test_malformed_community),
        cmocka_unit_test(test_garbled_board),
        cmocka_unit_test(test_missing_board),
    };
    int rc = cmocka_run_group_tests_name("worked example (spec 8)", worked, setup, teardown);
    rc |= cmocka_run_group_tests_name("malformed lime-node", malformed, NULL, NULL);
    return rc;
}
