/* The kernel seam's event reader (nl.h, "events"): a NETLINK_ROUTE socket joined to the
 * link, IPv4 route and neighbour groups; every message read is parsed with the same
 * parsers as the dumps (nl_int.h) and handed to the caller as one event. */
#include "nl.h"
#include "nl_int.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct lime_nl_events {
    struct mnl_socket *sock;
    char buf[16384];
};

struct lime_nl_events *lime_nl_events_open(unsigned groups)
{
    struct lime_nl_events *ev = calloc(1, sizeof(*ev));
    if (!ev)
        return NULL;
    unsigned g = 0;
    if (groups & LIME_NL_EVENTS_LINK)
        g |= RTMGRP_LINK;
    if (groups & LIME_NL_EVENTS_ROUTE4)
        g |= RTMGRP_IPV4_ROUTE;
    if (groups & LIME_NL_EVENTS_NEIGH)
        g |= RTMGRP_NEIGH;
    ev->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (!ev->sock || mnl_socket_bind(ev->sock, g, MNL_SOCKET_AUTOPID) < 0) {
        int e = errno;
        if (ev->sock)
            mnl_socket_close(ev->sock);
        free(ev);
        errno = e;
        return NULL;
    }
    return ev;
}

void lime_nl_events_close(struct lime_nl_events *ev)
{
    if (!ev)
        return;
    mnl_socket_close(ev->sock);
    free(ev);
}

int lime_nl_events_fd(const struct lime_nl_events *ev)
{
    return mnl_socket_get_fd(ev->sock);
}

static int neigh_attr_cb(const struct nlattr *a, void *data)
{
    const struct nlattr **tb = data;
    int type = mnl_attr_get_type(a);
    if (type <= NDA_MAX)
        tb[type] = a;
    return MNL_CB_OK;
}

static int neigh_parse(const struct nlmsghdr *nlh, struct lime_nl_neigh *n)
{
    const struct ndmsg *nd = mnl_nlmsg_get_payload(nlh);
    const struct nlattr *tb[NDA_MAX + 1] = {0};
    if (mnl_attr_parse(nlh, sizeof(*nd), neigh_attr_cb, tb) < 0)
        return -1;
    memset(n, 0, sizeof(*n));
    n->family = nd->ndm_family;
    n->ifindex = nd->ndm_ifindex;
    n->state = nd->ndm_state;
    size_t alen = n->family == AF_INET ? 4 : 16;
    if (!tb[NDA_DST] || mnl_attr_get_payload_len(tb[NDA_DST]) < alen)
        return -1;
    memcpy(n->addr, mnl_attr_get_payload(tb[NDA_DST]), alen);
    return 0;
}

struct parse_ctx {
    lime_nl_event_cb cb;
    void *arg;
};

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
    struct parse_ctx *p = data;
    struct lime_nl_event e;
    memset(&e, 0, sizeof(e));
    size_t need;
    switch (nlh->nlmsg_type) {
    case RTM_NEWLINK:
    case RTM_DELLINK:
        need = sizeof(struct ifinfomsg);
        break;
    case RTM_NEWROUTE:
    case RTM_DELROUTE:
        need = sizeof(struct rtmsg);
        break;
    case RTM_NEWNEIGH:
    case RTM_DELNEIGH:
        need = sizeof(struct ndmsg);
        break;
    default:
        return MNL_CB_OK;
    }
    if (mnl_nlmsg_get_payload_len(nlh) < need)
        return MNL_CB_OK;
    int r = -1;
    switch (nlh->nlmsg_type) {
    case RTM_NEWLINK:
    case RTM_DELLINK:
        e.type = nlh->nlmsg_type == RTM_NEWLINK ? LIME_NL_EV_LINK : LIME_NL_EV_LINK_DEL;
        r = lime_nl_link_parse(nlh, &e.u.link);
        break;
    case RTM_NEWROUTE:
    case RTM_DELROUTE:
        e.type = nlh->nlmsg_type == RTM_NEWROUTE ? LIME_NL_EV_ROUTE : LIME_NL_EV_ROUTE_DEL;
        r = lime_nl_route_parse(nlh, &e.u.route);
        break;
    default:
        e.type = nlh->nlmsg_type == RTM_NEWNEIGH ? LIME_NL_EV_NEIGH : LIME_NL_EV_NEIGH_DEL;
        r = neigh_parse(nlh, &e.u.neigh);
        break;
    }
    if (r == 0)
        p->cb(&e, p->arg);
    return MNL_CB_OK;
}

void lime_nl_events_parse(const void *buf, size_t len, lime_nl_event_cb cb, void *arg)
{
    struct parse_ctx p = {cb, arg};
    /* Not libmnl's mnl_cb_run: its mnl_nlmsg_ok compares lengths as int, so a message
     * length above 2^31 passes and the next header is read far outside the buffer; and a
     * last message's attributes are parsed up to its aligned end, so that must fit too
     * (found by make fuzz-long). Multicast messages: no sequence or port to check. */
    const char *m = buf;
    for (size_t left = len; left >= sizeof(struct nlmsghdr);) {
        const struct nlmsghdr *nlh = (const struct nlmsghdr *)m;
        if (nlh->nlmsg_len < sizeof(struct nlmsghdr) || nlh->nlmsg_len > left ||
            MNL_ALIGN((size_t)nlh->nlmsg_len) > left)
            break;
        if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR)
            break;
        if (nlh->nlmsg_type >= NLMSG_MIN_TYPE)
            event_cb(nlh, &p);
        size_t step = MNL_ALIGN((size_t)nlh->nlmsg_len);
        if (step >= left)
            break;
        m += step;
        left -= step;
    }
}

int lime_nl_events_read(struct lime_nl_events *ev, lime_nl_event_cb cb, void *arg)
{
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(ev->sock, ev->buf, sizeof(ev->buf));
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            if (errno == EINTR)
                continue;
            if (errno == ENOBUFS) {
                struct lime_nl_event lost = {.type = LIME_NL_EV_LOST};
                cb(&lost, arg);
                continue;
            }
            return -errno;
        }
        lime_nl_events_parse(ev->buf, (size_t)n, cb, arg);
    }
}
