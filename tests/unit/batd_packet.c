/* batd wire format: pack/parse of every v15 packet type against kernel-generated frames,
 * TVLV walking, the TT CRC vectors of spec §5.4, the TQ sequence of §3.5, and seqno
 * window arithmetic across wrap-around. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "batd_pcap_frames.h"
#include "batd.h"
#include "ogm_iv.h"
#include "packet.h"

static const uint8_t N1[6] = {2, 0, 0, 0, 0, 1};
static const uint8_t N2[6] = {2, 0, 0, 0, 0, 2};

static const uint8_t *payload(unsigned frame, size_t *len)
{
    const struct pcap_frame *f = &batd_iv_frames[frame - 1];
    assert_int_equal(get_be16(f->data + 12), BATADV_ETHERTYPE);
    *len = f->len - 14;
    return f->data + 14;
}

static void test_ogm(void **state)
{
    size_t len;
    const uint8_t *p = payload(2, &len);
    struct bat_ogm o;
    assert_int_equal(batd_check_version(p, len), 0);
    assert_int_equal(batd_ogm_parse(p, len, &o), 0);
    assert_int_equal(o.ttl, 50);
    assert_int_equal(o.flags, 0);
    assert_int_equal(o.seqno, 2166282680u);
    assert_memory_equal(o.orig, N1, 6);
    assert_memory_equal(o.prev_sender, N1, 6);
    assert_int_equal(o.tq, 255);
    assert_int_equal(o.tvlv_len, 36);
    uint8_t re[24];
    batd_ogm_pack(re, &o);
    assert_memory_equal(re, p, 24);

    /* TVLVs: TT (2 VLANs), MCAST v2, DAT (spec §2.3) */
    struct tvlv_iter it;
    struct tvlv t;
    tvlv_iter_init(&it, p + 24, o.tvlv_len);
    assert_int_equal(batd_tvlv_next(&it, &t), 1);
    assert_int_equal(t.type, BATADV_TVLV_TT);
    assert_int_equal(t.version, 1);
    struct bat_tt_tvlv tt;
    assert_int_equal(batd_tt_tvlv_parse(t.value, t.len, &tt), 0);
    assert_int_equal(tt.flags, BATADV_TT_OGM_DIFF);
    assert_int_equal(tt.ttvn, 1);
    assert_int_equal(tt.num_vlan, 2);
    assert_int_equal(tt.num_changes, 0);
    assert_int_equal(tt_vlan_crc(&tt, 0), 0x9c2dbe5c);
    assert_int_equal(tt_vlan_vid(&tt, 0), 0x8000);
    assert_int_equal(tt_vlan_crc(&tt, 1), 0xab66f181);
    assert_int_equal(tt_vlan_vid(&tt, 1), 0x0000);
    assert_int_equal(batd_tvlv_next(&it, &t), 1);
    assert_int_equal(t.type, BATADV_TVLV_MCAST);
    assert_int_equal(t.version, 2);
    assert_int_equal(batd_tvlv_next(&it, &t), 1);
    assert_int_equal(t.type, BATADV_TVLV_DAT);
    assert_int_equal(t.len, 0);
    assert_int_equal(batd_tvlv_next(&it, &t), 0);

    /* a rebroadcast echo: NOT_BEST_NEXT_HOP|DIRECTLINK, TQ 0 (frame 69) */
    p = payload(69, &len);
    assert_int_equal(batd_ogm_parse(p, len, &o), 0);
    assert_int_equal(o.flags, BATADV_NOT_BEST_NEXT_HOP | BATADV_DIRECTLINK);
    assert_int_equal(o.tq, 0);
    assert_int_equal(o.ttl, 49);
    assert_memory_equal(o.prev_sender, N1, 6); /* the Ethernet sender it came from */
    assert_memory_equal(o.orig, N1, 6);

    /* frame 75: an OGM carrying a TT diff with 4 changes */
    p = payload(75, &len);
    assert_int_equal(batd_ogm_parse(p, len, &o), 0);
    tvlv_iter_init(&it, p + 24, o.tvlv_len);
    assert_int_equal(batd_tvlv_next(&it, &t), 1);
    assert_int_equal(batd_tt_tvlv_parse(t.value, t.len, &tt), 0);
    assert_int_equal(tt.ttvn, 2);
    assert_int_equal(tt.num_changes, 4);
    struct tt_change c;
    batd_tt_change_get(&tt, 1, &c);
    const uint8_t client[6] = {2, 0, 0, 0, 1, 3};
    assert_memory_equal(c.addr, client, 6);
    uint8_t re_c[12];
    batd_tt_change_put(re_c, &c);
    assert_memory_equal(re_c, tt.changes + 12, 12);
}

