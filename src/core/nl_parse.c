/* rtnetlink message parsers (nl_int.h): a link or a route message into nl.h's structs,
 * shared by the dumps (nl.c) and the event reader (nl_events.c), and the attribute filter
 * nl.c's address and rule dumps use too. Pure: no socket, so code that reads events links
 * these without the real seam (unit tests put nl_mock.c in its place). Fuzzed through
 * fuzz_nl_events. */
#include "nl.h"
#include "nl_int.h"

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>

int lime_nl_keep_attr(const struct nlattr *a, const struct nlattr **tb, int max,
                      enum mnl_attr_data_type want)
{
    int type = mnl_attr_get_type(a);
    if (type > max)
        return MNL_CB_OK;
    if (mnl_attr_validate(a, want) < 0)
        return MNL_CB_ERROR;
    tb[type] = a;
    return MNL_CB_OK;
}

static int linkinfo_cb(const struct nlattr *a, void *data)
{
    switch (mnl_attr_get_type(a)) {
    case IFLA_INFO_KIND:
        return lime_nl_keep_attr(a, data, IFLA_INFO_MAX, MNL_TYPE_NUL_STRING);
    case IFLA_INFO_DATA:
        return lime_nl_keep_attr(a, data, IFLA_INFO_MAX, MNL_TYPE_NESTED);
    }
    return MNL_CB_OK;
}

static int macvlan_cb(const struct nlattr *a, void *data)
{
    if (mnl_attr_get_type(a) == IFLA_MACVLAN_MODE)
        return lime_nl_keep_attr(a, data, IFLA_MACVLAN_MAX, MNL_TYPE_U32);
    return MNL_CB_OK;
}

static int vlan_cb(const struct nlattr *a, void *data)
{
    switch (mnl_attr_get_type(a)) {
    case IFLA_VLAN_ID:
    case IFLA_VLAN_PROTOCOL:
        return lime_nl_keep_attr(a, data, IFLA_VLAN_MAX, MNL_TYPE_U16);
    }
    return MNL_CB_OK;
}

static int link_attr_cb(const struct nlattr *a, void *data)
{
    switch (mnl_attr_get_type(a)) {
    case IFLA_IFNAME:
        return lime_nl_keep_attr(a, data, IFLA_MAX, MNL_TYPE_NUL_STRING);
    case IFLA_MTU:
    case IFLA_MASTER:
    case IFLA_LINK:
        return lime_nl_keep_attr(a, data, IFLA_MAX, MNL_TYPE_U32);
    case IFLA_LINKINFO:
        return lime_nl_keep_attr(a, data, IFLA_MAX, MNL_TYPE_NESTED);
    case IFLA_ADDRESS: /* its length is checked where it is read */
        return lime_nl_keep_attr(a, data, IFLA_MAX, MNL_TYPE_UNSPEC);
    }
    return MNL_CB_OK;
}

static void parse_linkinfo(const struct nlattr *li, struct lime_nl_link *l)
{
    const struct nlattr *info[IFLA_INFO_MAX + 1] = {0};
    mnl_attr_parse_nested(li, linkinfo_cb, info);
    if (info[IFLA_INFO_KIND])
        snprintf(l->kind, sizeof(l->kind), "%s", mnl_attr_get_str(info[IFLA_INFO_KIND]));
    if (!info[IFLA_INFO_DATA])
        return;
    if (!strcmp(l->kind, "macvlan")) {
        const struct nlattr *d[IFLA_MACVLAN_MAX + 1] = {0};
        if (mnl_attr_parse_nested(info[IFLA_INFO_DATA], macvlan_cb, d) >= 0 &&
            d[IFLA_MACVLAN_MODE])
            l->macvlan_mode = mnl_attr_get_u32(d[IFLA_MACVLAN_MODE]);
    } else if (!strcmp(l->kind, "vlan")) {
        const struct nlattr *d[IFLA_VLAN_MAX + 1] = {0};
        if (mnl_attr_parse_nested(info[IFLA_INFO_DATA], vlan_cb, d) >= 0) {
            if (d[IFLA_VLAN_ID])
                l->vlan_id = mnl_attr_get_u16(d[IFLA_VLAN_ID]);
            if (d[IFLA_VLAN_PROTOCOL])
                l->vlan_proto = ntohs(mnl_attr_get_u16(d[IFLA_VLAN_PROTOCOL]));
        }
    }
}

int lime_nl_link_parse(const struct nlmsghdr *nlh, struct lime_nl_link *l)
{
    const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
    const struct nlattr *tb[IFLA_MAX + 1] = {0};
    if (mnl_attr_parse(nlh, sizeof(*ifm), link_attr_cb, tb) < 0)
        return -1;
    memset(l, 0, sizeof(*l));
    l->ifindex = ifm->ifi_index;
    l->flags = ifm->ifi_flags;
    if (tb[IFLA_IFNAME])
        snprintf(l->name, sizeof(l->name), "%s", mnl_attr_get_str(tb[IFLA_IFNAME]));
    if (tb[IFLA_MTU])
        l->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
    if (tb[IFLA_MASTER])
        l->master = (int)mnl_attr_get_u32(tb[IFLA_MASTER]);
    if (tb[IFLA_LINK])
        l->parent = (int)mnl_attr_get_u32(tb[IFLA_LINK]);
    if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == 6) {
        memcpy(l->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), 6);
        l->has_mac = true;
    }
    if (tb[IFLA_LINKINFO])
        parse_linkinfo(tb[IFLA_LINKINFO], l);
    return 0;
}

static int route_attr_cb(const struct nlattr *a, void *data)
{
    switch (mnl_attr_get_type(a)) {
    case RTA_TABLE:
    case RTA_OIF:
    case RTA_PRIORITY:
        return lime_nl_keep_attr(a, data, RTA_MAX, MNL_TYPE_U32);
    case RTA_DST: /* lengths checked where they are read */
    case RTA_GATEWAY:
        return lime_nl_keep_attr(a, data, RTA_MAX, MNL_TYPE_UNSPEC);
    }
    return MNL_CB_OK;
}

int lime_nl_route_parse(const struct nlmsghdr *nlh, struct lime_nl_route *r)
{
    const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
    const struct nlattr *tb[RTA_MAX + 1] = {0};
    if (mnl_attr_parse(nlh, sizeof(*rtm), route_attr_cb, tb) < 0)
        return -1;
    if (rtm->rtm_dst_len > (rtm->rtm_family == AF_INET ? 32 : 128))
        return -1; /* no such prefix (found by make fuzz-long: fuzz_nl_events) */
    memset(r, 0, sizeof(*r));
    r->family = rtm->rtm_family;
    r->table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
    r->protocol = rtm->rtm_protocol;
    r->scope = rtm->rtm_scope;
    r->type = rtm->rtm_type;
    r->dst_len = rtm->rtm_dst_len;
    size_t alen = r->family == AF_INET ? 4 : 16;
    if (tb[RTA_DST] && mnl_attr_get_payload_len(tb[RTA_DST]) >= alen)
        memcpy(r->dst, mnl_attr_get_payload(tb[RTA_DST]), alen);
    if (tb[RTA_GATEWAY] && mnl_attr_get_payload_len(tb[RTA_GATEWAY]) >= alen) {
        memcpy(r->gw, mnl_attr_get_payload(tb[RTA_GATEWAY]), alen);
        r->has_gw = true;
    }
    if (tb[RTA_OIF])
        r->oif = (int)mnl_attr_get_u32(tb[RTA_OIF]);
    if (tb[RTA_PRIORITY])
        r->metric = mnl_attr_get_u32(tb[RTA_PRIORITY]);
    return 0;
}
