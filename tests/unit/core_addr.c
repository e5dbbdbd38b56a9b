/* Address arithmetic and LibreMesh address rules: §2.3 worked examples, §5.3 primary
 * address, §2.4 anycast gateway, §2.5 batman-adv VLAN id and device MAC, §5.1
 * mac2ipv6linklocal, §2.8 naming, §8 values. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"
#include "hash.h"

#define V4 "10.%N1.0.0/16"
#define V6 "fd%N1:%N2%N3:%N4%N5::/64"

static struct lime_id ssid_id(const char *ssid)
{
    struct lime_id id;
    lime_id_of(ssid, &id);
    return id;
}

static void expect_primary(const char *tmpl, int family, const char *mac_s, bool anygw,
                           const char *want, enum lime_addr_fix want_fix)
{
    uint8_t mac[6];
    assert_int_equal(lime_mac_parse(mac_s, mac), 0);
    struct lime_id net = ssid_id("LibreMesh.org");
    struct lime_addr a;
    enum lime_addr_fix fix;
    assert_int_equal(lime_primary_address(tmpl, family, mac, &net, anygw, &a, &fix), 0);
    char buf[LIME_ADDR_STRLEN];
    assert_string_equal(lime_addr_format(&a, true, buf, sizeof buf), want);
    assert_int_equal(fix, want_fix);
}

/* §2.3 worked examples (ssid LibreMesh.org, default templates) and §5.3. */
static void test_primary_address_table(void **state)
{
    (void)state;
    expect_primary(V4, AF_INET, "a8:40:41:1c:84:d1", true, "10.13.132.209/16", LIME_ADDR_OK);
    expect_primary(V6, AF_INET6, "a8:40:41:1c:84:d1", true, "fd0d:fe46:8ce8::1c:84d1/64",
                   LIME_ADDR_OK);
    expect_primary(V4, AF_INET, "c4:6e:1f:12:34:56", true, "10.13.52.86/16", LIME_ADDR_OK);
    expect_primary(V6, AF_INET6, "c4:6e:1f:12:34:56", true, "fd0d:fe46:8ce8::12:3456/64",
                   LIME_ADDR_OK);
    expect_primary(V4, AF_INET, "00:00:00:ab:cd:ef", true, "10.13.205.239/16", LIME_ADDR_OK);
    expect_primary(V6, AF_INET6, "00:00:00:ab:cd:ef", true, "fd0d:fe46:8ce8::ab:cdef/64",
                   LIME_ADDR_OK);
    /* §5.3: MAC 00x6 -> host 10.13.255.254 (NETWORK), IPv6 host = the network itself */
    expect_primary(V4, AF_INET, "00:00:00:00:00:00", false, "10.13.255.254/16",
                   LIME_ADDR_NETWORK);
    expect_primary(V6, AF_INET6, "00:00:00:00:00:00", false, "fd0d:fe46:8ce8::/64",
                   LIME_ADDR_OK);
    /* ANYGW only when anygw is enabled */
    expect_primary(V4, AF_INET, "00:00:00:00:00:01", true, "10.13.255.254/16", LIME_ADDR_ANYGW);
    expect_primary(V4, AF_INET, "00:00:00:00:00:01", false, "10.13.0.1/16", LIME_ADDR_OK);
    expect_primary(V6, AF_INET6, "00:00:00:00:00:01", true, "fd0d:fe46:8ce8::1/64", LIME_ADDR_OK);
    expect_primary(V4, AF_INET, "02:00:00:00:ff:ff", true, "10.13.255.254/16",
                   LIME_ADDR_BROADCAST);
    expect_primary(V6, AF_INET6, "02:00:00:00:ff:ff", true, "fd0d:fe46:8ce8::ffff/64",
                   LIME_ADDR_OK);
    /* other templates with MAC a8:40:41:1c:84:d1 */
    expect_primary("10.0.128.0/16/17", AF_INET, "a8:40:41:1c:84:d1", true, "10.0.132.209/16",
                   LIME_ADDR_OK);
    expect_primary("192.168.1.0/24", AF_INET, "a8:40:41:1c:84:d1", true, "192.168.1.209/24",
                   LIME_ADDR_OK);
    expect_primary("10.%N1.%M5.%M6/16", AF_INET, "a8:40:41:1c:84:d1", true, "10.13.132.209/16",
                   LIME_ADDR_OK);
    /* a fixed address is used as given */
    expect_primary("10.13.1.5/16", AF_INET, "a8:40:41:1c:84:d1", true, "10.13.1.5/16",
                   LIME_ADDR_OK);

    uint8_t mac[6] = {0};
    struct lime_id net = ssid_id("LibreMesh.org");
    struct lime_addr a;
    assert_int_equal(lime_primary_address("not an address", AF_INET, mac, &net, true, &a, NULL),
                     -EINVAL);
    assert_int_equal(lime_primary_address(V6, AF_INET, mac, &net, true, &a, NULL), -EINVAL);
}

