/* md5 (RFC 1321 test suite), LibreMesh ids (§2.1 network-id table) and templates
 * (§2.1, §2.11, §5.1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hash.h"
#include "md5.h"
#include "template.h"

static const uint8_t MAC[6] = {0xa8, 0x40, 0x41, 0x1c, 0x84, 0xd1};

static void test_md5_rfc1321(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"", "d41d8cd98f00b204e9800998ecf8427e"},
        {"a", "0cc175b9c0f1b6a831c399e269772661"},
        {"abc", "900150983cd24fb0d6963f7d28e17f72"},
        {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
        {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
        {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
         "d174ab98d277d9f5a5611c2c9f419d9f"},
        {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
         "57edf4a22be3c955ac49da2e2107b67a"},
    };
    char hex[33];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lime_md5_hex(cases[i][0], strlen(cases[i][0]), hex);
        assert_string_equal(hex, cases[i][1]);
    }
    /* streaming in odd pieces gives the same digest */
    const char *text = cases[6][0];
    struct lime_md5 ctx;
    uint8_t a[16], b[16];
    lime_md5_init(&ctx);
    for (size_t off = 0, step = 1; off < strlen(text); off += step, step = step * 2 + 1) {
        size_t n = strlen(text) - off < step ? strlen(text) - off : step;
        lime_md5_update(&ctx, text + off, n);
    }
    lime_md5_final(&ctx, a);
    lime_md5(text, strlen(text), b);
    assert_memory_equal(a, b, 16);
}

/* §2.1 network ids: md5(ssid + "\n"), pairs N1..N5. */
static void test_network_ids(void **state)
{
    (void)state;
    static const struct {
        const char *ssid, *md5;
        unsigned n1;
    } rows[] = {
        {"LibreMesh.org", "0dfe468ce88af015db6dad8c28e1479f", 13},
        {"LiMe", "8a15ad6e7006a13967157753266b522f", 138},
        {"foo", "d3b07384d113edec49eaa6238ad5ff00", 211},
        {"MyCommunity", "beeff81b19d99db2c854d80376442560", 190},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct lime_id id;
        lime_id_of(rows[i].ssid, &id);
        assert_string_equal(id.hex, rows[i].md5);
        assert_int_equal(lime_id_dec(&id, 1), rows[i].n1);
    }
    struct lime_id id;
    lime_id_of("LibreMesh.org", &id);
    char pair[3];
    assert_string_equal(lime_id_hex(&id, 1, pair), "0d");
    assert_string_equal(lime_id_hex(&id, 2, pair), "fe");
    assert_string_equal(lime_id_hex(&id, 5, pair), "e8");
    assert_string_equal(lime_id_hex(&id, 16, pair), "9f");
    assert_string_equal(lime_id_hex(&id, 17, pair), "");
    assert_int_equal(lime_id_dec(&id, 2), 0xfe);
    /* without the newline it would be 62145c50... */
    char hex[33];
    lime_md5_hex("LibreMesh.org", 13, hex);
    assert_memory_equal(hex, "62145c50", 8);
    /* the MAC id hashes the 12 joined lowercase digits */
    struct lime_id m1, m2;
    lime_id_of_mac(MAC, &m1);
    lime_id_of("a840411c84d1", &m2);
    assert_string_equal(m1.hex, m2.hex);
}

