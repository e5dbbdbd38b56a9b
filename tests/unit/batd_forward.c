/* B.A.T.M.A.N. IV rebroadcast decisions of one batd node X, fed crafted frames from two
 * direct neighbours N1 and N2 (fake clock, send hook): whether X forwards a multi-hop
 * OGM of an originator O is judged against X's route to O as it was *before* that OGM
 * ranked, as the kernel's batadv_iv_ogm_process_per_outif() does. So the OGM that creates
 * the route and the copy that makes the route switch to its sender are not forwarded;
 * the next OGM from the (new) best next hop is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "batd.h"
#include "hardif.h"
#include "ogm_iv.h"
#include "originator.h"
#include "packet.h"

static struct batd x;
static uint64_t clock_ms = 5000000;
static const uint8_t MX[6] = {2, 0, 0, 0, 0, 0x10}, N1[6] = {2, 0, 0, 0, 0, 0x11},
                     N2[6] = {2, 0, 0, 0, 0, 0x12}, O[6] = {2, 0, 0, 0, 0, 0x20};

/* what X sent: OGMs about O, and the seqno of X's last own OGM */
static unsigned fwd_of_o;
static uint32_t x_last_seqno;

static void tx_hook(struct batd *bat, struct hardif *hif, const uint8_t *frame, size_t len)
{
    (void)bat;
    (void)hif;
    for (size_t off = 14; off + BATADV_OGM_HLEN <= len && frame[off] == BATADV_IV_OGM;) {
        struct bat_ogm o;
        batd_ogm_parse(frame + off, len - off, &o);
        if (!memcmp(o.orig, O, 6))
            fwd_of_o++;
        if (!memcmp(o.orig, MX, 6))
            x_last_seqno = o.seqno;
        off += BATADV_OGM_HLEN + o.tvlv_len;
    }
}

/* One OGM in a broadcast frame from Ethernet source src. */
static void rx(const uint8_t *src, const uint8_t *orig, const uint8_t *prev, uint32_t seqno,
               uint8_t ttl, uint8_t tq, uint8_t flags)
{
    uint8_t f[14 + BATADV_OGM_HLEN];
    memset(f, 0xff, 6);
    memcpy(f + 6, src, 6);
    f[12] = 0x43;
    f[13] = 0x05;
    struct bat_ogm o = {.ttl = ttl, .flags = flags, .seqno = seqno, .tq = tq};
    memcpy(o.orig, orig, 6);
    memcpy(o.prev_sender, prev, 6);
    batd_ogm_pack(f + 14, &o);
    x.now_override = clock_ms;
    batd_rx_frame(&x, &x.hardifs[0], f, sizeof f);
}

static void flush(void)
{
    batd_ogm_iv_flush(&x, &x.hardifs[0]);
}

/* One interval: X's own OGM, each neighbour's own OGM and its echo of X's. */
static void round_with_neighbours(uint32_t seq)
{
    clock_ms += 1000;
    x.now_override = clock_ms;
    batd_ogm_iv_send_own(&x);
    const uint8_t *nb[2] = {N1, N2};
    for (int i = 0; i < 2; i++) {
        rx(nb[i], nb[i], nb[i], seq, BATD_TTL, BATD_TQ_MAX, 0);
        rx(nb[i], MX, MX, x_last_seqno, BATD_TTL - 1, BATD_TQ_MAX, BATADV_DIRECTLINK);
    }
    flush();
}

/* O's OGM seqno as N forwarded it (O two hops away, behind N). */
static unsigned o_via(const uint8_t *n, uint32_t seq, uint8_t tq)
{
    fwd_of_o = 0;
    rx(n, O, O, seq, BATD_TTL - 1, tq, 0);
    flush();
    return fwd_of_o;
}

static void test_forward_judged_before_ranking(void **state)
{
    (void)state;
    struct batd_config cfg = {.soft_if = "bat0", .orig_interval = 1000, .hop_penalty = 30,
                              .aggregation = true, .have_mac = true,
                              .mac = {2, 0, 0, 0, 0xff, 0x10}};
    batd_init(&x, NULL, &cfg);
    x.tx_hook = tx_hook;
    x.now_override = clock_ms;
    batd_add_hardif(&x, "x0", MX, 1500);
    for (uint32_t s = 1; s <= 20; s++)
        round_with_neighbours(s);
    struct orig *n1 = batd_orig_find(&x, N1), *n2 = batd_orig_find(&x, N2);
    assert_non_null(n1);
    assert_non_null(n2);
    assert_non_null(n1->router);
    assert_non_null(n2->router);

    /* the OGM that creates the route via N1 is not forwarded, the next one is */
    assert_int_equal(o_via(N1, 100, 200), 0);
    struct orig *o = batd_orig_find(&x, O);
    assert_non_null(o);
    assert_non_null(o->router);
    assert_memory_equal(o->router->addr, N1, 6);
    assert_int_equal(o_via(N1, 101, 200), 1);
    /* a duplicate from the best next hop is not forwarded again */
    assert_int_equal(o_via(N1, 101, 200), 0);

    /* N2 delivers seqno 102 first and better: the route switches to N2 on that copy,
     * which is not forwarded; N1's later copy is no longer from the best next hop */
    assert_int_equal(o_via(N2, 102, 250), 0);
    assert_memory_equal(o->router->addr, N2, 6);
    assert_int_equal(o_via(N1, 102, 200), 0);
    /* from now on N2's copies are */
    assert_int_equal(o_via(N2, 103, 250), 1);
    assert_int_equal(o_via(N1, 103, 200), 0);
    batd_free_tables(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_forward_judged_before_ranking)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
