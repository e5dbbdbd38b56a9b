/* The uci backend: renders the plan into the files upstream's lime-config leaves on an
 * OpenWrt node, starting from the files that exist under ROOT (it edits OpenWrt's
 * network, wireless, dhcp, firewall, system, uhttpd; it rewrites babeld and lime-autogen;
 * it writes the nft anycast rules and the dnsmasq IPv6 snippet).
 *
 * Two steps, so that an error writes nothing: plan_uci_render() computes every output
 * in memory (reading only), then plan_uci_commit() writes the files whose bytes
 * changed, each atomically (temp + rename), or plan_uci_diff() shows them. */
#ifndef LIME_CONFIG_BACKEND_UCI_H
#define LIME_CONFIG_BACKEND_UCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "plan.h"
#include "uci.h"

/* For the package renderers (backend_uci_*.c): return -1 when a step fails. */
#define TRY(x)                                                                            \
    do {                                                                                  \
        if ((x) < 0)                                                                      \
            return -1;                                                                    \
    } while (0)

/* Sets option k of s to the decimal v. 0 or -1. */
int plan_uci_sec_set_num(struct lime_uci_section *s, const char *k, unsigned long v);

#define UCI_OUT_MAX 24

struct plan_uci_out_file {
    char rel[160];   /* path under ROOT, e.g. "/etc/config/network" */
    bool existed;    /* the file was there before */
    char *old;       /* its bytes (NULL if it did not exist) */
    size_t old_len;
    char *data;      /* the new bytes */
    size_t len;
    mode_t mode;
};

struct plan_uci_outputs {
    struct plan_uci_out_file files[UCI_OUT_MAX];
    int n;
};

/* Computes every output file. 0, or -1 with err filled (nothing allocated remains). */
int plan_uci_render(const char *root, const struct plan *plan, struct plan_uci_outputs *out,
                       struct plan_error *err);
/* True if the file's new bytes differ from the old ones (or it is new). */
bool plan_uci_out_changed(const struct plan_uci_out_file *f);
/* Writes the changed files; returns the number written, or -1 with err filled. */
int plan_uci_commit(const char *root, const struct plan_uci_outputs *out, struct plan_error *err);
/* Unified diff (diff -u) of every changed file to `to`; 0 or -1. */
int plan_uci_diff(const struct plan_uci_outputs *out, FILE *to);
void plan_uci_outputs_free(struct plan_uci_outputs *out);
/* run_asset scripts (after commit, never on --dry-run). 0, or -1 if any failed (each
 * failure is logged; the others still run). */
int plan_uci_run_assets(const char *root, const struct plan *plan);
/* Init scripts as upstream's lime-config leaves them (after commit, never on --dry-run):
 * odhcpd enabled iff network.use_odhcpd, dnsmasq enabled when anygw runs. 0, or -1 if
 * one failed (logged). */
int plan_uci_services(const char *root, const struct plan *plan);
/* `/etc/init.d/<name> enable|disable` under ROOT (rc.d symlinks from the script's
 * START=/STOP=); a script that is not there is left alone (0). 0 or -1. */
int plan_service_set_enabled(const char *root, const char *name, bool enable);

/* Sets option k to the list items[0..n) unless it already is exactly that list (so a
 * rerun keeps the option's place); n == 0 deletes it. 0 or -errno. */
int plan_uci_set_list_keep(struct lime_uci_section *s, const char *k, const char *const *items, size_t n);

/* ---- internal: the package editors (backend_uci_net.c, backend_uci_svc.c) ---- */
int plan_uci_apply_network(struct lime_uci_package *net, const struct plan *plan);
int plan_uci_apply_wireless(struct lime_uci_package *wl, const struct plan *plan);
int plan_uci_apply_dhcp(struct lime_uci_package *dhcp, const struct plan *plan);
int plan_uci_render_babeld(struct lime_uci_package *babeld, const struct plan *plan);
int plan_uci_apply_firewall(struct lime_uci_package *fw, const struct plan *plan);
int plan_uci_apply_system(struct lime_uci_package *sys, const struct plan *plan);
int plan_uci_apply_uhttpd(struct lime_uci_package *uh, const struct plan *plan);
/* alfred.alfred.batmanif: bat0 with batman-adv, else none when lan runs (only if the
 * package has its `alfred` section, i.e. alfred is installed). */
int plan_uci_apply_alfred(struct lime_uci_package *al, const struct plan *plan);
/* The root password policy: *new_text is the new ROOT/etc/shadow (NULL: no change) and
 * *old_text its previous bytes (for shadow-). 0, or -1 with err (unreadable shadow). */
int plan_uci_shadow_text(const char *root, const struct plan *plan, char **new_text, char **old_text,
                    size_t *old_len, struct plan_error *err);
/* A copy_asset's bytes and mode, or NULL (logged) if missing. */
char *plan_uci_asset_read(const char *root, const struct plan_asset *a, size_t *len, mode_t *mode);
/* dnsmasq's IPv6 RA/DHCPv6 snippet (§2.4); malloc'd. */
char *plan_uci_dnsmasq_ipv6_conf(const struct plan *plan);

#endif
