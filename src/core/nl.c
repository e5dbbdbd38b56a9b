/* The kernel seam's real implementation (nl.h): rtnetlink on libmnl — build a request,
 * send it, read until the ACK (or the end of a dump), parse attributes into the small
 * structs of nl.h — and TAP devices through /dev/net/tun. */
#include "nl.h"
#include "nl_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/batman_adv.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/if_ether.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

struct lime_nl *lime_nl_open(void)
{
    struct lime_nl *nl = calloc(1, sizeof(*nl));
    if (!nl)
        return NULL;
    nl->sock = mnl_socket_open(NETLINK_ROUTE);
    if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
        if (nl->sock)
            mnl_socket_close(nl->sock);
        free(nl);
        return NULL;
    }
    int one = 1;
    mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
    nl->portid = mnl_socket_get_portid(nl->sock);
    nl->seq = (unsigned)time(NULL);
    return nl;
}

void lime_nl_close(struct lime_nl *nl)
{
    if (!nl)
        return;
    mnl_socket_close(nl->sock);
    if (nl->gsock)
        mnl_socket_close(nl->gsock);
    free(nl);
}

static bool dump_done(const char *buf, ssize_t len, unsigned seq)
{
    int left = (int)len;
    for (const struct nlmsghdr *h = (const void *)buf; mnl_nlmsg_ok(h, left); h = mnl_nlmsg_next(h, &left))
        if (h->nlmsg_seq == seq && (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR))
            return true;
    return false;
}

int lime_nl_dump_drain(struct mnl_socket *sock, char *buf, size_t size, ssize_t len, unsigned seq)
{
    while (!dump_done(buf, len, seq))
        if ((len = mnl_socket_recvfrom(sock, buf, size)) < 0)
            return -errno;
    return 0;
}

int lime_nl_talk(struct lime_nl *nl, struct mnl_socket *sock, unsigned portid,
                 struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
    bool dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
    nlh->nlmsg_seq = ++nl->seq;
    if (mnl_socket_sendto(sock, nlh, nlh->nlmsg_len) < 0)
        return -errno;
    unsigned seq = nlh->nlmsg_seq;
    for (;;) {
        ssize_t len = mnl_socket_recvfrom(sock, nl->buf, sizeof(nl->buf));
        if (len < 0)
            return -errno;
        errno = 0;
        int r = mnl_cb_run(nl->buf, (size_t)len, seq, portid, cb, data);
        if (r < 0 && errno == EINTR && dump) {
            int d = lime_nl_dump_drain(sock, nl->buf, sizeof(nl->buf), len, seq);
            return d ? d : -EINTR;
        }
        if (r < 0)
            return errno ? -errno : -EIO;
        if (r == MNL_CB_STOP)
            return 0;
    }
}

static int nl_talk(struct lime_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
    return lime_nl_talk(nl, nl->sock, nl->portid, nlh, cb, data);
}

/* A fresh request header in a scratch buffer (requests are small). */
static struct nlmsghdr *nl_req(char *buf, uint16_t type, uint16_t flags)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = NLM_F_REQUEST | flags;
    return nlh;
}

/* ---------------------------------------------------------------- links */

struct link_dump {
    struct lime_nl_link *v;
    size_t n, cap;
    int err;
};

static int link_dump_cb(const struct nlmsghdr *nlh, void *data)
{
    struct link_dump *d = data;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        struct lime_nl_link *v = realloc(d->v, cap * sizeof(*v));
        if (!v) {
            d->err = -ENOMEM;
            return MNL_CB_OK;
        }
        d->v = v;
        d->cap = cap;
    }
    if (lime_nl_link_parse(nlh, &d->v[d->n]) == 0)
        d->n++;
    return MNL_CB_OK;
}

int lime_nl_links(struct lime_nl *nl, struct lime_nl_link **out, size_t *n)
{
    char buf[256];
    struct nlmsghdr *nlh = nl_req(buf, RTM_GETLINK, NLM_F_DUMP);
    struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
    ifm->ifi_family = AF_UNSPEC;
    struct link_dump d = {0};
    int r = nl_talk(nl, nlh, link_dump_cb, &d);
    if (!r)
        r = d.err;
    if (r) {
        free(d.v);
        return r;
    }
    *out = d.v;
    *n = d.n;
    return 0;
}

static int link_get_cb(const struct nlmsghdr *nlh, void *data)
{
    lime_nl_link_parse(nlh, data);
    return MNL_CB_OK;
}

