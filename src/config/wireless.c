/* lime.wireless (spec §2.13): radios (OpenWrt wifi-device sections of ROOT/etc/config/
 * wireless) get channel/htmode/distance; each of their modes becomes a wifi-iface
 * (wifi_modes.c). Options merge per key: lime `wifi` < band (`2ghz`/`5ghz`) < `config
 * wifi <radio>`. */
#include "ctx.h"

#include <ctype.h>
#include <dirent.h>
#include <limits.h>
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

static int configure_radio(struct plan_ctx *ctx, const struct lime_uci_section *dev, int number,
                           int per_band, bool is5)
{
    struct plan *p = ctx->plan;
    if (p->n_radios >= PLAN_MAX_RADIOS)
        return plan_ctx_fail(ctx, "too many radios (max %d)", PLAN_MAX_RADIOS);
    struct plan_radio *r = &p->radios[p->n_radios++];
    memset(r, 0, sizeof *r);
    const char *name = lime_uci_section_name(dev);
    if (COPY(r->name, name) < 0)
        return plan_ctx_fail(ctx, "wireless: radio name too long: %s", name);
    r->index = number;
    r->per_band_index = per_band;
    r->is_5ghz = is5;
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

    for (size_t i = 0; i < n_modes; i++)
        if (plan_wifi_mode_setup(ctx, r, modes[i], &w) < 0)
            return -1;
    return 0;
}

int plan_wireless_configure(struct plan_ctx *ctx)
{
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
        if (configure_radio(ctx, src[i].sec, src[i].number, per_band[is5]++, is5) < 0)
            return -1;
    }
    return 0;
}
