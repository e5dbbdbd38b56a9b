/* batd's own VLAN handling on hard interfaces: with --vlan only frames of that TPID/VID
 * are accepted, whether the tag is still in the frame or was stripped into PACKET_AUXDATA;
 * untagged instances refuse tagged frames; transmitted frames carry the tag. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "batd.h"
#include "batd_pcap_frames.h"
#include "hardif.h"
#include "ogm_iv.h"
#include "originator.h"

static const uint8_t ME[6] = {2, 0, 0, 0, 0, 3};
static const uint8_t N1[6] = {2, 0, 0, 0, 0, 1};
static struct batd tagged, plain;
static uint8_t last_tx[2048];
static size_t last_tx_len;

static void tx_hook(struct batd *b, struct hardif *hif, const uint8_t *frame, size_t len)
{
    memcpy(last_tx, frame, len);
    last_tx_len = len;
}

static void setup(struct batd *b, uint16_t tpid)
{
    struct batd_config cfg = {.soft_if = "bat0", .orig_interval = 1000, .hop_penalty = 30,
                              .vlan_tpid = tpid, .vlan_id = 29};
    batd_init(b, NULL, &cfg);
    batd_add_hardif(b, "h0", ME, 1500);
    b->tx_hook = tx_hook;
    b->now_override = 5000000;
}

/* OGM of node 1 (pcap frame 2), with an inline tag when tpid != 0 */
static size_t ogm_frame(uint8_t *out, uint16_t tpid, uint16_t vid)
{
    const struct pcap_frame *f = &batd_iv_frames[1];
    if (!tpid) {
        memcpy(out, f->data, f->len);
        return f->len;
    }
    memcpy(out, f->data, 12);
    put_be16(out + 12, tpid);
    put_be16(out + 14, vid);
    memcpy(out + 16, f->data + 12, f->len - 12);
    return f->len + 4;
}

static void test_tagged_rx(void **state)
{
    setup(&tagged, 0x88a8);
    uint8_t fr[256];
    size_t len = ogm_frame(fr, 0x88a8, 30);
    batd_rx_frame(&tagged, &tagged.hardifs[0], fr, len);
    assert_int_equal(tagged.stats[STAT_DROP_VLAN], 1);
    len = ogm_frame(fr, 0x8100, 29);
    batd_rx_frame(&tagged, &tagged.hardifs[0], fr, len);
    assert_int_equal(tagged.stats[STAT_DROP_VLAN], 2);
    len = ogm_frame(fr, 0, 0);
    batd_rx_frame(&tagged, &tagged.hardifs[0], fr, len);
    assert_int_equal(tagged.stats[STAT_DROP_VLAN], 3);
    assert_null(batd_orig_find(&tagged, N1));
    len = ogm_frame(fr, 0x88a8, 29 | 0x2000); /* priority bits do not matter */
    batd_rx_frame(&tagged, &tagged.hardifs[0], fr, len);
    assert_int_equal(tagged.stats[STAT_DROP_VLAN], 3);
    assert_non_null(batd_orig_find(&tagged, N1));

    /* the tag stripped by the kernel (auxdata): frame untagged, tag passed aside */
    static uint8_t buf[BATD_HEADROOM + 256];
    uint8_t *f = buf + BATD_HEADROOM;
    len = ogm_frame(f, 0, 0);
    batd_hardif_rx(&tagged, &tagged.hardifs[0], f, len, 30, 0x88a8);
    assert_int_equal(tagged.stats[STAT_DROP_VLAN], 4);
    len = ogm_frame(f, 0, 0);
    batd_hardif_rx(&tagged, &tagged.hardifs[0], f, len, 29, 0x8100);
    assert_int_equal(tagged.stats[STAT_DROP_VLAN], 5);
    uint64_t ogms = tagged.stats[STAT_OGM_RX];
    len = ogm_frame(f, 0, 0);
    batd_hardif_rx(&tagged, &tagged.hardifs[0], f, len, 29, 0x88a8);
    assert_int_equal(tagged.stats[STAT_DROP_VLAN], 5);
    assert_int_equal(tagged.stats[STAT_OGM_RX], ogms + 1);

    /* transmit: own OGM leaves with the 802.1ad tag */
    batd_ogm_iv_send_own(&tagged);
    assert_true(last_tx_len > 18 + 24);
    assert_int_equal(get_be16(last_tx + 12), 0x88a8);
    assert_int_equal(get_be16(last_tx + 14) & 0x0fff, 29);
    assert_int_equal(get_be16(last_tx + 16), BATADV_ETHERTYPE);
    assert_int_equal(last_tx[18], BATADV_IV_OGM);
    assert_memory_equal(last_tx + 6, ME, 6);
    batd_free_tables(&tagged);
}

static void test_untagged_rx(void **state)
{
    setup(&plain, 0);
    uint8_t fr[256];
    size_t len = ogm_frame(fr, 0x88a8, 29);
    batd_rx_frame(&plain, &plain.hardifs[0], fr, len);
    assert_int_equal(plain.stats[STAT_DROP_VLAN], 1);
    static uint8_t buf[BATD_HEADROOM + 256];
    uint8_t *f = buf + BATD_HEADROOM;
    len = ogm_frame(f, 0, 0);
    batd_hardif_rx(&plain, &plain.hardifs[0], f, len, 29, 0x88a8);
    assert_int_equal(plain.stats[STAT_DROP_VLAN], 2);
    assert_null(batd_orig_find(&plain, N1));
    len = ogm_frame(f, 0, 0);
    batd_hardif_rx(&plain, &plain.hardifs[0], f, len, 0x6000, 0x8100); /* priority tag, VID 0 */
    assert_int_equal(plain.stats[STAT_DROP_VLAN], 2);
    assert_non_null(batd_orig_find(&plain, N1));
    batd_ogm_iv_send_own(&plain);
    assert_int_equal(get_be16(last_tx + 12), BATADV_ETHERTYPE);
    assert_int_equal(last_tx[14], BATADV_IV_OGM);
    batd_free_tables(&plain);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_tagged_rx),
                                       cmocka_unit_test(test_untagged_rx)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
