/* Desired state → kernel, with an undo journal.
 *
 * Order: first remove what the previous apply owned and the new state drops (batman-adv
 * settings back to the kernel's default, routes, rules, addresses, links), then links in
 * the desired order (parents first: create, MTU, MAC, master, up), then batman-adv
 * settings, then addresses, rules, routes. Every change is one journal entry holding
 * enough to undo it (old MTU/MAC/master/flag/setting, or the object itself; a deleted
 * batman-adv mesh keeps its algorithm and settings for its re-creation). A link is
 * deleted only after its ports were released, each release journaled, so an undo puts
 * them back. */
#include "kernel_apply.h"
#include "kernel_apply_int.h"

#include "addr.h"
#include "desired.h"
#include "journal.h"
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


/* Performs op and journals it. 0 or -errno (logged). */
int lr_change(struct ctx *c, const struct lr_op *op)
{
    char what[160];
    lr_op_describe(op, what, sizeof(what));
    if (c->o->dry_run) {
        log_info("would %s", what);
        c->done++;
        return 0;
    }
    if (c->o->fail_after >= 0 && c->done >= c->o->fail_after) {
        log_err("%s: injected failure (--fail-after %d)", what, c->o->fail_after);
        return -EIO;
    }
    int r = lr_op_exec(c->nl, c->wifi, op, false);
    if (r) {
        log_err("%s: %s", what, strerror(-r));
        return r;
    }
    log_debug("%s", what);
    c->done++;
    /* a change made that cannot be undone: report it */
    return lr_journal_add(c->j, op);
}

/* ---------------------------------------------------------------- current kernel state */

static void kstate_free(struct kstate *k)
{
    free(k->links);
    free(k->addrs);
    free(k->rules);
    free(k->routes);
    free(k->bat);
    free(k->wifs);
    free(k->phys);
    memset(k, 0, sizeof(*k));
}

static bool is_mesh(const struct kstate *k, int ifindex)
{
    for (size_t i = 0; ifindex && i < k->n_links; i++)
        if (k->links[i].ifindex == ifindex)
            return !strcmp(k->links[i].kind, "batadv");
    return false;
}

/* Reads every batman-adv mesh and hard interface's settings back. */
static int kbat_load(struct lime_nl *nl, struct kstate *k)
{
    size_t n = 0;
    for (size_t i = 0; i < k->n_links; i++)
        n += !strcmp(k->links[i].kind, "batadv") || is_mesh(k, k->links[i].master);
    if (!n)
        return 0;
    if (!(k->bat = calloc(n, sizeof(*k->bat))))
        return -ENOMEM;
    for (size_t i = 0; i < k->n_links; i++) {
        const struct lime_nl_link *l = &k->links[i];
        struct kbat *b = &k->bat[k->n_bat];
        int r;
        if (!strcmp(l->kind, "batadv")) {
            b->mesh = l->ifindex;
            r = lime_nl_batadv_mesh_get(nl, l->ifindex, &b->info);
        } else if (is_mesh(k, l->master)) {
            b->mesh = l->master;
            b->hard = l->ifindex;
            r = lime_nl_batadv_hardif_get(nl, l->master, l->ifindex, &b->info);
        } else {
            continue;
        }
        if (r)
            return r;
        k->n_bat++;
    }
    return 0;
}

static int kstate_read(struct ctx *c, struct kstate *k);

/* A dump the kernel marks inconsistent (-EINTR: links or addresses changed while it was
 * read, as when a radio joins its mesh) is read again, a few times. */
int lr_kstate_load(struct ctx *c, struct kstate *k)
{
    int r = -EINTR;
    for (int tries = 0; r == -EINTR && tries < 5; tries++)
        r = kstate_read(c, k);
    if (r)
        log_err("reading the kernel state: %s", strerror(-r));
    return r;
}

static int kstate_read(struct ctx *c, struct kstate *k)
{
    struct lime_nl *nl = c->nl;
    kstate_free(k);
    int r = lime_nl_links(nl, &k->links, &k->n_links);
    if (!r)
        r = lime_nl_addrs(nl, AF_UNSPEC, &k->addrs, &k->n_addrs);
    if (!r)
        r = lime_nl_rules(nl, AF_UNSPEC, &k->rules, &k->n_rules);
    if (!r)
        r = lime_nl_routes(nl, AF_UNSPEC, 0, &k->routes, &k->n_routes);
    if (!r)
        r = kbat_load(nl, k);
    if (!r && c->wifi)
        r = lime_nl_wifi_ifaces(c->wifi, &k->wifs, &k->n_wifs);
    if (!r && c->wifi)
        r = lime_nl_wifi_phys(c->wifi, &k->phys, &k->n_phys);
    return r;
}