static void test_arithmetic(void **state)
{
    (void)state;
    struct lime_addr a, b;
    char buf[LIME_ADDR_STRLEN], mask[16];
    assert_int_equal(lime_addr_parse("10.13.132.209/16", &a), 0);
    assert_string_equal(lime_addr_netmask(&a, mask, sizeof mask), "255.255.0.0");
    lime_addr_network(&a, &b);
    assert_string_equal(lime_addr_format(&b, true, buf, sizeof buf), "10.13.0.0/16");
    lime_addr_broadcast(&a, &b);
    assert_string_equal(lime_addr_format(&b, false, buf, sizeof buf), "10.13.255.255");
    lime_addr_minhost(&a, &b);
    assert_string_equal(lime_addr_format(&b, false, buf, sizeof buf), "10.13.0.1");
    lime_addr_maxhost(&a, &b);
    assert_string_equal(lime_addr_format(&b, false, buf, sizeof buf), "10.13.255.254");
    assert_int_equal(lime_addr_parse("10.0.0.1", &a), 0);
    assert_int_equal(a.prefix, 32);
    assert_string_equal(lime_addr_netmask(&a, mask, sizeof mask), "255.255.255.255");
    assert_int_equal(lime_addr_parse("10.0.0.255/24", &a), 0);
    lime_addr_add(&a, 1);
    assert_string_equal(lime_addr_format(&a, true, buf, sizeof buf), "10.0.1.0/24");
    assert_int_equal(lime_addr_parse("fd00::ffff:ffff/64", &a), 0);
    lime_addr_add(&a, 1);
    assert_string_equal(lime_addr_format(&a, false, buf, sizeof buf), "fd00::1:0:0");
    assert_int_equal(lime_addr_parse("fd00::1/48", &a), 0);
    lime_addr_broadcast(&a, &b);
    assert_string_equal(lime_addr_format(&b, false, buf, sizeof buf),
                        "fd00::ffff:ffff:ffff:ffff:ffff");
    assert_int_equal(lime_addr_parse("10.0.0.1/33", &a), -EINVAL);
    assert_int_equal(lime_addr_parse("10.0.0.1/", &a), -EINVAL);
    assert_int_equal(lime_addr_parse("10.0.0/8", &a), -EINVAL);
    assert_int_equal(lime_addr_parse("fd00::/129", &a), -EINVAL);
    assert_int_equal(lime_addr_parse("10.1.2.3/24", &a), 0);
    assert_int_equal(lime_addr_parse("10.1.2.3/16", &b), 0);
    assert_true(lime_addr_equal(&a, &b)); /* prefix ignored */
    /* generate_host on a /17: 0x1c84d1 mod 2^15 = 1233 */
    assert_int_equal(lime_addr_parse("10.0.128.0/17", &a), 0);
    lime_generate_host(&a, 0x1c84d1, &b);
    assert_string_equal(lime_addr_format(&b, true, buf, sizeof buf), "10.0.132.209/17");
}

/* §2.4 and §8: anygw MAC, IPs and link-local. */
static void test_anygw(void **state)
{
    (void)state;
    struct lime_id net = ssid_id("LibreMesh.org");
    uint8_t mac[6];
    char buf[LIME_ADDR_STRLEN];
    assert_int_equal(lime_anygw_mac("aa:aa:aa:%N1:%N2:aa", &net, mac), 0);
    assert_string_equal(lime_mac_format(mac, buf, sizeof buf), "aa:aa:aa:0d:fe:aa");
    struct lime_addr ll;
    lime_mac_to_ipv6ll(mac, &ll);
    assert_string_equal(lime_addr_format(&ll, false, buf, sizeof buf), "fe80::a8aa:aaff:fe0d:feaa");
    static const struct {
        const char *ssid, *mac;
    } rows[] = {{"LiMe", "aa:aa:aa:8a:15:aa"},
                {"foo", "aa:aa:aa:d3:b0:aa"},
                {"MyCommunity", "aa:aa:aa:be:ef:aa"}};
    for (size_t i = 0; i < 3; i++) {
        struct lime_id id = ssid_id(rows[i].ssid);
        assert_int_equal(lime_anygw_mac("aa:aa:aa:%N1:%N2:aa", &id, mac), 0);
        assert_string_equal(lime_mac_format(mac, buf, sizeof buf), rows[i].mac);
    }
    assert_int_equal(lime_anygw_mac("aa:aa:%N1", &net, mac), -EINVAL);

    struct lime_addr node4, node6, gw;
    assert_int_equal(lime_addr_parse("10.13.132.209/16", &node4), 0);
    lime_anygw_ipv4(&node4, &gw);
    assert_string_equal(lime_addr_format(&gw, true, buf, sizeof buf), "10.13.0.1/16");
    assert_int_equal(lime_addr_parse("fd0d:fe46:8ce8::1c:84d1/64", &node6), 0);
    lime_anygw_ipv6(&node6, &gw);
    assert_string_equal(lime_addr_format(&gw, true, buf, sizeof buf), "fd0d:fe46:8ce8::1/64");
    assert_int_equal(lime_addr_parse("fd0d:fe46::1c:84d1/48", &node6), 0);
    lime_anygw_ipv6(&node6, &gw);
    assert_string_equal(lime_addr_format(&gw, true, buf, sizeof buf), "fd0d:fe46::1/64");
}

