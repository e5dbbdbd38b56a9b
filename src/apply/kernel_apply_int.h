/* Internal to lime-apply's kernel diff (kernel_apply.c) and its Wi-Fi part
 * (wifi_apply.c): the diff's context, the kernel state read, the Wi-Fi steps. The
 * operations themselves are journal.h's. */
#ifndef LR_KERNEL_APPLY_INT_H
#define LR_KERNEL_APPLY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "desired.h"
#include "journal.h"
#include "kernel_apply.h"
#include "nl.h"
#include "nl80211.h"

struct ctx {
    struct lime_nl *nl;
    struct lime_nl_wifi *wifi; /* NULL: no nl80211 here */
    const struct lr_kernel_opts *o;
    struct lr_journal *j;
    int done; /* changes attempted */
};

/* batman-adv as read back: a mesh (hard = 0) or one of its hard interfaces. */
struct kbat {
    int mesh, hard;
    struct lime_nl_batadv_info info;
};

struct kstate {
    struct lime_nl_link *links;
    size_t n_links;
    struct kbat *bat;
    size_t n_bat;
    struct lime_nl_addr *addrs;
    size_t n_addrs;
    struct lime_nl_rule *rules;
    size_t n_rules;
    struct lime_nl_route *routes;
    size_t n_routes;
    struct lime_nl_wifi_iface *wifs; /* with ctx->wifi */
    size_t n_wifs;
    struct lime_nl_wifi_phy *phys;
    size_t n_phys;
};

/* Performs op and journals it (logged; dry run: only logged). 0 or -errno. */
int lr_change(struct ctx *c, const struct lr_op *op);
/* Re-reads the kernel (links, batman-adv, addresses, rules, routes; Wi-Fi with c->wifi). */
int lr_kstate_load(struct ctx *c, struct kstate *k);
const struct lime_nl_link *lr_klink(const struct kstate *k, const char *name);

/* wifi_apply.c */
/* The Wi-Fi interface called name in k, NULL if there is none. */
const struct lime_nl_wifi_iface *lr_kwifi(const struct kstate *k, const char *name);
/* Deletes owned Wi-Fi interfaces want drops, leaves joins want drops. */
int lr_wifi_remove_stale(struct ctx *c, struct kstate *k, const struct lr_desired *want,
                         const struct lr_desired *prev);
/* Creates the Wi-Fi interfaces want has (re-creates one of the wrong phy or type). */
int lr_wifi_ensure_ifaces(struct ctx *c, struct kstate *k, const struct lr_desired *want);
/* Sets the country, then (re)joins meshes and IBSSs whose settings changed (after the
 * links are up). */
int lr_wifi_ensure_joins(struct ctx *c, struct kstate *k, const struct lr_desired *want,
                         const struct lr_desired *prev);
/* Runs a Wi-Fi op (or its inverse); -ENOTSUP without nl80211. */
int lr_wifi_exec(struct lime_nl_wifi *w, struct lime_nl *nl, const struct lr_op *op, bool inverse);
void lr_wifi_describe(const struct lr_op *op, char *buf, size_t len);

#endif
