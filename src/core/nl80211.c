/* The kernel seam's Wi-Fi part (nl80211.h) on generic netlink with libmnl: resolve the
 * nl80211 family once, then request → ACK (or a dump) per call, as nl.c does for
 * rtnetlink. Every attribute the kernel sends is length-checked before it is read (the
 * parsers, in nl80211_parse.c, also take a fuzzer's bytes). */
#include "nl80211.h"
#include "nl80211_attr.h"
#include "nl_int.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/nl80211.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct lime_nl_wifi {
    struct mnl_socket *sock;
    unsigned portid, seq;
    uint16_t family;
    char *buf;          /* wiphy messages can be large: 64 KiB */
};

#define RXBUF (64 * 1024)

/* ---------------------------------------------------------------- socket */

/* 0 or -errno; -EINTR: a dump the kernel marked inconsistent, read to its end (nl_int.h). */
static int talk(struct lime_nl_wifi *w, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
    bool dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
    nlh->nlmsg_seq = ++w->seq;
    if (mnl_socket_sendto(w->sock, nlh, nlh->nlmsg_len) < 0)
        return -errno;
    unsigned seq = nlh->nlmsg_seq;
    for (;;) {
        ssize_t len = mnl_socket_recvfrom(w->sock, w->buf, RXBUF);
        if (len < 0)
            return -errno;
        errno = 0;
        int r = mnl_cb_run(w->buf, (size_t)len, seq, w->portid, cb, data);
        if (r < 0 && errno == EINTR && dump) {
            int d = lime_nl_dump_drain(w->sock, w->buf, RXBUF, len, seq);
            return d ? d : -EINTR;
        }
        if (r < 0)
            return errno ? -errno : -EIO;
        if (r == MNL_CB_STOP)
            return 0;
    }
}

static struct nlmsghdr *req(char *buf, uint16_t family, uint8_t cmd, uint16_t flags)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = family;
    nlh->nlmsg_flags = NLM_F_REQUEST | flags;
    struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
    g->cmd = cmd;
    g->version = 1;
    return nlh;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
    const struct nlattr *tb[CTRL_ATTR_MAX + 1];
    if (parse_run((const char *)mnl_nlmsg_get_payload(nlh) + GENL_HDRLEN,
                  mnl_nlmsg_get_payload_len(nlh) - GENL_HDRLEN, tb, CTRL_ATTR_MAX) == 0)
        a_u16(tb[CTRL_ATTR_FAMILY_ID], data);
    return MNL_CB_OK;
}

struct lime_nl_wifi *lime_nl_wifi_open(void)
{
    struct lime_nl_wifi *w = calloc(1, sizeof(*w));
    if (!w || !(w->buf = malloc(RXBUF))) {
        free(w);
        errno = ENOMEM;
        return NULL;
    }
    w->sock = mnl_socket_open(NETLINK_GENERIC);
    if (!w->sock || mnl_socket_bind(w->sock, 0, MNL_SOCKET_AUTOPID) < 0)
        goto fail;
    int one = 1;
    mnl_socket_setsockopt(w->sock, NETLINK_EXT_ACK, &one, sizeof(one));
    w->portid = mnl_socket_get_portid(w->sock);
    w->seq = (unsigned)time(NULL);
    char buf[256];
    struct nlmsghdr *nlh = req(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
    mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NL80211_GENL_NAME);
    int r = talk(w, nlh, family_cb, &w->family);
    if (r < 0 || !w->family) {
        errno = ENOENT;
        goto fail;
    }
    return w;
fail:;
    int e = errno;
    lime_nl_wifi_close(w);
    errno = e;
    return NULL;
}

void lime_nl_wifi_close(struct lime_nl_wifi *w)
{
    if (!w)
        return;
    if (w->sock)
        mnl_socket_close(w->sock);
    free(w->buf);
    free(w);
}

/* The attributes of a generic netlink message. */
static const void *gattrs(const struct nlmsghdr *nlh, size_t *len)
{
    size_t pl = mnl_nlmsg_get_payload_len(nlh);
    *len = pl >= GENL_HDRLEN ? pl - GENL_HDRLEN : 0;
    return (const char *)mnl_nlmsg_get_payload(nlh) + GENL_HDRLEN;
}

/* ---------------------------------------------------------------- phys */

struct phy_dump {
    struct lime_nl_wifi_phy *v;
    size_t n, cap;
    int err;
};

/* A dump's array v (n used of *cap) with room for one more element: v itself, or v grown
 * (doubling; first 8). NULL without memory, v then untouched. */