/* §2.5 and §2.1 table: VLAN = 29 + ((N1 - 13) mod 256); numbers used as given. */
static void test_batadv_vlan(void **state)
{
    (void)state;
    static const struct {
        const char *ssid;
        int vid;
    } rows[] = {{"LibreMesh.org", 29}, {"LiMe", 154}, {"foo", 227}, {"MyCommunity", 206}};
    for (size_t i = 0; i < 4; i++) {
        struct lime_id id = ssid_id(rows[i].ssid);
        assert_int_equal(lime_batadv_vlan(NULL, &id), rows[i].vid);
        assert_int_equal(lime_batadv_vlan("%N1", &id), rows[i].vid);
    }
    struct lime_id id = ssid_id("LibreMesh.org");
    assert_int_equal(lime_batadv_vlan("17", &id), 17);
    assert_int_equal(lime_batadv_vlan("0", &id), 0);
    /* N2 = 0xfe = 254: 29 + 241 */
    assert_int_equal(lime_batadv_vlan("%N2", &id), 270);
    assert_int_equal(lime_batadv_vlan("abc", &id), -EINVAL);
    /* floored modulo: N1 < 13 wraps to the top of the range (N1 = 0x0b for "x3") */
    struct lime_id low;
    for (int i = 0;; i++) {
        char s[16];
        snprintf(s, sizeof s, "s%d", i);
        lime_id_of(s, &low);
        if (lime_id_dec(&low, 1) < 13)
            break;
    }
    assert_int_equal(lime_batadv_vlan(NULL, &low), 29 + 256 - 13 + (int)lime_id_dec(&low, 1));
}

/* §2.5 VLAN-device MAC table. */
static void test_batadv_vlan_mac(void **state)
{
    (void)state;
    static const struct {
        const char *ifname, *mac;
    } rows[] = {
        {"wlan0-mesh", "02:58:47:1c:84:d1"}, {"wlan1-mesh", "02:ab:46:1c:84:d1"},
        {"eth0", "02:95:39:1c:84:d1"},       {"eth1", "02:bb:ed:1c:84:d1"},
        {"lan1", "02:95:03:1c:84:d1"},       {"wan", "02:db:38:1c:84:d1"},
        {"eth0.1", "02:db:d6:1c:84:d1"},
    };
    const uint8_t primary[6] = {0xa8, 0x40, 0x41, 0x1c, 0x84, 0xd1};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        uint8_t mac[6];
        char buf[LIME_MAC_STRLEN];
        lime_batadv_vlan_mac(primary, rows[i].ifname, mac);
        assert_string_equal(lime_mac_format(mac, buf, sizeof buf), rows[i].mac);
    }
}

/* §5.1 mac2ipv6linklocal. */
static void test_mac2ipv6ll(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"foo", "foo"},
        {"00:00:00:00:00:00", "fe80::200:ff:fe00:0"},
        {"00:00:00:00:0f:ff", "fe80::200:ff:fe00:fff"},
        {"CC:AA:BB:FF:11:FE", "fe80::ceaa:bbff:feff:11fe"},
        {"a8:40:41:1c:84:d1", "fe80::aa40:41ff:fe1c:84d1"},
        {"FOOa8:40:41:1c:84:d1BARa8:40:41:1c:84:d1",
         "FOOfe80::aa40:41ff:fe1c:84d1BARfe80::aa40:41ff:fe1c:84d1"},
        {"", ""},
        {"a8:40:41:1c:84", "a8:40:41:1c:84"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = lime_mac2ipv6ll(cases[i][0]);
        assert_string_equal(s, cases[i][1]);
        free(s);
    }
    uint8_t mac[6];
    assert_int_equal(lime_mac_parse("CC:AA:BB:FF:11:FE", mac), 0);
    struct lime_addr ll;
    char buf[LIME_ADDR_STRLEN];
    lime_mac_to_ipv6ll(mac, &ll);
    assert_string_equal(lime_addr_format(&ll, false, buf, sizeof buf), "fe80::ceaa:bbff:feff:11fe");
    assert_int_equal(lime_mac_parse("CC:AA:BB:FF:11", mac), -EINVAL);
    assert_int_equal(lime_mac_parse("CC:AA:BB:FF:11:FG", mac), -EINVAL);
}

