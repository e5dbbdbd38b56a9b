/* The kernel seam's event reader (nl.h, "events"): messages built by hand go through the
 * parser into the right events, broken ones into none; and, as root, in a network
 * namespace of the test's own, real changes (a link going up, a route added and deleted,
 * a neighbour entry) come out of lime_nl_events_read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <unistd.h>

#include "nl.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000 /* <linux/if.h> */
#endif

#define MAX_EV 64
static struct lime_nl_event got[MAX_EV];
static unsigned n_got;

static void collect(const struct lime_nl_event *e, void *arg)
{
    (void)arg;
    if (n_got < MAX_EV)
        got[n_got++] = *e;
}

static size_t put_link(char *buf, uint16_t type, int ifindex, unsigned flags, const char *name)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = type;
    struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
    ifm->ifi_index = ifindex;
    ifm->ifi_flags = flags;
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    return nlh->nlmsg_len;
}

static size_t put_route(char *buf, uint16_t type, uint8_t proto, const char *gw, int oif)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = type;
    struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
    rtm->rtm_family = AF_INET;
    rtm->rtm_table = RT_TABLE_MAIN;
    rtm->rtm_protocol = proto;
    rtm->rtm_type = RTN_UNICAST;
    struct in_addr a;
    inet_pton(AF_INET, gw, &a);
    mnl_attr_put(nlh, RTA_GATEWAY, 4, &a);
    mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)oif);
    mnl_attr_put_u32(nlh, RTA_PRIORITY, 10);
    return nlh->nlmsg_len;
}

static size_t put_neigh(char *buf, int ifindex, uint16_t state, const char *dst)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = RTM_NEWNEIGH;
    struct ndmsg *nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
    nd->ndm_family = AF_INET;
    nd->ndm_ifindex = ifindex;
    nd->ndm_state = state;
    struct in_addr a;
    inet_pton(AF_INET, dst, &a);
    mnl_attr_put(nlh, NDA_DST, 4, &a);
    return nlh->nlmsg_len;
}

static void test_parse(void **state)
{
    (void)state;
    static char buf[4096] __attribute__((aligned(8)));
    size_t off = 0;
    off += put_link(buf + off, RTM_NEWLINK, 7, IFF_UP | IFF_LOWER_UP, "eth9");
    off += put_route(buf + off, RTM_DELROUTE, 7, "192.0.2.1", 7);
    off += put_neigh(buf + off, 7, NUD_FAILED, "192.0.2.1");
    off += put_link(buf + off, RTM_DELLINK, 7, 0, "eth9");
    n_got = 0;
    lime_nl_events_parse(buf, off, collect, NULL);
    assert_int_equal(n_got, 4);
    assert_int_equal(got[0].type, LIME_NL_EV_LINK);
    assert_int_equal(got[0].u.link.ifindex, 7);
    assert_string_equal(got[0].u.link.name, "eth9");
    assert_true(got[0].u.link.flags & IFF_LOWER_UP);
    assert_int_equal(got[1].type, LIME_NL_EV_ROUTE_DEL);
    assert_int_equal(got[1].u.route.protocol, 7);
    assert_int_equal(got[1].u.route.dst_len, 0);
    assert_int_equal(got[1].u.route.oif, 7);
    assert_int_equal(got[1].u.route.metric, 10);
    assert_true(got[1].u.route.has_gw);
    assert_memory_equal(got[1].u.route.gw, "\xc0\x00\x02\x01", 4);
    assert_int_equal(got[2].type, LIME_NL_EV_NEIGH);
    assert_int_equal(got[2].u.neigh.state, NUD_FAILED);
    assert_memory_equal(got[2].u.neigh.addr, "\xc0\x00\x02\x01", 4);
    assert_int_equal(got[3].type, LIME_NL_EV_LINK_DEL);

    /* a message cut short, a neighbour without its address, an unknown type: nothing */
    n_got = 0;
    size_t l = put_link(buf, RTM_NEWLINK, 3, 0, "x");
    lime_nl_events_parse(buf, l - 3, collect, NULL);
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = RTM_NEWNEIGH;
    mnl_nlmsg_put_extra_header(nlh, sizeof(struct ndmsg));
    lime_nl_events_parse(buf, nlh->nlmsg_len, collect, NULL);
    nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = RTM_NEWADDR;
    mnl_nlmsg_put_extra_header(nlh, sizeof(struct ifinfomsg));
    lime_nl_events_parse(buf, nlh->nlmsg_len, collect, NULL);
    assert_int_equal(n_got, 0);
}

