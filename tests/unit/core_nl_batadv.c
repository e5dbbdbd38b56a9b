/* The kernel seam's batman-adv reply parsers (src/core/nl_batadv_parse.c) on messages
 * built as the kernel builds them (libmnl, the uapi attribute numbers): GET_MESH and
 * GET_HARDIF replies, each table dump, several messages in one buffer, NLMSG_ERROR, and
 * malformed input (short attributes, lying lengths, strings without their NUL) that must
 * be skipped, never trusted. Also the settings table against the uapi header. */
#include "nl.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/batman_adv.h>
#include <linux/genetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static _Alignas(8) char buf[8192];
static size_t used;

static struct nlmsghdr *msg(uint8_t cmd)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + used);
    nlh->nlmsg_type = 0x1c; /* the family id: any */
    nlh->nlmsg_flags = NLM_F_MULTI;
    struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
    g->cmd = cmd;
    g->version = 1;
    return nlh;
}

static void end(struct nlmsghdr *nlh)
{
    used += nlh->nlmsg_len;
}

static void done_msg(void)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf + used);
    nlh->nlmsg_type = NLMSG_DONE;
    used += nlh->nlmsg_len;
}

static const uint8_t mac_a[6] = {0x02, 0x95, 0x39, 0x1c, 0x84, 0xd1};
static const uint8_t mac_b[6] = {0x02, 0xbb, 0xed, 0x00, 0x00, 0x02};

static void test_mesh_info(void **state)
{
    (void)state;
    used = 0;
    struct nlmsghdr *nlh = msg(BATADV_CMD_GET_MESH);
    mnl_attr_put_strz(nlh, BATADV_ATTR_VERSION, "2022.3");
    mnl_attr_put_strz(nlh, BATADV_ATTR_ALGO_NAME, "BATMAN_IV");
    mnl_attr_put_u32(nlh, BATADV_ATTR_MESH_IFINDEX, 7);
    mnl_attr_put(nlh, BATADV_ATTR_MESH_ADDRESS, 6, mac_a);
    mnl_attr_put_u8(nlh, BATADV_ATTR_AGGREGATED_OGMS_ENABLED, 1);
    mnl_attr_put_u8(nlh, BATADV_ATTR_BRIDGE_LOOP_AVOIDANCE_ENABLED, 1);
    mnl_attr_put_u8(nlh, BATADV_ATTR_DISTRIBUTED_ARP_TABLE_ENABLED, 0);
    mnl_attr_put_u8(nlh, BATADV_ATTR_GW_MODE, BATADV_GW_MODE_CLIENT);
    mnl_attr_put_u8(nlh, BATADV_ATTR_HOP_PENALTY, 30);
    mnl_attr_put_u8(nlh, BATADV_ATTR_MULTICAST_FORCEFLOOD_ENABLED, 1);
    mnl_attr_put_u32(nlh, BATADV_ATTR_ORIG_INTERVAL, 2000);
    mnl_attr_put_u32(nlh, BATADV_ATTR_MULTICAST_FANOUT, 16);
    mnl_attr_put_u16(nlh, BATADV_ATTR_FRAGMENTATION_ENABLED, 1); /* wrong size: ignored */
    end(nlh);
    struct lime_nl_batadv_info in;
    assert_int_equal(lime_nl_batadv_parse_info(buf, used, &in), 1);
    assert_string_equal(in.algo, "BATMAN_IV");
    assert_string_equal(in.version, "2022.3");
    assert_memory_equal(in.addr, mac_a, 6);
    assert_int_equal(in.v[LIME_BATADV_AGGREGATION], 1);
    assert_int_equal(in.v[LIME_BATADV_BLA], 1);
    assert_int_equal(in.v[LIME_BATADV_DAT], 0);
    assert_int_equal(in.v[LIME_BATADV_GW_MODE], 1);
    assert_int_equal(in.v[LIME_BATADV_HOP_PENALTY], 30);
    assert_int_equal(in.v[LIME_BATADV_MCAST_FORCEFLOOD], 1);
    assert_int_equal(in.v[LIME_BATADV_ORIG_INTERVAL], 2000);
    assert_int_equal(in.v[LIME_BATADV_MULTICAST_FANOUT], 16);
    assert_int_equal(in.v[LIME_BATADV_FRAGMENTATION], -1);
    assert_int_equal(in.v[LIME_BATADV_NETWORK_CODING], -1); /* not in the reply */
    assert_int_equal(in.v[LIME_BATADV_HARD_HOP_PENALTY], -1); /* the other scope */
}

