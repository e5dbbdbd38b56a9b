/* UCI reader/writer/model: libuci's syntax, naming and option-order rules, and the
 * exact bytes `uci commit` writes. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fsutil.h"
#include "uci.h"

static struct lime_uci_package *parse_ok(const char *text)
{
    struct lime_uci_error err;
    struct lime_uci_package *p = lime_uci_parse("test", text, strlen(text), "test", &err);
    if (!p) {
        char buf[512];
        fail_msg("unexpected parse error: %s", lime_uci_error_format(&err, buf, sizeof buf));
    }
    return p;
}

static void expect_error(const char *text, const char *want)
{
    struct lime_uci_error err;
    struct lime_uci_package *p = lime_uci_parse("lime-node", text, strlen(text), "lime-node", &err);
    assert_null(p);
    char buf[512];
    assert_string_equal(lime_uci_error_format(&err, buf, sizeof buf), want);
}

/* Exactly the format of libuci's uci_export_package (test reference import_merge.result). */
static void test_write_format(void **state)
{
    (void)state;
    struct lime_uci_package *p = lime_uci_new("test");
    struct lime_uci_section *s = lime_uci_section_set(p, "section1", "type");
    assert_non_null(s);
    assert_int_equal(lime_uci_sec_set(s, "opt", "val"), 0);
    assert_int_equal(lime_uci_sec_add_list(s, "list_opt", "val0"), 0);
    assert_int_equal(lime_uci_sec_add_list(s, "list_opt", "val1"), 0);
    s = lime_uci_section_add(p, "anon");
    assert_int_equal(lime_uci_sec_set(s, "q", "it's"), 0);
    char *text = lime_uci_write(p, NULL);
    assert_string_equal(text, "\nconfig type 'section1'\n\toption opt 'val'\n\tlist list_opt 'val0'\n"
                              "\tlist list_opt 'val1'\n\nconfig anon\n\toption q 'it'\\''s'\n\n");
    free(text);
    lime_uci_free(p);

    struct lime_uci_package *empty = lime_uci_new("x");
    text = lime_uci_write(empty, NULL);
    assert_string_equal(text, "\n");
    free(text);
    lime_uci_free(empty);
}

static void test_parse_syntax(void **state)
{
    (void)state;
    const char *text = "# comment line\n"
                       "package test\n"
                       "\n"
                       "config interface 'lan'   # trailing comment\n"
                       "\toption proto static\n"
                       "\toption ipaddr \"10.0.0.1\"\n"
                       "\toption quote 'it'\\''s'\n"
                       "\toption dq \"say \\\"hi\\\" \\\\ there\"\n"
                       "\toption glued 'a'b\"c\"\n"
                       "\toption cont long\\\n"
                       "value\n"
                       "\toption multi 'line1\n"
                       "line2'\n"
                       "\tlist dns 1.1.1.1\n"
                       "\tl dns '8.8.8.8'\n"
                       "\to empty ''\n"
                       "c wifi radio0; o channel 11; l modes ap\n"
                       "config 'wifi' \"radio0\"\r\n"
                       "\toption band '2g'\r\n";
    struct lime_uci_package *p = parse_ok(text);
    assert_int_equal(lime_uci_section_count(p), 2);
    assert_string_equal(lime_uci_get(p, "lan", "proto"), "static");
    assert_string_equal(lime_uci_get(p, "lan", "ipaddr"), "10.0.0.1");
    assert_string_equal(lime_uci_get(p, "lan", "quote"), "it's");
    assert_string_equal(lime_uci_get(p, "lan", "dq"), "say \"hi\" \\ there");
    assert_string_equal(lime_uci_get(p, "lan", "glued"), "abc");
    assert_string_equal(lime_uci_get(p, "lan", "cont"), "longvalue");
    assert_string_equal(lime_uci_get(p, "lan", "multi"), "line1\nline2");
    assert_null(lime_uci_get(p, "lan", "empty"));
    struct lime_uci_option *dns =
        lime_uci_option_get(lime_uci_section_get(p, "lan"), "dns");
    assert_true(lime_uci_option_is_list(dns));
    assert_int_equal(lime_uci_option_count(dns), 2);
    assert_string_equal(lime_uci_option_item(dns, 1), "8.8.8.8");
    struct lime_uci_section *radio = lime_uci_section_get(p, "radio0");
    assert_string_equal(lime_uci_section_type(radio), "wifi");
    assert_string_equal(lime_uci_get(p, "radio0", "channel"), "11");
    assert_string_equal(lime_uci_get(p, "radio0", "modes"), "ap");
    assert_string_equal(lime_uci_get(p, "radio0", "band"), "2g");
    /* redeclaring a section merges into it and keeps its place */
    assert_ptr_equal(lime_uci_section_first(p, NULL), lime_uci_section_get(p, "lan"));
    lime_uci_free(p);
}

/* Anonymous names as libuci gives them: cfg + 1-based section position + djb hash of
 * the type. These are the names OpenWrt's default files get (uci show -X). */