const struct lime_nl_link *lr_klink(const struct kstate *k, const char *name)
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
    const struct lime_nl_link *l = lr_klink(k, w->ifname);
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

/* The settings read back of a mesh (hard = 0) or hard interface, NULL if unknown. */
static const struct lime_nl_batadv_info *kbat(const struct kstate *k, int mesh, int hard)
{
    for (size_t i = 0; i < k->n_bat; i++)
        if (k->bat[i].mesh == mesh && k->bat[i].hard == hard)
            return &k->bat[i].info;
    return NULL;
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
    if (!strcmp(w->kind, "batadv") && w->algo[0]) {
        const struct lime_nl_batadv_info *b = kbat(k, l->ifindex, 0);
        if (!b || strcmp(b->algo, w->algo))
            return false;
    }
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
    const struct lime_nl_batadv_info *b = !strcmp(kl->kind, "batadv") ? kbat(k, kl->ifindex, 0) : NULL;
    if (b)
        snprintf(l->algo, sizeof(l->algo), "%s", b->algo);
}

/* Deletes the kernel link kl: first releases its ports (each release journaled, so an
 * undo re-enslaves them once the link is back), then the link itself, keeping what its
 * re-creation needs (a mesh's settings too). */
static int delete_link(struct ctx *c, const struct kstate *k, const struct lime_nl_link *kl)
{
    int r;
    for (size_t i = 0; i < k->n_links; i++) {
        if (k->links[i].master != kl->ifindex)
            continue;
        struct lr_op op = {.kind = OP_MASTER};
        snprintf(op.link.name, sizeof(op.link.name), "%s", k->links[i].name);
        snprintf(op.old.master, sizeof(op.old.master), "%s", kl->name);
        if ((r = lr_change(c, &op)))
            return r;
    }
    struct lr_op op = {.kind = OP_LINK_DEL};
    as_found(k, kl, &op.link);
    const struct lime_nl_batadv_info *b = kbat(k, kl->ifindex, 0);
    for (int s = 0; s < LIME_BATADV_N; s++)
        op.mesh_old[s] = b ? b->v[s] : -1;
    return lr_change(c, &op);
}

/* The link called name in d, NULL if none. */
static const struct lr_want_link *wlink(const struct lr_desired *d, const char *name)
{
    for (unsigned i = 0; i < d->n_links; i++)
        if (!strcmp(d->links[i].name, name))
            return &d->links[i];
    return NULL;
}

/* Sets one batman-adv setting to value when the kernel has another (journaled). */
static int batadv_set(struct ctx *c, const struct kstate *k, const struct lr_want_batadv *w,
                      uint32_t value)
{
    const struct lime_nl_link *mesh = lr_klink(k, w->mesh);
    const struct lime_nl_link *hard = w->hard[0] ? lr_klink(k, w->hard) : NULL;
    const struct lime_nl_batadv_info *b =
        mesh ? kbat(k, mesh->ifindex, hard ? hard->ifindex : 0) : NULL;
    struct lr_op op = {.kind = OP_BATADV_SET, .bset = *w};
    op.bset.value = value;
    if (!b || (w->hard[0] && !hard)) {
        if (c->o->dry_run)
            return lr_change(c, &op); /* created by this apply */
        log_warn("batman-adv %s%s%s is not there: %s not set", w->mesh, w->hard[0] ? "/" : "",
                 w->hard, lime_nl_batadv_setting_info(w->setting)->name);
        return 0;
    }
    if (b->v[w->setting] == (int64_t)value)
        return 0;
    if (b->v[w->setting] < 0) {
        log_warn("this batman-adv does not report %s: not set",
                 lime_nl_batadv_setting_info(w->setting)->name);
        return 0;
    }
    op.bset_old = (uint32_t)b->v[w->setting];
    return lr_change(c, &op);
}