int lime_nl_link_get(struct lime_nl *nl, const char *name, struct lime_nl_link *out)
{
    char buf[256];
    /* NLM_F_ACK: the answer is one message, and the loop reads until an ACK or DONE */
    struct nlmsghdr *nlh = nl_req(buf, RTM_GETLINK, NLM_F_ACK);
    struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
    ifm->ifi_family = AF_UNSPEC;
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    memset(out, 0, sizeof(*out));
    int r = nl_talk(nl, nlh, link_get_cb, out);
    if (r == -ENODEV || (!r && !out->ifindex))
        return -ENODEV;
    return r;
}

int lime_nl_link_add(struct lime_nl *nl, const struct lime_nl_link_spec *s)
{
    char buf[1024];
    int parent = 0;
    if (s->parent[0]) {
        parent = (int)if_nametoindex(s->parent);
        if (!parent)
            return -ENODEV;
    }
    struct nlmsghdr *nlh = nl_req(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
    struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
    ifm->ifi_family = AF_UNSPEC;
    mnl_attr_put_strz(nlh, IFLA_IFNAME, s->name);
    if (parent)
        mnl_attr_put_u32(nlh, IFLA_LINK, (uint32_t)parent);
    if (s->has_mac)
        mnl_attr_put(nlh, IFLA_ADDRESS, 6, s->mac);
    if (s->mtu)
        mnl_attr_put_u32(nlh, IFLA_MTU, s->mtu);
    struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_KIND, s->kind);
    if (!strcmp(s->kind, "macvlan") && s->macvlan_mode) {
        struct nlattr *d = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
        mnl_attr_put_u32(nlh, IFLA_MACVLAN_MODE, s->macvlan_mode);
        mnl_attr_nest_end(nlh, d);
    } else if (!strcmp(s->kind, "vlan")) {
        struct nlattr *d = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
        mnl_attr_put_u16(nlh, IFLA_VLAN_ID, s->vlan_id);
        mnl_attr_put_u16(nlh, IFLA_VLAN_PROTOCOL, htons(s->vlan_proto ? s->vlan_proto : ETH_P_8021Q));
        mnl_attr_nest_end(nlh, d);
    } else if (!strcmp(s->kind, "batadv") && s->batadv_algo[0]) {
        struct nlattr *d = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
        mnl_attr_put_strz(nlh, IFLA_BATADV_ALGO_NAME, s->batadv_algo);
        mnl_attr_nest_end(nlh, d);
    }
    mnl_attr_nest_end(nlh, li);
    return nl_talk(nl, nlh, NULL, NULL);
}

bool lime_nl_kind_supported(struct lime_nl *nl, const char *kind)
{
    /* A NEWLINK of that kind with no lower device and no data: a known kind refuses it
     * with EINVAL (or similar), an unknown kind with EOPNOTSUPP. Nothing is created. */
    char buf[256];
    struct nlmsghdr *nlh = nl_req(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
    struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
    ifm->ifi_family = AF_UNSPEC;
    mnl_attr_put_strz(nlh, IFLA_IFNAME, "lrprobe0");
    struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
    mnl_attr_nest_end(nlh, li);
    int r = nl_talk(nl, nlh, NULL, NULL);
    if (r == 0) { /* a kind that needs nothing (e.g. bridge): it exists, remove it */
        int idx = (int)if_nametoindex("lrprobe0");
        if (idx)
            lime_nl_link_del(nl, idx);
        return true;
    }
    return r != -EOPNOTSUPP;
}

int lime_nl_ifindex(struct lime_nl *nl, const char *name)
{
    (void)nl;
    return name[0] ? (int)if_nametoindex(name) : 0;
}

int lime_nl_link_del(struct lime_nl *nl, int ifindex)
{
    char buf[256];
    struct nlmsghdr *nlh = nl_req(buf, RTM_DELLINK, NLM_F_ACK);
    struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
    ifm->ifi_family = AF_UNSPEC;
    ifm->ifi_index = ifindex;
    return nl_talk(nl, nlh, NULL, NULL);
}

static struct nlmsghdr *link_set_req(char *buf, int ifindex, struct ifinfomsg **ifmp)
{
    struct nlmsghdr *nlh = nl_req(buf, RTM_NEWLINK, NLM_F_ACK);
    struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
    ifm->ifi_family = AF_UNSPEC;
    ifm->ifi_index = ifindex;
    if (ifmp)
        *ifmp = ifm;
    return nlh;
}

int lime_nl_link_set_up(struct lime_nl *nl, int ifindex, bool up)
{
    char buf[256];
    struct ifinfomsg *ifm;
    struct nlmsghdr *nlh = link_set_req(buf, ifindex, &ifm);
    ifm->ifi_change = IFF_UP;
    ifm->ifi_flags = up ? IFF_UP : 0;
    return nl_talk(nl, nlh, NULL, NULL);
}

int lime_nl_link_set_mtu(struct lime_nl *nl, int ifindex, unsigned mtu)
{
    char buf[256];
    struct nlmsghdr *nlh = link_set_req(buf, ifindex, NULL);
    mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
    return nl_talk(nl, nlh, NULL, NULL);
}

int lime_nl_link_set_mac(struct lime_nl *nl, int ifindex, const uint8_t mac[6])
{
    char buf[256];
    struct nlmsghdr *nlh = link_set_req(buf, ifindex, NULL);
    mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
    return nl_talk(nl, nlh, NULL, NULL);
}

int lime_nl_link_set_master(struct lime_nl *nl, int ifindex, int master)
{
    char buf[256];
    struct nlmsghdr *nlh = link_set_req(buf, ifindex, NULL);
    mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
    return nl_talk(nl, nlh, NULL, NULL);
}

/* ---------------------------------------------------------------- addresses */

struct vec {
    void *v;
    size_t n, cap, size;
    int err;
};

static void *vec_push(struct vec *d)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        void *v = realloc(d->v, cap * d->size);
        if (!v) {
            d->err = -ENOMEM;
            return NULL;
        }
        d->v = v;
        d->cap = cap;
    }
    void *p = (char *)d->v + d->n * d->size;
    memset(p, 0, d->size);
    return p;
}

