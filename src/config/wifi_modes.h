/* Wireless modes (spec §2.13): ap, apname, apbb, apup, ieee80211s, adhoc, client. Each
 * turns a radio plus the merged wifi options into one wifi-iface of the plan. */
#ifndef LIME_CONFIG_WIFI_MODES_H
#define LIME_CONFIG_WIFI_MODES_H

#include "ctx.h"

#define WOPTS_MAX 96

/* Merged wifi options: later overlays replace a key in place (first-seen order). */
struct wopts {
    const char *key[WOPTS_MAX];
    const struct lime_uci_option *opt[WOPTS_MAX];
    int n;
};

void wopts_overlay(struct wopts *w, const struct lime_uci_section *s);
const struct lime_uci_option *wopts_get(const struct wopts *w, const char *key);

/* Adds the wifi-iface of `mode` on radio r. An unknown mode is logged and skipped. */
int wifi_mode_setup(struct ctx *ctx, const struct plan_radio *r, const char *mode,
                    const struct wopts *w);

#endif