static void test_anonymous_names(void **state)
{
    (void)state;
    struct lime_uci_package *p = parse_ok("config dnsmasq\n\toption domain 'lan'\n");
    assert_string_equal(lime_uci_section_name(lime_uci_section_first(p, NULL)), "cfg01411c");
    assert_true(lime_uci_section_anonymous(lime_uci_section_first(p, NULL)));
    lime_uci_free(p);

    p = parse_ok("config defaults\nconfig zone\n\toption name lan\nconfig zone\n\toption name wan\n");
    const char *want[] = {"cfg01e63d", "cfg02dc81", "cfg03dc81"};
    struct lime_uci_section *s;
    int i = 0;
    lime_uci_foreach_section(p, NULL, s) assert_string_equal(lime_uci_section_name(s), want[i++]);
    assert_int_equal(i, 3);
    i = 0;
    lime_uci_foreach_section(p, "zone", s) i++;
    assert_int_equal(i, 2);
    lime_uci_free(p);

    p = parse_ok("config interface 'loopback'\nconfig globals 'globals'\nconfig device\n");
    struct lime_uci_section *dev = lime_uci_section_first(p, "device");
    assert_string_equal(lime_uci_section_name(dev), "cfg030f15");
    /* uci add continues the count */
    s = lime_uci_section_add(p, "system");
    assert_string_equal(lime_uci_section_name(s), "cfg04e48a");
    assert_int_equal(lime_uci_section_rename(p, "cfg04e48a", "sys"), 0);
    assert_false(lime_uci_section_anonymous(s));
    lime_uci_free(p);
}

static void test_set_semantics(void **state)
{
    (void)state;
    struct lime_uci_package *p = parse_ok("config a 'x'\n\toption p 1\n\toption q 2\n\toption r 3\n");
    struct lime_uci_section *s = lime_uci_section_get(p, "x");
    /* same value: nothing moves; new value: the option moves to the end */
    assert_int_equal(lime_uci_sec_set(s, "p", "1"), 0);
    assert_string_equal(lime_uci_option_name(lime_uci_option_first(s)), "p");
    assert_int_equal(lime_uci_sec_set(s, "p", "9"), 0);
    char *text = lime_uci_write(p, NULL);
    assert_string_equal(text,
                        "\nconfig a 'x'\n\toption q '2'\n\toption r '3'\n\toption p '9'\n\n");
    free(text);
    /* add_list on a string option: list [old, new] at the end */
    assert_int_equal(lime_uci_sec_add_list(s, "q", "5"), 0);
    text = lime_uci_write(p, NULL);
    assert_string_equal(text, "\nconfig a 'x'\n\toption r '3'\n\toption p '9'\n\tlist q '2'\n"
                              "\tlist q '5'\n\n");
    free(text);
    /* "" deletes; set_list replaces; delete */
    assert_int_equal(lime_uci_set(p, "x", "r", ""), 0);
    assert_null(lime_uci_get(p, "x", "r"));
    const char *items[] = {"a", "b"};
    assert_int_equal(lime_uci_set_list(p, "x", "p", items, 2), 0);
    assert_true(lime_uci_option_is_list(lime_uci_option_get(s, "p")));
    assert_int_equal(lime_uci_delete(p, "x", "q"), 0);
    assert_int_equal(lime_uci_delete(p, "x", "q"), -ENOENT);
    assert_int_equal(lime_uci_set(p, "nosuch", "a", "b"), -ENOENT);
    assert_int_equal(lime_uci_sec_set(s, "bad-name", "b"), -EINVAL);
    /* section type change keeps place */
    lime_uci_section_set(p, "y", "b");
    assert_non_null(lime_uci_section_set(p, "x", "c"));
    assert_string_equal(lime_uci_section_type(lime_uci_section_first(p, NULL)), "c");
    assert_null(lime_uci_section_set(p, "bad name", "c"));
    assert_int_equal(lime_uci_section_rename(p, "x", "y"), -EEXIST);
    assert_int_equal(lime_uci_section_delete(p, "x"), 0);
    assert_int_equal(lime_uci_section_delete(p, "x"), -ENOENT);
    assert_int_equal(lime_uci_section_count(p), 1);
    lime_uci_free(p);
}

