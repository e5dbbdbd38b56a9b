/* Three batd instances in one process, A - B - C, wired through the send hooks (no
 * sockets, fake clock): OGM exchange builds routes and TQ, TT converges with equal
 * CRCs, unicast and broadcast frames from A's soft interface reach C exactly once,
 * a dead link's routes go after the neighbour timeout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "batd.h"
#include "ctl.h"
#include "hardif.h"
#include "ogm_iv.h"
#include "originator.h"
#include "route.h"
#include "tt.h"

static struct batd nodes[3];
#define A (&nodes[0])
#define B (&nodes[1])
#define C (&nodes[2])
static bool link_bc_up = true;
static uint64_t clock_ms = 1000000;

struct qframe {
    struct batd *to;
    int hif;
    size_t len;
    uint8_t data[2048];
};
static struct qframe queue[4096];
static unsigned q_head, q_tail;

/* delivered to each node's soft interface */
static unsigned tap_count[3];
static uint8_t tap_last[3][2048];
static size_t tap_last_len[3];

static void tx_hook(struct batd *bat, struct hardif *hif, const uint8_t *frame, size_t len)
{
    struct batd *to = NULL;
    int to_hif = 0;
    if (bat == A)
        to = B, to_hif = 0;
    else if (bat == B && hif->index == 0)
        to = A, to_hif = 0;
    else if (bat == B && hif->index == 1 && link_bc_up)
        to = C, to_hif = 0;
    else if (bat == C && link_bc_up)
        to = B, to_hif = 1;
    if (!to || len > sizeof queue[0].data)
        return;
    struct qframe *q = &queue[q_tail++ % 4096];
    q->to = to;
    q->hif = to_hif;
    q->len = len;
    memcpy(q->data, frame, len);
}

static void tap_hook(struct batd *bat, const uint8_t *frame, size_t len)
{
    int i = (int)(bat - nodes);
    tap_count[i]++;
    memcpy(tap_last[i], frame, len);
    tap_last_len[i] = len;
}

static void drain(void)
{
    for (int rounds = 0; rounds < 100; rounds++) {
        while (q_head != q_tail) {
            struct qframe *q = &queue[q_head++ % 4096];
            q->to->now_override = clock_ms;
            batd_rx_frame(q->to, &q->to->hardifs[q->hif], q->data, q->len);
        }
        bool more = false;
        for (int n = 0; n < 3; n++)
            for (unsigned h = 0; h < nodes[n].n_hardifs; h++)
                if (nodes[n].hardifs[h].agg_len) {
                    batd_ogm_iv_flush(&nodes[n], &nodes[n].hardifs[h]);
                    more = true;
                }
        if (!more && q_head == q_tail)
            return;
    }
}

static void round_of_ogms(void)
{
    clock_ms += 1000;
    for (int n = 0; n < 3; n++) {
        nodes[n].now_override = clock_ms;
        batd_ogm_iv_send_own(&nodes[n]);
        drain();
    }
    for (int n = 0; n < 3; n++) {
        batd_orig_purge(&nodes[n]);
        batd_tt_purge(&nodes[n]);
    }
}

static const uint8_t MA[6] = {2, 0, 0, 0, 0, 0xa}, MB0[6] = {2, 0, 0, 0, 0, 0xb},
                     MB1[6] = {2, 0, 0, 0, 1, 0xb}, MC[6] = {2, 0, 0, 0, 0, 0xc};

static void setup_node(struct batd *b, int idx)
{
    struct batd_config cfg = {.soft_if = "bat0", .orig_interval = 1000, .hop_penalty = 30,
                              .aggregation = true, .have_mac = true,
                              .mac = {2, 0, 0, 0, 0xff, (uint8_t)idx}};
    batd_init(b, NULL, &cfg);
    b->tx_hook = tx_hook;
    b->tap_hook = tap_hook;
    b->now_override = clock_ms;
}

/* an Ethernet frame from a node's soft interface */
static void soft_send(struct batd *b, const uint8_t *dst, uint8_t marker)
{
    static uint8_t buf[BATD_HEADROOM + 128];
    uint8_t *f = buf + BATD_HEADROOM;
    memcpy(f, dst, 6);
    memcpy(f + 6, b->soft_mac, 6);
    put_be16(f + 12, 0x88b5); /* local experimental ethertype */
    memset(f + 14, marker, 50);
    b->now_override = clock_ms;
    batd_route_tx_from_soft(b, f, 64);
    drain();
}

