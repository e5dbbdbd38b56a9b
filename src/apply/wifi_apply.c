/* lime-apply's Wi-Fi changes over nl80211, journaled like every other change (see
 * kernel_apply_int.h): interfaces on their phy, the country, and the open 802.11s mesh
 * and IBSS joins lime-apply makes itself.
 *
 * What "the same" means for a join: the kernel says the interface operates on the wanted
 * channel and width, the mesh's forwarding setting is the wanted one (the kernel reports
 * it), and the ownership record says lime-apply joined it with the same mesh ID,
 * multicast rate and beacon interval (the kernel reports neither the mesh ID nor those:
 * a mesh joined by hand with another ID is not noticed until something else changes). */
#include "kernel_apply_int.h"

#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const struct lime_nl_wifi_iface *lr_kwifi(const struct kstate *k, const char *name)
{
    for (size_t i = 0; i < k->n_wifs; i++)
        if (!strcmp(k->wifs[i].name, name))
            return &k->wifs[i];
    return NULL;
}

static const struct lime_nl_wifi_phy *kphy(const struct kstate *k, const char *name)
{
    for (size_t i = 0; i < k->n_phys; i++)
        if (!strcmp(k->phys[i].name, name))
            return &k->phys[i];
    return NULL;
}

static const char *kphy_name(const struct kstate *k, uint32_t index)
{
    for (size_t i = 0; i < k->n_phys; i++)
        if (k->phys[i].index == index)
            return k->phys[i].name;
    return "?";
}

static const struct lr_want_wifi *find(const struct lr_desired *d, const char *name)
{
    for (unsigned i = 0; i < d->n_wifi; i++)
        if (!strcmp(d->wifi[i].name, name))
            return &d->wifi[i];
    return NULL;
}

/* The interface as the kernel has it, for the inverse of deleting it (with the join the
 * record says lime-apply made, when the kernel shows it joined). */
static void as_found(const struct kstate *k, const struct lime_nl_wifi_iface *kw,
                     const struct lr_want_wifi *rec, struct lr_op *op)
{
    struct lr_want_wifi *w = &op->wifi;
    memset(w, 0, sizeof(*w));
    snprintf(w->name, sizeof(w->name), "%s", kw->name);
    snprintf(w->phy, sizeof(w->phy), "%s", kphy_name(k, kw->phy));
    w->wiphy = kw->phy;
    w->iftype = kw->iftype;
    w->has_mac = true;
    memcpy(w->mac, kw->mac, 6);
    if (rec && rec->join && kw->freq) {
        w->join = rec->join;
        w->j = rec->j;
    }
    const struct lime_nl_link *kl = lr_klink(k, kw->name);
    snprintf(op->link.name, sizeof(op->link.name), "%s", kw->name);
    op->link.up = kl && (kl->flags & IFF_UP);
    op->link.mtu = kl ? kl->mtu : 0;
}

static bool type_ok(uint32_t have, const struct lr_want_wifi *w)
{
    /* hostapd and wpa_supplicant put their interface back to managed when they stop */
    return have == w->iftype || (w->daemon && have == LIME_WIFI_STATION);
}

int lr_wifi_remove_stale(struct ctx *c, struct kstate *k, const struct lr_desired *want,
                         const struct lr_desired *prev)
{
    if (!c->wifi)
        return 0;
    int r;
    for (unsigned i = prev->n_wifi; i-- > 0;) {
        const struct lr_want_wifi *pw = &prev->wifi[i];
        const struct lime_nl_wifi_iface *kw = lr_kwifi(k, pw->name);
        if (!kw)
            continue;
        const struct lr_want_wifi *ww = find(want, pw->name);
        struct lr_op op = {0};
        if (!ww) {
            op.kind = OP_WIFI_DEL;
            as_found(k, kw, pw, &op);
        } else if (pw->join && !ww->join && kw->freq) {
            op.kind = OP_LEAVE; /* e.g. the mesh got a key: wpa_supplicant joins from now on */
            op.wifi = *pw;
        } else
            continue;
        if ((r = lr_change(c, &op)))
            return r;
    }
    return 0;
}

int lr_wifi_ensure_ifaces(struct ctx *c, struct kstate *k, const struct lr_desired *want)
{
    if (!want->n_wifi)
        return 0;
    if (!c->wifi) {
        log_err("the plan has Wi-Fi interfaces but this kernel has no nl80211");
        return -ENODEV;
    }
    int r;
    for (unsigned i = 0; i < want->n_wifi; i++) {
        const struct lr_want_wifi *ww = &want->wifi[i];
        const struct lime_nl_wifi_phy *ph = kphy(k, ww->phy);
        if (!ph) {
            log_err("%s: its radio %s is gone", ww->name, ww->phy);
            return -ENODEV;
        }
        const struct lime_nl_wifi_iface *kw = lr_kwifi(k, ww->name);
        if (!kw && lr_klink(k, ww->name)) {
            log_err("%s exists and is not a Wi-Fi interface: rename or remove it", ww->name);
            return -EEXIST;
        }
        if (kw && (kw->phy != ph->index || !type_ok(kw->iftype, ww) ||
                   (ww->has_mac && memcmp(kw->mac, ww->mac, 6)))) {
            log_warn("%s exists as a %s interface of %s: re-creating it", ww->name,
                     lime_wifi_iftype_name(kw->iftype), kphy_name(k, kw->phy));
            struct lr_op del = {.kind = OP_WIFI_DEL};
            as_found(k, kw, NULL, &del);
            if ((r = lr_change(c, &del)))
                return r;
            kw = NULL;
        }
        if (kw)
            continue;
        struct lr_op op = {.kind = OP_WIFI_ADD, .wifi = *ww};
        op.wifi.wiphy = ph->index;
        op.wifi.join = 0;
        if ((r = lr_change(c, &op)))
            return r;
    }
    return 0;
}

