/* batman-adv's generic netlink replies → the structs of nl.h. Pure (no sockets, no
 * allocation beyond the output array), so the fuzzer (tests/fuzz/fuzz_nl_batadv.c) and
 * the in-memory kernel run it too. Nothing in a reply is trusted: messages and
 * attributes are walked with their lengths checked, an attribute of the wrong size is
 * ignored, strings are copied only when NUL-terminated inside their attribute. */
#include "nl.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/batman_adv.h>
#include <linux/genetlink.h>
#include <stdlib.h>
#include <string.h>

static const struct lime_batadv_setting_info settings[LIME_BATADV_N] = {
    [LIME_BATADV_AGGREGATION] = {"aggregated_ogms", BATADV_ATTR_AGGREGATED_OGMS_ENABLED, 1, false, 1, 1},
    [LIME_BATADV_AP_ISOLATION] = {"ap_isolation", BATADV_ATTR_AP_ISOLATION_ENABLED, 1, false, 0, 1},
    [LIME_BATADV_BONDING] = {"bonding", BATADV_ATTR_BONDING_ENABLED, 1, false, 0, 1},
    [LIME_BATADV_BLA] = {"bridge_loop_avoidance", BATADV_ATTR_BRIDGE_LOOP_AVOIDANCE_ENABLED, 1, false, 1, 1},
    [LIME_BATADV_DAT] = {"distributed_arp_table", BATADV_ATTR_DISTRIBUTED_ARP_TABLE_ENABLED, 1, false, 1, 1},
    [LIME_BATADV_FRAGMENTATION] = {"fragmentation", BATADV_ATTR_FRAGMENTATION_ENABLED, 1, false, 1, 1},
    [LIME_BATADV_GW_MODE] = {"gw_mode", BATADV_ATTR_GW_MODE, 1, false, BATADV_GW_MODE_OFF, BATADV_GW_MODE_SERVER},
    [LIME_BATADV_HOP_PENALTY] = {"hop_penalty", BATADV_ATTR_HOP_PENALTY, 1, false, 30, 255},
    [LIME_BATADV_MCAST_FORCEFLOOD] = {"multicast_forceflood", BATADV_ATTR_MULTICAST_FORCEFLOOD_ENABLED, 1, false, 0, 1},
    [LIME_BATADV_NETWORK_CODING] = {"network_coding", BATADV_ATTR_NETWORK_CODING_ENABLED, 1, false, 0, 1},
    /* the kernel refuses orig_interval below 2 × the jitter (40 ms) */
    [LIME_BATADV_ORIG_INTERVAL] = {"orig_interval", BATADV_ATTR_ORIG_INTERVAL, 4, false, 1000, 0x7fffffff},
    [LIME_BATADV_MULTICAST_FANOUT] = {"multicast_fanout", BATADV_ATTR_MULTICAST_FANOUT, 4, false, 16, 0x7fffffff},
    [LIME_BATADV_HARD_HOP_PENALTY] = {"hop_penalty", BATADV_ATTR_HOP_PENALTY, 1, true, 0, 255},
    [LIME_BATADV_HARD_ELP_INTERVAL] = {"elp_interval", BATADV_ATTR_ELP_INTERVAL, 4, true, 500, 0x7fffffff},
    [LIME_BATADV_HARD_THROUGHPUT_OVERRIDE] = {"throughput_override", BATADV_ATTR_THROUGHPUT_OVERRIDE, 4, true, 0, 0xffffffff},
};

const struct lime_batadv_setting_info *lime_nl_batadv_setting_info(enum lime_batadv_setting s)
{
    return (unsigned)s < LIME_BATADV_N ? &settings[s] : NULL;
}

int lime_nl_batadv_setting_by_name(const char *name, bool hardif)
{
    for (int i = 0; i < LIME_BATADV_N; i++)
        if (settings[i].hardif == hardif && !strcmp(settings[i].name, name))
            return i;
    return -1;
}

/* ---------------------------------------------------------------- attribute helpers */

static bool is_u8(const struct nlattr *a)
{
    return mnl_attr_get_payload_len(a) == 1;
}

static bool is_u16(const struct nlattr *a)
{
    return mnl_attr_get_payload_len(a) == 2;
}

static bool is_u32(const struct nlattr *a)
{
    return mnl_attr_get_payload_len(a) == 4;
}

static bool get_mac(const struct nlattr *a, uint8_t mac[6])
{
    if (mnl_attr_get_payload_len(a) != 6)
        return false;
    memcpy(mac, mnl_attr_get_payload(a), 6);
    return true;
}

/* A NUL-terminated string attribute into buf (len ≥ 1); false (buf untouched) otherwise. */
static bool get_str(const struct nlattr *a, char *buf, size_t len)
{
    size_t n = mnl_attr_get_payload_len(a);
    const char *s = mnl_attr_get_payload(a);
    if (!n || s[n - 1] || strlen(s) >= len)
        return false;
    memcpy(buf, s, strlen(s) + 1);
    return true;
}