/* Runs a dump request whose callback vec_push()es one element of `size` bytes per reply;
 * on success hands the array to the caller (*out, *n; free() it). 0 or -errno. */
static int vec_dump(struct lime_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, size_t size,
                    void **out, size_t *n)
{
    struct vec d = {.size = size};
    int r = nl_talk(nl, nlh, cb, &d);
    if (!r)
        r = d.err;
    if (r) {
        free(d.v);
        return r;
    }
    *out = d.v;
    *n = d.n;
    return 0;
}

static int addr_attr_cb(const struct nlattr *a, void *data)
{
    switch (mnl_attr_get_type(a)) {
    case IFA_FLAGS:
    case IFA_RT_PRIORITY:
        return lime_nl_keep_attr(a, data, IFA_MAX, MNL_TYPE_U32);
    }
    return lime_nl_keep_attr(a, data, IFA_MAX, MNL_TYPE_UNSPEC);
}

static int addr_dump_cb(const struct nlmsghdr *nlh, void *data)
{
    struct vec *d = data;
    const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
    const struct nlattr *tb[IFA_MAX + 1] = {0};
    if (mnl_attr_parse(nlh, sizeof(*ifa), addr_attr_cb, tb) < 0)
        return MNL_CB_OK;
    const struct nlattr *addr = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
    if (!addr)
        return MNL_CB_OK;
    struct lime_nl_addr *a = vec_push(d);
    if (!a)
        return MNL_CB_OK;
    a->family = ifa->ifa_family;
    a->ifindex = (int)ifa->ifa_index;
    a->prefixlen = ifa->ifa_prefixlen;
    a->scope = ifa->ifa_scope;
    a->flags = tb[IFA_FLAGS] ? mnl_attr_get_u32(tb[IFA_FLAGS]) : ifa->ifa_flags;
    size_t alen = a->family == AF_INET ? 4 : 16;
    if (mnl_attr_get_payload_len(addr) < alen)
        return MNL_CB_OK;
    memcpy(a->addr, mnl_attr_get_payload(addr), alen);
    if (tb[IFA_RT_PRIORITY])
        a->rt_priority = mnl_attr_get_u32(tb[IFA_RT_PRIORITY]);
    d->n++;
    return MNL_CB_OK;
}

int lime_nl_addrs(struct lime_nl *nl, int family, struct lime_nl_addr **out, size_t *n)
{
    char buf[256];
    struct nlmsghdr *nlh = nl_req(buf, RTM_GETADDR, NLM_F_DUMP);
    struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
    ifa->ifa_family = (uint8_t)family;
    void *v;
    int r = vec_dump(nl, nlh, addr_dump_cb, sizeof(struct lime_nl_addr), &v, n);
    if (!r)
        *out = v;
    return r;
}