static void test_hardif_info(void **state)
{
    (void)state;
    used = 0;
    struct nlmsghdr *nlh = msg(BATADV_CMD_GET_HARDIF);
    mnl_attr_put_u32(nlh, BATADV_ATTR_HARD_IFINDEX, 9);
    mnl_attr_put_strz(nlh, BATADV_ATTR_HARD_IFNAME, "eth0_29");
    mnl_attr_put(nlh, BATADV_ATTR_HARD_ADDRESS, 6, mac_b);
    mnl_attr_put(nlh, BATADV_ATTR_MESH_ADDRESS, 6, mac_a); /* not the hard interface's */
    mnl_attr_put(nlh, BATADV_ATTR_ACTIVE, 0, NULL);
    mnl_attr_put_u8(nlh, BATADV_ATTR_HOP_PENALTY, 10);
    mnl_attr_put_u32(nlh, BATADV_ATTR_ELP_INTERVAL, 500);
    end(nlh);
    struct lime_nl_batadv_info in;
    assert_int_equal(lime_nl_batadv_parse_info(buf, used, &in), 1);
    assert_memory_equal(in.addr, mac_b, 6);
    assert_true(in.active);
    assert_int_equal(in.v[LIME_BATADV_HARD_HOP_PENALTY], 10);
    assert_int_equal(in.v[LIME_BATADV_HARD_ELP_INTERVAL], 500);
    assert_int_equal(in.v[LIME_BATADV_HOP_PENALTY], -1);
    assert_int_equal(in.v[LIME_BATADV_HARD_THROUGHPUT_OVERRIDE], -1);
}

/* batctl o: two originators, one best, in one buffer with the dump's end */
static void test_originators(void **state)
{
    (void)state;
    used = 0;
    for (int i = 0; i < 2; i++) {
        struct nlmsghdr *nlh = msg(BATADV_CMD_GET_ORIGINATORS);
        mnl_attr_put(nlh, BATADV_ATTR_ORIG_ADDRESS, 6, i ? mac_b : mac_a);
        mnl_attr_put(nlh, BATADV_ATTR_NEIGH_ADDRESS, 6, mac_b);
        mnl_attr_put_u32(nlh, BATADV_ATTR_HARD_IFINDEX, 9);
        mnl_attr_put_u32(nlh, BATADV_ATTR_LAST_SEEN_MSECS, 320 + i);
        mnl_attr_put_u8(nlh, BATADV_ATTR_TQ, (uint8_t)(200 + i));
        if (i)
            mnl_attr_put(nlh, BATADV_ATTR_FLAG_BEST, 0, NULL);
        end(nlh);
    }
    done_msg();
    struct lime_nl_batadv_entry *v = NULL;
    size_t n = 0, cap = 0;
    assert_int_equal(lime_nl_batadv_parse_dump(buf, used, LIME_BATADV_ORIGINATORS, &v, &n, &cap), 2);
    assert_int_equal(n, 2);
    assert_memory_equal(v[0].addr, mac_a, 6);
    assert_true(v[0].has_neigh);
    assert_memory_equal(v[0].neigh, mac_b, 6);
    assert_int_equal(v[0].hard_ifindex, 9);
    assert_int_equal(v[0].last_seen_ms, 320);
    assert_int_equal(v[0].tq, 200);
    assert_false(v[0].best);
    assert_true(v[1].best);
    assert_int_equal(v[1].tq, 201);
    free(v);
}