/* §2.8 interface naming. */
static void test_naming(void **state)
{
    (void)state;
    static const char *const san[][2] = {{"eth0.1", "lm_net_eth0_1"},
                                         {"wlan0-mesh", "lm_net_wlan0_mesh"},
                                         {"br-lan_anygw_dev", "lm_net_br_lan_anygw_dev"}};
    for (size_t i = 0; i < 3; i++) {
        char *s = lime_iface_sanitize(san[i][0]);
        assert_string_equal(s, san[i][1]);
        free(s);
    }
    static const struct {
        const char *base;
        unsigned vid;
        const char *want;
    } vl[] = {{"wlan0-mesh", 17, "wlan0-mesh_17"},
              {"wlan0-mesh", 29, "wlan0-mesh_29"},
              {"eth0", 17, "eth0_17"},
              {"eth0.1", 29, "eth0-1_29"}};
    for (size_t i = 0; i < 4; i++) {
        char *s = lime_vlan_devname(vl[i].base, vl[i].vid);
        assert_string_equal(s, vl[i].want);
        free(s);
    }
}

/* §8 worked example: the values limecore computes for ssid LibreMesh.org and primary
 * MAC a8:40:41:1c:84:d1. */
static void test_worked_example(void **state)
{
    (void)state;
    const uint8_t mac[6] = {0xa8, 0x40, 0x41, 0x1c, 0x84, 0xd1};
    struct lime_id net = ssid_id("LibreMesh.org");
    struct lime_addr v4, v6, gw4, gw6, n;
    char buf[LIME_ADDR_STRLEN], mask[16];
    assert_int_equal(lime_primary_address(V4, AF_INET, mac, &net, true, &v4, NULL), 0);
    assert_int_equal(lime_primary_address(V6, AF_INET6, mac, &net, true, &v6, NULL), 0);
    assert_string_equal(lime_addr_format(&v4, false, buf, sizeof buf), "10.13.132.209");
    assert_string_equal(lime_addr_netmask(&v4, mask, sizeof mask), "255.255.0.0");
    assert_string_equal(lime_addr_format(&v6, true, buf, sizeof buf), "fd0d:fe46:8ce8::1c:84d1/64");
    lime_anygw_ipv4(&v4, &gw4);
    lime_anygw_ipv6(&v6, &gw6);
    assert_string_equal(lime_addr_format(&gw4, false, buf, sizeof buf), "10.13.0.1");
    assert_string_equal(lime_addr_format(&gw6, true, buf, sizeof buf), "fd0d:fe46:8ce8::1/64");
    lime_addr_network(&v4, &n);
    assert_string_equal(lime_addr_format(&n, false, buf, sizeof buf), "10.13.0.0");
    lime_addr_network(&v6, &n);
    assert_string_equal(lime_addr_format(&n, false, buf, sizeof buf), "fd0d:fe46:8ce8::");
    uint8_t gmac[6];
    assert_int_equal(lime_anygw_mac("aa:aa:aa:%N1:%N2:aa", &net, gmac), 0);
    assert_string_equal(lime_mac_format(gmac, buf, sizeof buf), "aa:aa:aa:0d:fe:aa");
    int vid = lime_batadv_vlan("%N1", &net);
    assert_int_equal(vid, 29);
    char *dev = lime_vlan_devname("wlan1-mesh", (unsigned)vid);
    assert_string_equal(dev, "wlan1-mesh_29");
    free(dev);
    dev = lime_iface_sanitize("wlan1-mesh");
    assert_string_equal(dev, "lm_net_wlan1_mesh");
    free(dev);
    uint8_t vmac[6];
    lime_batadv_vlan_mac(mac, "eth1", vmac);
    assert_string_equal(lime_mac_format(vmac, buf, sizeof buf), "02:bb:ed:1c:84:d1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_primary_address_table),
        cmocka_unit_test(test_arithmetic),
        cmocka_unit_test(test_anygw),
        cmocka_unit_test(test_batadv_vlan),
        cmocka_unit_test(test_batadv_vlan_mac),
        cmocka_unit_test(test_mac2ipv6ll),
        cmocka_unit_test(test_naming),
        cmocka_unit_test(test_worked_example),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