static void *room_for_one(void *v, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return v;
    size_t c = *cap ? *cap * 2 : 8;
    void *nv = realloc(v, c * size);
    if (nv)
        *cap = c;
    return nv;
}

static int phy_cb(const struct nlmsghdr *nlh, void *data)
{
    struct phy_dump *d = data;
    size_t len;
    const void *attrs = gattrs(nlh, &len);
    struct lime_nl_wifi_phy probe = {0};
    const struct nlattr *tb[NL80211_ATTR_MAX + 1];
    if (parse_run(attrs, len, tb, NL80211_ATTR_MAX) < 0 || !a_u32(tb[NL80211_ATTR_WIPHY], &probe.index))
        return MNL_CB_OK;
    struct lime_nl_wifi_phy *p = NULL;
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].index == probe.index)
            p = &d->v[i];
    if (!p) {
        void *grown = room_for_one(d->v, d->n, &d->cap, sizeof(*d->v));
        if (!grown) {
            d->err = -ENOMEM;
            return MNL_CB_OK;
        }
        d->v = grown;
        p = &d->v[d->n++];
        memset(p, 0, sizeof(*p));
    }
    lime_nl_wifi_parse_phy(attrs, len, p);
    return MNL_CB_OK;
}

static int phy_cmp(const void *a, const void *b)
{
    const struct lime_nl_wifi_phy *x = a, *y = b;
    return x->index < y->index ? -1 : x->index > y->index;
}

int lime_nl_wifi_phys(struct lime_nl_wifi *w, struct lime_nl_wifi_phy **out, size_t *n)
{
    char buf[256];
    struct nlmsghdr *nlh = req(buf, w->family, NL80211_CMD_GET_WIPHY, NLM_F_DUMP);
    mnl_attr_put(nlh, NL80211_ATTR_SPLIT_WIPHY_DUMP, 0, NULL);
    struct phy_dump d = {0};
    int r = talk(w, nlh, phy_cb, &d);
    if (!r)
        r = d.err;
    if (r) {
        free(d.v);
        return r;
    }
    if (d.n)
        qsort(d.v, d.n, sizeof(*d.v), phy_cmp);
    *out = d.v ? d.v : calloc(1, sizeof(**out));
    *n = d.n;
    return *out ? 0 : -ENOMEM;
}

/* ---------------------------------------------------------------- interfaces */

struct iface_dump {
    struct lime_nl_wifi_iface *v;
    size_t n, cap;
    int err;
};

static int iface_cb(const struct nlmsghdr *nlh, void *data)
{
    struct iface_dump *d = data;
    void *grown = room_for_one(d->v, d->n, &d->cap, sizeof(*d->v));
    if (!grown) {
        d->err = -ENOMEM;
        return MNL_CB_OK;
    }
    d->v = grown;
    size_t len;
    const void *attrs = gattrs(nlh, &len);
    lime_nl_wifi_parse_iface(attrs, len, &d->v[d->n]);
    if (d->v[d->n].ifindex > 0) /* a netdev (P2P devices have none) */
        d->n++;
    return MNL_CB_OK;
}

int lime_nl_wifi_ifaces(struct lime_nl_wifi *w, struct lime_nl_wifi_iface **out, size_t *n)
{
    char buf[256];
    struct nlmsghdr *nlh = req(buf, w->family, NL80211_CMD_GET_INTERFACE, NLM_F_DUMP);
    struct iface_dump d = {0};
    int r = talk(w, nlh, iface_cb, &d);
    if (!r)
        r = d.err;
    if (r) {
        free(d.v);
        return r;
    }
    *out = d.v ? d.v : calloc(1, sizeof(**out));
    *n = d.n;
    return *out ? 0 : -ENOMEM;
}

int lime_nl_wifi_iface_add(struct lime_nl_wifi *w, uint32_t phy, const char *name, uint32_t iftype,
                           const uint8_t *mac)
{
    char buf[512];
    struct nlmsghdr *nlh = req(buf, w->family, NL80211_CMD_NEW_INTERFACE, NLM_F_ACK);
    mnl_attr_put_u32(nlh, NL80211_ATTR_WIPHY, phy);
    mnl_attr_put_strz(nlh, NL80211_ATTR_IFNAME, name);
    mnl_attr_put_u32(nlh, NL80211_ATTR_IFTYPE, iftype);
    if (mac)
        mnl_attr_put(nlh, NL80211_ATTR_MAC, 6, mac);
    return talk(w, nlh, NULL, NULL);
}

