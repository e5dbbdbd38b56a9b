/* lime.wireless (spec §2.13): radios (OpenWrt wifi-device sections of ROOT/etc/config/
 * wireless) get channel/htmode/distance; each of their modes becomes a wifi-iface
 * (wifi_modes.c). Options merge per key: lime `wifi` < band (`2ghz`/`5ghz`) < `config
 * wifi <radio>`. */
#include "ctx.h"

#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"

#include "log.h"
#include "wifi_modes.h"

bool plan_wireless_hwmodes_5ghz(const char *const *modes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(modes[i], "a") || !strcmp(modes[i], "ac"))
            return true;
    return false;
}

static int radio_number(const char *name)
{
    const char *p = name + strlen(name);
    while (p > name && isdigit((unsigned char)p[-1]))
        p--;
    return *p ? atoi(p) : -1;
}

static const char *sec_opt(const struct lime_uci_section *s, const char *name)
{
    const struct lime_uci_option *o = lime_uci_option_get(s, name);
    return o ? lime_uci_option_value(o) : NULL;
}

/* is5Ghz: band option (6g counts as 5g), then the legacy hwmode, then the channel. */
static bool radio_is_5ghz(const struct lime_uci_section *s)
{
    const char *band = sec_opt(s, "band");
    if (band)
        return !strcmp(band, "5g") || !strcmp(band, "6g");
    const char *hwmode = sec_opt(s, "hwmode");
    if (hwmode)
        return strchr(hwmode, 'a') != NULL; /* 11a, 11ac */
    const char *ch = sec_opt(s, "channel");
    if (ch && isdigit((unsigned char)ch[0])) {
        long c = strtol(ch, NULL, 10);
        return c >= 32 && c < 178;
    }
    return false;
}

struct radio_src {
    const struct lime_uci_section *sec;
    int number;
};

static int radio_cmp(const void *a, const void *b)
{
    const struct radio_src *x = a, *y = b;
    if (x->number != y->number)
        return x->number < y->number ? -1 : 1;
    return strcmp(lime_uci_section_name(x->sec), lime_uci_section_name(y->sec));
}

void plan_wopts_overlay(struct plan_wopts *w, const struct lime_uci_section *s)
{
    if (!s)
        return;
    struct lime_uci_option *o;
    lime_uci_foreach_option(s, o)
    {
        const char *k = lime_uci_option_name(o);
        int i;
        for (i = 0; i < w->n; i++)
            if (!strcmp(w->key[i], k))
                break;
        if (i == w->n) {
            if (w->n >= WOPTS_MAX)
                continue;
            w->n++;
        }
        w->key[i] = k;
        w->opt[i] = o;
    }
}

const struct lime_uci_option *plan_wopts_get(const struct plan_wopts *w, const char *key)
{
    for (int i = 0; i < w->n; i++)
        if (!strcmp(w->key[i], key))
            return w->opt[i];
    return NULL;
}

static const char *wopt_str(const struct plan_wopts *w, const char *key)
{
    const struct lime_uci_option *o = plan_wopts_get(w, key);
    return o ? lime_uci_option_value(o) : NULL;
}

/* get_distance without the dynack probe (no `iw` here): the configured value, and for
 * "auto" the band default. */
static const char *radio_distance(const struct plan_wopts *w, bool is5)
{
    const char *d = wopt_str(w, "distance");
    if (!d || !strcmp(d, "auto"))
        return is5 ? "10000" : "1000";
    return d;
}

/* The radio's phy under SYSFS/class/ieee80211: the one whose device link ends with the
 * radio's `path` option (as OpenWrt matches them), else phy<N> for radioN. */
