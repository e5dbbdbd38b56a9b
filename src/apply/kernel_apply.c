/* Desired state → kernel, with an undo journal.
 *
 * Order: first remove what the previous apply owned and the new state drops (routes,
 * rules, addresses, links), then links in the desired order (parents first: create,
 * MTU, MAC, master, up), then addresses, rules, routes. Every change is one journal
 * entry holding enough to undo it (old MTU/MAC/master/flag, or the object itself). */
#include "kernel_apply.h"

#include "addr.h"
#include "desired.h"
#include "log.h"
#include "nl.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

enum op_kind {
    OP_LINK_ADD,
    OP_LINK_DEL,
    OP_MTU,
    OP_MAC,
    OP_MASTER,
    OP_UP,
    OP_ADDR_ADD,
    OP_ADDR_DEL,
    OP_RULE_ADD,
    OP_RULE_DEL,
    OP_ROUTE_ADD,
    OP_ROUTE_DEL,
};

struct op {
    enum op_kind kind;
    struct lr_want_link link; /* link ops: the spec; set ops: name + new value */
    struct lr_want_link old;  /* set ops: old value */
    struct lr_want_addr addr;
    struct lr_want_rule rule;
    struct lr_want_route route;
};

struct lr_journal {
    struct op *ops;
    size_t n, cap;
};

struct ctx {
    struct lime_nl *nl;
    const struct lr_kernel_opts *o;
    struct lr_journal *j;
    int done; /* changes attempted */
};

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
    return lime_nl_link_add(nl, &s);
}

static int link_delete(struct lime_nl *nl, const struct lr_want_link *l)
{
    int idx = ifindex_of(nl, l->name);
    if (!idx)
        return -ENODEV;
    int r = lime_nl_link_del(nl, idx);
    if (r && !strcmp(l->kind, "tap"))
        r = lime_nl_tap_delete(nl, l->name);
    return r;
}

/* The inverse of deleting a link: re-create it as it was found (deleting it lost its
 * MAC, MTU, master and up state, and the routes on it need it up). */
static int link_restore(struct lime_nl *nl, const struct lr_want_link *l)
{
    int r = link_create(nl, l);
    if (r)
        return r;
    int idx = ifindex_of(nl, l->name);
    if (!idx)
        return -ENODEV;
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
static int exec_op(struct lime_nl *nl, const struct op *op, bool inverse)
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
        return inverse ? link_restore(nl, &op->link) : link_delete(nl, &op->link);
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
    }
    return -EINVAL;
}

static void describe(const struct op *op, char *buf, size_t len)
{
    static const char *names[] = {"create link", "delete link", "set mtu", "set mac",
                                  "set master", "set up", "add address", "delete address",
                                  "add rule", "delete rule", "add route", "delete route"};
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
    }
}

/* Performs op and journals it. 0 or -errno (logged). */
static int change(struct ctx *c, const struct op *op)
{
    char what[160];
    describe(op, what, sizeof(what));
    if (c->o->dry_run) {
        log_info("would %s", what);
        c->done++;
        return 0;
    }
    if (c->o->fail_after >= 0 && c->done >= c->o->fail_after) {
        log_err("%s: injected failure (--fail-after %d)", what, c->o->fail_after);
        return -EIO;
    }
    int r = exec_op(c->nl, op, false);
    if (r) {
        log_err("%s: %s", what, strerror(-r));
        return r;
    }
    log_debug("%s", what);
    c->done++;
    struct lr_journal *j = c->j;
    if (j->n == j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 32;
        struct op *v = realloc(j->ops, cap * sizeof(*v));
        if (!v)
            return -ENOMEM; /* the change is made but cannot be undone: report it */
        j->ops = v;
        j->cap = cap;
    }
    j->ops[j->n++] = *op;
    return 0;
}

/* ---------------------------------------------------------------- current kernel state */

struct kstate {
    struct lime_nl_link *links;
    size_t n_links;
    struct lime_nl_addr *addrs;
    size_t n_addrs;
    struct lime_nl_rule *rules;
    size_t n_rules;
    struct lime_nl_route *routes;
    size_t n_routes;
};

static void kstate_free(struct kstate *k)
{
    free(k->links);
    free(k->addrs);
    free(k->rules);
    free(k->routes);
    memset(k, 0, sizeof(*k));
}

