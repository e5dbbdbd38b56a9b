/* Plan → desired Wi-Fi interfaces and their daemons (wifi.h). The config texts are in
 * wifi_conf.c. */
#include "wifi.h"

#include "desired.h"
#include "log.h"
#include "nl80211.h"
#include "paths.h"
#include "plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void seterr(char *err, unsigned len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void seterr(char *err, unsigned len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

const char *lr_wifi_opt(const struct plan_wifi_iface *wi, const char *key)
{
    for (int i = 0; i < wi->n_opts; i++)
        if (!strcmp(wi->opts[i].key, key))
            return wi->opts[i].value;
    return "";
}

void lr_wifi_mac(const uint8_t phy_mac[6], int k, uint8_t out[6])
{
    memcpy(out, phy_mac, 6);
    if (k > 0)
        out[0] = (uint8_t)((phy_mac[0] | 0x02) ^ ((k & 0x0f) << 4));
}

static const struct plan_radio *radio_of(const struct plan *p, const char *name)
{
    for (int i = 0; i < p->n_radios; i++)
        if (!strcmp(p->radios[i].name, name))
            return &p->radios[i];
    return NULL;
}

/* kbit/s as UCI writes mcast_rate (24000) → nl80211's 100 kbit/s units. */
static uint32_t mcast_units(const char *v)
{
    char *end;
    unsigned long k = strtoul(v, &end, 10);
    return *v && !*end && k >= 1000 && k <= 1000000 ? (uint32_t)(k / 100) : 0;
}

static int flag_opt(const char *v, int def)
{
    if (!*v)
        return def;
    return strcmp(v, "0") && strcmp(v, "false") && strcmp(v, "off") ? 1 : 0;
}

/* The key and whether the interface is encrypted, as lime-apply reads the plan: a key
 * without an encryption means WPA2 (access point, client) or SAE (mesh). */
static bool encrypted(const struct plan_wifi_iface *wi)
{
    const char *enc = lr_wifi_opt(wi, "encryption");
    if (*enc)
        return strcmp(enc, "none") != 0;
    return *lr_wifi_opt(wi, "key") != 0;
}

int lr_wifi_desired(const struct plan *p, struct lr_desired *d, char *err, unsigned errlen)
{
    int k_on[PLAN_MAX_RADIOS] = {0};
    for (int i = 0; i < p->n_wifi_ifaces; i++) {
        const struct plan_wifi_iface *wi = &p->wifi_ifaces[i];
        const struct plan_radio *r = radio_of(p, wi->radio);
        if (!r || !r->live)
            continue;
        int k = k_on[r - p->radios]++;
        if (d->n_wifi == LR_MAX_WIFI) {
            seterr(err, errlen, "more than %d Wi-Fi interfaces", LR_MAX_WIFI);
            return -1;
        }
        struct lr_want_wifi *w = &d->wifi[d->n_wifi];
        memset(w, 0, sizeof(*w));
        if (strlen(wi->ifname) >= IFNAMSIZ) {
            seterr(err, errlen, "%s: interface name %s is too long", wi->section, wi->ifname);
            return -1;
        }
        snprintf(w->name, sizeof(w->name), "%s", wi->ifname);
        snprintf(w->phy, sizeof(w->phy), "%s", r->phy);
        w->wiphy = r->wiphy;
        if (r->has_phy_mac) {
            w->has_mac = true;
            lr_wifi_mac(r->phy_mac, k, w->mac);
        }
        const char *mode = wi->mode;
        if (!strcmp(mode, "ap")) {
            w->iftype = LIME_WIFI_AP;
            w->daemon = true;
        } else if (!strcmp(mode, "sta")) {
            w->iftype = LIME_WIFI_STATION;
            w->daemon = true;
        } else if (!strcmp(mode, "mesh") || !strcmp(mode, "adhoc")) {
            bool mesh = mode[0] == 'm';
            w->iftype = mesh ? LIME_WIFI_MESH : LIME_WIFI_ADHOC;
            if (!r->freq) {
                seterr(err, errlen, "%s (%s): %s needs a fixed channel on %s (channel '%s')",
                       wi->section, wi->ifname, mesh ? "a mesh" : "ad-hoc", r->name, r->channel);
                return -1;
            }
            if (encrypted(wi)) {
                if (!mesh) {
                    seterr(err, errlen, "%s (%s): encrypted ad-hoc (IBSS RSN) is not supported by "
                           "LiMe-C's linux backend", wi->section, wi->ifname);
                    return -1;
                }
                w->daemon = true; /* SAE: wpa_supplicant joins */
            } else {
                w->join = mesh ? 'm' : 'i';
                struct lime_nl_wifi_join *j = &w->j;
                const char *id = lr_wifi_opt(wi, mesh ? "mesh_id" : "ssid");
                if (!*id)
                    id = "LiMe";
                size_t n = strlen(id);
                if (n > 32) {
                    seterr(err, errlen, "%s (%s): %s '%s' is longer than 32 bytes", wi->section,
                           wi->ifname, mesh ? "mesh_id" : "ssid", id);
                    return -1;
                }
                memcpy(j->ssid, id, n);
                j->ssid_len = (uint8_t)n;
                j->freq = r->freq;
                lime_wifi_chandef(r->freq, r->htmode, &j->width, &j->center1);
                j->mcast_rate = mcast_units(lr_wifi_opt(wi, "mcast_rate"));
                j->beacon_interval = LR_WIFI_BEACON_INT;
                j->forwarding = mesh ? flag_opt(lr_wifi_opt(wi, "mesh_fwding"), -1) : -1;
                j->nolearn = mesh ? flag_opt(lr_wifi_opt(wi, "mesh_nolearn"), -1) : -1;
                const char *bssid = lr_wifi_opt(wi, "bssid");
                if (!mesh && *bssid) {
                    unsigned b[6];
                    char tail;
                    if (sscanf(bssid, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
                               &b[4], &b[5], &tail) != 6) {
                        seterr(err, errlen, "%s (%s): bssid '%s': expected a MAC address",
                               wi->section, wi->ifname, bssid);
                        return -1;
                    }
                    for (int x = 0; x < 6; x++)
                        j->bssid[x] = (uint8_t)b[x];
                    j->has_bssid = true;
                }
            }
        } else {
            log_warn("%s (%s): mode %s is not applied on Linux", wi->section, wi->ifname, mode);
            continue;
        }
        d->n_wifi++;
        if (r->country[0] && !d->country[0]) {
            if (strlen(r->country) != 2) {
                seterr(err, errlen, "%s: country '%s': expected a two-letter code (ISO 3166-1)",
                       r->name, r->country);
                return -1;
            }
            snprintf(d->country, sizeof(d->country), "%s", r->country);
        }
    }
    return 0;
}