static int addr_req(struct lime_nl *nl, uint16_t type, uint16_t flags, const struct lime_nl_addr *a)
{
    char buf[256];
    struct nlmsghdr *nlh = nl_req(buf, type, NLM_F_ACK | flags);
    struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
    ifa->ifa_family = (uint8_t)a->family;
    ifa->ifa_prefixlen = a->prefixlen;
    ifa->ifa_index = (unsigned)a->ifindex;
    ifa->ifa_scope = RT_SCOPE_UNIVERSE;
    size_t alen = a->family == AF_INET ? 4 : 16;
    mnl_attr_put(nlh, IFA_LOCAL, alen, a->addr);
    mnl_attr_put(nlh, IFA_ADDRESS, alen, a->addr);
    if (type == RTM_NEWADDR) {
        if (a->family == AF_INET && a->prefixlen < 31) {
            uint32_t ip, mask = a->prefixlen ? htonl(~0u << (32 - a->prefixlen)) : 0;
            memcpy(&ip, a->addr, 4);
            uint32_t brd = ip | ~mask;
            mnl_attr_put(nlh, IFA_BROADCAST, 4, &brd);
        }
        if (a->flags)
            mnl_attr_put_u32(nlh, IFA_FLAGS, a->flags);
        if (a->rt_priority)
            mnl_attr_put_u32(nlh, IFA_RT_PRIORITY, a->rt_priority);
    }
    return nl_talk(nl, nlh, NULL, NULL);
}

int lime_nl_addr_add(struct lime_nl *nl, const struct lime_nl_addr *a)
{
    return addr_req(nl, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, a);
}

int lime_nl_addr_del(struct lime_nl *nl, const struct lime_nl_addr *a)
{
    return addr_req(nl, RTM_DELADDR, 0, a);
}

/* ---------------------------------------------------------------- rules */

static int rule_attr_cb(const struct nlattr *a, void *data)
{
    switch (mnl_attr_get_type(a)) {
    case FRA_TABLE:
    case FRA_PRIORITY:
        return lime_nl_keep_attr(a, data, FRA_MAX, MNL_TYPE_U32);
    }
    return lime_nl_keep_attr(a, data, FRA_MAX, MNL_TYPE_UNSPEC);
}

static int rule_dump_cb(const struct nlmsghdr *nlh, void *data)
{
    struct vec *d = data;
    const struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);
    const struct nlattr *tb[FRA_MAX + 1] = {0};
    if (mnl_attr_parse(nlh, sizeof(*frh), rule_attr_cb, tb) < 0)
        return MNL_CB_OK;
    struct lime_nl_rule *r = vec_push(d);
    if (!r)
        return MNL_CB_OK;
    r->family = frh->family;
    r->action = frh->action;
    r->src_len = frh->src_len;
    r->table = tb[FRA_TABLE] ? mnl_attr_get_u32(tb[FRA_TABLE]) : frh->table;
    r->priority = tb[FRA_PRIORITY] ? mnl_attr_get_u32(tb[FRA_PRIORITY]) : 0;
    if (tb[FRA_SRC]) {
        size_t len = mnl_attr_get_payload_len(tb[FRA_SRC]);
        memcpy(r->src, mnl_attr_get_payload(tb[FRA_SRC]), len > 16 ? 16 : len);
    }
    d->n++;
    return MNL_CB_OK;
}

int lime_nl_rules(struct lime_nl *nl, int family, struct lime_nl_rule **out, size_t *n)
{
    char buf[256];
    struct nlmsghdr *nlh = nl_req(buf, RTM_GETRULE, NLM_F_DUMP);
    struct fib_rule_hdr *frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
    frh->family = (uint8_t)family;
    void *v;
    int r = vec_dump(nl, nlh, rule_dump_cb, sizeof(struct lime_nl_rule), &v, n);
    if (!r)
        *out = v;
    return r;
}

static int rule_req(struct lime_nl *nl, uint16_t type, uint16_t flags, const struct lime_nl_rule *r)
{
    char buf[256];
    struct nlmsghdr *nlh = nl_req(buf, type, NLM_F_ACK | flags);
    struct fib_rule_hdr *frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
    frh->family = (uint8_t)r->family;
    frh->action = FR_ACT_TO_TBL;
    frh->src_len = r->src_len;
    frh->table = r->table < 256 ? (uint8_t)r->table : RT_TABLE_UNSPEC;
    mnl_attr_put_u32(nlh, FRA_TABLE, r->table);
    mnl_attr_put_u32(nlh, FRA_PRIORITY, r->priority);
    if (r->src_len)
        mnl_attr_put(nlh, FRA_SRC, r->family == AF_INET ? 4 : 16, r->src);
    return nl_talk(nl, nlh, NULL, NULL);
}