static void find_phy(struct plan_ctx *ctx, const struct lime_uci_section *dev, struct plan_radio *r)
{
    char dir[PATH_MAX];
    plan_ctx_sys_path(ctx, "/class/ieee80211", dir, sizeof dir);
    const char *path = sec_opt(dev, "path");
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && path && path[0] && (de = readdir(d))) {
        char link[PATH_MAX + 300], target[PATH_MAX];
        snprintf(link, sizeof link, "%s/%s/device", dir, de->d_name);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (de->d_name[0] == '.' || n <= 0)
            continue;
        target[n] = '\0';
        size_t tl = (size_t)n, pl = strlen(path);
        if (tl >= pl && !strcmp(target + tl - pl, path) && (tl == pl || target[tl - pl - 1] == '/')) {
            COPY(r->phy, de->d_name);
            break;
        }
    }
    if (d)
        closedir(d);
    if (!r->phy[0]) {
        char phy[32], p2[PATH_MAX + 40];
        snprintf(phy, sizeof phy, "phy%d", r->index);
        snprintf(p2, sizeof p2, "%s/%s", dir, phy);
        if (access(p2, F_OK) == 0)
            COPY(r->phy, phy);
    }
    if (r->phy[0]) {
        char p3[PATH_MAX + 80];
        snprintf(p3, sizeof p3, "%s/%s/macaddress", dir, r->phy);
        char *text = lime_read_file(p3, 4096, NULL);
        if (text) {
            text[strcspn(text, "\r\n")] = '\0';
            r->has_phy_mac = lime_mac_parse(text, r->phy_mac) == 0;
            free(text);
        }
    }
}

void plan_radio_error(struct plan_ctx *ctx, const char *fmt, ...)
{
    struct plan *p = ctx->plan;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    log_err("%s", msg);
    if (p->n_radio_errors < PLAN_MAX_RADIO_ERRORS)
        COPY(p->radio_errors[p->n_radio_errors++], msg);
}

/* A live radio's phy facts: MAC from SYSFS/class/ieee80211/<phy>/macaddress. */
static void live_phy(struct plan_ctx *ctx, const struct lime_nl_wifi_phy *ph, struct plan_radio *r)
{
    r->live = true;
    r->wiphy = ph->index;
    r->iftypes = ph->iftypes;
    COPY(r->phy, ph->name);
    char dir[PATH_MAX], p3[PATH_MAX + 80];
    plan_ctx_sys_path(ctx, "/class/ieee80211", dir, sizeof dir);
    snprintf(p3, sizeof p3, "%s/%s/macaddress", dir, r->phy);
    char *text = lime_read_file(p3, 4096, NULL);
    if (text) {
        text[strcspn(text, "\r\n")] = '\0';
        r->has_phy_mac = lime_mac_parse(text, r->phy_mac) == 0;
        free(text);
    }
}

/* The live radio's channel: known, enabled, and (without a country) one where it may
 * start a network. false (the radio's error recorded) if not. */
static bool live_channel_ok(struct plan_ctx *ctx, const struct lime_nl_wifi_phy *ph, struct plan_radio *r)
{
    if (!r->channel[0] || !strcmp(r->channel, "auto"))
        return true;
    char *end;
    long ch = strtol(r->channel, &end, 10);
    uint32_t freq = *end ? 0 : lime_wifi_chan_freq((int)ch, r->is_5ghz);
    const struct lime_nl_wifi_chan *c = NULL;
    for (int b = 0; freq && b < ph->n_bands; b++)
        for (int k = 0; k < ph->bands[b].n_chans; k++)
            if (ph->bands[b].chans[k].freq == freq)
                c = &ph->bands[b].chans[k];
    if (!c || c->disabled) {
        plan_radio_error(ctx, "%s (%s): channel %s is not available on this radio%s: its "
                         "modes are left out", r->name, r->phy, r->channel,
                         c ? " (disabled)" : "");
        return false;
    }
    if (c->no_ir && !r->country[0]) {
        plan_radio_error(ctx, "%s (%s): channel %s (%u MHz) may not start a network without a "
                         "country (set wifi option country, e.g. in lime-community): its "
                         "modes are left out", r->name, r->phy, r->channel, freq);
        return false;
    }
    uint32_t w, c1;
    if (lime_wifi_chandef(freq, r->htmode, &w, &c1) < 0) {
        plan_radio_error(ctx, "%s (%s): htmode '%s' is not possible on channel %s: its modes "
                         "are left out", r->name, r->phy, r->htmode, r->channel);
        return false;
    }
    r->freq = freq;
    return true;
}

