/* Wireless modes (spec §2.13): ap, apname, apbb, apup, ieee80211s, adhoc, client. Each
 * turns a radio plus the merged wifi options into one wifi-iface of the plan. */
#ifndef LIME_CONFIG_WIFI_MODES_H
#define LIME_CONFIG_WIFI_MODES_H

#include "ctx.h"

#define WOPTS_MAX 96

/* Merged wifi options: later overlays replace a key in place (first-seen order). */
struct plan_wopts {
    const char *key[WOPTS_MAX];
    const struct lime_uci_option *opt[WOPTS_MAX];
    int n;
};

void plan_wopts_overlay(struct plan_wopts *w, const struct lime_uci_section *s);
const struct lime_uci_option *plan_wopts_get(const struct plan_wopts *w, const char *key);

/* Adds the wifi-iface of `mode` on radio r. An unknown mode is logged and skipped. */
int plan_wifi_mode_setup(struct plan_ctx *ctx, const struct plan_radio *r, const char *mode,
                    const struct plan_wopts *w);

/* The nl80211 interface type a mode needs (LIME_WIFI_*), -1 for an unknown mode. */
int plan_wifi_mode_iftype(const char *mode);
/* What the mode is, for messages: "802.11s mesh", "an access point", ... */
const char *plan_wifi_mode_words(const char *mode);

#endif
