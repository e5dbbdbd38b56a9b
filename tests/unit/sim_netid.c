/* lime-sim's SSID-derived numbers against the table of lime-spec §2.1 and §2.3 (md5
 * itself is the core's, with its RFC 1321 vectors in core_hash). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "netid.h"

static void test_clouds(void **state)
{
    (void)state;
    struct sim_cloud c;
    sim_cloud_of("LibreMesh.org", &c);
    assert_string_equal(c.id.hex, "0dfe468ce88af015db6dad8c28e1479f"); /* md5("LibreMesh.org\n") */
    assert_int_equal(c.vlan, 29);
    assert_string_equal(c.prefix4, "10.13.0.0/16");
    assert_string_equal(c.anygw4, "10.13.0.1");
    assert_string_equal(c.anygw_mac, "aa:aa:aa:0d:fe:aa");
    assert_string_equal(c.prefix6, "fd0d:fe46:8ce8::/64");
    sim_cloud_of("LiMe", &c);
    assert_int_equal(c.vlan, 154);
    assert_string_equal(c.anygw_mac, "aa:aa:aa:8a:15:aa");
    sim_cloud_of("foo", &c);
    assert_int_equal(c.vlan, 227);
    sim_cloud_of("MyCommunity", &c);
    assert_int_equal(c.vlan, 206);
    assert_string_equal(c.prefix4, "10.190.0.0/16");
}

static void test_node_addresses(void **state)
{
    (void)state;
    struct sim_cloud c;
    char mac[18], ip[16], ip6[48];
    sim_cloud_of("LibreMesh.org", &c);
    sim_mac(SIM_IF_RADIO, 0, mac);
    assert_string_equal(mac, "02:4c:52:00:01:01");
    sim_node_ipv4(&c, 0, ip);
    assert_string_equal(ip, "10.13.1.1");
    sim_node_ipv6(&c, 0, ip6);
    assert_string_equal(ip6, "fd0d:fe46:8ce8::101");
    /* Index 254 would give suffix 0x01ff: still a host, never .0.0/.0.1/.255.255. */
    for (int i = 0; i < 65000; i += 97) {
        sim_node_ipv4(&c, i, ip);
        assert_string_not_equal(ip, "10.13.0.0");
        assert_string_not_equal(ip, "10.13.0.1");
        assert_string_not_equal(ip, "10.13.255.255");
    }
    sim_mac(SIM_IF_CLIENT, 300, mac);
    assert_string_equal(mac, "02:4c:43:00:02:2d");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clouds),
        cmocka_unit_test(test_node_addresses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