static int simple(struct lime_nl_wifi *w, uint8_t cmd, int ifindex)
{
    char buf[256];
    struct nlmsghdr *nlh = req(buf, w->family, cmd, NLM_F_ACK);
    mnl_attr_put_u32(nlh, NL80211_ATTR_IFINDEX, (uint32_t)ifindex);
    return talk(w, nlh, NULL, NULL);
}

int lime_nl_wifi_iface_del(struct lime_nl_wifi *w, int ifindex)
{
    return simple(w, NL80211_CMD_DEL_INTERFACE, ifindex);
}

/* ---------------------------------------------------------------- mesh and IBSS */

static void put_chandef(struct nlmsghdr *nlh, const struct lime_nl_wifi_join *j)
{
    mnl_attr_put_u32(nlh, NL80211_ATTR_WIPHY_FREQ, j->freq);
    mnl_attr_put_u32(nlh, NL80211_ATTR_CHANNEL_WIDTH, j->width);
    mnl_attr_put_u32(nlh, NL80211_ATTR_CENTER_FREQ1, j->center1 ? j->center1 : j->freq);
}

int lime_nl_wifi_mesh_join(struct lime_nl_wifi *w, int ifindex, const struct lime_nl_wifi_join *j)
{
    char buf[512];
    struct nlmsghdr *nlh = req(buf, w->family, NL80211_CMD_JOIN_MESH, NLM_F_ACK);
    mnl_attr_put_u32(nlh, NL80211_ATTR_IFINDEX, (uint32_t)ifindex);
    mnl_attr_put(nlh, NL80211_ATTR_MESH_ID, j->ssid_len, j->ssid);
    if (j->freq)
        put_chandef(nlh, j);
    if (j->mcast_rate)
        mnl_attr_put_u32(nlh, NL80211_ATTR_MCAST_RATE, j->mcast_rate);
    if (j->beacon_interval)
        mnl_attr_put_u32(nlh, NL80211_ATTR_BEACON_INTERVAL, j->beacon_interval);
    if (j->forwarding >= 0 || j->nolearn >= 0) {
        struct nlattr *mc = mnl_attr_nest_start(nlh, NL80211_ATTR_MESH_CONFIG);
        if (j->forwarding >= 0)
            mnl_attr_put_u8(nlh, NL80211_MESHCONF_FORWARDING, (uint8_t)j->forwarding);
        if (j->nolearn >= 0)
            mnl_attr_put_u8(nlh, NL80211_MESHCONF_NOLEARN, (uint8_t)j->nolearn);
        mnl_attr_nest_end(nlh, mc);
    }
    return talk(w, nlh, NULL, NULL);
}

int lime_nl_wifi_mesh_leave(struct lime_nl_wifi *w, int ifindex)
{
    return simple(w, NL80211_CMD_LEAVE_MESH, ifindex);
}

int lime_nl_wifi_ibss_join(struct lime_nl_wifi *w, int ifindex, const struct lime_nl_wifi_join *j)
{
    char buf[512];
    struct nlmsghdr *nlh = req(buf, w->family, NL80211_CMD_JOIN_IBSS, NLM_F_ACK);
    mnl_attr_put_u32(nlh, NL80211_ATTR_IFINDEX, (uint32_t)ifindex);
    mnl_attr_put(nlh, NL80211_ATTR_SSID, j->ssid_len, j->ssid);
    put_chandef(nlh, j);
    if (j->has_bssid) {
        mnl_attr_put(nlh, NL80211_ATTR_MAC, 6, j->bssid);
        mnl_attr_put(nlh, NL80211_ATTR_FREQ_FIXED, 0, NULL);
    }
    if (j->mcast_rate)
        mnl_attr_put_u32(nlh, NL80211_ATTR_MCAST_RATE, j->mcast_rate);
    if (j->beacon_interval)
        mnl_attr_put_u32(nlh, NL80211_ATTR_BEACON_INTERVAL, j->beacon_interval);
    return talk(w, nlh, NULL, NULL);
}

int lime_nl_wifi_ibss_leave(struct lime_nl_wifi *w, int ifindex)
{
    return simple(w, NL80211_CMD_LEAVE_IBSS, ifindex);
}

struct mesh_params {
    int fwd, nolearn;
};

