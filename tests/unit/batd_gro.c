/* Userspace GRO for the TAP: merges in-order TCP segments of one flow into a GSO frame
 * with a correct virtio header and partial checksum; passes everything else unchanged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "csum.h"
#include "gro.h"
#include "tso.h"
#include "packet.h"

struct outrec {
    struct gro_vnet_hdr vh;
    uint8_t frame[70000];
    size_t len;
};
static struct outrec outs[8];
static unsigned n_out;
static struct gro g;

static void out(void *ctx, const struct gro_vnet_hdr *vh, const uint8_t *frame, size_t len)
{
    assert_true(n_out < 8);
    outs[n_out].vh = *vh;
    memcpy(outs[n_out].frame, frame, len);
    outs[n_out].len = len;
    n_out++;
}

static uint32_t sum16(uint32_t s, const uint8_t *p, size_t n)
{
    for (; n > 1; p += 2, n -= 2)
        s += (uint32_t)(p[0] << 8 | p[1]);
    if (n)
        s += (uint32_t)(p[0] << 8);
    return s;
}
static uint16_t fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}

/* Verifies the IPv4/IPv6 TCP checksum of a complete frame (ones' complement sum 0xffff). */
static bool tcp_csum_ok(const uint8_t *f, size_t len, bool v6)
{
    uint32_t s;
    size_t l4 = v6 ? 54 : 34;
    uint32_t tl = (uint32_t)(len - l4);
    if (v6)
        s = sum16(0, f + 22, 32) + 6 + (tl >> 16) + (tl & 0xffff);
    else
        s = sum16(0, f + 26, 8) + 6 + tl;
    s = sum16(s, f + l4, tl);
    return fold(s) == 0xffff;
}

/* Builds a TCP segment (with valid checksums) into f; returns its length. */
static size_t seg(uint8_t *f, bool v6, uint32_t seq, size_t payload, uint8_t flags, uint16_t sport)
{
    memset(f, 0, 14);
    f[0] = 2, f[5] = 1, f[6] = 2, f[11] = 2;
    put_be16(f + 12, v6 ? 0x86dd : 0x0800);
    size_t l4 = v6 ? 54 : 34, len = l4 + 32 + payload;
    uint8_t *ip = f + 14;
    if (v6) {
        memset(ip, 0, 40);
        ip[0] = 0x60;
        put_be16(ip + 4, (uint16_t)(len - 54));
        ip[6] = 6;
        ip[7] = 64;
        ip[8] = 0xfd, ip[23] = 1, ip[24] = 0xfd, ip[39] = 2;
    } else {
        memset(ip, 0, 20);
        ip[0] = 0x45;
        put_be16(ip + 2, (uint16_t)(len - 14));
        put_be16(ip + 4, (uint16_t)seq);
        ip[6] = 0x40;
        ip[8] = 64;
        ip[9] = 6;
        ip[12] = 10, ip[15] = 1, ip[16] = 10, ip[19] = 2;
        put_be16(ip + 10, (uint16_t)~fold(sum16(0, ip, 20)));
    }
    uint8_t *th = f + l4;
    memset(th, 0, 32);
    put_be16(th, sport);
    put_be16(th + 2, 5201);
    put_be32(th + 4, seq);
    put_be32(th + 8, 777);
    th[12] = 8 << 4; /* 32-byte header: 12 bytes of options (NOP NOP TS) */
    th[13] = flags;
    put_be16(th + 14, 500);
    th[20] = 1, th[21] = 1, th[22] = 8, th[23] = 10;
    put_be32(th + 24, 4242);
    for (size_t i = 0; i < payload; i++)
        f[l4 + 32 + i] = (uint8_t)(seq + i);
    uint32_t tl = (uint32_t)(len - l4), s;
    if (v6)
        s = sum16(0, f + 22, 32) + 6 + tl;
    else
        s = sum16(0, f + 26, 8) + 6 + tl;
    put_be16(th + 16, (uint16_t)~fold(sum16(s, th, tl)));
    assert_true(tcp_csum_ok(f, len, v6));
    return len;
}

static uint8_t f[4][2000];

static void check_merged(const struct outrec *o, bool v6, size_t payload_total, uint16_t mss)
{
    size_t l4 = v6 ? 54 : 34;
    assert_int_equal(o->len, l4 + 32 + payload_total);
    assert_int_equal(o->vh.gso_type, v6 ? GRO_VNET_GSO_TCPV6 : GRO_VNET_GSO_TCPV4);
    assert_int_equal(o->vh.flags, GRO_VNET_F_NEEDS_CSUM);
    assert_int_equal(o->vh.gso_size, mss);
    assert_int_equal(o->vh.hdr_len, l4 + 32);
    assert_int_equal(o->vh.csum_start, l4);
    assert_int_equal(o->vh.csum_offset, 16);
    if (!v6) {
        assert_int_equal(get_be16(o->frame + 16), o->len - 14);
        assert_int_equal(fold(sum16(0, o->frame + 14, 20)), 0xffff);
    } else {
        assert_int_equal(get_be16(o->frame + 18), o->len - 54);
    }
    /* completing the partial checksum (what the kernel does when it segments) yields a
     * valid TCP checksum over the merged frame */
    static uint8_t c[70000];
    memcpy(c, o->frame, o->len);
    batd_gro_complete_csum(c, o->len, o->vh.csum_start, o->vh.csum_offset);
    assert_true(tcp_csum_ok(c, o->len, v6));
    /* payload bytes are the concatenation */
    for (size_t i = 0; i < payload_total; i++)
        assert_int_equal(o->frame[l4 + 32 + i], (uint8_t)(1000 + i));
}