static int kstate_load(struct lime_nl *nl, struct kstate *k)
{
    kstate_free(k);
    int r = lime_nl_links(nl, &k->links, &k->n_links);
    if (!r)
        r = lime_nl_addrs(nl, AF_UNSPEC, &k->addrs, &k->n_addrs);
    if (!r)
        r = lime_nl_rules(nl, AF_UNSPEC, &k->rules, &k->n_rules);
    if (!r)
        r = lime_nl_routes(nl, AF_UNSPEC, 0, &k->routes, &k->n_routes);
    if (r)
        log_err("reading the kernel state: %s", strerror(-r));
    return r;
}

static const struct lime_nl_link *klink(const struct kstate *k, const char *name)
{
    for (size_t i = 0; i < k->n_links; i++)
        if (!strcmp(k->links[i].name, name))
            return &k->links[i];
    return NULL;
}

static const char *kname(const struct kstate *k, int ifindex)
{
    for (size_t i = 0; i < k->n_links; i++)
        if (k->links[i].ifindex == ifindex)
            return k->links[i].name;
    return "";
}

static const struct lime_nl_addr *kaddr(const struct kstate *k, const struct lr_want_addr *w)
{
    const struct lime_nl_link *l = klink(k, w->ifname);
    if (!l)
        return NULL;
    for (size_t i = 0; i < k->n_addrs; i++) {
        const struct lime_nl_addr *a = &k->addrs[i];
        if (a->ifindex == l->ifindex && a->family == w->family && a->prefixlen == w->prefixlen &&
            !memcmp(a->addr, w->addr, w->family == AF_INET ? 4 : 16))
            return a;
    }
    return NULL;
}

static bool krule(const struct kstate *k, const struct lr_want_rule *w)
{
    for (size_t i = 0; i < k->n_rules; i++) {
        const struct lime_nl_rule *r = &k->rules[i];
        if (r->family == w->family && r->priority == w->priority && r->table == w->table &&
            r->src_len == w->src_len && !memcmp(r->src, w->src, w->family == AF_INET ? 4 : 16))
            return true;
    }
    return false;
}

static bool kroute(const struct kstate *k, const struct lr_want_route *w)
{
    for (size_t i = 0; i < k->n_routes; i++) {
        const struct lime_nl_route *r = &k->routes[i];
        if (r->family == w->family && r->table == w->table && r->dst_len == w->dst_len &&
            r->type == RTN_UNICAST && r->metric == w->metric &&
            !memcmp(r->dst, w->dst, w->family == AF_INET ? 4 : 16) &&
            !strcmp(kname(k, r->oif), w->oif))
            return true;
    }
    return false;
}

static const char *kind_of(const struct lime_nl_link *l)
{
    return !strcmp(l->kind, "tun") ? "tap" : l->kind;
}

/* Does the existing link l match what w wants to be created? */
static bool link_matches(const struct kstate *k, const struct lime_nl_link *l, const struct lr_want_link *w)
{
    if (strcmp(kind_of(l), w->kind))
        return false;
    if (w->parent[0] && strcmp(kname(k, l->parent), w->parent))
        return false;
    if (!strcmp(w->kind, "vlan") && (l->vlan_id != w->vlan_id || l->vlan_proto != w->vlan_proto))
        return false;
    if (!strcmp(w->kind, "macvlan") && w->macvlan_mode && l->macvlan_mode != w->macvlan_mode)
        return false;
    return true;
}

static bool in_want_links(const struct lr_desired *d, const char *name)
{
    for (unsigned i = 0; i < d->n_links; i++)
        if (!strcmp(d->links[i].name, name))
            return true;
    return false;
}

/* ---------------------------------------------------------------- the diff */

/* The link kl as the kernel has it, for the inverse of deleting it (link_restore). */
static void as_found(const struct kstate *k, const struct lime_nl_link *kl, struct lr_want_link *l)
{
    snprintf(l->name, sizeof(l->name), "%s", kl->name);
    snprintf(l->kind, sizeof(l->kind), "%s", kind_of(kl));
    snprintf(l->parent, sizeof(l->parent), "%s", kname(k, kl->parent));
    l->vlan_id = kl->vlan_id;
    l->vlan_proto = kl->vlan_proto;
    l->macvlan_mode = kl->macvlan_mode;
    l->has_mac = kl->has_mac;
    memcpy(l->mac, kl->mac, 6);
    l->mtu = kl->mtu;
    snprintf(l->master, sizeof(l->master), "%s", kname(k, kl->master));
    l->up = (kl->flags & IFF_UP) != 0;
}