int lime_nl_rule_add(struct lime_nl *nl, const struct lime_nl_rule *r)
{
    return rule_req(nl, RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, r);
}

int lime_nl_rule_del(struct lime_nl *nl, const struct lime_nl_rule *r)
{
    return rule_req(nl, RTM_DELRULE, 0, r);
}

/* ---------------------------------------------------------------- routes */

struct route_dump {
    struct vec v;
    uint32_t table;
};

static int route_dump_cb(const struct nlmsghdr *nlh, void *data)
{
    struct route_dump *d = data;
    struct lime_nl_route parsed;
    if (lime_nl_route_parse(nlh, &parsed) < 0 || (d->table && parsed.table != d->table))
        return MNL_CB_OK;
    struct lime_nl_route *r = vec_push(&d->v);
    if (!r)
        return MNL_CB_OK;
    *r = parsed;
    d->v.n++;
    return MNL_CB_OK;
}

int lime_nl_routes(struct lime_nl *nl, int family, uint32_t table, struct lime_nl_route **out, size_t *n)
{
    char buf[256];
    struct nlmsghdr *nlh = nl_req(buf, RTM_GETROUTE, NLM_F_DUMP);
    struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
    rtm->rtm_family = (uint8_t)family;
    struct route_dump d = {.v = {.size = sizeof(struct lime_nl_route)}, .table = table};
    int r = nl_talk(nl, nlh, route_dump_cb, &d);
    if (!r)
        r = d.v.err;
    if (r) {
        free(d.v.v);
        return r;
    }
    *out = d.v.v;
    *n = d.v.n;
    return 0;
}

static int route_req(struct lime_nl *nl, uint16_t type, uint16_t flags, const struct lime_nl_route *r)
{
    char buf[512];
    struct nlmsghdr *nlh = nl_req(buf, type, NLM_F_ACK | flags);
    struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
    rtm->rtm_family = (uint8_t)r->family;
    rtm->rtm_dst_len = r->dst_len;
    rtm->rtm_table = r->table < 256 ? (uint8_t)r->table : RT_TABLE_UNSPEC;
    rtm->rtm_protocol = r->protocol ? r->protocol : RTPROT_STATIC;
    rtm->rtm_type = r->type ? r->type : RTN_UNICAST;
    rtm->rtm_scope = r->has_gw || rtm->rtm_type != RTN_UNICAST ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
    if (type == RTM_DELROUTE)
        rtm->rtm_scope = RT_SCOPE_NOWHERE;
    size_t alen = r->family == AF_INET ? 4 : 16;
    mnl_attr_put_u32(nlh, RTA_TABLE, r->table);
    if (r->dst_len)
        mnl_attr_put(nlh, RTA_DST, alen, r->dst);
    if (r->has_gw)
        mnl_attr_put(nlh, RTA_GATEWAY, alen, r->gw);
    if (r->oif)
        mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)r->oif);
    if (r->metric || r->family == AF_INET6)
        mnl_attr_put_u32(nlh, RTA_PRIORITY, r->metric);
    return nl_talk(nl, nlh, NULL, NULL);
}

int lime_nl_route_add(struct lime_nl *nl, const struct lime_nl_route *r)
{
    return route_req(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, r);
}

int lime_nl_route_del(struct lime_nl *nl, const struct lime_nl_route *r)
{
    return route_req(nl, RTM_DELROUTE, 0, r);
}

int lime_nl_route_replace(struct lime_nl *nl, const struct lime_nl_route *r)
{
    return route_req(nl, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, r);
}

/* ---------------------------------------------------------------- TAP devices */

static int tap_open(const char *name, int *fd_out)
{
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    *fd_out = fd;
    return 0;
}

static int tap_persist(const char *name, int on)
{
    int fd = -1, r = tap_open(name, &fd);
    if (r)
        return r;
    r = ioctl(fd, TUNSETPERSIST, on) < 0 ? -errno : 0;
    close(fd);
    return r;
}

int lime_nl_tap_create(struct lime_nl *nl, const char *name)
{
    (void)nl;
    return tap_persist(name, 1);
}

int lime_nl_tap_delete(struct lime_nl *nl, const char *name)
{
    (void)nl;
    return tap_persist(name, 0);
}