/* copy_option replaces in place (unlike set) or appends. */
static void test_copy_option(void **state)
{
    (void)state;
    struct lime_uci_package *src = parse_ok("config s a\n list l 1\n list l 2\n option o z\n");
    struct lime_uci_package *dst = parse_ok("config d b\n option p 1\n option l x\n option q 2\n");
    struct lime_uci_section *from = lime_uci_section_get(src, "a");
    struct lime_uci_section *to = lime_uci_section_get(dst, "b");
    assert_int_equal(lime_uci_sec_copy_option(to, lime_uci_option_get(from, "l")), 0);
    assert_int_equal(lime_uci_sec_copy_option(to, lime_uci_option_get(from, "o")), 0);
    assert_int_equal(lime_uci_section_option_count(to), 4);
    char *text = lime_uci_write(dst, NULL);
    assert_string_equal(text, "\nconfig d 'b'\n\toption p '1'\n\tlist l '1'\n\tlist l '2'\n"
                              "\toption q '2'\n\toption o 'z'\n\n");
    free(text);
    /* replacing the last option keeps the tail right */
    assert_int_equal(lime_uci_sec_copy_option(to, lime_uci_option_get(from, "o")), 0);
    assert_int_equal(lime_uci_sec_add_list(to, "after", "v"), 0);
    assert_string_equal(lime_uci_option_name(lime_uci_option_first(to)), "p");
    text = lime_uci_write(dst, NULL);
    assert_non_null(strstr(text, "\toption o 'z'\n\tlist after 'v'\n"));
    free(text);
    lime_uci_free(src);
    lime_uci_free(dst);
}

/* Parsing the same option/list sequence as libuci gives the same order. */
static void test_parse_order(void **state)
{
    (void)state;
    struct lime_uci_package *p = parse_ok("config a x\n option p 1\n option q 2\n option p 3\n"
                                          " option q 2\n list r a\n option r b\n");
    char *text = lime_uci_write(p, NULL);
    assert_string_equal(text, "\nconfig a 'x'\n\toption q '2'\n\toption p '3'\n\toption r 'b'\n\n");
    free(text);
    lime_uci_free(p);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("config a b\n\toption x y\n\n\n\n\n\toption bad 'oops\n", "lime-node:7: unterminated quote");
    expect_error("option x y\n", "lime-node:1: expected a 'config' line before the first option/list");
    expect_error("config a b\nfoo bar\n", "lime-node:2: expected config, option, list or package, got 'foo'");
    expect_error("config a 'b c'\n", "lime-node:1: invalid name 'b c' (expected letters, digits and _)");
    expect_error("config a b c\n", "lime-node:1: unexpected extra argument 'c' (expected end of command)");
    expect_error("config a b\nconfig c b\n", "lime-node:2: section 'b' redeclared with type 'c' (expected 'a')");
    expect_error("config\n", "lime-node:1: expected arguments after 'config'");
    expect_error("config a\n option\n", "lime-node:2: expected arguments after 'option'");
    expect_error("config a\n option 'x\" y\n", "lime-node:2: unterminated quote");
    expect_error("config a\n option \"\" y\n", "lime-node:2: expected an option name");
    expect_error("config ''\n", "lime-node:1: expected a section type after 'config'");
    const char nul[] = "config a\n\0";
    struct lime_uci_error err;
    assert_null(lime_uci_parse("x", nul, sizeof nul - 1, "x", &err));
    assert_int_equal(err.line, 2);
}

static void test_roundtrip_and_equal(void **state)
{
    (void)state;
    const char *text = "config t 'n1'\n option a 'x\ny'\n list l ''\n list l \"q'q\"\n"
                       "config t\n option b 'back\\\\slash'\nconfig 'odd#type'\n";
    struct lime_uci_package *p = parse_ok(text);
    size_t len;
    char *out = lime_uci_write(p, &len);
    struct lime_uci_package *q = parse_ok(out);
    assert_true(lime_uci_equal(p, q));
    char *out2 = lime_uci_write(q, NULL);
    assert_string_equal(out, out2);
    struct lime_uci_package *d = lime_uci_dup(p);
    assert_true(lime_uci_equal(p, d));
    lime_uci_set(d, "n1", "a", "z");
    assert_false(lime_uci_equal(p, d));
    free(out);
    free(out2);
    lime_uci_free(p);
    lime_uci_free(q);
    lime_uci_free(d);
}

static void test_load_save(void **state)
{
    (void)state;
    char dir[] = "/tmp/core_uci_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/network", dir);
    struct lime_uci_error err;
    assert_null(lime_uci_load(path, &err));
    assert_int_equal(errno, ENOENT);
    struct lime_uci_package *p = lime_uci_new("network");
    lime_uci_sec_set(lime_uci_section_set(p, "lan", "interface"), "proto", "static");
    assert_int_equal(lime_uci_save(p, path, "# header\n"), 0);
    size_t len;
    char *text = lime_read_file(path, 0, &len);
    assert_string_equal(text, "# header\n\nconfig interface 'lan'\n\toption proto 'static'\n\n");
    free(text);
    struct lime_uci_package *q = lime_uci_load(path, &err);
    assert_non_null(q);
    assert_string_equal(lime_uci_package_name(q), "network");
    assert_true(lime_uci_equal(p, q));
    lime_uci_free(p);
    lime_uci_free(q);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_format),        cmocka_unit_test(test_parse_syntax),
        cmocka_unit_test(test_anonymous_names),     cmocka_unit_test(test_set_semantics),
        cmocka_unit_test(test_parse_order),         cmocka_unit_test(test_errors),
        cmocka_unit_test(test_roundtrip_and_equal), cmocka_unit_test(test_load_save),
        cmocka_unit_test(test_copy_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
