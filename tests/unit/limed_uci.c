/* limed's UCI layer (src/limed/ucifile.c) over the core library. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ucifile.h"
#include "uci.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void parse_sections_options_lists(void **state)
{
    struct ld_uci u;
    const char *text = "package lime-node\n"
                       "# comment\n"
                       "config lime 'system'\n"
                       "\toption hostname \"roof-ana\"   # trailing\n"
                       "\toption domain thisnode.info\n"
                       "config lime wifi\n"
                       "\tlist modes 'ap'\n"
                       "\tlist modes 'ieee80211s'\n"
                       "\toption ap_ssid 'It'\\''s ours'\n"
                       "config system\n"
                       "\toption hostname 'x'\n";
    assert_int_equal(ld_uci_parse("t", text, &u, NULL, 0), 0);
    assert_int_equal(lime_uci_section_count(u.pkg), 3);
    assert_string_equal(ld_uci_get(&u, "system", "hostname"), "roof-ana");
    assert_string_equal(ld_uci_get(&u, "system", "domain"), "thisnode.info");
    assert_string_equal(ld_uci_get(&u, "wifi", "modes"), "ap");
    assert_int_equal(lime_uci_option_count(lime_uci_option_get(ld_uci_section(&u, "wifi"), "modes")), 2);
    assert_string_equal(ld_uci_get(&u, "wifi", "ap_ssid"), "It's ours");
    assert_string_equal(ld_uci_get(&u, "@system[0]", "hostname"), "x");
    assert_null(ld_uci_get(&u, "@system[1]", "hostname"));
    assert_null(ld_uci_get(&u, "nope", "hostname"));
    ld_uci_free(&u);
}

static void errors_name_file_and_line(void **state)
{
    struct ld_uci u;
    char err[256];
    /* the wording is the core library's; limed passes "file:line: what" on */
    assert_int_equal(ld_uci_parse("f", "config lime 'a'\n\toption x 'unterminated\n", &u, err,
                                  sizeof(err)),
                     -EINVAL);
    assert_memory_equal(err, "f:2: ", 5);
    assert_non_null(u.pkg); /* an empty package, to free as always */
    assert_int_equal(lime_uci_section_count(u.pkg), 0);
    ld_uci_free(&u);
    assert_int_equal(ld_uci_parse("f", "\toption x y\n", &u, err, sizeof(err)), -EINVAL);
    assert_memory_equal(err, "f:1: ", 5);
    ld_uci_free(&u);
    assert_int_equal(ld_uci_parse("f", "bogus\n", &u, err, sizeof(err)), -EINVAL);
    ld_uci_free(&u);
}

static void set_format_reparse(void **state)
{
    struct ld_uci u = {lime_uci_new("t")}, v;
    assert_int_equal(ld_uci_set(&u, "lime", "system", "hostname", "a'b"), 0);
    assert_int_equal(ld_uci_set(&u, "lime", "wifi", "ap_ssid", "Mesh"), 0);
    assert_int_equal(ld_uci_set(&u, "lime", "system", "hostname", "c"), 0);
    assert_int_equal(ld_uci_set(&u, "lime", "wifi", "ap_ssid", NULL), 0);
    assert_int_equal(ld_uci_set(&u, "lime", "wifi", "bad name", "x"), -EINVAL);
    assert_int_equal(ld_uci_set(&u, "lime", "@lime[5]", "x", NULL), 0);
    assert_int_equal(ld_uci_set(&u, "lime", "wifi", "k", "line\nbreak"), -EINVAL);
    char *text = ld_uci_format(&u);
    assert_string_equal(text, "\nconfig lime 'system'\n\toption hostname 'c'\n\nconfig lime 'wifi'\n\n");
    assert_int_equal(ld_uci_parse("t", text, &v, NULL, 0), 0);
    assert_string_equal(ld_uci_get(&v, "system", "hostname"), "c");
    free(text);
    ld_uci_free(&v);
    ld_uci_set(&u, "lime", "system", "hostname", "it's");
    text = ld_uci_format(&u);
    assert_int_equal(ld_uci_parse("t", text, &v, NULL, 0), 0);
    assert_string_equal(ld_uci_get(&v, "system", "hostname"), "it's");
    free(text);
    ld_uci_free(&v);
    ld_uci_free(&u);
}

static void save_and_load_file(void **state)
{
    char dir[] = "/tmp/ld-uci-XXXXXX", path[64], out[32];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/cfg", dir);
    struct ld_uci u;
    assert_int_equal(ld_uci_load(path, &u, NULL, 0), -ENOENT);
    ld_uci_set(&u, "lime", "system", "hostname", "node-1");
    assert_int_equal(ld_uci_save(&u, path), 0);
    ld_uci_free(&u);
    assert_string_equal(ld_uci_read_option(path, "system", "hostname", out, sizeof(out)), "node-1");
    assert_string_equal(ld_uci_read_option(path, "system", "nope", out, sizeof(out)), "");
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_sections_options_lists),
        cmocka_unit_test(errors_name_file_and_line),
        cmocka_unit_test(set_format_reparse),
        cmocka_unit_test(save_and_load_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