static int mesh_params_cb(const struct nlmsghdr *nlh, void *data)
{
    struct mesh_params *p = data;
    size_t len;
    const void *attrs = gattrs(nlh, &len);
    const struct nlattr *tb[NL80211_ATTR_MAX + 1], *mc[NL80211_MESHCONF_ATTR_MAX + 1];
    if (parse_run(attrs, len, tb, NL80211_ATTR_MAX) < 0 || !tb[NL80211_ATTR_MESH_CONFIG] ||
        parse_nested(tb[NL80211_ATTR_MESH_CONFIG], mc, NL80211_MESHCONF_ATTR_MAX) < 0)
        return MNL_CB_OK;
    uint8_t v;
    if (a_u8(mc[NL80211_MESHCONF_FORWARDING], &v))
        p->fwd = v;
    if (a_u8(mc[NL80211_MESHCONF_NOLEARN], &v))
        p->nolearn = v;
    return MNL_CB_OK;
}

int lime_nl_wifi_mesh_params(struct lime_nl_wifi *w, int ifindex, int *forwarding, int *nolearn)
{
    char buf[256];
    struct nlmsghdr *nlh = req(buf, w->family, NL80211_CMD_GET_MESH_CONFIG, NLM_F_ACK);
    mnl_attr_put_u32(nlh, NL80211_ATTR_IFINDEX, (uint32_t)ifindex);
    struct mesh_params p = {-1, -1};
    int r = talk(w, nlh, mesh_params_cb, &p);
    *forwarding = p.fwd;
    *nolearn = p.nolearn;
    return r;
}

/* ---------------------------------------------------------------- regulatory */

static int reg_cb(const struct nlmsghdr *nlh, void *data)
{
    size_t len;
    const void *attrs = gattrs(nlh, &len);
    const struct nlattr *tb[NL80211_ATTR_MAX + 1];
    if (parse_run(attrs, len, tb, NL80211_ATTR_MAX) == 0 && tb[NL80211_ATTR_REG_ALPHA2])
        a_str(tb[NL80211_ATTR_REG_ALPHA2], data, 3);
    return MNL_CB_OK;
}

int lime_nl_wifi_reg_get(struct lime_nl_wifi *w, char alpha2[3])
{
    char buf[256];
    struct nlmsghdr *nlh = req(buf, w->family, NL80211_CMD_GET_REG, NLM_F_ACK);
    alpha2[0] = 0;
    return talk(w, nlh, reg_cb, alpha2);
}

int lime_nl_wifi_reg_set(struct lime_nl_wifi *w, const char *alpha2)
{
    char buf[256];
    struct nlmsghdr *nlh = req(buf, w->family, NL80211_CMD_REQ_SET_REG, NLM_F_ACK);
    mnl_attr_put_strz(nlh, NL80211_ATTR_REG_ALPHA2, alpha2);
    return talk(w, nlh, NULL, NULL);
}

/* ---------------------------------------------------------------- stations */

struct sta_dump {
    struct lime_nl_wifi_station *v;
    size_t n, cap;
    int err;
};

static int sta_cb(const struct nlmsghdr *nlh, void *data)
{
    struct sta_dump *d = data;
    void *grown = room_for_one(d->v, d->n, &d->cap, sizeof(*d->v));
    if (!grown) {
        d->err = -ENOMEM;
        return MNL_CB_OK;
    }
    d->v = grown;
    size_t len;
    const void *attrs = gattrs(nlh, &len);
    if (lime_nl_wifi_parse_station(attrs, len, &d->v[d->n]) == 0)
        d->n++;
    return MNL_CB_OK;
}

int lime_nl_wifi_stations(struct lime_nl_wifi *w, int ifindex, struct lime_nl_wifi_station **out,
                          size_t *n)
{
    char buf[256];
    struct nlmsghdr *nlh = req(buf, w->family, NL80211_CMD_GET_STATION, NLM_F_DUMP);
    mnl_attr_put_u32(nlh, NL80211_ATTR_IFINDEX, (uint32_t)ifindex);
    struct sta_dump d = {0};
    int r = talk(w, nlh, sta_cb, &d);
    if (!r)
        r = d.err;
    if (r) {
        free(d.v);
        return r;
    }
    *out = d.v ? d.v : calloc(1, sizeof(**out));
    *n = d.n;
    return *out ? 0 : -ENOMEM;
}

int lime_nl_wifi_phy_netns(struct lime_nl_wifi *w, uint32_t phy, int netns_fd)
{
    char buf[256];
    struct nlmsghdr *nlh = req(buf, w->family, NL80211_CMD_SET_WIPHY_NETNS, NLM_F_ACK);
    mnl_attr_put_u32(nlh, NL80211_ATTR_WIPHY, phy);
    mnl_attr_put_u32(nlh, NL80211_ATTR_NETNS_FD, (uint32_t)netns_fd);
    return talk(w, nlh, NULL, NULL);
}

