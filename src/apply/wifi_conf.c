/* hostapd.conf and wpa_supplicant.conf from the plan (wifi.h). OpenWrt's wireless
 * options as LibreMesh writes them (ssid, encryption, key, mesh_id, mesh_fwding, bssid,
 * ...) are mapped the way OpenWrt's own scripts map them; what this backend cannot do
 * is an error naming the interface, never a silently different network. */
#include "wifi.h"

#include "nl80211.h"
#include "plan.h"
#include "strbuf.h"

#include <ctype.h>
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

static bool printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            return false;
    return true;
}

static bool all_hex(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* "ssid=..." (hostapd) or "ssid=\"...\"" (wpa_supplicant), hex when not printable. */
static void put_ssid(struct lime_strbuf *b, const char *key, const char *ssid, bool quoted)
{
    if (printable(ssid)) {
        lime_strbuf_printf(b, quoted ? "%s=\"%s\"\n" : "%s=%s\n", key, ssid);
        return;
    }
    lime_strbuf_printf(b, "%s=", quoted ? key : "ssid2"); /* wpa_supplicant: unquoted = hex */
    for (const unsigned char *s = (const unsigned char *)ssid; *s; s++)
        lime_strbuf_printf(b, "%02x", *s);
    lime_strbuf_printf(b, "\n");
}

/* A WPA passphrase: 8..63 printable characters, or 64 hex digits (the PSK itself). */
static int check_wpa_key(const struct plan_wifi_iface *wi, const char *key, char *err, unsigned errlen)
{
    size_t n = strlen(key);
    if ((n >= 8 && n <= 63 && printable(key)) || all_hex(key, 64))
        return 0;
    seterr(err, errlen, "%s (%s): key: a WPA passphrase has 8 to 63 printable characters (or "
           "is 64 hex digits); this one has %zu", wi->section, wi->ifname, n);
    return -1;
}

struct enc {
    bool open, psk, psk1, sae, owe;
    const char *key;
};

/* OpenWrt's encryption names. A key without an encryption: WPA2 (AP, client), SAE (mesh). */
static int parse_enc(const struct plan_wifi_iface *wi, bool mesh, struct enc *e, char *err, unsigned errlen)
{
    memset(e, 0, sizeof(*e));
    e->key = lr_wifi_opt(wi, "key");
    char enc[64];
    snprintf(enc, sizeof(enc), "%s", lr_wifi_opt(wi, "encryption"));
    char *plus = strchr(enc, '+'); /* psk2+ccmp, psk-mixed+tkip+ccmp: the cipher suffix */
    if (plus)
        *plus = 0;
    if (!enc[0])
        snprintf(enc, sizeof(enc), "%s", !e->key[0] ? "none" : mesh ? "sae" : "psk2");
    if (!strcmp(enc, "none")) {
        e->open = true;
        return 0;
    }
    if (mesh && (!strcmp(enc, "psk2") || !strcmp(enc, "psk") || !strcmp(enc, "sae") ||
                 !strcmp(enc, "sae-mixed")))
        e->sae = true; /* OpenWrt: a mesh with a key is SAE */
    else if (!strcmp(enc, "psk2"))
        e->psk = true;
    else if (!strcmp(enc, "psk"))
        e->psk = e->psk1 = true;
    else if (!strcmp(enc, "psk-mixed"))
        e->psk = e->psk1 = true;
    else if (!strcmp(enc, "sae"))
        e->sae = true;
    else if (!strcmp(enc, "sae-mixed"))
        e->sae = e->psk = true;
    else if (!strcmp(enc, "owe") && !mesh)
        e->owe = true;
    else {
        seterr(err, errlen, "%s (%s): encryption '%s' is not supported by LiMe-C's linux backend "
               "(none, psk, psk2, psk-mixed, sae, sae-mixed, owe)", wi->section, wi->ifname,
               lr_wifi_opt(wi, "encryption"));
        return -1;
    }
    if (!e->owe && !e->key[0]) {
        seterr(err, errlen, "%s (%s): encryption '%s' needs a key", wi->section, wi->ifname, enc);
        return -1;
    }
    if (e->psk && check_wpa_key(wi, e->key, err, errlen) < 0)
        return -1;
    if (e->sae && (strchr(e->key, '\n') || strchr(e->key, '\r'))) {
        seterr(err, errlen, "%s (%s): key: a line break cannot be part of an SAE password",
               wi->section, wi->ifname);
        return -1;
    }
    return 0;
}

static const char *htmode_of(const struct plan_radio *r)
{
    return r->htmode[0] ? r->htmode : "HT20";
}

char *lr_hostapd_conf(const struct plan *p, const struct plan_wifi_iface *wi, const struct plan_radio *r,
                      const char *ctrl_dir, const char *bridge, char *err, unsigned errlen)
{
    (void)p;
    struct enc e;
    if (parse_enc(wi, false, &e, err, errlen) < 0)
        return NULL;
    if (!r->freq) {
        seterr(err, errlen, "%s (%s): an access point needs a fixed channel on %s (channel '%s')",
               wi->section, wi->ifname, r->name, r->channel);
        return NULL;
    }
    const char *ssid = lr_wifi_opt(wi, "ssid");
    if (!*ssid || strlen(ssid) > 32) {
        seterr(err, errlen, "%s (%s): ssid: expected 1 to 32 bytes", wi->section, wi->ifname);
        return NULL;
    }
    const char *ht = htmode_of(r);
    uint32_t width = 0, center = 0;
    if (lime_wifi_chandef(r->freq, ht, &width, &center) < 0) {
        seterr(err, errlen, "%s (%s): htmode '%s' on channel %s", wi->section, wi->ifname, ht, r->channel);
        return NULL;
    }
    struct lime_strbuf b = {0};
    lime_strbuf_printf(&b, "# hostapd for %s (%s), generated by lime-apply. Do not edit.\n",
                       wi->ifname, wi->section);
    lime_strbuf_printf(&b, "interface=%s\ndriver=nl80211\n", wi->ifname);
    if (!strcmp(wi->network, "lan") && bridge)
        lime_strbuf_printf(&b, "bridge=%s\n", bridge);
    lime_strbuf_printf(&b, "ctrl_interface=%s\n", ctrl_dir);
    put_ssid(&b, "ssid", ssid, false);
    lime_strbuf_printf(&b, "utf8_ssid=1\n");
    if (r->country[0])
        lime_strbuf_printf(&b, "country_code=%s\nieee80211d=1\n", r->country);
    lime_strbuf_printf(&b, "hw_mode=%s\nchannel=%d\nbeacon_int=%d\nwmm_enabled=1\n",
                       r->is_5ghz ? "a" : "g", lime_wifi_freq_chan(r->freq), LR_WIFI_BEACON_INT);
    if (width != LIME_WIFI_WIDTH_20_NOHT) {
        lime_strbuf_printf(&b, "ieee80211n=1\n");
        if (width == LIME_WIFI_WIDTH_40)
            lime_strbuf_printf(&b, "ht_capab=[HT40%c]\n", center > r->freq ? '+' : '-');
        else if (width >= LIME_WIFI_WIDTH_80) {
            bool above = ((lime_wifi_freq_chan(r->freq) / 4) % 2) != 0;
            lime_strbuf_printf(&b, "ht_capab=[HT40%c]\nieee80211ac=1\nvht_oper_chwidth=%d\n"
                               "vht_oper_centr_freq_seg0_idx=%d\n", above ? '+' : '-',
                               width == LIME_WIFI_WIDTH_80 ? 1 : 2, lime_wifi_freq_chan(center));
        } else if (strstr(ht, "VHT"))
            lime_strbuf_printf(&b, "ieee80211ac=1\nvht_oper_chwidth=0\n");
    }
    if (!strcmp(lr_wifi_opt(wi, "hidden"), "1"))
        lime_strbuf_printf(&b, "ignore_broadcast_ssid=1\n");
    if (!strcmp(lr_wifi_opt(wi, "isolate"), "1"))
        lime_strbuf_printf(&b, "ap_isolate=1\n");
    if (e.psk || e.sae || e.owe) {
        lime_strbuf_printf(&b, "wpa=%d\nwpa_key_mgmt=", e.psk1 ? 3 : 2);
        lime_strbuf_printf(&b, "%s%s%s\n", e.psk ? "WPA-PSK" : "", e.psk && e.sae ? " " : "",
                           e.sae ? "SAE" : e.owe ? "OWE" : "");
        lime_strbuf_printf(&b, "rsn_pairwise=CCMP\n");
        if (e.psk1)
            lime_strbuf_printf(&b, "wpa_pairwise=TKIP CCMP\n");
        if (e.sae || e.owe)
            lime_strbuf_printf(&b, "ieee80211w=%d\n", e.psk ? 1 : 2);
        if (e.psk)
            lime_strbuf_printf(&b, "%s=%s\n", strlen(e.key) == 64 ? "wpa_psk" : "wpa_passphrase", e.key);
        if (e.sae)
            lime_strbuf_printf(&b, "sae_password=%s\n", e.key);
    }
    char *text = lime_strbuf_finish(&b, NULL);
    if (!text)
        seterr(err, errlen, "out of memory");
    return text;
}

char *lr_wpa_conf(const struct plan_wifi_iface *wi, const struct plan_radio *r, const char *ctrl_dir,
                  char *err, unsigned errlen)
{
    bool mesh = !strcmp(wi->mode, "mesh");
    struct enc e;
    if (parse_enc(wi, mesh, &e, err, errlen) < 0)
        return NULL;
    const char *ssid = lr_wifi_opt(wi, mesh ? "mesh_id" : "ssid");
    if (mesh && !*ssid)
        ssid = "LiMe";
    if (!*ssid || strlen(ssid) > 32) {
        seterr(err, errlen, "%s (%s): %s: expected 1 to 32 bytes", wi->section, wi->ifname,
               mesh ? "mesh_id" : "ssid");
        return NULL;
    }
    struct lime_strbuf b = {0};
    lime_strbuf_printf(&b, "# wpa_supplicant for %s (%s), generated by lime-apply. Do not edit.\n",
                       wi->ifname, wi->section);
    lime_strbuf_printf(&b, "ctrl_interface=%s\n", ctrl_dir);
    if (r->country[0])
        lime_strbuf_printf(&b, "country=%s\n", r->country);
    if (mesh) {
        const char *fwd = lr_wifi_opt(wi, "mesh_fwding");
        /* sae_pwe=2: hash-to-element when the peer has it too (two LiMe-C nodes): the
         * hunting-and-pecking commit is slow enough on an emulated CPU that SAE times out */
        lime_strbuf_printf(&b, "user_mpm=1\nsae_pwe=2\nmesh_fwding=%s\n", *fwd ? fwd : "1");
    }
    lime_strbuf_printf(&b, "network={\n");
    lime_strbuf_printf(&b, "\t");
    put_ssid(&b, "ssid", ssid, true);
    if (mesh) {
        uint32_t width = 0, center = 0;
        const char *ht = htmode_of(r);
        if (!r->freq || lime_wifi_chandef(r->freq, ht, &width, &center) < 0) {
            lime_strbuf_free(&b);
            seterr(err, errlen, "%s (%s): a mesh needs a fixed channel and an htmode it allows "
                   "(channel '%s', htmode '%s')", wi->section, wi->ifname, r->channel, ht);
            return NULL;
        }
        lime_strbuf_printf(&b, "\tmode=5\n\tfrequency=%u\n\tbeacon_int=%d\n", r->freq, LR_WIFI_BEACON_INT);
        if (width == LIME_WIFI_WIDTH_20_NOHT)
            lime_strbuf_printf(&b, "\tdisable_ht=1\n");
        else if (width == LIME_WIFI_WIDTH_20)
            lime_strbuf_printf(&b, "\tdisable_ht40=1\n\tdisable_vht=1\n");
        else if (width == LIME_WIFI_WIDTH_40)
            lime_strbuf_printf(&b, "\tdisable_vht=1\n");
        else
            lime_strbuf_printf(&b, "\tmax_oper_chwidth=%d\n", width == LIME_WIFI_WIDTH_80 ? 1 : 2);
    } else {
        lime_strbuf_printf(&b, "\tscan_ssid=1\n");
        const char *bssid = lr_wifi_opt(wi, "bssid");
        if (*bssid)
            lime_strbuf_printf(&b, "\tbssid=%s\n", bssid);
    }
    if (e.open)
        lime_strbuf_printf(&b, "\tkey_mgmt=NONE\n");
    else if (e.owe)
        lime_strbuf_printf(&b, "\tkey_mgmt=OWE\n\tieee80211w=2\n");
    else {
        lime_strbuf_printf(&b, "\tkey_mgmt=%s%s%s\n", e.psk ? "WPA-PSK" : "", e.psk && e.sae ? " " : "",
                           e.sae ? "SAE" : "");
        if (e.psk)
            lime_strbuf_printf(&b, strlen(e.key) == 64 ? "\tpsk=%s\n" : "\tpsk=\"%s\"\n", e.key);
        if (e.sae)
            lime_strbuf_printf(&b, "\tsae_password=\"%s\"\n", e.key);
        if (e.sae && !mesh)
            lime_strbuf_printf(&b, "\tieee80211w=%d\n", e.psk ? 1 : 2);
    }
    lime_strbuf_printf(&b, "}\n");
    char *text = lime_strbuf_finish(&b, NULL);
    if (!text)
        seterr(err, errlen, "out of memory");
    return text;
}