/* The live radio's interface types, in words ("managed, AP"). */
static void iftype_list(uint32_t types, char *buf, size_t len)
{
    buf[0] = 0;
    static const unsigned shown[] = {LIME_WIFI_STATION, LIME_WIFI_AP, LIME_WIFI_MESH, LIME_WIFI_ADHOC};
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++)
        if (types & (1u << shown[i]))
            snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", buf[0] ? ", " : "",
                     lime_wifi_iftype_name(shown[i]));
    if (!buf[0])
        snprintf(buf, len, "none of managed, AP, mesh point, IBSS");
}

/* The modes a live radio keeps: each one's interface type must be supported, and all of
 * them together must fit one of the phy's interface combinations (single channel); the
 * modes that do not are left out, last first, each with its error. */
static int live_modes(struct plan_ctx *ctx, const struct lime_nl_wifi_phy *ph, struct plan_radio *r,
                      const char *const *modes, size_t n_modes, bool keep[])
{
    unsigned count[16] = {0};
    for (size_t i = 0; i < n_modes; i++) {
        keep[i] = false;
        int t = plan_wifi_mode_iftype(modes[i]);
        if (t < 0)
            continue; /* unknown: plan_wifi_mode_setup says so */
        if (!(ph->iftypes & (1u << t))) {
            char can[96];
            iftype_list(ph->iftypes, can, sizeof can);
            plan_radio_error(ctx, "%s (%s): cannot do %s (%s interfaces; it can do: %s): mode "
                             "%s left out", r->name, r->phy, plan_wifi_mode_words(modes[i]),
                             lime_wifi_iftype_name((unsigned)t), can, modes[i]);
            continue;
        }
        count[t]++;
        keep[i] = true;
    }
    for (size_t i = n_modes; i-- > 0 && !lime_nl_wifi_comb_fits(ph, count);) {
        if (!keep[i])
            continue;
        keep[i] = false;
        count[plan_wifi_mode_iftype(modes[i])]--;
        plan_radio_error(ctx, "%s (%s): its interface combinations do not allow mode %s beside "
                         "the others on one channel: mode %s left out", r->name, r->phy,
                         modes[i], modes[i]);
    }
    return 0;
}

static int configure_radio(struct plan_ctx *ctx, const struct lime_uci_section *dev,
                           const struct lime_nl_wifi_phy *ph, const char *name, int number,
                           int per_band, bool is5)
{
    struct plan *p = ctx->plan;
    if (p->n_radios >= PLAN_MAX_RADIOS)
        return plan_ctx_fail(ctx, "too many radios (max %d)", PLAN_MAX_RADIOS);
    struct plan_radio *r = &p->radios[p->n_radios++];
    memset(r, 0, sizeof *r);
    if (COPY(r->name, name) < 0)
        return plan_ctx_fail(ctx, "wireless: radio name too long: %s", name);
    r->index = number;
    r->per_band_index = per_band;
    r->is_5ghz = is5;
    if (ph)
        live_phy(ctx, ph, r);
    else
        find_phy(ctx, dev, r);
    struct plan_wopts w = {0};
    plan_wopts_overlay(&w, lime_uci_section_get(ctx->conf, "wifi"));
    plan_wopts_overlay(&w, lime_uci_section_get(ctx->conf, is5 ? "5ghz" : "2ghz"));
    const struct lime_uci_section *spec = lime_uci_section_get(ctx->conf, name);
    if (spec && !strcmp(lime_uci_section_type(spec), "wifi"))
        plan_wopts_overlay(&w, spec);

    /* modes: upstream needs a list; a plain option is accepted as a list of one */
    const struct lime_uci_option *mo = plan_wopts_get(&w, "modes");
    size_t n_modes = 0;
    const char *const *modes = mo ? lime_uci_option_items(mo, &n_modes) : NULL;
    if (!n_modes || !strcmp(modes[0], "manual")) {
        r->manual = true;
        log_info("wireless: %s is manual, left alone", name);
        return 0;
    }
    bool client = !strcmp(modes[0], "client");
    const struct lime_uci_option *co = plan_wopts_get(&w, "channel");
    const char *channel = NULL;
    if (co) {
        size_t nc;
        const char *const *ch = lime_uci_option_items(co, &nc);
        if (nc)
            channel = ch[(size_t)per_band % nc];
    }
    if (!channel && client)
        channel = "auto";
    if (channel && COPY(r->channel, channel) < 0)
        return plan_ctx_fail(ctx, "wireless %s: channel too long", name);
    const char *v;
    if ((v = wopt_str(&w, "htmode")))
        COPY(r->htmode, v);
    COPY(r->distance, radio_distance(&w, is5));
    if ((v = wopt_str(&w, "country")))
        COPY(r->country, v);
    if ((v = wopt_str(&w, "txpower")))
        COPY(r->txpower, v);
    if (!is5 && (v = wopt_str(&w, "legacy_rates")))
        COPY(r->legacy_rates, v);

    bool keep[64];
    if (n_modes > 64)
        return plan_ctx_fail(ctx, "wireless %s: too many modes", name);
    for (size_t i = 0; i < n_modes; i++)
        keep[i] = true;
    if (ph && (!live_channel_ok(ctx, ph, r) || live_modes(ctx, ph, r, modes, n_modes, keep) < 0))
        for (size_t i = 0; i < n_modes; i++) /* the radio's channel is unusable */
            keep[i] = false;
    for (size_t i = 0; i < n_modes; i++)
        if (keep[i] && plan_wifi_mode_setup(ctx, r, modes[i], &w) < 0)
            return -1;
    return 0;
}