static void test_bcast(void **state)
{
    size_t len;
    const uint8_t *p = payload(19, &len);
    struct bat_bcast b;
    assert_int_equal(batd_bcast_parse(p, len, &b), 0);
    assert_memory_equal(b.orig, N1, 6);
    assert_true(b.ttl > 0 && b.ttl <= 49);
    uint8_t re[14];
    batd_bcast_pack(re, &b);
    assert_memory_equal(re, p, 14);
    /* inner frame: IPv6 multicast ping */
    assert_int_equal(p[14], 0x33);
    assert_int_equal(get_be16(p + 14 + 12), 0x86dd);
}

static void test_unicast(void **state)
{
    size_t len;
    const uint8_t *p = payload(10, &len);
    struct bat_unicast u;
    assert_int_equal(batd_unicast_parse(p, len, &u), 0);
    assert_int_equal(u.type, BATADV_UNICAST);
    assert_int_equal(u.ttl, 50);
    uint8_t re[18];
    assert_int_equal(batd_unicast_pack(re, &u), 10);
    assert_memory_equal(re, p, 10);

    p = payload(57, &len); /* DHCP in 4ADDR to the gateway */
    assert_int_equal(batd_unicast_parse(p, len, &u), 0);
    assert_int_equal(u.type, BATADV_UNICAST_4ADDR);
    assert_int_equal(u.subtype, BATADV_P_DATA);
    assert_int_equal(batd_unicast_pack(re, &u), 18);
    assert_memory_equal(re, p, 18);
    /* too short */
    assert_int_equal(batd_unicast_parse(p, 12, &u), -1);
}

static void test_frag(void **state)
{
    size_t l0, l1;
    const uint8_t *f0 = payload(41, &l0), *f1 = payload(42, &l1);
    struct bat_frag a, b;
    assert_int_equal(batd_frag_parse(f0, l0, &a), 0);
    assert_int_equal(batd_frag_parse(f1, l1, &b), 0);
    /* first on the wire is no 0 = the tail; no 1 starts with the unicast header */
    assert_int_equal(a.no, 0);
    assert_int_equal(b.no, 1);
    assert_int_equal(a.total_size, 1524);
    assert_int_equal(a.seqno, b.seqno);
    assert_int_equal(l0 - 20 + l1 - 20, 1524);
    assert_int_equal(f1[20], BATADV_UNICAST);
    assert_int_equal(f1[21], 15);
    uint8_t re[20];
    batd_frag_pack(re, &a);
    assert_memory_equal(re, f0, 20);
    batd_frag_pack(re, &b);
    assert_memory_equal(re, f1, 20);
}

static void test_unicast_tvlv(void **state)
{
    size_t len;
    const uint8_t *p = payload(76, &len); /* full-table request, spec §5.4 */
    struct bat_unicast_tvlv u;
    assert_int_equal(batd_unicast_tvlv_parse(p, len, &u), 0);
    assert_memory_equal(u.src, N1, 6);
    assert_memory_equal(u.dst, N2, 6);
    assert_int_equal(u.tvlv_len, 24);
    static const uint8_t req[] = {0x04, 0x01, 0x00, 0x14, 0x12, 0x02, 0x00, 0x02,
                                  0x7d, 0x16, 0xce, 0xab, 0x80, 0x00, 0x00, 0x00,
                                  0xe9, 0x70, 0xb6, 0x0e, 0x00, 0x00, 0x00, 0x00};
    assert_memory_equal(p + 20, req, sizeof req);
    uint8_t re[20];
    batd_unicast_tvlv_pack(re, &u);
    assert_memory_equal(re, p, 20);

    p = payload(77, &len); /* full-table response */
    assert_int_equal(batd_unicast_tvlv_parse(p, len, &u), 0);
    struct tvlv_iter it;
    struct tvlv t;
    tvlv_iter_init(&it, p + 20, u.tvlv_len);
    assert_int_equal(batd_tvlv_next(&it, &t), 1);
    struct bat_tt_tvlv tt;
    assert_int_equal(batd_tt_tvlv_parse(t.value, t.len, &tt), 0);
    assert_int_equal(tt.flags, BATADV_TT_RESPONSE | BATADV_TT_FULL_TABLE);
    assert_int_equal(tt.num_changes, 4);
    /* the response's entries reproduce the announced CRCs */
    uint32_t crc8000 = 0, crc0 = 0;
    for (unsigned i = 0; i < tt.num_changes; i++) {
        struct tt_change c;
        batd_tt_change_get(&tt, i, &c);
        uint32_t e = batd_tt_entry_crc(c.addr, c.vid, c.flags);
        if (c.vid == 0x8000)
            crc8000 ^= e;
        else
            crc0 ^= e;
    }
    assert_int_equal(crc8000, tt_vlan_crc(&tt, 0));
    assert_int_equal(crc0, tt_vlan_crc(&tt, 1));
    /* truncated tvlv_len is rejected */
    assert_int_equal(batd_unicast_tvlv_parse(p, 30, &u), -1);
}