bool lr_wifi_absent(const struct plan *p, const struct lr_desired *d, const char *dev)
{
    const struct plan_device *vlan = plan_find_device(p, dev);
    if (vlan && vlan->type == PLAN_DEV_VLAN)
        dev = vlan->link;
    bool wifi = false;
    for (int i = 0; i < p->n_wifi_ifaces && !wifi; i++)
        wifi = !strcmp(p->wifi_ifaces[i].ifname, dev);
    if (!wifi)
        return false;
    for (unsigned i = 0; i < d->n_wifi; i++)
        if (!strcmp(d->wifi[i].name, dev))
            return false;
    return true;
}

static const struct plan_wifi_iface *plan_wifi(const struct plan *p, const char *ifname)
{
    for (int i = 0; i < p->n_wifi_ifaces; i++)
        if (!strcmp(p->wifi_ifaces[i].ifname, ifname))
            return &p->wifi_ifaces[i];
    return NULL;
}

int lr_wifi_daemons(const struct plan *p, const struct lr_desired *d, const struct lr_paths *paths,
                    struct lr_wifi_daemon *out, int *n, char *err, unsigned errlen)
{
    *n = 0;
    const char *bridge = "br-lan";
    for (unsigned i = 0; i < d->n_wifi; i++) {
        const struct lr_want_wifi *w = &d->wifi[i];
        if (!w->daemon)
            continue;
        const struct plan_wifi_iface *wi = plan_wifi(p, w->name);
        const struct plan_radio *r = wi ? radio_of(p, wi->radio) : NULL;
        if (!wi || !r)
            continue;
        if (*n == LR_MAX_WIFI_DAEMONS) {
            seterr(err, errlen, "more than %d Wi-Fi daemons", LR_MAX_WIFI_DAEMONS);
            return -1;
        }
        struct lr_wifi_daemon *dm = &out[*n];
        memset(dm, 0, sizeof(*dm));
        dm->hostapd = w->iftype == LIME_WIFI_AP;
        snprintf(dm->ifname, sizeof(dm->ifname), "%s", w->name);
        snprintf(dm->name, sizeof(dm->name), "%s-%s", dm->hostapd ? "hostapd" : "wpa_supplicant", w->name);
        snprintf(dm->conf, sizeof(dm->conf), "%.3900s/%s.conf", paths->gen_dir, dm->name);
        dm->text = dm->hostapd ? lr_hostapd_conf(p, wi, r, paths->hostapd_ctrl, bridge, err, errlen)
                               : lr_wpa_conf(wi, r, paths->wpa_ctrl, err, errlen);
        if (!dm->text) {
            lr_wifi_daemons_free(out, *n);
            *n = 0;
            return -1;
        }
        (*n)++;
    }
    return 0;
}

void lr_wifi_daemons_free(struct lr_wifi_daemon *v, int n)
{
    for (int i = 0; i < n; i++) {
        free(v[i].text);
        v[i].text = NULL;
    }
}