static void test_mesh(void **state)
{
    setup_node(A, 1);
    setup_node(B, 2);
    setup_node(C, 3);
    batd_add_hardif(A, "a0", MA, 1500);
    batd_add_hardif(B, "b0", MB0, 1500);
    batd_add_hardif(B, "b1", MB1, 1500);
    batd_add_hardif(C, "c0", MC, 1500);

    for (int i = 0; i < 20; i++)
        round_of_ogms();

    /* routes: A reaches C via B, C reaches A via B's second interface */
    struct orig *ac = batd_orig_find(A, MC);
    assert_non_null(ac);
    assert_non_null(ac->router);
    assert_memory_equal(ac->router->addr, MB0, 6);
    struct orig *ca = batd_orig_find(C, MA);
    assert_non_null(ca);
    assert_non_null(ca->router);
    assert_memory_equal(ca->router->addr, MB1, 6);
    /* TQ: direct neighbour better than two hops, both growing with the windows */
    struct orig *ab = batd_orig_find(A, MB0);
    assert_non_null(ab->router);
    assert_true(ab->router->tq_avg > ac->router->tq_avg);
    assert_true(ac->router->tq_avg > 0);
    uint8_t tq20 = ab->router->tq_avg;
    for (int i = 0; i < 30; i++)
        round_of_ogms();
    assert_true(ab->router->tq_avg > tq20);

    /* TT: A knows C's soft MAC, with C's ttvn and C's own CRC */
    assert_ptr_equal(batd_tt_global_lookup(A, C->soft_mac, 0), ac);
    assert_int_equal(ac->ttvn, C->ttvn);
    assert_int_equal(ac->tt_num_vlans, 1);
    assert_int_equal(ac->tt_vlans[0].crc, batd_tt_local_crc(C, 0));
    /* in sync: no TT request traffic any more */
    uint64_t req = A->stats[STAT_TT_REQUEST_TX];
    for (int i = 0; i < 3; i++)
        round_of_ogms();
    assert_int_equal(A->stats[STAT_TT_REQUEST_TX], req);

    /* unicast A -> C's soft MAC: delivered once, to C only */
    memset(tap_count, 0, sizeof tap_count);
    soft_send(A, C->soft_mac, 0x5a);
    assert_int_equal(tap_count[2], 1);
    assert_int_equal(tap_count[1], 0);
    assert_int_equal(tap_last_len[2], 64);
    assert_int_equal(tap_last[2][20], 0x5a);
    assert_int_equal(B->stats[STAT_FORWARD], 1);

    /* a small MTU between B and C: B fragments A's 1400-byte frame (tail first, even
     * sizes), C reassembles it */
    {
        B->hardifs[1].mtu = 700;
        static uint8_t buf[BATD_HEADROOM + 1500];
        uint8_t *f = buf + BATD_HEADROOM;
        memcpy(f, C->soft_mac, 6);
        memcpy(f + 6, A->soft_mac, 6);
        put_be16(f + 12, 0x88b5);
        for (int i = 14; i < 1400; i++)
            f[i] = (uint8_t)i;
        memset(tap_count, 0, sizeof tap_count);
        uint64_t frags = B->stats[STAT_FRAG_TX];
        A->now_override = clock_ms;
        batd_route_tx_from_soft(A, f, 1400);
        drain();
        /* 1410 bytes (unicast header + frame) in fragments of <= 700 - 20: 3 of 470 */
        assert_int_equal(B->stats[STAT_FRAG_TX], frags + 3);
        assert_int_equal(C->stats[STAT_FRAG_RX], 3);
        assert_int_equal(tap_count[2], 1);
        assert_int_equal(tap_last_len[2], 1400);
        assert_memory_equal(tap_last[2], f, 1400);
        B->hardifs[1].mtu = 1500;
    }

    /* a client behind A appears in C's global table after A's next OGM */
    static const uint8_t client[6] = {2, 0x11, 0x22, 0x33, 0x44, 0x55};
    {
        static uint8_t buf[BATD_HEADROOM + 128];
        uint8_t *f = buf + BATD_HEADROOM;
        memcpy(f, C->soft_mac, 6);
        memcpy(f + 6, client, 6);
        put_be16(f + 12, 0x88b5);
        memset(f + 14, 0, 50);
        batd_route_tx_from_soft(A, f, 64);
        drain();
    }
    assert_true(batd_tt_local_has(A, client, 0));
    round_of_ogms();
    assert_ptr_equal(batd_tt_global_lookup(C, client, 0), batd_orig_find(C, MA));
    assert_int_equal(batd_orig_find(C, MA)->tt_vlans[0].crc, batd_tt_local_crc(A, 0));

    /* the client moves behind B: B tells A (ROAM), C's stale unicast toward A is
     * re-routed by A to B and delivered there, before anyone's next OGM */
    {
        static uint8_t buf[BATD_HEADROOM + 128];
        uint8_t *f = buf + BATD_HEADROOM;
        memcpy(f, C->soft_mac, 6);
        memcpy(f + 6, client, 6);
        put_be16(f + 12, 0x88b5);
        memset(f + 14, 0, 50);
        B->now_override = clock_ms;
        batd_route_tx_from_soft(B, f, 64);
        drain();
    }
    assert_int_equal(B->stats[STAT_TT_ROAM_ADV_TX], 1);
    assert_int_equal(A->stats[STAT_TT_ROAM_ADV_RX], 1);
    assert_false(batd_tt_local_has(A, client, 0));
    assert_ptr_equal(batd_tt_global_lookup(C, client, 0), batd_orig_find(C, MA)); /* C: still stale */
    memset(tap_count, 0, sizeof tap_count);
    soft_send(C, client, 0x66);
    assert_int_equal(tap_count[1], 1);
    assert_int_equal(tap_count[0], 0);
    assert_int_equal(tap_last[1][20], 0x66);
    /* after the next OGMs C points at B, and A announced the client's deletion */
    round_of_ogms();
    round_of_ogms();
    assert_ptr_equal(batd_tt_global_lookup(C, client, 0), batd_orig_find(C, MB0));
    assert_true(batd_tt_local_has(B, client, 0));
    bool c_has_a = false;
    tt_global_for_each(C, g) c_has_a |= mac_eq(g->addr, client) && g->orig == batd_orig_find(C, MA);
    assert_false(c_has_a);

    /* broadcast from A: once on B, once on C, never back on A */
    memset(tap_count, 0, sizeof tap_count);
    static const uint8_t bc[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    soft_send(A, bc, 0x77);
    assert_int_equal(tap_count[0], 0);
    assert_int_equal(tap_count[1], 1);
    assert_int_equal(tap_count[2], 1);

    /* gw_mode client/server: a client's DHCP request stays out of the mesh */
    {
        static uint8_t buf[BATD_HEADROOM + 400];
        uint8_t *f = buf + BATD_HEADROOM;
        memset(f, 0, 342);
        memset(f, 0xff, 6);
        memcpy(f + 6, client, 6);
        put_be16(f + 12, 0x0800);
        f[14] = 0x45;
        put_be16(f + 16, 328);
        f[22] = 64;
        f[23] = 17;
        memset(f + 30, 0xff, 4);
        put_be16(f + 34, 68);
        put_be16(f + 36, 67);
        put_be16(f + 38, 308);
        assert_true(batd_is_dhcp_to_server(f, 342));
        memset(tap_count, 0, sizeof tap_count);
        A->cfg.gw_mode = BATD_GW_CLIENT;
        batd_route_tx_from_soft(A, f, 342);
        drain();
        assert_int_equal(A->stats[STAT_DROP_DHCP_NO_GATEWAY], 1);
        assert_int_equal(tap_count[1] + tap_count[2], 0);
        A->cfg.gw_mode = BATD_GW_OFF; /* default: flooded like any broadcast */
        batd_route_tx_from_soft(A, f, 342);
        drain();
        assert_int_equal(tap_count[1], 1);
        assert_int_equal(tap_count[2], 1);
        /* replies (from port 67), other UDP, IPv6 to port 547, 802.1Q-tagged */
        put_be16(f + 34, 67);
        put_be16(f + 36, 68);
        assert_false(batd_is_dhcp_to_server(f, 342));
        static uint8_t v6[100];
        memset(v6, 0, sizeof v6);
        put_be16(v6 + 12, 0x86dd);
        v6[14] = 0x60;
        v6[20] = 17;
        put_be16(v6 + 54 + 2, 547);
        assert_true(batd_is_dhcp_to_server(v6, sizeof v6));
        static uint8_t tagged[400];
        memcpy(tagged, f, 12);
        put_be16(tagged + 12, 0x8100);
        put_be16(tagged + 14, 5);
        memcpy(tagged + 16, f + 12, 330);
        put_be16(tagged + 18 + 20, 68);
        put_be16(tagged + 18 + 22, 67);
        assert_true(batd_is_dhcp_to_server(tagged, 346));
        assert_false(batd_is_dhcp_to_server(tagged, 30));
    }

    /* unknown unicast destination: dropped and counted */
    static const uint8_t nobody[6] = {2, 9, 9, 9, 9, 9};
    uint64_t unk = A->stats[STAT_DROP_UNKNOWN_DEST];
    soft_send(A, nobody, 1);
    assert_int_equal(A->stats[STAT_DROP_UNKNOWN_DEST], unk + 1);

    /* control socket replies: valid JSON with batctl's keys; text has batctl's headers */
    static const char *const cmds[] = {"originators", "neighbors", "interfaces", "translocal",
                                       "transglobal", "statistics"};
    A->cfg.bla = true; /* accepted, unsupported: reported by `interfaces` */
    for (unsigned i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        char *out = NULL;
        size_t outlen = 0;
        FILE *f = open_memstream(&out, &outlen);
        assert_int_equal(batd_ctl_reply(A, cmds[i], true, f), 0);
        fclose(f);
        struct json_object *j = json_tokener_parse(out);
        assert_non_null(j);
        if (i == 0) { /* originators: B direct, C via B, one best row each */
            assert_true(json_object_is_type(j, json_type_array));
            unsigned best = 0;
            for (size_t k = 0; k < json_object_array_length(j); k++) {
                struct json_object *row = json_object_array_get_idx(j, k), *v;
                assert_true(json_object_object_get_ex(row, "orig_address", &v));
                assert_true(json_object_object_get_ex(row, "neigh_address", &v));
                assert_true(json_object_object_get_ex(row, "tq", &v));
                assert_true(json_object_object_get_ex(row, "best", &v));
                best += json_object_get_boolean(v);
            }
            assert_int_equal(best, 2);
        }
        if (i == 2) {
            struct json_object *v, *row = json_object_array_get_idx(j, 0);
            assert_non_null(row);
            assert_true(json_object_object_get_ex(row, "unsupported_options", &v));
            assert_int_equal(json_object_array_length(v), 1);
            assert_string_equal(json_object_get_string(json_object_array_get_idx(v, 0)), "bla");
        }
        if (i == 4) { /* transglobal: C's soft MAC via C */
            bool seen = false;
            char want[18];
            snprintf(want, sizeof want, "%02x:%02x:%02x:%02x:%02x:%02x", C->soft_mac[0],
                     C->soft_mac[1], C->soft_mac[2], C->soft_mac[3], C->soft_mac[4], C->soft_mac[5]);
            for (size_t k = 0; k < json_object_array_length(j); k++) {
                struct json_object *row = json_object_array_get_idx(j, k), *v;
                assert_true(json_object_object_get_ex(row, "client_address", &v));
                seen |= !strcmp(json_object_get_string(v), want);
            }
            assert_true(seen);
        }
        if (i == 5) {
            struct json_object *v;
            assert_true(json_object_object_get_ex(j, "drop_unknown_dest", &v));
            assert_int_equal(json_object_get_int64(v), (int64_t)A->stats[STAT_DROP_UNKNOWN_DEST]);
        }
        json_object_put(j);
        free(out);
        f = open_memstream(&out, &outlen);
        assert_int_equal(batd_ctl_reply(A, cmds[i], false, f), 0);
        fclose(f);
        assert_true(outlen > 0);
        free(out);
    }
    {
        char *out = NULL;
        size_t outlen = 0;
        FILE *f = open_memstream(&out, &outlen);
        assert_int_equal(batd_ctl_reply(A, "bogus", false, f), -1);
        fclose(f);
        free(out);
    }

    /* cut B-C: after the 200 s neighbour timeout A and B lose C */
    link_bc_up = false;
    for (int i = 0; i < 210; i++)
        round_of_ogms();
    struct orig *bc_o = batd_orig_find(B, MC);
    assert_true(!bc_o || !bc_o->router);
    assert_null(batd_tt_global_lookup(A, C->soft_mac, 0));

    for (int n = 0; n < 3; n++)
        batd_free_tables(&nodes[n]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_mesh)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
