/* limed: ACL globs and grants (acl.c), babeld dump parsing (babel.c), password checks
 * (session.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "acl.h"
#include "babel.h"
#include "session.h"

#include <string.h>

static void globs(void **state)
{
    assert_true(ld_acl_glob("*", "anything"));
    assert_true(ld_acl_glob("get_*", "get_notes"));
    assert_false(ld_acl_glob("get_*", "set_notes"));
    assert_true(ld_acl_glob("a*c", "abbbc"));
    assert_false(ld_acl_glob("a*c", "abbbd"));
    assert_true(ld_acl_glob("exact", "exact"));
    assert_false(ld_acl_glob("exact", "exact2"));
}

static void grants(void **state)
{
    unsigned unauth = 1u << LD_GRP_UNAUTHENTICATED;
    unsigned pub = unauth | 1u << LD_GRP_LIME_APP;
    assert_true(ld_acl_allowed(unauth, 0, "session", "login"));
    assert_false(ld_acl_allowed(unauth, 0, "system", "board"));
    assert_true(ld_acl_allowed(pub, pub, "system", "board"));
    assert_true(ld_acl_allowed(pub, pub, "lime-utils", "set_notes"));
    /* set_notes is a write grant: read access alone does not give it */
    assert_false(ld_acl_allowed(pub, 0, "lime-utils", "set_notes"));
    assert_false(ld_acl_allowed(pub, pub, "lime-utils-admin", "set_hostname"));
    assert_false(ld_acl_allowed(pub, pub, "lime-fbw", "start"));
    assert_true(ld_acl_allowed(pub, pub, "lime-fbw", "status"));
    assert_true(ld_acl_allowed(LD_GRP_ALL, LD_GRP_ALL, "anything", "at_all"));
    assert_int_equal(ld_acl_group_mask("root"), 1u << LD_GRP_ROOT);
    assert_int_equal(ld_acl_group_mask("*"), LD_GRP_ALL);
    assert_int_equal(ld_acl_group_mask("nope"), 0);
}

static void babel_lines(void **state)
{
    struct ld_babel b;
    memset(&b, 0, sizeof(b));
    ld_babel_parse_line(&b, "my-id 02:00:00:ff:fe:00:00:01");
    ld_babel_parse_line(&b, "add neighbour 55d8c0a0d2b0 address fe80::2 if ld-b reach ff00 "
                            "ureach 0000 rxcost 96 txcost 96 rtt 0.123 rttcost 0 cost 96");
    ld_babel_parse_line(&b, "add route 55d8c0a0d330 prefix 10.13.0.2/32 from 0.0.0.0/0 "
                            "installed yes id 02:00:00:ff:fe:00:00:02 metric 96 refmetric 0 "
                            "via fe80::2 if ld-b");
    ld_babel_parse_line(&b, "add route 55d8c0a0d331 prefix 0.0.0.0/0 from 0.0.0.0/0 "
                            "installed yes id 02:00:00:ff:fe:00:00:02 metric 96 refmetric 0 "
                            "via fe80::2 if ld-b");
    ld_babel_parse_line(&b, "add xroute 10.13.0.1/32-0.0.0.0/0 prefix 10.13.0.1/32 from "
                            "0.0.0.0/0 metric 0");
    ld_babel_parse_line(&b, "add interface ld-b up true ipv6 fe80::1");
    ld_babel_parse_line(&b, "garbage line that is ignored");
    ld_babel_parse_line(&b, "add neighbour");
    assert_string_equal(b.my_id, "02:00:00:ff:fe:00:00:01");
    assert_int_equal(b.n_neigh, 1);
    assert_string_equal(b.neigh[0].address, "fe80::2");
    assert_string_equal(b.neigh[0].iface, "ld-b");
    assert_int_equal(b.neigh[0].reach, 0xff00);
    assert_int_equal(b.neigh[0].cost, 96);
    assert_int_equal(ld_babel_quality(&b.neigh[0]), 100); /* wired, cost 96: perfect */
    struct ld_babel_neigh w = {.rxcost = 256, .txcost = 256, .cost = 256};
    assert_int_equal(ld_babel_quality(&w), 100); /* wireless, ETX 1: perfect */
    w.cost = 512;
    assert_int_equal(ld_babel_quality(&w), 50); /* ETX 2 */
    w.cost = 0xffff;
    assert_int_equal(ld_babel_quality(&w), 0);
    assert_int_equal(b.n_route, 2);
    assert_true(b.route[0].installed);
    assert_string_equal(b.route[0].via, "fe80::2");
    assert_int_equal(b.n_xroute, 1);
    assert_string_equal(b.xroute[0], "10.13.0.1/32");
    assert_string_equal(ld_babel_neigh_id(&b, "fe80::2"), "02:00:00:ff:fe:00:00:02");
    assert_string_equal(ld_babel_host_route(&b, "02:00:00:ff:fe:00:00:02")->prefix, "10.13.0.2/32");
    assert_non_null(ld_babel_installed(&b, "0.0.0.0/0"));
    assert_null(ld_babel_installed(&b, "::/0"));
}

static void passwords(void **state)
{
    char hash[256];
    assert_int_equal(ld_password_hash("s3cret-pass", hash, sizeof(hash)), 0);
    assert_memory_equal(hash, "$6$", 3);
    assert_true(ld_password_matches("s3cret-pass", hash));
    assert_false(ld_password_matches("s3cret-pasS", hash));
    assert_true(ld_password_matches("anything", ""));
    assert_false(ld_password_matches("x", "!locked"));
    assert_false(ld_password_matches("x", "*"));
    assert_false(ld_password_matches("x", "plaintext"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(globs),
        cmocka_unit_test(grants),
        cmocka_unit_test(babel_lines),
        cmocka_unit_test(passwords),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
