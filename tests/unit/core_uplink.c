/* Is this node a gateway (src/core/uplink.h), on the in-memory kernel (nl_mock.h): a
 * default route of its own counts in any table but local, babeld's (protocol 42) does
 * not, and babeld exporting a default route counts while babeld answers. */
#include "babel.h"
#include "nl.h"
#include "nl_mock.h"
#include "uplink.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <sys/socket.h>

static void add_default(int family, uint8_t proto, uint32_t table)
{
    struct lime_nl *nl = lime_nl_open();
    struct lime_nl_route r = {.family = family, .table = table, .protocol = proto,
                              .oif = lime_nl_ifindex(nl, "wan0")};
    assert_int_equal(lime_nl_route_add(nl, &r), 0);
    lime_nl_close(nl);
}

static void own_default(void **state)
{
    (void)state;
    lime_nl_mock_reset();
    assert_true(lime_nl_mock_device("wan0") > 0);
    assert_false(lime_uplink_own_default(false));
    assert_false(lime_uplink_gateway(NULL));

    add_default(AF_INET, 42, RT_TABLE_MAIN); /* babeld's: a way through another node */
    assert_false(lime_uplink_own_default(false));
    assert_false(lime_uplink_gateway(NULL));
    add_default(AF_INET, RTPROT_BOOT, RT_TABLE_LOCAL); /* the local table is not a way out */
    assert_false(lime_uplink_gateway(NULL));

    add_default(AF_INET6, RTPROT_STATIC, RT_TABLE_MAIN);
    assert_false(lime_uplink_own_default(false));
    assert_true(lime_uplink_own_default(true));
    assert_true(lime_uplink_gateway(NULL));

    lime_nl_mock_reset();
    assert_true(lime_nl_mock_device("wan0") > 0);
    add_default(AF_INET, 7, 200); /* the watcher's announced route, any table */
    assert_true(lime_uplink_gateway(NULL));
}

static void babeld_export(void **state)
{
    (void)state;
    lime_nl_mock_reset();
    struct lime_babel_state *b = calloc(1, sizeof(*b));
    lime_babel_apply_line(b, "add xroute x1 prefix 10.13.0.0/16 from 0.0.0.0/0 metric 0");
    b->ok = true;
    assert_false(lime_uplink_gateway(b));
    lime_babel_apply_line(b, "add xroute x2 prefix 0.0.0.0/0 from 0.0.0.0/0 metric 0");
    assert_true(lime_uplink_gateway(b));
    b->ok = false; /* babeld not answering: its exports are not known */
    assert_false(lime_uplink_gateway(b));
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(own_default),
        cmocka_unit_test(babeld_export),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
