/* limed's respondd protocol (src/limed/respondd.c): which datagrams are requests, and the
 * raw DEFLATE that yanic inflates (Go's compress/flate: no zlib header). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "respondd.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static int parse(const char *s, struct ld_respondd_request *r)
{
    return ld_respondd_parse(s, strlen(s), r);
}

static void requests_yanic_and_gluon_send(void **state)
{
    struct ld_respondd_request r;
    assert_int_equal(parse("GET nodeinfo statistics neighbours", &r), 0);
    assert_true(r.multi);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.types[0], LD_RD_NODEINFO);
    assert_int_equal(r.types[1], LD_RD_STATISTICS);
    assert_int_equal(r.types[2], LD_RD_NEIGHBOURS);
    /* the order of the request is kept; repeats and unknown words are dropped */
    assert_int_equal(parse("GET neighbours  wifi nodeinfo neighbours", &r), 0);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.types[0], LD_RD_NEIGHBOURS);
    assert_int_equal(r.types[1], LD_RD_NODEINFO);
    /* legacy: one word, answered uncompressed; a trailing newline is tolerated */
    assert_int_equal(parse("statistics\n", &r), 0);
    assert_false(r.multi);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.types[0], LD_RD_STATISTICS);
    assert_string_equal(ld_respondd_type_name(LD_RD_NEIGHBOURS), "neighbours");
}

static void malformed_datagrams_are_refused(void **state)
{
    struct ld_respondd_request r;
    static const char *const bad[] = {
        "", "\n", "GET", "GET ", "GET nothing", "nodeinfo statistics", "NODEINFO", "nodeinfo ",
        "get nodeinfo", "GETnodeinfo", "nodeinfo\tstatistics",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(parse(bad[i], &r), -22);
    char nul[] = "GET nodeinfo\0statistics";
    assert_int_equal(ld_respondd_parse(nul, sizeof(nul) - 1, &r), -22);
    char high[] = "GET nodeinfo \xff";
    assert_int_equal(parse(high, &r), -22);
    char big[LD_RESPONDD_MAXREQ + 16];
    memset(big, ' ', sizeof(big));
    memcpy(big, "GET nodeinfo", 12);
    assert_int_equal(ld_respondd_parse(big, LD_RESPONDD_MAXREQ, &r), 0);
    assert_int_equal(ld_respondd_parse(big, LD_RESPONDD_MAXREQ + 1, &r), -22);
}

static void deflate_is_raw_and_inflates_back(void **state)
{
    const char *json = "{\"nodeinfo\":{\"node_id\":\"024c52000101\",\"hostname\":\"gw\"}}";
    size_t n = 0;
    unsigned char *c = ld_respondd_deflate(json, strlen(json), &n);
    assert_non_null(c);
    assert_true(n > 0 && n < strlen(json) + 16);
    /* a zlib stream would start with 0x78; raw DEFLATE's first block header does not */
    assert_int_not_equal(c[0], 0x78);
    char out[256];
    z_stream z;
    memset(&z, 0, sizeof(z));
    assert_int_equal(inflateInit2(&z, -15), Z_OK);
    z.next_in = c;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out;
    z.avail_out = sizeof(out);
    assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
    assert_int_equal(z.total_out, strlen(json));
    assert_memory_equal(out, json, strlen(json));
    inflateEnd(&z);
    /* and zlib's own decoder refuses it (no header): it really is raw */
    memset(&z, 0, sizeof(z));
    assert_int_equal(inflateInit(&z), Z_OK);
    z.next_in = c;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out;
    z.avail_out = sizeof(out);
    assert_int_equal(inflate(&z, Z_FINISH), Z_DATA_ERROR);
    inflateEnd(&z);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(requests_yanic_and_gluon_send),
        cmocka_unit_test(malformed_datagrams_are_refused),
        cmocka_unit_test(deflate_is_raw_and_inflates_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
