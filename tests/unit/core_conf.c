/* Layered configuration: §5.2 (test_lime_config.lua) get/get_bool, uci_merge_files and
 * uci_autogen; the autogen header; §8 values read through the merged config. */
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

#include "conf.h"
#include "fsutil.h"

static struct lime_uci_package *parse(const char *name, const char *text)
{
    struct lime_uci_error err;
    struct lime_uci_package *p = lime_uci_parse(name, text, strlen(text), name, &err);
    assert_non_null(p);
    return p;
}

static void test_get(void **state)
{
    (void)state;
    struct lime_uci_package *c = parse("lime-autogen",
                                       "config lime system\n option hostname 'LiMe-%M4%M5%M6'\n"
                                       " option a 1\n option b on\n option c true\n"
                                       " option d enabled\n option e 0\n option f off\n"
                                       " option g anything\n option h false\n"
                                       " list l x\n list l y\n");
    assert_null(lime_conf_get(c, "section_foo", "option_bar", NULL));
    assert_string_equal(lime_conf_get(c, "section_foo", "option_bar", "fb"), "fb");
    assert_string_equal(lime_conf_get(c, "system", "hostname", "x"), "LiMe-%M4%M5%M6");
    const char *truthy[] = {"a", "b", "c", "d"}, *falsy[] = {"e", "f", "g", "h"};
    for (int i = 0; i < 4; i++) {
        assert_true(lime_conf_get_bool(c, "system", truthy[i], false));
        assert_false(lime_conf_get_bool(c, "system", falsy[i], true));
    }
    assert_true(lime_conf_get_bool(c, "system", "missing", true));
    assert_false(lime_conf_get_bool(c, "system", "missing", false));
    assert_false(lime_conf_is_true(NULL));
    const char *const *items;
    assert_int_equal(lime_conf_get_list(c, "system", "l", &items, NULL, 0), 2);
    assert_string_equal(items[1], "y");
    assert_int_equal(lime_conf_get_list(c, "system", "a", &items, NULL, 0), 1);
    assert_string_equal(items[0], "1");
    const char *fb[] = {"lan"};
    assert_int_equal(lime_conf_get_list(c, "system", "nolist", &items, fb, 1), 1);
    assert_ptr_equal(items, fb);
    lime_uci_free(c);
}

/* §5.2 uci_merge_files. */
static void test_merge(void **state)
{
    (void)state;
    struct lime_uci_package *high =
        parse("high", "config interface wan\n option proto dhcp\n"
                      "config interface lan\n option proto dhcp\n list lan_list eth0\n"
                      " list lan_list eth1\n"
                      "config interface only_high\n option proto static\n");
    struct lime_uci_package *low =
        parse("low", "config interface wan\n option proto static\n option ifname eth0.1\n"
                     " list wan_list false\n"
                     "config foo lan\n option proto dhcp\n list lan_list foo\n"
                     "config interface only_low\n option proto static\n");
    assert_int_equal(lime_conf_merge(low, high), 0);
    assert_string_equal(lime_uci_get(low, "wan", "proto"), "dhcp");
    assert_string_equal(lime_uci_get(low, "wan", "ifname"), "eth0.1");
    struct lime_uci_option *wl = lime_uci_option_get(lime_uci_section_get(low, "wan"), "wan_list");
    assert_true(lime_uci_option_is_list(wl));
    assert_int_equal(lime_uci_option_count(wl), 1);
    assert_string_equal(lime_uci_option_item(wl, 0), "false");
    struct lime_uci_option *ll = lime_uci_option_get(lime_uci_section_get(low, "lan"), "lan_list");
    assert_int_equal(lime_uci_option_count(ll), 2); /* a list is replaced, never merged */
    assert_string_equal(lime_uci_option_item(ll, 0), "eth0");
    assert_string_equal(lime_uci_option_item(ll, 1), "eth1");
    assert_non_null(lime_uci_section_get(low, "only_high"));
    assert_non_null(lime_uci_section_get(low, "only_low"));
    assert_string_equal(lime_uci_section_type(lime_uci_section_get(low, "lan")), "interface");
    /* options keep their place; new sections are appended */
    char *text = lime_uci_write(low, NULL);
    assert_string_equal(text, "\nconfig interface 'wan'\n\toption proto 'dhcp'\n"
                              "\toption ifname 'eth0.1'\n\tlist wan_list 'false'\n"
                              "\nconfig interface 'lan'\n\toption proto 'dhcp'\n"
                              "\tlist lan_list 'eth0'\n\tlist lan_list 'eth1'\n"
                              "\nconfig interface 'only_low'\n\toption proto 'static'\n"
                              "\nconfig interface 'only_high'\n\toption proto 'static'\n\n");
    free(text);
    lime_uci_free(high);
    lime_uci_free(low);

    /* an anonymous section merges under its cfg name and becomes named */
    struct lime_uci_package *anon = parse("lime-node", "config net\n option linux_name eth9\n");
    struct lime_uci_package *out = lime_uci_new("lime-autogen");
    assert_int_equal(lime_conf_merge(out, anon), 0);
    struct lime_uci_section *s = lime_uci_section_first(out, "net");
    assert_string_equal(lime_uci_section_name(s), lime_uci_section_name(lime_uci_section_first(anon, NULL)));
    assert_false(lime_uci_section_anonymous(s));
    lime_uci_free(anon);
    lime_uci_free(out);
}