static int remove_stale(struct ctx *c, struct kstate *k, const struct lr_desired *want,
                        const struct lr_desired *prev)
{
    int r;
    for (unsigned i = 0; i < prev->n_routes; i++) {
        bool keep = false;
        for (unsigned j = 0; j < want->n_routes; j++)
            keep |= lr_route_same(&prev->routes[i], &want->routes[j]);
        if (!keep && kroute(k, &prev->routes[i])) {
            struct op op = {.kind = OP_ROUTE_DEL, .route = prev->routes[i]};
            if ((r = change(c, &op)))
                return r;
        }
    }
    for (unsigned i = 0; i < prev->n_rules; i++) {
        bool keep = false;
        for (unsigned j = 0; j < want->n_rules; j++)
            keep |= lr_rule_same(&prev->rules[i], &want->rules[j]);
        if (!keep && krule(k, &prev->rules[i])) {
            struct op op = {.kind = OP_RULE_DEL, .rule = prev->rules[i]};
            if ((r = change(c, &op)))
                return r;
        }
    }
    for (unsigned i = 0; i < prev->n_addrs; i++) {
        bool keep = false;
        for (unsigned j = 0; j < want->n_addrs; j++)
            keep |= lr_addr_same(&prev->addrs[i], &want->addrs[j]);
        const struct lime_nl_addr *ka = kaddr(k, &prev->addrs[i]);
        if (!keep && ka) {
            struct op op = {.kind = OP_ADDR_DEL, .addr = prev->addrs[i]};
            op.addr.rt_priority = ka->rt_priority;
            if ((r = change(c, &op)))
                return r;
        }
    }
    /* Links: release ports the new state no longer enslaves, delete owned links it drops
     * (children first: reverse creation order). */
    for (unsigned i = prev->n_links; i-- > 0;) {
        const struct lr_want_link *pl = &prev->links[i];
        const struct lime_nl_link *kl = klink(k, pl->name);
        if (!kl)
            continue;
        const struct lr_want_link *wl = NULL;
        for (unsigned j = 0; j < want->n_links; j++)
            if (!strcmp(want->links[j].name, pl->name))
                wl = &want->links[j];
        if (pl->kind[0] && !wl) {
            struct op op = {.kind = OP_LINK_DEL};
            as_found(k, kl, &op.link);
            if ((r = change(c, &op)))
                return r;
            continue;
        }
        if (pl->master[0] && (!wl || strcmp(wl->master, pl->master)) &&
            !strcmp(kname(k, kl->master), pl->master) && !(wl && wl->master[0])) {
            struct op op = {.kind = OP_MASTER};
            snprintf(op.link.name, sizeof(op.link.name), "%s", pl->name);
            snprintf(op.old.master, sizeof(op.old.master), "%s", pl->master);
            if ((r = change(c, &op)))
                return r;
        }
    }
    return 0;
}

