/* lime-apply's journal (journal.h): the kernel changes it makes, their inverses. */
#include "journal.h"

#include "addr.h"
#include "kernel_apply.h"
#include "kernel_apply_int.h"
#include "log.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* ---------------------------------------------------------------- primitive operations */

static int ifindex_of(struct lime_nl *nl, const char *name)
{
    return name[0] ? lime_nl_ifindex(nl, name) : 0;
}

static int link_create(struct lime_nl *nl, const struct lr_want_link *l)
{
    if (!strcmp(l->kind, "tap"))
        return lime_nl_tap_create(nl, l->name);
    struct lime_nl_link_spec s = {0};
    snprintf(s.name, sizeof(s.name), "%s", l->name);
    snprintf(s.kind, sizeof(s.kind), "%s", l->kind);
    snprintf(s.parent, sizeof(s.parent), "%s", l->parent);
    s.has_mac = l->has_mac;
    memcpy(s.mac, l->mac, 6);
    s.mtu = l->mtu;
    s.macvlan_mode = l->macvlan_mode;
    s.vlan_id = l->vlan_id;
    s.vlan_proto = l->vlan_proto;
    snprintf(s.batadv_algo, sizeof(s.batadv_algo), "%s", l->algo);
    return lime_nl_link_add(nl, &s);
}

static int link_delete(struct lime_nl *nl, const struct lr_want_link *l)
{
    int idx = ifindex_of(nl, l->name);
    if (!idx)
        return -ENODEV;
    int r = lime_nl_link_del(nl, idx);
    if (r == -EOPNOTSUPP && !strcmp(l->kind, "tap")) /* a kernel without tun's dellink */
        r = lime_nl_tap_delete(nl, l->name);
    return r;
}

/* The inverse of deleting a link: re-create it as it was found (deleting it lost its
 * MAC, MTU, master and up state, a mesh's settings, and the routes on it need it up). */
static int link_restore(struct lime_nl *nl, const struct lr_want_link *l,
                        const int64_t mesh_old[LIME_BATADV_N])
{
    int r = link_create(nl, l);
    if (r)
        return r;
    int idx = ifindex_of(nl, l->name);
    if (!idx)
        return -ENODEV;
    if (!strcmp(l->kind, "batadv")) {
        struct lime_nl_batadv_info now;
        if ((r = lime_nl_batadv_mesh_get(nl, idx, &now)))
            return r;
        for (int s = 0; s < LIME_BATADV_N; s++)
            if (mesh_old[s] >= 0 && now.v[s] >= 0 && mesh_old[s] != now.v[s] &&
                (r = lime_nl_batadv_set(nl, idx, 0, s, (uint32_t)mesh_old[s])))
                return r;
    }
    if (!strcmp(l->kind, "tap")) { /* TUNSETIFF takes neither a MAC nor an MTU */
        if (l->has_mac && (r = lime_nl_link_set_mac(nl, idx, l->mac)))
            return r;
        if (l->mtu && (r = lime_nl_link_set_mtu(nl, idx, l->mtu)))
            return r;
    }
    if (l->master[0] && (r = lime_nl_link_set_master(nl, idx, ifindex_of(nl, l->master))))
        return r;
    if (l->up && (r = lime_nl_link_set_up(nl, idx, true)))
        return r;
    return 0;
}

static void to_nl_addr(struct lime_nl *nl, const struct lr_want_addr *w, struct lime_nl_addr *a)
{
    memset(a, 0, sizeof(*a));
    a->family = w->family;
    a->ifindex = ifindex_of(nl, w->ifname);
    memcpy(a->addr, w->addr, 16);
    a->prefixlen = w->prefixlen;
    a->rt_priority = w->rt_priority;
    /* No DAD: the anycast v6 address is the same on every node by design, and the
     * node's own v6 must be usable at once. */
    if (w->family == AF_INET6)
        a->flags = IFA_F_NODAD;
}

static void to_nl_rule(const struct lr_want_rule *w, struct lime_nl_rule *r)
{
    memset(r, 0, sizeof(*r));
    r->family = w->family;
    r->priority = w->priority;
    r->table = w->table;
    memcpy(r->src, w->src, 16);
    r->src_len = w->src_len;
}

static void to_nl_route(struct lime_nl *nl, const struct lr_want_route *w, struct lime_nl_route *r)
{
    memset(r, 0, sizeof(*r));
    r->family = w->family;
    r->table = w->table;
    r->protocol = LR_ROUTE_PROTO;
    memcpy(r->dst, w->dst, 16);
    r->dst_len = w->dst_len;
    r->oif = ifindex_of(nl, w->oif);
    r->metric = w->metric;
}