struct dir {
    char path[64];
};

static void write_conf(const struct dir *d, const char *name, const char *text)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", d->path, name);
    assert_int_equal(lime_write_file_atomic(p, text, strlen(text), 0644), 0);
}

static void remove_conf(const struct dir *d, const char *name)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", d->path, name);
    unlink(p);
}

/* §5.2 uci_autogen. */
static void test_autogen(void **state)
{
    (void)state;
    struct dir d;
    snprintf(d.path, sizeof d.path, "/tmp/core_conf_XXXXXX");
    assert_non_null(mkdtemp(d.path));
    struct lime_uci_error err;

    write_conf(&d, "lime-node", "config interface wan\n option proto dhcp\n");
    write_conf(&d, "lime-community", "config interface wan\n option proto static\n");
    write_conf(&d, "lime-defaults", "config interface wan\n option proto static\n option ifname eth0\n");
    struct lime_uci_package *c = lime_conf_build(d.path, "a840411c84d1", &err);
    assert_non_null(c);
    assert_string_equal(lime_uci_package_name(c), "lime-autogen");
    assert_string_equal(lime_conf_get(c, "wan", "proto", NULL), "dhcp");
    assert_string_equal(lime_conf_get(c, "wan", "ifname", NULL), "eth0");
    lime_uci_free(c);

    /* without the node file the community wins over the defaults */
    remove_conf(&d, "lime-node");
    write_conf(&d, "lime-community", "config interface wan\n option proto dhcp\n");
    c = lime_conf_build(d.path, "a840411c84d1", &err);
    assert_string_equal(lime_conf_get(c, "wan", "proto", NULL), "dhcp");
    lime_uci_free(c);

    /* without the community file the node wins */
    remove_conf(&d, "lime-community");
    write_conf(&d, "lime-node", "config interface wan\n option proto dhcp\n");
    c = lime_conf_build(d.path, NULL, &err);
    assert_string_equal(lime_conf_get(c, "wan", "proto", NULL), "dhcp");
    lime_uci_free(c);

    /* lime-<mac12> sits between community and node */
    write_conf(&d, "lime-community", "config lime system\n option hostname comm\n option domain c\n");
    write_conf(&d, "lime-a840411c84d1", "config lime system\n option hostname mac\n option domain m\n");
    write_conf(&d, "lime-node", "config lime system\n option hostname node\n");
    c = lime_conf_build(d.path, "a840411c84d1", &err);
    assert_string_equal(lime_conf_get(c, "system", "hostname", NULL), "node");
    assert_string_equal(lime_conf_get(c, "system", "domain", NULL), "m");
    assert_string_equal(lime_conf_get(c, "wan", "ifname", NULL), "eth0");

    /* the written autogen file starts with upstream's 3-line notice */
    char path[256];
    snprintf(path, sizeof path, "%s/lime-autogen", d.path);
    assert_int_equal(lime_conf_write_autogen(c, path), 0);
    char *text = lime_read_file(path, 0, NULL);
    const char *head = "# DO NOT EDIT THIS FILE!. This is autogenerated by lime-config!\n"
                       "# Instead please edit /etc/config/lime-node and/or /etc/config/lime-community files\n"
                       "# and then regenerate this file executing lime-config\n\n\nconfig ";
    assert_memory_equal(text, head, strlen(head));
    free(text);
    struct lime_uci_package *back = lime_uci_load(path, &err);
    assert_non_null(back);
    assert_true(lime_uci_equal(back, c));
    lime_uci_free(back);
    lime_uci_free(c);
    unlink(path);

    /* a broken layer is an error naming the file and line */
    write_conf(&d, "lime-node", "config lime system\n option hostname 'oops\n");
    assert_null(lime_conf_build(d.path, NULL, &err));
    char msg[512];
    assert_string_equal(lime_uci_error_format(&err, msg, sizeof msg),
                        "lime-node:2: unterminated quote");

    const char *names[] = {"lime-node", "lime-community", "lime-defaults", "lime-a840411c84d1"};
    for (int i = 0; i < 4; i++)
        remove_conf(&d, names[i]);
    /* no files at all: an empty autogen */
    c = lime_conf_build(d.path, NULL, &err);
    assert_non_null(c);
    assert_int_equal(lime_uci_section_count(c), 0);
    lime_uci_free(c);
    assert_int_equal(rmdir(d.path), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_autogen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