/* Reads events for up to 2 s until one satisfies want. */
static const struct lime_nl_event *wait_event(struct lime_nl_events *ev,
                                              bool (*want)(const struct lime_nl_event *))
{
    for (int round = 0; round < 20; round++) {
        for (unsigned i = 0; i < n_got; i++)
            if (want(&got[i]))
                return &got[i];
        n_got = 0;
        struct pollfd p = {.fd = lime_nl_events_fd(ev), .events = POLLIN};
        poll(&p, 1, 100);
        assert_int_equal(lime_nl_events_read(ev, collect, NULL), 0);
    }
    return NULL;
}

static bool lo_up(const struct lime_nl_event *e)
{
    return e->type == LIME_NL_EV_LINK && !strcmp(e->u.link.name, "lo") &&
           (e->u.link.flags & IFF_UP);
}
static bool route_added(const struct lime_nl_event *e)
{
    return e->type == LIME_NL_EV_ROUTE && e->u.route.dst_len == 24 &&
           e->u.route.type == RTN_UNREACHABLE && e->u.route.protocol == 6;
}
static bool route_gone(const struct lime_nl_event *e)
{
    return e->type == LIME_NL_EV_ROUTE_DEL && e->u.route.dst_len == 24;
}

static void test_live(void **state)
{
    (void)state;
    if (geteuid() != 0 || unshare(CLONE_NEWNET) != 0) {
        print_message("not root (or no network namespaces): live events not tested\n");
        skip();
    }
    struct lime_nl_events *ev = lime_nl_events_open(LIME_NL_EVENTS_LINK | LIME_NL_EVENTS_ROUTE4 |
                                                    LIME_NL_EVENTS_NEIGH);
    assert_non_null(ev);
    struct lime_nl *nl = lime_nl_open();
    assert_non_null(nl);
    n_got = 0;
    assert_int_equal(lime_nl_link_set_up(nl, lime_nl_ifindex(nl, "lo"), true), 0);
    assert_non_null(wait_event(ev, lo_up));

    struct lime_nl_route r = {.family = AF_INET, .table = RT_TABLE_MAIN, .protocol = 6,
                              .type = RTN_UNREACHABLE, .dst = {192, 0, 2, 0}, .dst_len = 24};
    assert_int_equal(lime_nl_route_add(nl, &r), 0);
    assert_non_null(wait_event(ev, route_added));
    /* replace: one step, the route is never missing */
    r.protocol = 7;
    assert_int_equal(lime_nl_route_replace(nl, &r), 0);
    struct lime_nl_route *v;
    size_t n;
    assert_int_equal(lime_nl_routes(nl, AF_INET, RT_TABLE_MAIN, &v, &n), 0);
    unsigned ours = 0;
    for (size_t i = 0; i < n; i++)
        ours += v[i].dst_len == 24 && v[i].protocol == 7;
    free(v);
    assert_int_equal(ours, 1);
    assert_int_equal(lime_nl_route_del(nl, &r), 0);
    assert_non_null(wait_event(ev, route_gone));

    struct lime_nl_link l;
    assert_int_equal(lime_nl_link_get(nl, "lo", &l), 0); /* answers (and does not hang) */
    assert_true(l.flags & IFF_UP);
    assert_int_equal(lime_nl_link_get(nl, "nonexistent0", &l), -ENODEV);
    lime_nl_close(nl);
    lime_nl_events_close(ev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_live),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