static void test_tables(void **state)
{
    (void)state;
    struct lime_nl_batadv_entry *v = NULL;
    size_t n = 0, cap = 0;

    /* batctl n (BATMAN_V: throughput, no tq) */
    used = 0;
    struct nlmsghdr *nlh = msg(BATADV_CMD_GET_NEIGHBORS);
    mnl_attr_put(nlh, BATADV_ATTR_NEIGH_ADDRESS, 6, mac_b);
    mnl_attr_put_u32(nlh, BATADV_ATTR_HARD_IFINDEX, 9);
    mnl_attr_put_strz(nlh, BATADV_ATTR_HARD_IFNAME, "eth0_29");
    mnl_attr_put_u32(nlh, BATADV_ATTR_THROUGHPUT, 12345);
    end(nlh);
    assert_int_equal(lime_nl_batadv_parse_dump(buf, used, LIME_BATADV_NEIGHBOURS, &v, &n, &cap), 1);
    assert_memory_equal(v[0].addr, mac_b, 6);
    assert_string_equal(v[0].hard_ifname, "eth0_29");
    assert_int_equal(v[0].tq, -1);
    assert_int_equal(v[0].throughput, 12345);

    /* batctl if */
    used = 0;
    nlh = msg(BATADV_CMD_GET_HARDIF);
    mnl_attr_put_u32(nlh, BATADV_ATTR_HARD_IFINDEX, 11);
    mnl_attr_put_strz(nlh, BATADV_ATTR_HARD_IFNAME, "eth1_29");
    mnl_attr_put(nlh, BATADV_ATTR_HARD_ADDRESS, 6, mac_a);
    end(nlh);
    assert_int_equal(lime_nl_batadv_parse_dump(buf, used, LIME_BATADV_HARDIFS, &v, &n, &cap), 1);
    assert_int_equal(n, 2);
    assert_string_equal(v[1].hard_ifname, "eth1_29");
    assert_false(v[1].active);

    /* batctl tl, tg: VIDs (-1 untagged, the tag bit stripped), flags, ttvn, originator */
    n = 0;
    used = 0;
    nlh = msg(BATADV_CMD_GET_TRANSTABLE_LOCAL);
    mnl_attr_put(nlh, BATADV_ATTR_TT_ADDRESS, 6, mac_a);
    mnl_attr_put_u16(nlh, BATADV_ATTR_TT_VID, 0);
    mnl_attr_put_u32(nlh, BATADV_ATTR_TT_CRC32, 0x7d16ceab);
    mnl_attr_put_u32(nlh, BATADV_ATTR_TT_FLAGS, BATADV_TT_CLIENT_NOPURGE);
    end(nlh);
    assert_int_equal(lime_nl_batadv_parse_dump(buf, used, LIME_BATADV_TT_LOCAL, &v, &n, &cap), 1);
    assert_int_equal(v[0].vid, -1);
    assert_int_equal(v[0].crc32, 0x7d16ceab);
    assert_int_equal(v[0].tt_flags, BATADV_TT_CLIENT_NOPURGE);
    n = 0;
    used = 0;
    nlh = msg(BATADV_CMD_GET_TRANSTABLE_GLOBAL);
    mnl_attr_put(nlh, BATADV_ATTR_TT_ADDRESS, 6, mac_a);
    mnl_attr_put(nlh, BATADV_ATTR_ORIG_ADDRESS, 6, mac_b);
    mnl_attr_put_u16(nlh, BATADV_ATTR_TT_VID, 0x8000 | 29);
    mnl_attr_put_u8(nlh, BATADV_ATTR_TT_TTVN, 5);
    mnl_attr_put_u8(nlh, BATADV_ATTR_TT_LAST_TTVN, 4);
    mnl_attr_put(nlh, BATADV_ATTR_FLAG_BEST, 0, NULL);
    end(nlh);
    assert_int_equal(lime_nl_batadv_parse_dump(buf, used, LIME_BATADV_TT_GLOBAL, &v, &n, &cap), 1);
    assert_int_equal(v[0].vid, 29);
    assert_memory_equal(v[0].neigh, mac_b, 6);
    assert_int_equal(v[0].ttvn, 5);
    assert_int_equal(v[0].last_ttvn, 4);
    assert_true(v[0].best);

    /* batctl gwl */
    n = 0;
    used = 0;
    nlh = msg(BATADV_CMD_GET_GATEWAYS);
    mnl_attr_put(nlh, BATADV_ATTR_ORIG_ADDRESS, 6, mac_a);
    mnl_attr_put(nlh, BATADV_ATTR_ROUTER, 6, mac_b);
    mnl_attr_put_u32(nlh, BATADV_ATTR_BANDWIDTH_DOWN, 100);
    mnl_attr_put_u32(nlh, BATADV_ATTR_BANDWIDTH_UP, 20);
    end(nlh);
    assert_int_equal(lime_nl_batadv_parse_dump(buf, used, LIME_BATADV_GATEWAYS, &v, &n, &cap), 1);
    assert_memory_equal(v[0].neigh, mac_b, 6);
    assert_int_equal(v[0].bw_down, 100);
    assert_int_equal(v[0].bw_up, 20);
    free(v);
}