static void check_str(char *got, const char *want)
{
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_templates(void **state)
{
    (void)state;
    struct lime_id net, macid;
    lime_id_of("LibreMesh.org", &net);
    lime_id_of_mac(MAC, &macid);
    check_str(lime_tpl_mac("LiMe-%M4%M5%M6", MAC, LIME_TPL_HEX), "LiMe-1c84d1");
    check_str(lime_tpl_mac("%M1.%M6", MAC, LIME_TPL_DEC), "168.209");
    char want[64];
    char p1[3], p6[3];
    snprintf(want, sizeof want, "%s-%s", lime_id_hex(&macid, 1, p1), lime_id_hex(&macid, 6, p6));
    check_str(lime_tpl_mac("%m1-%m6", MAC, LIME_TPL_HEX), want);
    snprintf(want, sizeof want, "%u", lime_id_dec(&macid, 1));
    check_str(lime_tpl_mac("%m1", MAC, LIME_TPL_DEC), want);
    /* unknown placeholders stay */
    check_str(lime_tpl_mac("%M7 %M0 %X1 %", MAC, LIME_TPL_HEX), "%M7 %M0 %X1 %");
    check_str(lime_tpl_net("10.%N1.0.0/16", &net, LIME_TPL_DEC), "10.13.0.0/16");
    check_str(lime_tpl_net("fd%N1:%N2%N3:%N4%N5::/64", &net, LIME_TPL_HEX),
              "fd0d:fe46:8ce8::/64");
    check_str(lime_tpl_net("aa:aa:aa:%N1:%N2:aa", &net, LIME_TPL_HEX), "aa:aa:aa:0d:fe:aa");
    check_str(lime_tpl_hostname("LibreMesh.org/%H", "LiMe-1c84d1"), "LibreMesh.org/LiMe-1c84d1");
}

/* §2.11 hostname and SSIDs; §8 apname SSID. */
static void test_hostname_ssid(void **state)
{
    (void)state;
    check_str(lime_hostname_from_template("LiMe-%M4%M5%M6", MAC), "LiMe-1c84d1");
    check_str(lime_hostname_sanitize("  my node_ñ!  "), "my-node");
    check_str(lime_hostname_sanitize("--a b--"), "a-b");
    check_str(lime_hostname_sanitize("0123456789012345678901234567890123456789"),
              "01234567890123456789012345678901");
    check_str(lime_hostname_sanitize(""), "");
    /* the 32-byte cut never leaves a trailing '-' (upstream's does: invalid hostname) */
    check_str(lime_hostname_sanitize("0123456789012345678901234567890-abc"),
              "0123456789012345678901234567890");
    check_str(lime_hostname_sanitize("0123456789012345678901234567890 abc"),
              "0123456789012345678901234567890");
    check_str(lime_ssid_resolve("LibreMesh.org/%H", "LiMe-1c84d1", MAC),
              "LibreMesh.org/LiMe-1c84d1");
    check_str(lime_ssid_resolve("%M1%M2 %N1", "h", MAC), "a840 %N1"); /* no %N in SSIDs */
    /* cut to 32 bytes */
    check_str(lime_ssid_resolve("a-very-long-community-name.org/%H", "LiMe-1c84d1", MAC),
              "a-very-long-community-name.org/L");
}

/* §5.1 is_valid_hostname and slugify. */
static void test_utils_oracle(void **state)
{
    (void)state;
    const char *good[] = {"LiMe-ab0cd0", "0foo", "foo-bar"};
    const char *bad[] = {"-foo", "foo-", ".foo", "f.o", "fo.", "foo_bar",
                         "foo#bar", "foo!bar", "f\303\263\303\263bar", "f?o"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(lime_hostname_valid(good[i]));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(lime_hostname_valid(bad[i]));
    char long63[64], long64[65];
    memset(long63, 'a', 63);
    long63[63] = 0;
    memset(long64, 'a', 64);
    long64[64] = 0;
    assert_true(lime_hostname_valid(long63));
    assert_false(lime_hostname_valid(long64));

    check_str(lime_slugify("fooBAR123"), "fooBAR123");
    check_str(lime_slugify("foo-BAR--123"), "foo-BAR--123");
    check_str(lime_slugify("FOO"), "FOO");
    check_str(lime_slugify("foo bar baz "), "foo-bar-baz-");
    check_str(lime_slugify("foo,bar-baz"), "foo-bar-baz");
    check_str(lime_slugify("FOO~\xc3\xb1@#$%&/()|[]*\xc2\xa1\xc3\xa6\xc5\x82=?bar\xc2\xa1\xc2\xb0'"),
              "FOO-----------------------bar-----");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_md5_rfc1321),   cmocka_unit_test(test_network_ids),
        cmocka_unit_test(test_templates),     cmocka_unit_test(test_hostname_ssid),
        cmocka_unit_test(test_utils_oracle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
