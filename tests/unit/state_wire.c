/* shared-state wire: frame byte images, frame parsing, stateSlice JSON, SHA-256/HMAC,
 * the auth trailer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sha256.h"
#include "slice.h"
#include "store.h"
#include "wire.h"

static void hex(const uint8_t *d, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

static void test_frame_encode_image(void **state)
{
    size_t len;
    uint8_t *f = ss_frame_encode("bat-hosts", "{}", 2, &len);
    static const uint8_t want[] = {9, 'b', 'a', 't', '-', 'h', 'o', 's', 't', 's',
                                   0, 0, 0, 2, '{', '}'};
    assert_int_equal(len, sizeof want);
    assert_memory_equal(f, want, sizeof want);
    free(f);
    uint8_t v[4];
    ss_put_u32(v, SS_PROTO_VERSION);
    static const uint8_t one[] = {0, 0, 0, 1};
    assert_memory_equal(v, one, 4);
    ss_put_u32(v, 0x01020304);
    assert_int_equal(ss_get_u32(v), 0x01020304);
    assert_int_equal(v[0], 1);
    /* out of range */
    assert_null(ss_frame_encode("", "{}", 2, &len));
    assert_null(ss_frame_encode("x", "{", 1, &len));
    char name[130];
    memset(name, 'n', 129);
    name[129] = 0;
    assert_null(ss_frame_encode(name, "{}", 2, &len));
    name[128] = 0;
    f = ss_frame_encode(name, "{}", 2, &len);
    assert_non_null(f);
    assert_int_equal(f[0], 128);
    free(f);
}

static void test_frame_parse(void **state)
{
    static const uint8_t img[] = {1, 't', 0, 0, 0, 3, '{', '}', ' ', 0xee};
    struct ss_frame f;
    size_t need;
    assert_int_equal(ss_frame_parse(img, 0, 100, &f, &need), SS_FRAME_NEED);
    assert_int_equal(need, 1);
    assert_int_equal(ss_frame_parse(img, 1, 100, &f, &need), SS_FRAME_NEED);
    assert_int_equal(need, 6);
    assert_int_equal(ss_frame_parse(img, 6, 100, &f, &need), SS_FRAME_NEED);
    assert_int_equal(need, 9);
    assert_int_equal(ss_frame_parse(img, 8, 100, &f, &need), SS_FRAME_NEED);
    assert_int_equal(ss_frame_parse(img, sizeof img, 100, &f, &need), SS_FRAME_OK);
    assert_int_equal(f.total, 9); /* the ack value: 1 + 1 + 4 + 3 */
    assert_int_equal(f.name_len, 1);
    assert_memory_equal(f.name, "t", 1);
    assert_int_equal(f.json_len, 3);
    assert_memory_equal(f.json, "{} ", 3);
    /* bad: name length 0, json length below 2, above max */
    static const uint8_t noname[] = {0, 0, 0, 0, 2, '{', '}'};
    assert_int_equal(ss_frame_parse(noname, sizeof noname, 100, &f, &need), SS_FRAME_BAD);
    static const uint8_t short_json[] = {1, 't', 0, 0, 0, 1, '{'};
    assert_int_equal(ss_frame_parse(short_json, sizeof short_json, 100, &f, &need), SS_FRAME_BAD);
    static const uint8_t huge[] = {1, 't', 0x00, 0x10, 0x00, 0x01};
    assert_int_equal(ss_frame_parse(huge, sizeof huge, 1u << 20, &f, &need), SS_FRAME_BAD);
    static const uint8_t max[] = {1, 't', 0x00, 0x10, 0x00, 0x00};
    assert_int_equal(ss_frame_parse(max, sizeof max, 1u << 20, &f, &need), SS_FRAME_NEED);
    uint8_t longname[200] = {129};
    assert_int_equal(ss_frame_parse(longname, sizeof longname, 100, &f, &need), SS_FRAME_BAD);
}

/* The exact message shape seen on the wire from upstream (spec §2.2), pretty-printed. */
static const char upstream_json[] =
    "{\n    \"stateSlice\": [\n        {\n            \"key\": \"k2\",\n"
    "            \"value\": {\n                \"mAuthor\": \"vm\",\n"
    "                \"mTtl\": {\n                    \"xint64\": 100054,\n"
    "                    \"xstr64\": \"100054\"\n                },\n"
    "                \"mData\": \"hello\"\n            }\n        }\n    ]\n}";

static void test_slice_parse_upstream(void **state)
{
    struct ss_slice s;
    char err[128];
    assert_int_equal(ss_slice_parse(upstream_json, strlen(upstream_json), &s, err, sizeof err), 0);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.copies[0].key, "k2");
    assert_string_equal(s.copies[0].author, "vm");
    assert_int_equal(s.copies[0].ttl_s, 100054);
    assert_string_equal(s.copies[0].data, "\"hello\"");
    ss_slice_free(&s);
}