static void test_malformed(void **state)
{
    (void)state;
    struct lime_nl_batadv_entry *v = NULL;
    size_t n = 0, cap = 0;

    /* an entry without its address, a 5-byte MAC, a name without NUL, an ifindex
     * that is not a u32: the first two are no entries, the fields are ignored */
    used = 0;
    struct nlmsghdr *nlh = msg(BATADV_CMD_GET_NEIGHBORS);
    mnl_attr_put_u32(nlh, BATADV_ATTR_HARD_IFINDEX, 9);
    end(nlh);
    nlh = msg(BATADV_CMD_GET_NEIGHBORS);
    mnl_attr_put(nlh, BATADV_ATTR_NEIGH_ADDRESS, 5, mac_a);
    end(nlh);
    nlh = msg(BATADV_CMD_GET_NEIGHBORS);
    mnl_attr_put(nlh, BATADV_ATTR_NEIGH_ADDRESS, 6, mac_a);
    mnl_attr_put(nlh, BATADV_ATTR_HARD_IFNAME, 4, "eth0");
    mnl_attr_put_u16(nlh, BATADV_ATTR_HARD_IFINDEX, 9);
    mnl_attr_put_strz(nlh, BATADV_ATTR_HARD_IFNAME + 0, "a-name-that-is-far-too-long-for-ifnamsiz");
    end(nlh);
    assert_int_equal(lime_nl_batadv_parse_dump(buf, used, LIME_BATADV_NEIGHBOURS, &v, &n, &cap), 3);
    assert_int_equal(n, 1);
    assert_string_equal(v[0].hard_ifname, "");
    assert_int_equal(v[0].hard_ifindex, 0);

    /* a message whose length runs past the buffer, and one cut inside an attribute */
    size_t good = used;
    nlh = msg(BATADV_CMD_GET_NEIGHBORS);
    mnl_attr_put(nlh, BATADV_ATTR_NEIGH_ADDRESS, 6, mac_b);
    end(nlh);
    n = 0;
    assert_int_equal(lime_nl_batadv_parse_dump(buf, used - 4, LIME_BATADV_NEIGHBOURS, &v, &n, &cap), 3);
    assert_int_equal(n, 1);
    struct nlattr *a = (struct nlattr *)((char *)nlh + MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr)));
    a->nla_len = 200; /* longer than the message */
    n = 0;
    assert_int_equal(lime_nl_batadv_parse_dump(buf, used, LIME_BATADV_NEIGHBOURS, &v, &n, &cap), 4);
    assert_int_equal(n, 1);
    (void)good;

    /* a genl message too short for its header; a kernel error ends the walk with it */
    used = 0;
    struct nlmsghdr *s = mnl_nlmsg_put_header(buf);
    s->nlmsg_type = 0x1c;
    s->nlmsg_len = MNL_NLMSG_HDRLEN + 2;
    used = MNL_ALIGN(s->nlmsg_len);
    struct nlmsghdr *e = mnl_nlmsg_put_header(buf + used);
    e->nlmsg_type = NLMSG_ERROR;
    struct nlmsgerr *err = mnl_nlmsg_put_extra_header(e, sizeof(*err));
    err->error = -ENODEV;
    used += e->nlmsg_len;
    n = 0;
    assert_int_equal(lime_nl_batadv_parse_dump(buf, used, LIME_BATADV_NEIGHBOURS, &v, &n, &cap), -ENODEV);
    struct lime_nl_batadv_info in;
    assert_int_equal(lime_nl_batadv_parse_info(buf, used, &in), -ENODEV);
    assert_int_equal(lime_nl_batadv_parse_dump(buf, 3, LIME_BATADV_NEIGHBOURS, &v, &n, &cap), 0);
    assert_int_equal(lime_nl_batadv_parse_dump(buf, used, LIME_BATADV_TABLES, &v, &n, &cap), -EINVAL);
    free(v);
}

/* The settings table: names are batctl's, attributes and sizes the uapi's. */
static void test_settings_table(void **state)
{
    (void)state;
    for (int i = 0; i < LIME_BATADV_N; i++) {
        const struct lime_batadv_setting_info *si = lime_nl_batadv_setting_info(i);
        assert_non_null(si);
        assert_non_null(si->name);
        assert_true(si->bytes == 1 || si->bytes == 4);
        assert_true(si->kernel_default <= si->max);
        assert_int_equal(lime_nl_batadv_setting_by_name(si->name, si->hardif), i);
    }
    assert_null(lime_nl_batadv_setting_info(LIME_BATADV_N));
    assert_int_equal(lime_nl_batadv_setting_by_name("multicast_forceflood", false), LIME_BATADV_MCAST_FORCEFLOOD);
    assert_int_equal(lime_nl_batadv_setting_info(LIME_BATADV_MCAST_FORCEFLOOD)->attr,
                     BATADV_ATTR_MULTICAST_FORCEFLOOD_ENABLED);
    assert_int_equal(lime_nl_batadv_setting_by_name("hop_penalty", false), LIME_BATADV_HOP_PENALTY);
    assert_int_equal(lime_nl_batadv_setting_by_name("hop_penalty", true), LIME_BATADV_HARD_HOP_PENALTY);
    assert_int_equal(lime_nl_batadv_setting_by_name("orig_interval", true), -1);
    assert_int_equal(lime_nl_batadv_setting_info(LIME_BATADV_ORIG_INTERVAL)->kernel_default, 1000);
    assert_int_equal(lime_nl_batadv_setting_info(LIME_BATADV_HOP_PENALTY)->kernel_default, 30);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mesh_info),     cmocka_unit_test(test_hardif_info),
        cmocka_unit_test(test_originators),   cmocka_unit_test(test_tables),
        cmocka_unit_test(test_malformed),     cmocka_unit_test(test_settings_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
