/* Wireless modes (spec §2.13, §2.8 naming): one wifi-iface per (radio, mode).
 *   ap         mode ap,    wlanN-ap,     network lan
 *   apname     mode ap,    wlanN-apname, network lan
 *   apbb       mode ap,    wlanN-apbb,   network lm_net_wlanN_apbb
 *   apup       mode ap,    wlanN-apup,   network lan, apup 1, apup_peer_ifname_prefix
 *   ieee80211s mode mesh,  wlanN-mesh,   network lm_net_wlanN_mesh
 *   adhoc      mode adhoc, wlanN-adhoc,  network lm_net_wlanN_adhoc
 *   client     mode sta,   wlanN-sta,    network lm_net_wlanN_sta
 * Options: every merged key except the radio-level ones and those of other modes, with
 * the "<mode>_" prefix stripped; ssid values resolve %H, %M, %m and are cut to 32 bytes. */
#include "wifi_modes.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "template.h"

struct mode_def {
    const char *name;
    const char *owrt_mode;
    const char *suffix; /* ifname wlanN-<suffix> */
    bool on_lan;
    int iftype;         /* nl80211 interface type (nl80211.h) */
    const char *words;
};

static const struct mode_def modes[] = {
    {"ap", "ap", "ap", true, LIME_WIFI_AP, "an access point"},
    {"apname", "ap", "apname", true, LIME_WIFI_AP, "an access point"},
    {"apbb", "ap", "apbb", false, LIME_WIFI_AP, "an access point"},
    {"apup", "ap", "apup", true, LIME_WIFI_AP, "an access point"},
    {"ieee80211s", "mesh", "mesh", false, LIME_WIFI_MESH, "802.11s mesh"},
    {"adhoc", "adhoc", "adhoc", false, LIME_WIFI_ADHOC, "ad-hoc (IBSS)"},
    {"client", "sta", "sta", false, LIME_WIFI_STATION, "a client (station)"},
};

static const struct mode_def *mode_find(const char *name)
{
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
        if (!strcmp(modes[i].name, name))
            return &modes[i];
    return NULL;
}

int plan_wifi_mode_iftype(const char *mode)
{
    const struct mode_def *m = mode_find(mode);
    return m ? m->iftype : -1;
}

const char *plan_wifi_mode_words(const char *mode)
{
    const struct mode_def *m = mode_find(mode);
    return m ? m->words : mode;
}

/* Keys that configure the radio (or cron), never a wifi-iface. */
static bool radio_level_key(const char *k)
{
    static const char *const words[] = {"channel", "country", "legacy_rates", "txpower",
                                        "htmode", "distance", "unstuck_interval",
                                        "unstuck_timeout", "dynack", "phy_macaddr"};
    if (!strcmp(k, "modes") || k[0] == '.')
        return true;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strstr(k, words[i]))
            return true;
    return false;
}

static int add_opt(struct plan_ctx *ctx, struct plan_wifi_iface *wi, const char *k, const char *v)
{
    for (int i = 0; i < wi->n_opts; i++)
        if (!strcmp(wi->opts[i].key, k))
            return COPY(wi->opts[i].value, v) < 0 ? plan_ctx_fail(ctx, "wifi option %s too long", k) : 0;
    if (wi->n_opts >= PLAN_MAX_WIFI_OPTS)
        return plan_ctx_fail(ctx, "%s: too many options", wi->section);
    struct plan_kv *kv = &wi->opts[wi->n_opts++];
    if (COPY(kv->key, k) < 0 || COPY(kv->value, v) < 0)
        return plan_ctx_fail(ctx, "%s: option %s too long", wi->section, k);
    return 0;
}

int plan_wifi_mode_setup(struct plan_ctx *ctx, const struct plan_radio *r, const char *mode,
                    const struct plan_wopts *w)
{
    const struct mode_def *m = mode_find(mode);
    if (!m) {
        log_warn("wireless %s: mode '%s' not available in LiMe-C, skipped", r->name, mode);
        return 0;
    }
    struct plan *p = ctx->plan;
    if (p->n_wifi_ifaces >= PLAN_MAX_WIFI_IFACES)
        return plan_ctx_fail(ctx, "too many wifi interfaces (max %d)", PLAN_MAX_WIFI_IFACES);
    struct plan_wifi_iface *wi = &p->wifi_ifaces[p->n_wifi_ifaces++];
    memset(wi, 0, sizeof *wi);
    snprintf(wi->ifname, sizeof wi->ifname, "wlan%d-%s", r->index, m->suffix);
    char *net = lime_iface_sanitize(wi->ifname); /* lm_net_wlan0_mesh */
    if (!net)
        return plan_ctx_fail(ctx, "out of memory");
    /* lm_ + ifname with non-[A-Za-z0-9_] -> '_' + _radio */
    snprintf(wi->section, sizeof wi->section, "lm_%s_%s", net + strlen("lm_net_"), r->name);
    COPY(wi->network, m->on_lan ? "lan" : net);
    free(net);
    COPY(wi->radio, r->name);
    COPY(wi->lime_mode, m->name);
    COPY(wi->mode, m->owrt_mode);

    size_t mlen = strlen(m->name);
    for (int i = 0; i < w->n; i++) {
        const char *k = w->key[i];
        if (radio_level_key(k))
            continue;
        char first[32];
        size_t t = strcspn(k, "_");
        snprintf(first, sizeof first, "%.*s", (int)(t < sizeof first ? t : sizeof first - 1), k);
        if (mode_find(first) && strcmp(first, m->name))
            continue; /* another mode's option */
        const char *nk = (!strncmp(k, m->name, mlen) && k[mlen] == '_') ? k + mlen + 1 : k;
        if (!nk[0])
            continue;
        const char *v = lime_uci_option_value(w->opt[i]);
        if (!v)
            continue;
        if (lime_uci_option_is_list(w->opt[i]) && lime_uci_option_count(w->opt[i]) > 1)
            log_warn("wireless %s: list option %s: only its first value is used", wi->section, k);
        char *resolved = NULL;
        if (!strcmp(nk, "ssid")) {
            resolved = lime_ssid_resolve(v, p->hostname, p->primary_mac);
            if (!resolved)
                return plan_ctx_fail(ctx, "out of memory");
            v = resolved;
        }
        int rc = add_opt(ctx, wi, nk, v);
        free(resolved);
        if (rc < 0)
            return -1;
    }
    if (!strcmp(m->name, "apup")) {
        char prefix[PLAN_IFNAME_MAX];
        snprintf(prefix, sizeof prefix, "wlan%d-peer", r->index);
        if (add_opt(ctx, wi, "apup", "1") < 0 ||
            add_opt(ctx, wi, "apup_peer_ifname_prefix", prefix) < 0)
            return -1;
    }
    return 0;
}