static void test_elp_icmp(void **state)
{
    struct bat_elp e;
    assert_int_equal(batd_elp_parse(batd_v_elp + 14, batd_v_elp_len - 14, &e), 0);
    assert_memory_equal(e.orig, N2, 6);
    assert_int_equal(e.interval, 2500);
    /* ICMP (no ICMP in the capture): pack/parse round trip with the §1.3 offsets */
    struct bat_icmp i = {.ttl = 50, .msg_type = BATADV_ECHO_REQUEST, .uid = 7, .rr_cur = 1,
                         .seqno = 0x1234};
    memcpy(i.dst, N2, 6);
    memcpy(i.orig, N1, 6);
    uint8_t b[20];
    batd_icmp_pack(b, &i);
    static const uint8_t want[20] = {0x43, 0x0f, 50, 8, 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1,
                                     7, 1, 0x12, 0x34};
    assert_memory_equal(b, want, 20);
    struct bat_icmp j;
    assert_int_equal(batd_icmp_parse(b, 20, &j), 0);
    assert_int_equal(j.seqno, 0x1234);
    assert_int_equal(batd_icmp_parse(b, 19, &j), -1);
}

static void test_tvlv_malformed(void **state)
{
    struct tvlv_iter it;
    struct tvlv t;
    static const uint8_t odd[] = {0x04, 0x01, 0x00, 0x03, 1, 2, 3};
    tvlv_iter_init(&it, odd, sizeof odd);
    assert_int_equal(batd_tvlv_next(&it, &t), -1);
    static const uint8_t overrun[] = {0x04, 0x01, 0x00, 0x08, 1, 2};
    tvlv_iter_init(&it, overrun, sizeof overrun);
    assert_int_equal(batd_tvlv_next(&it, &t), -1);
    static const uint8_t unknown[] = {0x77, 0x09, 0x00, 0x02, 1, 2, 0x01};
    tvlv_iter_init(&it, unknown, sizeof unknown);
    assert_int_equal(batd_tvlv_next(&it, &t), 1);
    assert_int_equal(t.type, 0x77);
    assert_int_equal(batd_tvlv_next(&it, &t), 0); /* < 4 bytes left: end */
    struct bat_tt_tvlv tt;
    static const uint8_t tt_short[] = {0x01, 0x01, 0x00, 0x02, 0, 0, 0, 0};
    assert_int_equal(batd_tt_tvlv_parse(tt_short, sizeof tt_short, &tt), -1);
}

static uint32_t vlan_crc(uint16_t vid, const uint8_t (*macs)[6], unsigned n)
{
    uint32_t crc = 0;
    for (unsigned i = 0; i < n; i++)
        crc ^= batd_tt_entry_crc(macs[i], vid, 0);
    return crc;
}

static void test_tt_crc_vectors(void **state)
{
    static const uint8_t a[][6] = {{2, 0, 0, 0, 1, 3}};
    assert_int_equal(vlan_crc(0x8000, a, 1), 0x7d16ceab);
    static const uint8_t b[][6] = {{0x33, 0x33, 0, 0, 0, 1}, {2, 0, 0, 0, 1, 3}, {1, 0, 0x5e, 0, 0, 1}};
    assert_int_equal(vlan_crc(0x0000, b, 3), 0xe970b60e);
    static const uint8_t c[][6] = {{2, 0, 0, 0, 1, 1}};
    assert_int_equal(vlan_crc(0x8000, c, 1), 0x9c2dbe5c);
    static const uint8_t d[][6] = {{2, 0, 0, 0, 1, 1}, {0x33, 0x33, 0, 0, 0, 1}, {0x33, 0x33, 0xff, 0, 1, 1},
                                   {1, 0, 0x5e, 0, 0, 1}, {0x33, 0x33, 0, 0, 0, 0xfb}};
    assert_int_equal(vlan_crc(0x0000, d, 5), 0xab66f181);
    /* not the standard (inverted) CRC-32C */
    assert_int_not_equal(batd_crc32c_raw(0, (const uint8_t *)"123456789", 9), 0xe3069283);
    assert_int_equal(~batd_crc32c_raw(~0u, (const uint8_t *)"123456789", 9), 0xe3069283);
    /* flags: only the 0xf0 bits count */
    assert_int_equal(batd_tt_entry_crc(c[0], 0x8000, 0x01), batd_tt_entry_crc(c[0], 0x8000, 0x00));
    assert_int_not_equal(batd_tt_entry_crc(c[0], 0x8000, 0x10), batd_tt_entry_crc(c[0], 0x8000, 0x00));
}