static int ensure_links(struct ctx *c, struct kstate *k, const struct lr_desired *want)
{
    int r;
    for (unsigned i = 0; i < want->n_links; i++) {
        const struct lr_want_link *w = &want->links[i];
        const struct lime_nl_link *kl = klink(k, w->name);
        if (w->kind[0] && kl && !link_matches(k, kl, w)) {
            log_warn("%s exists as a different device (%s): recreating it", w->name,
                     kl->kind[0] ? kl->kind : "plain");
            struct op op = {.kind = OP_LINK_DEL};
            as_found(k, kl, &op.link); /* the inverse re-creates it as we found it */
            if ((r = change(c, &op)))
                return r;
            kl = NULL;
        }
        if (!kl && w->kind[0]) {
            struct op op = {.kind = OP_LINK_ADD, .link = *w};
            op.link.master[0] = 0;
            if ((r = change(c, &op)))
                return r;
            if (c->o->dry_run)
                continue;
            if ((r = kstate_load(c->nl, k)))
                return r;
            kl = klink(k, w->name);
        }
        if (!kl) {
            if (!c->o->dry_run)
                log_warn("device %s does not exist on this host: skipped", w->name);
            continue;
        }
        struct op op = {0};
        snprintf(op.link.name, sizeof(op.link.name), "%s", w->name);
        if (w->mtu && kl->mtu != w->mtu) {
            op.kind = OP_MTU;
            op.link.mtu = w->mtu;
            op.old.mtu = kl->mtu;
            if ((r = change(c, &op)))
                return r;
        }
        if (w->has_mac && (!kl->has_mac || memcmp(kl->mac, w->mac, 6))) {
            op.kind = OP_MAC;
            memcpy(op.link.mac, w->mac, 6);
            memcpy(op.old.mac, kl->mac, 6);
            if ((r = change(c, &op)))
                return r;
        }
        if (w->master[0] && strcmp(kname(k, kl->master), w->master)) {
            op.kind = OP_MASTER;
            snprintf(op.link.master, sizeof(op.link.master), "%s", w->master);
            snprintf(op.old.master, sizeof(op.old.master), "%s", kname(k, kl->master));
            if ((r = change(c, &op)))
                return r;
        }
        if (w->up && !(kl->flags & IFF_UP)) {
            op.kind = OP_UP;
            op.link.up = true;
            op.old.up = false;
            if ((r = change(c, &op)))
                return r;
        }
    }
    return 0;
}

static int ensure_l3(struct ctx *c, struct kstate *k, const struct lr_desired *want)
{
    int r;
    if (!c->o->dry_run && (r = kstate_load(c->nl, k)))
        return r;
    for (unsigned i = 0; i < want->n_addrs; i++) {
        const struct lr_want_addr *w = &want->addrs[i];
        if (!klink(k, w->ifname) && !(c->o->dry_run && in_want_links(want, w->ifname)))
            continue; /* device missing: warned above */
        const struct lime_nl_addr *ka = kaddr(k, w);
        if (ka && ka->rt_priority == w->rt_priority)
            continue;
        if (ka) {
            struct op del = {.kind = OP_ADDR_DEL, .addr = *w};
            del.addr.rt_priority = ka->rt_priority;
            if ((r = change(c, &del)))
                return r;
        }
        struct op op = {.kind = OP_ADDR_ADD, .addr = *w};
        if ((r = change(c, &op)))
            return r;
    }
    for (unsigned i = 0; i < want->n_rules; i++) {
        if (krule(k, &want->rules[i]))
            continue;
        struct op op = {.kind = OP_RULE_ADD, .rule = want->rules[i]};
        if ((r = change(c, &op)))
            return r;
    }
    if (!c->o->dry_run && (r = kstate_load(c->nl, k)))
        return r;
    for (unsigned i = 0; i < want->n_routes; i++) {
        const struct lr_want_route *w = &want->routes[i];
        if (kroute(k, w))
            continue;
        if (!klink(k, w->oif) && !c->o->dry_run)
            continue;
        struct op op = {.kind = OP_ROUTE_ADD, .route = *w};
        if ((r = change(c, &op)))
            return r;
    }
    return 0;
}

int lr_kernel_apply(struct lime_nl *nl, const struct lr_desired *want, const struct lr_desired *prev,
                    const struct lr_kernel_opts *o, struct lr_journal **journal)
{
    *journal = calloc(1, sizeof(**journal));
    if (!*journal)
        return -1;
    struct ctx c = {.nl = nl, .o = o, .j = *journal};
    struct kstate k = {0};
    int r = kstate_load(nl, &k);
    if (!r)
        r = remove_stale(&c, &k, want, prev);
    if (!r && !o->dry_run)
        r = kstate_load(nl, &k);
    if (!r)
        r = ensure_links(&c, &k, want);
    if (!r)
        r = ensure_l3(&c, &k, want);
    kstate_free(&k);
    return r ? -1 : c.done;
}

void lr_journal_rollback(struct lime_nl *nl, struct lr_journal *j)
{
    if (!j)
        return;
    for (size_t i = j->n; i-- > 0;) {
        char what[160];
        describe(&j->ops[i], what, sizeof(what));
        int r = exec_op(nl, &j->ops[i], true);
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