static void test_slice_parse_variants(void **state)
{
    struct ss_slice s;
    char err[128];
    const char *j = "{\"stateSlice\":["
                    "{\"key\":\"a\",\"value\":{\"mAuthor\":\"x\",\"mTtl\":7,\"mData\":{\"m\":[1,null]}}},"
                    "{\"key\":\"b\",\"value\":{\"mAuthor\":\"x\",\"mTtl\":{\"xstr64\":\"42\"}}},"
                    "{\"key\":\"c\",\"value\":{\"mAuthor\":\"x\"}},"
                    "{\"key\":5,\"value\":{\"mAuthor\":\"x\",\"mTtl\":1}},"
                    "[],"
                    "{\"key\":\"d\",\"value\":{\"mAuthor\":\"x\",\"mTtl\":{\"xstr64\":\"4x\"}}}"
                    "]}";
    assert_int_equal(ss_slice_parse(j, strlen(j), &s, err, sizeof err), 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.bad, 4);
    assert_int_equal(s.copies[0].ttl_s, 7);
    assert_string_equal(s.copies[0].data, "{\"m\":[1,null]}");
    assert_int_equal(s.copies[1].ttl_s, 42);
    assert_string_equal(s.copies[1].data, "null"); /* missing mData is a delete */
    assert_int_equal(s.copies[0].ver, 0);
    ss_slice_free(&s);

    const char *v = "{\"stateSlice\":[{\"key\":\"a\",\"value\":{\"mAuthor\":\"x\",\"mTtl\":7,"
                    "\"mData\":1,\"ssVer\":1795600000123}}]}";
    assert_int_equal(ss_slice_parse(v, strlen(v), &s, err, sizeof err), 0);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.copies[0].ver, 1795600000123ull);
    assert_false(s.want_full);
    ss_slice_free(&s);
    const char *full = "{\"stateSlice\":[],\"ssFull\":true}";
    assert_int_equal(ss_slice_parse(full, strlen(full), &s, err, sizeof err), 0);
    assert_true(s.want_full);
    ss_slice_free(&s);

    const char *bad[] = {"{{{{", "[]", "{\"stateSlice\":{}}", "{\"other\":[]}",
                         "{\"stateSlice\":[]} x", "{\"stateSlice\":[", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err[0] = 0;
        assert_int_equal(ss_slice_parse(bad[i], strlen(bad[i]), &s, err, sizeof err), -1);
        assert_true(strlen(err) > 0);
        assert_int_equal(s.n, 0);
    }
}

static void test_slice_encode_image(void **state)
{
    struct ss_store *st = ss_store_new("me", NULL);
    ss_store_register(st, "t", NULL, 100, 10);
    struct ss_type *t = ss_store_type(st, "t");
    struct ss_copy c = {.key = "k\"1", .author = "a", .data = "{\"x\":1}", .ttl_s = 50};
    ss_store_merge(st, t, &c, true, 1000);
    struct ss_copy c2 = {.key = "k2", .author = "b", .data = "null", .ttl_s = 60};
    ss_store_merge(st, t, &c2, true, 1000);
    size_t len, count;
    int trunc;
    char *j = ss_slice_encode(t, 0, 0, 0, 1000, 1 << 20, &len, &count, &trunc);
    assert_string_equal(j, "{\"stateSlice\":["
                           "{\"key\":\"k\\\"1\",\"value\":{\"mAuthor\":\"a\",\"mTtl\":{\"xint64\":50,\"xstr64\":\"50\"},\"mData\":{\"x\":1}}},"
                           "{\"key\":\"k2\",\"value\":{\"mAuthor\":\"b\",\"mTtl\":{\"xint64\":60,\"xstr64\":\"60\"},\"mData\":null}}"
                           "]}");
    assert_int_equal(count, 2);
    assert_int_equal(trunc, 0);
    /* round trip */
    struct ss_slice s;
    char err[64];
    assert_int_equal(ss_slice_parse(j, len, &s, err, sizeof err), 0);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.copies[0].key, "k\"1");
    ss_slice_free(&s);
    free(j);
    /* delta: only entries changed after a given seq; skip range */
    uint64_t seq_k2 = ss_type_find(t, "k2")->seq;
    j = ss_slice_encode(t, seq_k2 - 1, 0, 0, 1000, 1 << 20, &len, &count, &trunc);
    assert_int_equal(count, 1);
    assert_non_null(strstr(j, "\"k2\""));
    free(j);
    j = ss_slice_encode(t, 0, seq_k2, seq_k2, 1000, 1 << 20, &len, &count, &trunc);
    assert_int_equal(count, 1);
    assert_null(strstr(j, "\"k2\""));
    free(j);
    /* too small a message: truncated at an entry boundary, still valid JSON */
    j = ss_slice_encode(t, 0, 0, 0, 1000, 120, &len, &count, &trunc);
    assert_int_equal(count, 1);
    assert_int_equal(trunc, 1);
    assert_true(len <= 120);
    assert_int_equal(ss_slice_parse(j, len, &s, err, sizeof err), 0);
    ss_slice_free(&s);
    free(j);
    /* expired entries are not sent */
    j = ss_slice_encode(t, 0, 0, 0, 1000 + 55000, 1 << 20, &len, &count, &trunc);
    assert_int_equal(count, 1);
    free(j);
    /* a local insert carries its version */
    ss_store_insert(st, t, "v", "1", 1000);
    uint64_t ver = ss_type_find(t, "v")->ver;
    assert_true(ver > 0);
    j = ss_slice_encode(t, ss_type_find(t, "v")->seq - 1, 0, 0, 1000, 1 << 20, &len, &count, &trunc);
    char want[256];
    snprintf(want, sizeof want, "{\"stateSlice\":[{\"key\":\"v\",\"value\":{\"mAuthor\":\"me\","
             "\"mTtl\":{\"xint64\":111,\"xstr64\":\"111\"},\"mData\":1,\"ssVer\":%llu}}]}",
             (unsigned long long)ver);
    assert_string_equal(j, want);
    free(j);
    ss_store_free(st);
}