/* The genl payload of one message, or NULL (not a genl message of ours). */
static const struct genlmsghdr *genl_of(const struct nlmsghdr *nlh)
{
    if (nlh->nlmsg_type < NLMSG_MIN_TYPE ||
        mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
        return NULL;
    return mnl_nlmsg_get_payload(nlh);
}

/* Walks the messages of buf: cb for every genl message; stops at DONE; an error message
 * ends the walk with its error. Returns messages handed to cb, or -errno. */
static int walk(const void *buf, size_t len, int (*cb)(const struct nlmsghdr *, void *), void *data)
{
    const char *p = buf;
    int used = 0;
    /* not libmnl's mnl_nlmsg_ok/next: they compare lengths as int, so a message length
     * above 2^31 passes as negative (found by fuzz_nl_batadv) */
    for (size_t left = len; left >= sizeof(struct nlmsghdr);) {
        const struct nlmsghdr *nlh = (const struct nlmsghdr *)p;
        /* attributes are parsed up to the aligned end (mnl_nlmsg_get_payload_tail): a
         * last message with an unaligned length needs its padding in the buffer too
         * (the kernel's always is; found by make fuzz-long) */
        if (nlh->nlmsg_len < sizeof(struct nlmsghdr) || nlh->nlmsg_len > left ||
            MNL_ALIGN((size_t)nlh->nlmsg_len) > left)
            break;
        if (nlh->nlmsg_type == NLMSG_DONE)
            break;
        if (nlh->nlmsg_type == NLMSG_ERROR) {
            if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct nlmsgerr))
                return -EBADMSG;
            const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
            if (e->error < 0)
                return e->error > -4096 ? e->error : -EBADMSG;
        } else if (genl_of(nlh)) {
            int r = cb(nlh, data);
            if (r < 0)
                return r;
            used++;
        }
        size_t step = MNL_ALIGN(nlh->nlmsg_len);
        if (step >= left)
            break;
        p += step;
        left -= step;
    }
    return used;
}

/* ---------------------------------------------------------------- GET_MESH / GET_HARDIF */

struct info_ctx {
    struct lime_nl_batadv_info *out;
    bool hardif;
};

static int info_attr(const struct nlattr *a, void *data)
{
    struct info_ctx *c = data;
    struct lime_nl_batadv_info *o = c->out;
    uint16_t type = mnl_attr_get_type(a);
    switch (type) {
    case BATADV_ATTR_ALGO_NAME:
        get_str(a, o->algo, sizeof(o->algo));
        return MNL_CB_OK;
    case BATADV_ATTR_VERSION:
        get_str(a, o->version, sizeof(o->version));
        return MNL_CB_OK;
    case BATADV_ATTR_MESH_ADDRESS:
        if (!c->hardif)
            get_mac(a, o->addr);
        return MNL_CB_OK;
    case BATADV_ATTR_HARD_ADDRESS:
        if (c->hardif)
            get_mac(a, o->addr);
        return MNL_CB_OK;
    case BATADV_ATTR_ACTIVE:
        o->active = true;
        return MNL_CB_OK;
    }
    for (int i = 0; i < LIME_BATADV_N; i++) {
        const struct lime_batadv_setting_info *s = &settings[i];
        if (s->attr != type || s->hardif != c->hardif)
            continue;
        if (s->bytes == 1 && is_u8(a))
            o->v[i] = mnl_attr_get_u8(a);
        else if (s->bytes == 4 && is_u32(a))
            o->v[i] = mnl_attr_get_u32(a);
    }
    return MNL_CB_OK;
}

static void info_clear(struct lime_nl_batadv_info *out)
{
    memset(out, 0, sizeof(*out));
    for (int i = 0; i < LIME_BATADV_N; i++)
        out->v[i] = -1;
}

static int info_msg(const struct nlmsghdr *nlh, void *data)
{
    struct lime_nl_batadv_info *out = data;
    const struct genlmsghdr *g = genl_of(nlh);
    struct info_ctx c = {.out = out,
                         .hardif = g->cmd == BATADV_CMD_GET_HARDIF || g->cmd == BATADV_CMD_SET_HARDIF};
    info_clear(out);
    mnl_attr_parse(nlh, sizeof(struct genlmsghdr), info_attr, &c);
    return 0;
}

int lime_nl_batadv_parse_info(const void *buf, size_t len, struct lime_nl_batadv_info *out)
{
    info_clear(out); /* defined also when buf holds no reply (0 returned) */
    return walk(buf, len, info_msg, out);
}

/* ---------------------------------------------------------------- table dumps */

struct dump_ctx {
    enum lime_batadv_table t;
    struct lime_nl_batadv_entry **v;
    size_t *n, *cap;
};

struct entry_ctx {
    enum lime_batadv_table t;
    struct lime_nl_batadv_entry e;
    bool has_addr;
};