static void test_merge_v4(void **state)
{
    n_out = 0;
    size_t l0 = seg(f[0], false, 1000, 1000, 0x10, 40000);
    size_t l1 = seg(f[1], false, 2000, 1000, 0x10, 40000);
    size_t l2 = seg(f[2], false, 3000, 1000, 0x10, 40000);
    size_t l3 = seg(f[3], false, 4000, 500, 0x18, 40000); /* short, PSH: ends the run */
    batd_gro_push(&g, f[0], l0, out, NULL);
    batd_gro_push(&g, f[1], l1, out, NULL);
    batd_gro_push(&g, f[2], l2, out, NULL);
    batd_gro_push(&g, f[3], l3, out, NULL);
    assert_int_equal(n_out, 0);
    batd_gro_flush(&g, out, NULL);
    assert_int_equal(n_out, 1);
    check_merged(&outs[0], false, 3500, 1000);
    assert_int_equal(outs[0].frame[34 + 13], 0x18); /* PSH carried to the merged header */
    batd_gro_flush(&g, out, NULL);
    assert_int_equal(n_out, 1);
}

static void test_merge_v6(void **state)
{
    n_out = 0;
    size_t l0 = seg(f[0], true, 1000, 1200, 0x10, 40000);
    size_t l1 = seg(f[1], true, 2200, 1200, 0x10, 40000);
    batd_gro_push(&g, f[0], l0, out, NULL);
    batd_gro_push(&g, f[1], l1, out, NULL);
    batd_gro_flush(&g, out, NULL);
    assert_int_equal(n_out, 1);
    check_merged(&outs[0], true, 2400, 1200);
}