static void test_tq_sequence(void **state)
{
    /* node 2 rebroadcasts node 1's OGM with these TQs while rq grows 5..11, eq = rq - 1 */
    static const uint8_t want[] = {38, 47, 56, 65, 73, 80, 88};
    for (unsigned k = 0; k < sizeof want; k++) {
        unsigned rq = 5 + k;
        uint8_t tq = batd_ogm_iv_calc_tq(255, rq - 1, rq, 0);
        assert_int_equal(batd_ogm_iv_hop_penalty(tq, 30), want[k]);
    }
    assert_int_equal(batd_ogm_iv_calc_tq(255, 4, 5, 0), 44);
    assert_int_equal(batd_ogm_iv_calc_tq(255, 0, 5, 0), 0);   /* no echoes: not bidirectional */
    assert_int_equal(batd_ogm_iv_calc_tq(255, 64, 64, 0), 255);
    assert_int_equal(batd_ogm_iv_calc_tq(200, 64, 64, 0), 200);
    assert_int_equal(batd_ogm_iv_hop_penalty(255, 30), 225);
}

static void test_seq_window(void **state)
{
    uint64_t bits = 0;
    /* start near the top of the 32-bit space */
    uint32_t last = 0xfffffffeu;
    assert_true(batd_seqwin_update(&bits, INT32_MIN, true)); /* first: reset, mark */
    assert_true(batd_seqwin_test(bits, last, 0xfffffffeu));
    /* cross the wrap: 0xfffffffe -> 1 is +3 */
    uint32_t s = 1;
    int32_t diff = (int32_t)(s - last);
    assert_int_equal(diff, 3);
    assert_true(batd_seqwin_update(&bits, diff, true));
    last = s;
    assert_true(batd_seqwin_test(bits, last, 1));
    assert_true(batd_seqwin_test(bits, last, 0xfffffffeu));
    assert_false(batd_seqwin_test(bits, last, 0xffffffffu));
    assert_false(batd_seqwin_test(bits, last, 0));
    /* a late one (0xffffffff, diff -2) is marked without moving the window */
    diff = (int32_t)(0xffffffffu - last);
    assert_int_equal(diff, -2);
    assert_false(batd_seqwin_update(&bits, diff, true));
    assert_true(batd_seqwin_test(bits, last, 0xffffffffu));
    assert_int_equal(__builtin_popcountll(bits), 3);
    /* future seqno beyond the window never tests as seen */
    assert_false(batd_seqwin_test(bits, last, 2));
    /* older than the window: not seen */
    assert_false(batd_seqwin_test(bits, last, last - 64));
    /* a jump of 64..65535 clears the window */
    assert_true(batd_seqwin_update(&bits, 100, true));
    assert_int_equal(bits, 1);
    /* shifting by 63 keeps the oldest bit, 64 would drop it */
    bits = 1;
    batd_seqwin_update(&bits, 63, false);
    assert_int_equal(bits, (uint64_t)1 << 63);
    /* ttvn wrap */
    assert_true(ttvn_before(255, 0));
    assert_false(ttvn_before(0, 255));
}

static struct batd rp_bat;

static void test_reset_protection(void **state)
{
    uint64_t last_reset = 0;
    rp_bat.now_override = 100000;
    /* inside the window: never protected */
    assert_false(batd_window_protected(&rp_bat, -63, 64, &last_reset));
    assert_false(batd_window_protected(&rp_bat, 65535, 64, &last_reset));
    assert_int_equal(last_reset, 0);
    /* a restart-like jump is accepted once ... */
    assert_false(batd_window_protected(&rp_bat, -64, 64, &last_reset));
    assert_int_equal(last_reset, 100000);
    /* ... then protected for 30 s ... */
    rp_bat.now_override = 129999;
    assert_true(batd_window_protected(&rp_bat, 70000, 64, &last_reset));
    /* ... and accepted again afterwards */
    rp_bat.now_override = 130000;
    assert_false(batd_window_protected(&rp_bat, 70000, 64, &last_reset));
    assert_int_equal(last_reset, 130000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ogm),          cmocka_unit_test(test_bcast),
        cmocka_unit_test(test_unicast),      cmocka_unit_test(test_frag),
        cmocka_unit_test(test_unicast_tvlv), cmocka_unit_test(test_elp_icmp),
        cmocka_unit_test(test_tvlv_malformed), cmocka_unit_test(test_tt_crc_vectors),
        cmocka_unit_test(test_tq_sequence),  cmocka_unit_test(test_seq_window),
        cmocka_unit_test(test_reset_protection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