static bool join_same(const struct lime_nl_wifi_join *a, const struct lime_nl_wifi_join *b)
{
    return a->ssid_len == b->ssid_len && !memcmp(a->ssid, b->ssid, a->ssid_len) &&
           a->freq == b->freq && a->width == b->width && a->center1 == b->center1 &&
           a->mcast_rate == b->mcast_rate && a->beacon_interval == b->beacon_interval &&
           a->forwarding == b->forwarding && a->nolearn == b->nolearn &&
           a->has_bssid == b->has_bssid && (!a->has_bssid || !memcmp(a->bssid, b->bssid, 6));
}

/* Is the kernel's interface joined as ww wants it (see the top of the file)? */
static bool joined_as_wanted(struct ctx *c, const struct lime_nl_wifi_iface *kw,
                             const struct lr_want_wifi *ww, const struct lr_want_wifi *pw)
{
    const struct lime_nl_wifi_join *j = &ww->j;
    if (!kw->freq || kw->freq != j->freq || kw->width != j->width ||
        (j->center1 && kw->center1 && kw->center1 != j->center1))
        return false;
    if (!pw || pw->join != ww->join || !join_same(&pw->j, j))
        return false;
    if (ww->join == 'm' && (j->forwarding >= 0 || j->nolearn >= 0)) {
        int fwd = -1, nolearn = -1;
        if (lime_nl_wifi_mesh_params(c->wifi, kw->ifindex, &fwd, &nolearn) < 0)
            return false;
        if ((j->forwarding >= 0 && fwd >= 0 && fwd != j->forwarding) ||
            (j->nolearn >= 0 && nolearn >= 0 && nolearn != j->nolearn))
            return false;
    }
    return true;
}

int lr_wifi_ensure_joins(struct ctx *c, struct kstate *k, const struct lr_desired *want,
                         const struct lr_desired *prev)
{
    if (!c->wifi || !want->n_wifi)
        return 0;
    int r;
    if (want->country[0]) {
        char now[3] = "";
        if ((r = lime_nl_wifi_reg_get(c->wifi, now)) < 0) {
            log_err("reading the regulatory domain: %s", strerror(-r));
            return r;
        }
        if (strcmp(now, want->country)) {
            struct lr_op op = {.kind = OP_COUNTRY};
            memcpy(op.country, want->country, 3);
            memcpy(op.old_country, now, 3);
            if ((r = lr_change(c, &op)))
                return r;
        }
    }
    if (!c->o->dry_run && (r = lr_kstate_load(c, k)))
        return r;
    for (unsigned i = 0; i < want->n_wifi; i++) {
        const struct lr_want_wifi *ww = &want->wifi[i];
        if (!ww->join)
            continue;
        const struct lime_nl_wifi_iface *kw = lr_kwifi(k, ww->name);
        const struct lr_want_wifi *pw = find(prev, ww->name);
        if (kw && joined_as_wanted(c, kw, ww, pw))
            continue;
        if (kw && kw->freq) {
            struct lr_op leave = {.kind = OP_LEAVE};
            if (pw && pw->join == ww->join)
                leave.wifi = *pw;
            else { /* joined by someone else: undoing rejoins what the kernel shows */
                leave.wifi = *ww;
                leave.wifi.j.freq = kw->freq;
                leave.wifi.j.width = kw->width;
                leave.wifi.j.center1 = kw->center1;
            }
            if ((r = lr_change(c, &leave)))
                return r;
        }
        /* one channel per radio: whatever else of this phy runs on another channel
         * (an access point of the old channel) goes down until its daemon restarts */
        for (size_t x = 0; kw && x < k->n_wifs; x++) {
            const struct lime_nl_wifi_iface *o = &k->wifs[x];
            const struct lime_nl_link *ol = lr_klink(k, o->name);
            if (o == kw || o->phy != kw->phy || !o->freq || o->freq == ww->j.freq || !ol ||
                !(ol->flags & IFF_UP))
                continue;
            const struct lr_want_wifi *ow = find(want, o->name);
            struct lr_op op = {0};
            if (ow && ow->join && o->iftype == (ow->join == 'm' ? LIME_WIFI_MESH : LIME_WIFI_ADHOC)) {
                op.kind = OP_LEAVE; /* it is rejoined on the new channel below */
                op.wifi = *ow;
                const struct lr_want_wifi *opw = find(prev, o->name);
                if (opw && opw->join)
                    op.wifi = *opw;
            } else {
                op.kind = OP_UP;
                snprintf(op.link.name, sizeof(op.link.name), "%s", o->name);
                op.link.up = false;
                op.old.up = true;
            }
            if ((r = lr_change(c, &op)))
                return r;
        }
        struct lr_op join = {.kind = OP_JOIN, .wifi = *ww};
        if ((r = lr_change(c, &join)))
            return r;
    }
    return 0;
}