/* Live radios: radio<i> for the i-th phy (they come sorted by wiphy index). */
static int configure_live(struct plan_ctx *ctx)
{
    int per_band[2] = {0, 0};
    size_t n = ctx->opt->n_live_phys;
    if (n > PLAN_MAX_RADIOS) {
        log_warn("wireless: %zu radios, only the first %d are used", n, PLAN_MAX_RADIOS);
        n = PLAN_MAX_RADIOS;
    }
    for (size_t i = 0; i < n; i++) {
        const struct lime_nl_wifi_phy *ph = &ctx->opt->live_phys[i];
        bool has2 = false, has5 = false;
        for (int b = 0; b < ph->n_bands; b++)
            for (int k = 0; k < ph->bands[b].n_chans; k++)
                if (!ph->bands[b].chans[k].disabled) {
                    has2 |= ph->bands[b].band == 0;
                    has5 |= ph->bands[b].band == 1 || ph->bands[b].band == 3;
                }
        if (!has2 && !has5) {
            log_warn("wireless: %s has no usable channel, skipped", ph->name);
            continue;
        }
        bool is5 = !has2;
        char name[16];
        snprintf(name, sizeof name, "radio%zu", i);
        if (configure_radio(ctx, NULL, ph, name, (int)i, per_band[is5]++, is5) < 0)
            return -1;
    }
    return 0;
}

int plan_wireless_configure(struct plan_ctx *ctx)
{
    if (ctx->opt->live_radios)
        return configure_live(ctx);
    struct radio_src src[PLAN_MAX_RADIOS];
    int n = 0;
    if (ctx->wireless_in) {
        struct lime_uci_section *s;
        lime_uci_foreach_section(ctx->wireless_in, "wifi-device", s)
        {
            if (n >= PLAN_MAX_RADIOS)
                return plan_ctx_fail(ctx, "wireless: too many radios (max %d)", PLAN_MAX_RADIOS);
            src[n].sec = s;
            src[n].number = radio_number(lime_uci_section_name(s));
            n++;
        }
    }
    qsort(src, (size_t)n, sizeof src[0], radio_cmp);
    int per_band[2] = {0, 0};
    for (int i = 0; i < n; i++) {
        bool is5 = radio_is_5ghz(src[i].sec);
        if (configure_radio(ctx, src[i].sec, NULL, lime_uci_section_name(src[i].sec), src[i].number,
                            per_band[is5]++, is5) < 0)
            return -1;
    }
    return 0;
}
