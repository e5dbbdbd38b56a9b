/* batman-adv neighbours over generic netlink (see batadv.h). */
#include "batadv.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <libmnl/libmnl.h>
#include <linux/batman_adv.h>
#include <linux/genetlink.h>

static int family_attr(const struct nlattr *a, void *data)
{
    if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID && mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
        *(int *)data = mnl_attr_get_u16(a);
    return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
    mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr, data);
    return MNL_CB_OK;
}

struct neigh {
    const uint8_t *mac;
    uint32_t hard_ifindex, last_seen;
    int have;
};

static int neigh_attr(const struct nlattr *a, void *data)
{
    struct neigh *n = data;
    switch (mnl_attr_get_type(a)) {
    case BATADV_ATTR_NEIGH_ADDRESS:
        if (mnl_attr_get_payload_len(a) == 6) {
            n->mac = mnl_attr_get_payload(a);
            n->have |= 1;
        }
        break;
    case BATADV_ATTR_HARD_IFINDEX:
        if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0) {
            n->hard_ifindex = mnl_attr_get_u32(a);
            n->have |= 2;
        }
        break;
    case BATADV_ATTR_LAST_SEEN_MSECS:
        if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
            n->last_seen = mnl_attr_get_u32(a);
        break;
    }
    return MNL_CB_OK;
}

static int neigh_cb(const struct nlmsghdr *nlh, void *data)
{
    struct neigh n = {0};
    if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
        return MNL_CB_OK;
    mnl_attr_parse(nlh, sizeof(struct genlmsghdr), neigh_attr, &n);
    if (n.have != 3)
        return MNL_CB_OK;
    char mac[18], ifn[IF_NAMESIZE] = "";
    snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", n.mac[0], n.mac[1], n.mac[2],
             n.mac[3], n.mac[4], n.mac[5]);
    if (!if_indextoname(n.hard_ifindex, ifn))
        snprintf(ifn, sizeof ifn, "%u", n.hard_ifindex);
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "neigh_address", json_object_new_string(mac));
    json_object_object_add(o, "hard_ifname", json_object_new_string(ifn));
    json_object_object_add(o, "hard_ifindex", json_object_new_int64(n.hard_ifindex));
    json_object_object_add(o, "last_seen_msecs", json_object_new_int64(n.last_seen));
    json_object_array_add(data, o);
    return MNL_CB_OK;
}

int ss_batadv_parse(const void *buf, size_t len, unsigned seq, struct json_object *arr)
{
    return mnl_cb_run(buf, len, seq, 0, neigh_cb, arr);
}

static int request(struct mnl_socket *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
    static char buf[32768];
    unsigned seq = nlh->nlmsg_seq;
    if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
        return -1;
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof buf);
        if (n <= 0)
            return -1;
        int r = mnl_cb_run(buf, (size_t)n, seq, mnl_socket_get_portid(nl), cb, data);
        if (r <= MNL_CB_STOP)
            return r < 0 ? -1 : 0;
    }
}

char *ss_batadv_neighbours(const char *mesh_ifname)
{
    unsigned mesh = if_nametoindex(mesh_ifname);
    if (!mesh)
        return NULL;
    struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);
    if (!nl)
        return NULL;
    char *out = NULL;
    if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
        goto done;
    /* SO_RCVTIMEO: the kernel answers at once; never hang the loop on a bug */
    struct timeval tv = {.tv_sec = 1};
    setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[8192];
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = GENL_ID_CTRL;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    nlh->nlmsg_seq = (unsigned)time(NULL);
    struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof *g);
    g->cmd = CTRL_CMD_GETFAMILY;
    g->version = 1;
    mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, BATADV_NL_NAME);
    int family = -1;
    if (request(nl, nlh, family_cb, &family) < 0 || family < 0)
        goto done;
    nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = (uint16_t)family;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    nlh->nlmsg_seq = (unsigned)time(NULL) + 1;
    g = mnl_nlmsg_put_extra_header(nlh, sizeof *g);
    g->cmd = BATADV_CMD_GET_NEIGHBORS;
    g->version = 1;
    mnl_attr_put_u32(nlh, BATADV_ATTR_MESH_IFINDEX, mesh);
    struct json_object *arr = json_object_new_array();
    if (request(nl, nlh, neigh_cb, arr) == 0)
        out = strdup(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN));
    json_object_put(arr);
done:
    mnl_socket_close(nl);
    return out;
}