/* Runs op (or its inverse). */
int lr_op_exec(struct lime_nl *nl, struct lime_nl_wifi *wifi, const struct lr_op *op, bool inverse)
{
    const struct lr_want_link *v = inverse ? &op->old : &op->link;
    int idx = ifindex_of(nl, op->link.name);
    struct lime_nl_addr a;
    struct lime_nl_rule r;
    struct lime_nl_route rt;
    switch (op->kind) {
    case OP_LINK_ADD:
        return inverse ? link_delete(nl, &op->link) : link_create(nl, &op->link);
    case OP_LINK_DEL:
        return inverse ? link_restore(nl, &op->link, op->mesh_old) : link_delete(nl, &op->link);
    case OP_MTU:
        return idx ? lime_nl_link_set_mtu(nl, idx, v->mtu) : -ENODEV;
    case OP_MAC:
        return idx ? lime_nl_link_set_mac(nl, idx, v->mac) : -ENODEV;
    case OP_MASTER:
        return idx ? lime_nl_link_set_master(nl, idx, ifindex_of(nl, v->master)) : -ENODEV;
    case OP_UP:
        return idx ? lime_nl_link_set_up(nl, idx, v->up) : -ENODEV;
    case OP_ADDR_ADD:
    case OP_ADDR_DEL:
        to_nl_addr(nl, &op->addr, &a);
        return (op->kind == OP_ADDR_ADD) != inverse ? lime_nl_addr_add(nl, &a) : lime_nl_addr_del(nl, &a);
    case OP_RULE_ADD:
    case OP_RULE_DEL:
        to_nl_rule(&op->rule, &r);
        return (op->kind == OP_RULE_ADD) != inverse ? lime_nl_rule_add(nl, &r) : lime_nl_rule_del(nl, &r);
    case OP_ROUTE_ADD:
    case OP_ROUTE_DEL:
        to_nl_route(nl, &op->route, &rt);
        return (op->kind == OP_ROUTE_ADD) != inverse ? lime_nl_route_add(nl, &rt)
                                                     : lime_nl_route_del(nl, &rt);
    case OP_BATADV_SET: {
        int mesh = ifindex_of(nl, op->bset.mesh), hard = ifindex_of(nl, op->bset.hard);
        if (!mesh || (op->bset.hard[0] && !hard))
            return -ENODEV;
        return lime_nl_batadv_set(nl, mesh, hard, op->bset.setting,
                                  inverse ? op->bset_old : op->bset.value);
    }
    case OP_WIFI_ADD:
    case OP_WIFI_DEL:
    case OP_JOIN:
    case OP_LEAVE:
    case OP_COUNTRY:
        return lr_wifi_exec(wifi, nl, op, inverse);
    }
    return -EINVAL;
}

void lr_op_describe(const struct lr_op *op, char *buf, size_t len)
{
    static const char *names[] = {"create link", "delete link", "set mtu", "set mac",
                                  "set master", "set up", "add address", "delete address",
                                  "add rule", "delete rule", "add route", "delete route",
                                  "set batman-adv"};
    char a[64], m[24];
    switch (op->kind) {
    case OP_LINK_ADD:
    case OP_LINK_DEL:
        snprintf(buf, len, "%s %s (%s)", names[op->kind], op->link.name,
                 op->link.kind[0] ? op->link.kind : "device");
        break;
    case OP_MTU:
        snprintf(buf, len, "set mtu of %s to %u", op->link.name, op->link.mtu);
        break;
    case OP_MAC:
        snprintf(buf, len, "set mac of %s to %s", op->link.name, lime_mac_format(op->link.mac, m, sizeof(m)));
        break;
    case OP_MASTER:
        snprintf(buf, len, "set master of %s to %s", op->link.name,
                 op->link.master[0] ? op->link.master : "none");
        break;
    case OP_UP:
        snprintf(buf, len, "set %s %s", op->link.name, op->link.up ? "up" : "down");
        break;
    case OP_ADDR_ADD:
    case OP_ADDR_DEL:
        snprintf(buf, len, "%s %s/%u on %s", names[op->kind],
                 lr_addr_str(op->addr.family, op->addr.addr, a, sizeof(a)), op->addr.prefixlen,
                 op->addr.ifname);
        break;
    case OP_RULE_ADD:
    case OP_RULE_DEL:
        snprintf(buf, len, "%s from %s/%u lookup %u", names[op->kind],
                 lr_addr_str(op->rule.family, op->rule.src, a, sizeof(a)), op->rule.src_len,
                 op->rule.table);
        break;
    case OP_ROUTE_ADD:
    case OP_ROUTE_DEL:
        snprintf(buf, len, "%s %s/%u dev %s table %u", names[op->kind],
                 lr_addr_str(op->route.family, op->route.dst, a, sizeof(a)), op->route.dst_len,
                 op->route.oif, op->route.table);
        break;
    case OP_BATADV_SET: {
        const struct lime_batadv_setting_info *si = lime_nl_batadv_setting_info(op->bset.setting);
        snprintf(buf, len, "%s %s of %s%s%s to %u (was %u)", names[op->kind], si ? si->name : "?",
                 op->bset.mesh, op->bset.hard[0] ? "/" : "", op->bset.hard, op->bset.value,
                 op->bset_old);
        break;
    }
    case OP_WIFI_ADD:
    case OP_WIFI_DEL:
    case OP_JOIN:
    case OP_LEAVE:
    case OP_COUNTRY:
        lr_wifi_describe(op, buf, len);
        break;
    }
}

/* Performs op and journals it. 0 or -errno (logged). */
int lr_journal_add(struct lr_journal *j, const struct lr_op *op)
{
    if (j->n == j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 32;
        struct lr_op *v = realloc(j->ops, cap * sizeof(*v));
        if (!v)
            return -ENOMEM;
        j->ops = v;
        j->cap = cap;
    }
    j->ops[j->n++] = *op;
    return 0;
}

void lr_journal_rollback(struct lime_nl *nl, struct lr_journal *j)
{
    if (!j)
        return;
    for (size_t i = j->n; i-- > 0;) {
        char what[160];
        lr_op_describe(&j->ops[i], what, sizeof(what));
        int r = lr_op_exec(nl, j->wifi, &j->ops[i], true);
        if (r)
            log_err("rollback: undoing '%s' failed: %s", what, strerror(-r));
        else
            log_info("rollback: undid '%s'", what);
    }
    j->n = 0;
}

void lr_journal_free(struct lr_journal *j)
{
    if (!j)
        return;
    free(j->ops);
    free(j);
}
