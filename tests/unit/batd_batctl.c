/* batd called as batctl (src/batd/batctl.h): batctl's argv mapped onto batd's control
 * commands, what is refused, and -H's header stripping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "batctl.h"

static int parse(struct batctl_req *r, char *msg, int argc, ...)
{
    char *argv[16];
    va_list ap;
    va_start(ap, argc);
    for (int i = 0; i < argc; i++)
        argv[i] = va_arg(ap, char *);
    va_end(ap);
    return batd_batctl_parse(argc, argv, r, msg, 256);
}

static void test_commands(void **state)
{
    (void)state;
    struct batctl_req r;
    char msg[256];
    assert_int_equal(parse(&r, msg, 1, "o"), 0);
    assert_string_equal(r.cmd, "originators");
    assert_string_equal(r.meshif, "bat0");
    assert_false(r.json);
    assert_false(r.no_header);
    assert_int_equal(parse(&r, msg, 2, "neighbors", "-H"), 0);
    assert_string_equal(r.cmd, "neighbors");
    assert_true(r.no_header);
    assert_int_equal(parse(&r, msg, 3, "meshif", "bat1", "tg"), 0);
    assert_string_equal(r.meshif, "bat1");
    assert_string_equal(r.cmd, "transglobal");
    assert_int_equal(parse(&r, msg, 4, "-m", "bat2", "tlj", "-n"), 0);
    assert_string_equal(r.meshif, "bat2");
    assert_string_equal(r.cmd, "translocal");
    assert_true(r.json);
    assert_int_equal(parse(&r, msg, 1, "if"), 0);
    assert_string_equal(r.cmd, "interfaces");
    assert_int_equal(parse(&r, msg, 1, "statistics"), 0);
    assert_string_equal(r.cmd, "statistics");
    assert_int_equal(parse(&r, msg, 1, "originators_json"), 0);
    assert_string_equal(r.cmd, "originators");
    assert_true(r.json);
}

static void test_refused(void **state)
{
    (void)state;
    struct batctl_req r;
    char msg[256];
    assert_int_equal(parse(&r, msg, 1, "gw"), -1);
    assert_non_null(strstr(msg, "'gw' is not answered by batd"));
    assert_int_equal(parse(&r, msg, 0), -1);
    assert_non_null(strstr(msg, "no command"));
    assert_int_equal(parse(&r, msg, 2, "-x", "o"), -1);
    assert_non_null(strstr(msg, "unknown option '-x'"));
    assert_int_equal(parse(&r, msg, 2, "o", "-w"), -1);
    assert_non_null(strstr(msg, "'-w' after o"));
    assert_int_equal(parse(&r, msg, 1, "-h"), 1);
    assert_non_null(strstr(msg, "usage: batctl"));
}

static void test_strip_header(void **state)
{
    (void)state;
    char a[] = "[B.A.T.M.A.N. adv batd-compat15, MainIF/MAC: eth0/02:00:00:00:00:01 (bat0/x BATMAN_IV)]\n"
               "   Originator        last-seen (#/255) Nexthop           [outgoingIF]\n"
               " * 02:4c:52:00:01:03    0.520s   ( 53) 02:4c:52:00:01:03 [      eth0]\n";
    batd_batctl_strip_header(a);
    assert_string_equal(a, " * 02:4c:52:00:01:03    0.520s   ( 53) 02:4c:52:00:01:03 [      eth0]\n");
    char b[] = "[B.A.T.M.A.N. adv batd-compat15]\n   Originator ...\n";
    batd_batctl_strip_header(b);
    assert_string_equal(b, "");
    char c[] = "\ttx: 10\n\trx: 3\n"; /* no banner: unchanged */
    batd_batctl_strip_header(c);
    assert_string_equal(c, "\ttx: 10\n\trx: 3\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commands),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_strip_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