static int do_join(struct lime_nl_wifi *w, int idx, const struct lr_want_wifi *x)
{
    return x->join == 'm' ? lime_nl_wifi_mesh_join(w, idx, &x->j) : lime_nl_wifi_ibss_join(w, idx, &x->j);
}

static int do_leave(struct lime_nl_wifi *w, int idx, const struct lr_want_wifi *x)
{
    return x->join == 'm' ? lime_nl_wifi_mesh_leave(w, idx) : lime_nl_wifi_ibss_leave(w, idx);
}

/* The kernel applies a new regulatory domain asynchronously: wait (up to 3 s) until it
 * reports it, so a join right after uses the new channel rules. */
static int set_country(struct lime_nl_wifi *w, const char *alpha2)
{
    int r = lime_nl_wifi_reg_set(w, alpha2);
    if (r)
        return r;
    for (int i = 0; i < 60; i++) {
        char now[3] = "";
        if (lime_nl_wifi_reg_get(w, now) == 0 && !strcmp(now, alpha2))
            return 0;
        nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    }
    return -ETIMEDOUT;
}

/* Re-creates a deleted interface as it was (type, MAC, MTU, up, join). */
static int restore(struct lime_nl_wifi *w, struct lime_nl *nl, const struct lr_op *op)
{
    const struct lr_want_wifi *x = &op->wifi;
    int r = lime_nl_wifi_iface_add(w, x->wiphy, x->name, x->iftype, x->has_mac ? x->mac : NULL);
    if (r)
        return r;
    int idx = lime_nl_ifindex(nl, x->name);
    if (!idx)
        return -ENODEV;
    if (op->link.mtu && (r = lime_nl_link_set_mtu(nl, idx, op->link.mtu)))
        return r;
    if (op->link.up && (r = lime_nl_link_set_up(nl, idx, true)))
        return r;
    return x->join ? do_join(w, idx, x) : 0;
}

int lr_wifi_exec(struct lime_nl_wifi *w, struct lime_nl *nl, const struct lr_op *op, bool inverse)
{
    if (!w)
        return -ENOTSUP;
    const struct lr_want_wifi *x = &op->wifi;
    int idx = lime_nl_ifindex(nl, x->name);
    switch (op->kind) {
    case OP_WIFI_ADD:
        if (inverse)
            return idx ? lime_nl_wifi_iface_del(w, idx) : -ENODEV;
        return lime_nl_wifi_iface_add(w, x->wiphy, x->name, x->iftype, x->has_mac ? x->mac : NULL);
    case OP_WIFI_DEL:
        if (inverse)
            return restore(w, nl, op);
        return idx ? lime_nl_wifi_iface_del(w, idx) : -ENODEV;
    case OP_JOIN:
    case OP_LEAVE:
        if (!idx)
            return -ENODEV;
        return (op->kind == OP_JOIN) != inverse ? do_join(w, idx, x) : do_leave(w, idx, x);
    case OP_COUNTRY:
        return set_country(w, inverse ? op->old_country : op->country);
    default:
        return -EINVAL;
    }
}

void lr_wifi_describe(const struct lr_op *op, char *buf, size_t len)
{
    const struct lr_want_wifi *x = &op->wifi;
    const char *what = x->join == 'i' ? "IBSS" : "mesh";
    switch (op->kind) {
    case OP_WIFI_ADD:
        snprintf(buf, len, "create Wi-Fi interface %s (%s on %s)", x->name,
                 lime_wifi_iftype_name(x->iftype), x->phy);
        break;
    case OP_WIFI_DEL:
        snprintf(buf, len, "delete Wi-Fi interface %s (%s on %s)", x->name,
                 lime_wifi_iftype_name(x->iftype), x->phy);
        break;
    case OP_JOIN:
        snprintf(buf, len, "join %s %s '%.*s' on %u MHz (%s)", x->name, what, (int)x->j.ssid_len,
                 x->j.ssid, x->j.freq, x->phy);
        break;
    case OP_LEAVE:
        snprintf(buf, len, "leave %s %s '%.*s'", x->name, what, (int)x->j.ssid_len, x->j.ssid);
        break;
    case OP_COUNTRY:
        snprintf(buf, len, "set the Wi-Fi country to %s (was %s)", op->country,
                 op->old_country[0] ? op->old_country : "unset");
        break;
    default:
        snprintf(buf, len, "Wi-Fi operation %d", (int)op->kind);
    }
}
