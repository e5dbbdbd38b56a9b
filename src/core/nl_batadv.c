/* The kernel seam's batman-adv part (nl.h): generic netlink family "batadv" on libmnl.
 * Requests are built here; the replies are parsed by nl_batadv_parse.c. */
#include "nl.h"
#include "nl_int.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/batman_adv.h>
#include <linux/genetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

/* The generic netlink socket, opened on first use. 0 or -errno. */
static int gsock(struct lime_nl *nl)
{
    if (nl->gsock)
        return 0;
    struct mnl_socket *s = mnl_socket_open(NETLINK_GENERIC);
    if (!s)
        return -errno;
    if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) {
        int e = -errno;
        mnl_socket_close(s);
        return e;
    }
    /* the kernel answers at once; never hang a caller's event loop on a bug */
    struct timeval tv = {.tv_sec = 2};
    setsockopt(mnl_socket_get_fd(s), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    int one = 1;
    mnl_socket_setsockopt(s, NETLINK_EXT_ACK, &one, sizeof(one));
    nl->gsock = s;
    nl->gportid = mnl_socket_get_portid(s);
    return 0;
}

static int gtalk(struct lime_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
    int r = lime_nl_talk(nl, nl->gsock, nl->gportid, nlh, cb, data);
    return r == -EAGAIN ? -ETIMEDOUT : r;
}

static int family_attr(const struct nlattr *a, void *data)
{
    if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID && mnl_attr_get_payload_len(a) == 2)
        *(int *)data = mnl_attr_get_u16(a);
    return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
    if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(struct genlmsghdr))
        mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr, data);
    return MNL_CB_OK;
}

/* The batadv family id (> 0), or -ENOENT (no module) / -errno. Asked every time: the
 * module may be loaded (or removed) between two calls. */
static int family(struct lime_nl *nl)
{
    int r = gsock(nl);
    if (r)
        return r;
    char buf[256];
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = GENL_ID_CTRL;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
    g->cmd = CTRL_CMD_GETFAMILY;
    g->version = 1;
    mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, BATADV_NL_NAME);
    int id = -1;
    r = gtalk(nl, nlh, family_cb, &id);
    if (r)
        return r == -ENOENT ? -ENOENT : r;
    return id > 0 ? id : -ENOENT;
}

int lime_nl_batadv_available(struct lime_nl *nl)
{
    int id = family(nl);
    return id > 0 ? 0 : id;
}

/* A batadv request: cmd with the mesh (and hard interface) ifindex. NULL = no family. */
static struct nlmsghdr *request(struct lime_nl *nl, char *buf, uint8_t cmd, uint16_t flags,
                                int mesh, int hard, int *err)
{
    int id = family(nl);
    if (id < 0) {
        *err = id;
        return NULL;
    }
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = (uint16_t)id;
    nlh->nlmsg_flags = NLM_F_REQUEST | flags;
    struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
    g->cmd = cmd;
    g->version = 1;
    mnl_attr_put_u32(nlh, BATADV_ATTR_MESH_IFINDEX, (uint32_t)mesh);
    if (hard)
        mnl_attr_put_u32(nlh, BATADV_ATTR_HARD_IFINDEX, (uint32_t)hard);
    return nlh;
}

/* The kernel says EINVAL for an ifindex that is not a batman-adv interface. */
static int not_batadv(int r)
{
    return r == -EINVAL || r == -ENOENT ? -ENODEV : r;
}