/* The attribute that names an entry (its addr) and the one that is its neigh. */
static uint16_t addr_attr(enum lime_batadv_table t)
{
    switch (t) {
    case LIME_BATADV_ORIGINATORS:
    case LIME_BATADV_GATEWAYS:
        return BATADV_ATTR_ORIG_ADDRESS;
    case LIME_BATADV_NEIGHBOURS:
        return BATADV_ATTR_NEIGH_ADDRESS;
    case LIME_BATADV_HARDIFS:
        return BATADV_ATTR_HARD_ADDRESS;
    case LIME_BATADV_TT_LOCAL:
    case LIME_BATADV_TT_GLOBAL:
        return BATADV_ATTR_TT_ADDRESS;
    default:
        return 0;
    }
}

static uint16_t neigh_attr(enum lime_batadv_table t)
{
    switch (t) {
    case LIME_BATADV_ORIGINATORS:
        return BATADV_ATTR_NEIGH_ADDRESS;
    case LIME_BATADV_TT_GLOBAL:
        return BATADV_ATTR_ORIG_ADDRESS;
    case LIME_BATADV_GATEWAYS:
        return BATADV_ATTR_ROUTER;
    default:
        return 0;
    }
}

static int entry_attr(const struct nlattr *a, void *data)
{
    struct entry_ctx *c = data;
    struct lime_nl_batadv_entry *e = &c->e;
    uint16_t type = mnl_attr_get_type(a);
    if (type == addr_attr(c->t)) {
        c->has_addr = get_mac(a, e->addr);
        return MNL_CB_OK;
    }
    if (type && type == neigh_attr(c->t)) {
        e->has_neigh = get_mac(a, e->neigh);
        return MNL_CB_OK;
    }
    switch (type) {
    case BATADV_ATTR_HARD_IFINDEX:
        if (is_u32(a) && mnl_attr_get_u32(a) <= 0x7fffffff)
            e->hard_ifindex = (int)mnl_attr_get_u32(a);
        break;
    case BATADV_ATTR_HARD_IFNAME:
        get_str(a, e->hard_ifname, sizeof(e->hard_ifname));
        break;
    case BATADV_ATTR_LAST_SEEN_MSECS:
        if (is_u32(a))
            e->last_seen_ms = mnl_attr_get_u32(a);
        break;
    case BATADV_ATTR_TQ:
        if (is_u8(a))
            e->tq = mnl_attr_get_u8(a);
        break;
    case BATADV_ATTR_THROUGHPUT:
        if (is_u32(a))
            e->throughput = mnl_attr_get_u32(a);
        break;
    case BATADV_ATTR_FLAG_BEST:
        e->best = true;
        break;
    case BATADV_ATTR_ACTIVE:
        e->active = true;
        break;
    case BATADV_ATTR_TT_VID:
        if (is_u16(a)) {
            uint16_t vid = mnl_attr_get_u16(a);
            e->vid = vid & 0x8000 ? (int)(vid & 0x0fff) : -1; /* BATADV_VLAN_HAS_TAG */
        }
        break;
    case BATADV_ATTR_TT_FLAGS:
        if (is_u32(a))
            e->tt_flags = mnl_attr_get_u32(a);
        break;
    case BATADV_ATTR_TT_CRC32:
        if (is_u32(a))
            e->crc32 = mnl_attr_get_u32(a);
        break;
    case BATADV_ATTR_TT_TTVN:
        if (is_u8(a))
            e->ttvn = mnl_attr_get_u8(a);
        break;
    case BATADV_ATTR_TT_LAST_TTVN:
        if (is_u8(a))
            e->last_ttvn = mnl_attr_get_u8(a);
        break;
    case BATADV_ATTR_BANDWIDTH_DOWN:
        if (is_u32(a))
            e->bw_down = mnl_attr_get_u32(a);
        break;
    case BATADV_ATTR_BANDWIDTH_UP:
        if (is_u32(a))
            e->bw_up = mnl_attr_get_u32(a);
        break;
    }
    return MNL_CB_OK;
}

static int dump_msg(const struct nlmsghdr *nlh, void *data)
{
    struct dump_ctx *d = data;
    struct entry_ctx c = {.t = d->t};
    c.e.tq = -1;
    c.e.vid = -1;
    mnl_attr_parse(nlh, sizeof(struct genlmsghdr), entry_attr, &c);
    if (!c.has_addr)
        return 0; /* not an entry: skipped */
    if (*d->n == *d->cap) {
        size_t cap = *d->cap ? *d->cap * 2 : 16;
        struct lime_nl_batadv_entry *v = realloc(*d->v, cap * sizeof(*v));
        if (!v)
            return -ENOMEM;
        *d->v = v;
        *d->cap = cap;
    }
    (*d->v)[(*d->n)++] = c.e;
    return 0;
}

int lime_nl_batadv_parse_dump(const void *buf, size_t len, enum lime_batadv_table t,
                              struct lime_nl_batadv_entry **v, size_t *n, size_t *cap)
{
    if ((unsigned)t >= LIME_BATADV_TABLES)
        return -EINVAL;
    struct dump_ctx d = {.t = t, .v = v, .n = n, .cap = cap};
    return walk(buf, len, dump_msg, &d);
}