static void test_passthrough(void **state)
{
    /* a gap in sequence: two separate outputs, each unchanged */
    n_out = 0;
    size_t l0 = seg(f[0], false, 1000, 1000, 0x10, 40000);
    size_t l1 = seg(f[1], false, 3000, 1000, 0x10, 40000);
    batd_gro_push(&g, f[0], l0, out, NULL);
    batd_gro_push(&g, f[1], l1, out, NULL);
    batd_gro_flush(&g, out, NULL);
    assert_int_equal(n_out, 2);
    assert_int_equal(outs[0].vh.gso_type, GRO_VNET_GSO_NONE);
    assert_int_equal(outs[0].vh.flags, 0);
    assert_memory_equal(outs[0].frame, f[0], l0);
    assert_memory_equal(outs[1].frame, f[1], l1);

    /* another flow in between ends the run */
    n_out = 0;
    l0 = seg(f[0], false, 1000, 1000, 0x10, 40000);
    l1 = seg(f[1], false, 2000, 1000, 0x10, 40001);
    size_t l2 = seg(f[2], false, 2000, 1000, 0x10, 40000);
    batd_gro_push(&g, f[0], l0, out, NULL);
    batd_gro_push(&g, f[1], l1, out, NULL);
    batd_gro_push(&g, f[2], l2, out, NULL);
    batd_gro_flush(&g, out, NULL);
    assert_int_equal(n_out, 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal(outs[i].vh.gso_type, GRO_VNET_GSO_NONE);

    /* non-TCP frames, SYN, pure ACKs and PSH-first pass unchanged, in order */
    n_out = 0;
    uint8_t arp[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06};
    l0 = seg(f[0], false, 1000, 1000, 0x10, 40000);
    batd_gro_push(&g, f[0], l0, out, NULL);
    batd_gro_push(&g, arp, sizeof arp, out, NULL); /* flushes the pending segment first */
    l1 = seg(f[1], false, 5000, 0, 0x10, 40000);
    batd_gro_push(&g, f[1], l1, out, NULL);
    l2 = seg(f[2], false, 6000, 100, 0x02 | 0x10, 40000);
    batd_gro_push(&g, f[2], l2, out, NULL);
    size_t l3 = seg(f[3], false, 7000, 100, 0x18, 40000);
    batd_gro_push(&g, f[3], l3, out, NULL);
    batd_gro_flush(&g, out, NULL);
    assert_int_equal(n_out, 5);
    assert_memory_equal(outs[0].frame, f[0], l0);
    assert_memory_equal(outs[1].frame, arp, sizeof arp);
    assert_memory_equal(outs[2].frame, f[1], l1);
    assert_memory_equal(outs[3].frame, f[2], l2);
    assert_memory_equal(outs[4].frame, f[3], l3);

    /* Ethernet padding (IP length shorter than the frame) is not merged */
    n_out = 0;
    l0 = seg(f[0], false, 1000, 4, 0x10, 40000);
    memset(f[0] + l0, 0, 10);
    batd_gro_push(&g, f[0], l0 + 10, out, NULL);
    batd_gro_flush(&g, out, NULL);
    assert_int_equal(n_out, 1);
    assert_int_equal(outs[0].len, l0 + 10);
}

static void test_complete_csum(void **state)
{
    size_t l = seg(f[0], false, 1000, 333, 0x10, 40000);
    /* replace the checksum by the pseudo-header partial, then complete it */
    uint32_t s = sum16(0, f[0] + 26, 8) + 6 + (uint32_t)(l - 34);
    put_be16(f[0] + 34 + 16, fold(s));
    assert_false(tcp_csum_ok(f[0], l, false));
    batd_gro_complete_csum(f[0], l, 34, 16);
    assert_true(tcp_csum_ok(f[0], l, false));
    batd_gro_complete_csum(f[0], 40, 34, 16); /* out of range: ignored */
}

/* gro then tso: the segments come back as they were (IPv4: up to the IP ID, which TSO
 * numbers consecutively, and the header checksum that covers it) */
static void roundtrip(bool v6)
{
    n_out = 0;
    size_t l[4];
    l[0] = seg(f[0], v6, 1000, 1000, 0x10, 40000);
    l[1] = seg(f[1], v6, 2000, 1000, 0x10, 40000);
    l[2] = seg(f[2], v6, 3000, 1000, 0x10, 40000);
    l[3] = seg(f[3], v6, 4000, 300, 0x18, 40000);
    for (int i = 0; i < 4; i++)
        batd_gro_push(&g, f[i], l[i], out, NULL);
    batd_gro_flush(&g, out, NULL);
    assert_int_equal(n_out, 1);
    struct outrec *o = &outs[0];
    assert_int_equal(batd_tso_count(&o->vh, o->frame, o->len), 4);
    static uint8_t s_[2000];
    for (unsigned i = 0; i < 4; i++) {
        size_t sl = batd_tso_segment(&o->vh, o->frame, o->len, i, s_);
        assert_int_equal(sl, l[i]);
        assert_true(tcp_csum_ok(s_, sl, v6));
        if (v6) {
            assert_memory_equal(s_, f[i], sl);
        } else {
            assert_int_equal(fold(sum16(0, s_ + 14, 20)), 0xffff);
            assert_int_equal(get_be16(s_ + 18), (uint16_t)(1000 + i)); /* first ID + i */
            assert_memory_equal(s_, f[i], 18);
            assert_memory_equal(s_ + 20, f[i] + 20, 4);
            assert_memory_equal(s_ + 26, f[i] + 26, sl - 26);
        }
    }
    assert_int_equal(batd_tso_segment(&o->vh, o->frame, o->len, 4, s_), 0);
}

static void test_tso(void **state)
{
    roundtrip(false);
    roundtrip(true);
    /* not segmentable: no GSO type, UDP, lying csum_start */
    struct gro_vnet_hdr vh = {0};
    size_t l0 = seg(f[0], false, 1, 100, 0x10, 1);
    assert_int_equal(batd_tso_count(&vh, f[0], l0), 0);
    vh.gso_type = GRO_VNET_GSO_TCPV4;
    vh.gso_size = 50;
    vh.csum_start = 34;
    assert_int_equal(batd_tso_count(&vh, f[0], l0), 2);
    vh.gso_type = GRO_VNET_GSO_TCPV6;
    assert_int_equal(batd_tso_count(&vh, f[0], l0), 0);
    vh.gso_type = GRO_VNET_GSO_TCPV4;
    vh.csum_start = 20;
    assert_int_equal(batd_tso_count(&vh, f[0], l0), 0);
    vh.csum_start = 60000;
    assert_int_equal(batd_tso_count(&vh, f[0], l0), 0);
}

/* The 8-bytes-at-a-time checksum equals a plain big-endian word sum for every length and
 * alignment, including odd tails and sums that need many end-around carries. */
static uint32_t ref_sum(uint32_t s, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        s += (uint32_t)(p[n - 1] << 8);
    return s;
}

static void test_csum_add(void **state)
{
    (void)state;
    static uint8_t buf[1600];
    uint32_t x = 12345;
    for (int fill = 0; fill < 2; fill++) {
        for (size_t i = 0; i < sizeof buf; i++) {
            x = x * 1103515245u + 12345u;
            buf[i] = fill ? 0xff : (uint8_t)(x >> 16);
        }
        for (size_t off = 0; off < 8; off++)
            for (size_t n = 0; n + off <= sizeof buf; n += (n < 40 ? 1 : 37))
                assert_int_equal(csum_fold(batd_csum_add(7, buf + off, n)),
                                 csum_fold(ref_sum(7, buf + off, n)));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_v4), cmocka_unit_test(test_merge_v6),
        cmocka_unit_test(test_passthrough), cmocka_unit_test(test_complete_csum),
        cmocka_unit_test(test_tso), cmocka_unit_test(test_csum_add)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