static int info_cb(const struct nlmsghdr *nlh, void *data)
{
    return lime_nl_batadv_parse_info(nlh, nlh->nlmsg_len, data) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

static int info_get(struct lime_nl *nl, uint8_t cmd, int mesh, int hard,
                    struct lime_nl_batadv_info *out)
{
    char buf[256];
    int r = 0;
    memset(out, 0, sizeof(*out));
    for (int i = 0; i < LIME_BATADV_N; i++)
        out->v[i] = -1;
    struct nlmsghdr *nlh = request(nl, buf, cmd, NLM_F_ACK, mesh, hard, &r);
    if (!nlh)
        return r;
    return not_batadv(gtalk(nl, nlh, info_cb, out));
}

int lime_nl_batadv_mesh_get(struct lime_nl *nl, int mesh_ifindex, struct lime_nl_batadv_info *out)
{
    return info_get(nl, BATADV_CMD_GET_MESH, mesh_ifindex, 0, out);
}

int lime_nl_batadv_hardif_get(struct lime_nl *nl, int mesh_ifindex, int hard_ifindex,
                              struct lime_nl_batadv_info *out)
{
    if (!hard_ifindex)
        return -ENODEV;
    return info_get(nl, BATADV_CMD_GET_HARDIF, mesh_ifindex, hard_ifindex, out);
}

int lime_nl_batadv_set(struct lime_nl *nl, int mesh_ifindex, int hard_ifindex,
                       enum lime_batadv_setting s, uint32_t value)
{
    const struct lime_batadv_setting_info *si = lime_nl_batadv_setting_info(s);
    if (!si || value > si->max || (si->hardif && !hard_ifindex))
        return -EINVAL;
    char buf[256];
    int r = 0;
    struct nlmsghdr *nlh = request(nl, buf, si->hardif ? BATADV_CMD_SET_HARDIF : BATADV_CMD_SET_MESH,
                                   NLM_F_ACK, mesh_ifindex, si->hardif ? hard_ifindex : 0, &r);
    if (!nlh)
        return r;
    if (si->bytes == 1)
        mnl_attr_put_u8(nlh, si->attr, (uint8_t)value);
    else
        mnl_attr_put_u32(nlh, si->attr, value);
    return gtalk(nl, nlh, NULL, NULL);
}

/* ---------------------------------------------------------------- tables */

static const uint8_t table_cmd[LIME_BATADV_TABLES] = {
    [LIME_BATADV_ORIGINATORS] = BATADV_CMD_GET_ORIGINATORS,
    [LIME_BATADV_NEIGHBOURS] = BATADV_CMD_GET_NEIGHBORS,
    [LIME_BATADV_HARDIFS] = BATADV_CMD_GET_HARDIF,
    [LIME_BATADV_TT_LOCAL] = BATADV_CMD_GET_TRANSTABLE_LOCAL,
    [LIME_BATADV_TT_GLOBAL] = BATADV_CMD_GET_TRANSTABLE_GLOBAL,
    [LIME_BATADV_GATEWAYS] = BATADV_CMD_GET_GATEWAYS,
};

struct dump {
    enum lime_batadv_table t;
    struct lime_nl_batadv_entry *v;
    size_t n, cap;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
    struct dump *d = data;
    return lime_nl_batadv_parse_dump(nlh, nlh->nlmsg_len, d->t, &d->v, &d->n, &d->cap) < 0
               ? MNL_CB_ERROR : MNL_CB_OK;
}

int lime_nl_batadv_dump(struct lime_nl *nl, int mesh_ifindex, enum lime_batadv_table t,
                        struct lime_nl_batadv_entry **out, size_t *n)
{
    if ((unsigned)t >= LIME_BATADV_TABLES)
        return -EINVAL;
    char buf[256];
    int r = 0;
    struct nlmsghdr *nlh = request(nl, buf, table_cmd[t], NLM_F_DUMP, mesh_ifindex, 0, &r);
    if (!nlh)
        return r;
    struct dump d = {.t = t};
    r = not_batadv(gtalk(nl, nlh, dump_cb, &d));
    if (r) {
        free(d.v);
        return r;
    }
    for (size_t i = 0; i < d.n; i++)
        if (!d.v[i].hard_ifname[0] && d.v[i].hard_ifindex > 0 &&
            !if_indextoname((unsigned)d.v[i].hard_ifindex, d.v[i].hard_ifname))
            d.v[i].hard_ifname[0] = 0;
    *out = d.v ? d.v : calloc(1, sizeof(**out));
    *n = d.n;
    return *out ? 0 : -ENOMEM;
}