static void test_sha256_vectors(void **state)
{
    uint8_t d[32];
    char h[65];
    ss_sha256("", 0, d);
    hex(d, 32, h);
    assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    ss_sha256("abc", 3, d);
    hex(d, 32, h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    ss_sha256(two, strlen(two), d);
    hex(d, 32, h);
    assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* a million 'a' fed in odd-sized pieces */
    struct ss_sha256 c;
    ss_sha256_init(&c);
    char a[997];
    memset(a, 'a', sizeof a);
    size_t left = 1000000;
    while (left) {
        size_t n = left < sizeof a ? left : sizeof a;
        ss_sha256_update(&c, a, n);
        left -= n;
    }
    ss_sha256_final(&c, d);
    hex(d, 32, h);
    assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void hmac(const void *k, size_t kl, const void *m, size_t ml, char *out)
{
    struct ss_hmac hm;
    uint8_t d[32];
    ss_hmac_init(&hm, k, kl);
    ss_hmac_update(&hm, m, ml);
    ss_hmac_final(&hm, d);
    hex(d, 32, out);
}

static void test_hmac_rfc4231(void **state)
{
    char h[65];
    uint8_t k1[20];
    memset(k1, 0x0b, sizeof k1);
    hmac(k1, sizeof k1, "Hi There", 8, h);
    assert_string_equal(h, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    const char *m2 = "what do ya want for nothing?";
    hmac("Jefe", 4, m2, strlen(m2), h);
    assert_string_equal(h, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    uint8_t k6[131];
    memset(k6, 0xaa, sizeof k6);
    const char *m6 = "Test Using Larger Than Block-Size Key - Hash Key First";
    hmac(k6, sizeof k6, m6, strlen(m6), h);
    assert_string_equal(h, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

static void test_auth_trailer(void **state)
{
    const char *j = "{\"stateSlice\":[]}";
    size_t len;
    char *s = ss_auth_sign("key", 3, "node_info", j, strlen(j), &len);
    assert_non_null(s);
    assert_int_equal(len, strlen(j) - 1 + SS_AUTH_TRAILER_LEN);
    assert_memory_equal(s, "{\"stateSlice\":[],\"ssHmac\":\"", 27);
    /* still valid upstream JSON with an extra member */
    struct ss_slice sl;
    char err[64];
    assert_int_equal(ss_slice_parse(s, len, &sl, err, sizeof err), 0);
    ss_slice_free(&sl);
    char *copy = strdup(s);
    assert_int_equal(ss_auth_verify("key", 3, "node_info", copy, len), (long)strlen(j));
    assert_memory_equal(copy, j, strlen(j));
    free(copy);
    /* wrong key, wrong type name, tampered body, missing trailer */
    copy = strdup(s);
    assert_int_equal(ss_auth_verify("kez", 3, "node_info", copy, len), -1);
    assert_string_equal(copy, s); /* left as it was */
    assert_int_equal(ss_auth_verify("key", 3, "bat-hosts", copy, len), -1);
    copy[3] ^= 1;
    assert_int_equal(ss_auth_verify("key", 3, "node_info", copy, len), -1);
    free(copy);
    copy = strdup(j);
    assert_int_equal(ss_auth_verify("key", 3, "node_info", copy, strlen(j)), -1);
    free(copy);
    assert_null(ss_auth_sign("key", 3, "t", "[]", 2, &len));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frame_encode_image),
        cmocka_unit_test(test_frame_parse),
        cmocka_unit_test(test_slice_parse_upstream),
        cmocka_unit_test(test_slice_parse_variants),
        cmocka_unit_test(test_slice_encode_image),
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_hmac_rfc4231),
        cmocka_unit_test(test_auth_trailer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