static int remove_stale(struct ctx *c, struct kstate *k, const struct lr_desired *want,
                        const struct lr_desired *prev)
{
    int r;
    /* A batman-adv setting the new state no longer makes goes back to the kernel's
     * default (what a mesh created without it has), unless its mesh goes away. */
    for (unsigned i = 0; i < prev->n_batadv; i++) {
        const struct lr_want_batadv *pb = &prev->batadv[i];
        bool keep = false;
        for (unsigned j = 0; j < want->n_batadv; j++)
            keep |= lr_batadv_same(pb, &want->batadv[j]);
        const struct lr_want_link *wm = wlink(want, pb->mesh);
        if (keep || !wm || strcmp(wm->kind, "batadv") || !lime_nl_batadv_setting_info(pb->setting))
            continue;
        const struct lime_nl_link *km = lr_klink(k, pb->mesh);
        if (!km || strcmp(km->kind, "batadv") || !link_matches(k, km, wm))
            continue; /* re-created below, with the defaults */
        if ((r = batadv_set(c, k, pb, lime_nl_batadv_setting_info(pb->setting)->kernel_default)))
            return r;
    }
    for (unsigned i = 0; i < prev->n_routes; i++) {
        bool keep = false;
        for (unsigned j = 0; j < want->n_routes; j++)
            keep |= lr_route_same(&prev->routes[i], &want->routes[j]);
        if (!keep && kroute(k, &prev->routes[i])) {
            struct lr_op op = {.kind = OP_ROUTE_DEL, .route = prev->routes[i]};
            if ((r = lr_change(c, &op)))
                return r;
        }
    }
    for (unsigned i = 0; i < prev->n_rules; i++) {
        bool keep = false;
        for (unsigned j = 0; j < want->n_rules; j++)
            keep |= lr_rule_same(&prev->rules[i], &want->rules[j]);
        if (!keep && krule(k, &prev->rules[i])) {
            struct lr_op op = {.kind = OP_RULE_DEL, .rule = prev->rules[i]};
            if ((r = lr_change(c, &op)))
                return r;
        }
    }
    for (unsigned i = 0; i < prev->n_addrs; i++) {
        bool keep = false;
        for (unsigned j = 0; j < want->n_addrs; j++)
            keep |= lr_addr_same(&prev->addrs[i], &want->addrs[j]);
        const struct lime_nl_addr *ka = kaddr(k, &prev->addrs[i]);
        if (!keep && ka) {
            struct lr_op op = {.kind = OP_ADDR_DEL, .addr = prev->addrs[i]};
            op.addr.rt_priority = ka->rt_priority;
            if ((r = lr_change(c, &op)))
                return r;
        }
    }
    /* Links: release ports the new state no longer enslaves, delete owned links it drops
     * (children first: reverse creation order). */
    for (unsigned i = prev->n_links; i-- > 0;) {
        const struct lr_want_link *pl = &prev->links[i];
        const struct lime_nl_link *kl = lr_klink(k, pl->name);
        if (!kl)
            continue;
        const struct lr_want_link *wl = NULL;
        for (unsigned j = 0; j < want->n_links; j++)
            if (!strcmp(want->links[j].name, pl->name))
                wl = &want->links[j];
        if (pl->kind[0] && !wl) {
            if ((r = delete_link(c, k, kl)))
                return r;
            if (!c->o->dry_run && (r = lr_kstate_load(c, k)))
                return r;
            continue;
        }
        if (pl->master[0] && (!wl || strcmp(wl->master, pl->master)) &&
            !strcmp(kname(k, kl->master), pl->master) && !(wl && wl->master[0])) {
            struct lr_op op = {.kind = OP_MASTER};
            snprintf(op.link.name, sizeof(op.link.name), "%s", pl->name);
            snprintf(op.old.master, sizeof(op.old.master), "%s", pl->master);
            if ((r = lr_change(c, &op)))
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
        const struct lime_nl_link *kl = lr_klink(k, w->name);
        if (w->kind[0] && kl && !link_matches(k, kl, w)) {
            log_warn("%s exists as a different device (%s): recreating it", w->name,
                     kl->kind[0] ? kl->kind : "plain");
            if ((r = delete_link(c, k, kl))) /* the inverse re-creates it as we found it */
                return r;
            kl = NULL;
        }
        const struct lr_want_link *wp = w->parent[0] ? wlink(want, w->parent) : NULL;
        if (!kl && w->kind[0] && w->parent[0] && !lr_klink(k, w->parent) &&
            !(c->o->dry_run && wp && wp->kind[0])) {
            /* a VLAN/macvlan on a device this host lacks (a radio it does not have) */
            log_warn("%s: its lower device %s does not exist on this host: skipped", w->name,
                     w->parent);
            continue;
        }
        if (!kl && w->kind[0]) {
            struct lr_op op = {.kind = OP_LINK_ADD, .link = *w};
            op.link.master[0] = 0;
            if ((r = lr_change(c, &op)))
                return r;
            if (c->o->dry_run)
                continue;
            if ((r = lr_kstate_load(c, k)))
                return r;
            kl = lr_klink(k, w->name);
        }
        if (!kl) {
            if (!c->o->dry_run)
                log_warn("device %s does not exist on this host: skipped", w->name);
            continue;
        }
        struct lr_op op = {0};
        snprintf(op.link.name, sizeof(op.link.name), "%s", w->name);
        if (w->mtu && kl->mtu != w->mtu) {
            op.kind = OP_MTU;
            op.link.mtu = w->mtu;
            op.old.mtu = kl->mtu;
            if ((r = lr_change(c, &op)))
                return r;
        }
        if (w->has_mac && (!kl->has_mac || memcmp(kl->mac, w->mac, 6))) {
            op.kind = OP_MAC;
            memcpy(op.link.mac, w->mac, 6);
            memcpy(op.old.mac, kl->mac, 6);
            if ((r = lr_change(c, &op)))
                return r;
        }
        if (w->master[0] && strcmp(kname(k, kl->master), w->master)) {
            op.kind = OP_MASTER;
            snprintf(op.link.master, sizeof(op.link.master), "%s", w->master);
            snprintf(op.old.master, sizeof(op.old.master), "%s", kname(k, kl->master));
            if ((r = lr_change(c, &op)))
                return r;
        }
        if (w->up && !(kl->flags & IFF_UP)) {
            op.kind = OP_UP;
            op.link.up = true;
            op.old.up = false;
            if ((r = lr_change(c, &op)))
                return r;
        }
    }
    return 0;
}

static int ensure_batadv(struct ctx *c, struct kstate *k, const struct lr_desired *want)
{
    int r;
    if (!want->n_batadv)
        return 0;
    if (!c->o->dry_run && (r = lr_kstate_load(c, k)))
        return r;
    for (unsigned i = 0; i < want->n_batadv; i++)
        if ((r = batadv_set(c, k, &want->batadv[i], want->batadv[i].value)))
            return r;
    return 0;
}

static int ensure_l3(struct ctx *c, struct kstate *k, const struct lr_desired *want)
{
    int r;
    if (!c->o->dry_run && (r = lr_kstate_load(c, k)))
        return r;
    for (unsigned i = 0; i < want->n_addrs; i++) {
        const struct lr_want_addr *w = &want->addrs[i];
        if (!lr_klink(k, w->ifname) && !(c->o->dry_run && in_want_links(want, w->ifname)))
            continue; /* device missing: warned above */
        const struct lime_nl_addr *ka = kaddr(k, w);
        if (ka && ka->rt_priority == w->rt_priority)
            continue;
        if (ka) {
            struct lr_op del = {.kind = OP_ADDR_DEL, .addr = *w};
            del.addr.rt_priority = ka->rt_priority;
            if ((r = lr_change(c, &del)))
                return r;
        }
        struct lr_op op = {.kind = OP_ADDR_ADD, .addr = *w};
        if ((r = lr_change(c, &op)))
            return r;
    }
    for (unsigned i = 0; i < want->n_rules; i++) {
        if (krule(k, &want->rules[i]))
            continue;
        struct lr_op op = {.kind = OP_RULE_ADD, .rule = want->rules[i]};
        if ((r = lr_change(c, &op)))
            return r;
    }
    if (!c->o->dry_run && (r = lr_kstate_load(c, k)))
        return r;
    for (unsigned i = 0; i < want->n_routes; i++) {
        const struct lr_want_route *w = &want->routes[i];
        if (kroute(k, w))
            continue;
        if (!lr_klink(k, w->oif) && !c->o->dry_run)
            continue;
        struct lr_op op = {.kind = OP_ROUTE_ADD, .route = *w};
        if ((r = lr_change(c, &op)))
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
    (*journal)->wifi = o->wifi;
    struct ctx c = {.nl = nl, .wifi = o->wifi, .o = o, .j = *journal};
    struct kstate k = {0};
    int r = lr_kstate_load(&c, &k);
    if (!r)
        r = remove_stale(&c, &k, want, prev);
    if (!r && !o->dry_run)
        r = lr_kstate_load(&c, &k);
    if (!r)
        r = lr_wifi_remove_stale(&c, &k, want, prev);
    if (!r)
        r = lr_wifi_ensure_ifaces(&c, &k, want);
    if (!r && !o->dry_run)
        r = lr_kstate_load(&c, &k);
    if (!r)
        r = ensure_links(&c, &k, want);
    if (!r)
        r = lr_wifi_ensure_joins(&c, &k, want, prev);
    if (!r)
        r = ensure_batadv(&c, &k, want);
    if (!r)
        r = ensure_l3(&c, &k, want);
    kstate_free(&k);
    return r ? -1 : c.done;
}
