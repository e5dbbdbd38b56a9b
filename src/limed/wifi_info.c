/* The radios as the API shows them (wifi_info.h). */
#include "wifi_info.h"

#include "limed.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int ld_wifi_view_open(struct ld_wifi_view *v)
{
    memset(v, 0, sizeof(*v));
    v->w = lime_nl_wifi_open();
    if (!v->w || lime_nl_wifi_ifaces(v->w, &v->ifs, &v->n_ifs) < 0)
        return -1;
    if (lime_nl_wifi_phys(v->w, &v->phys, &v->n_phys) < 0) {
        v->phys = NULL;
        v->n_phys = 0;
    }
    lime_nl_wifi_reg_get(v->w, v->country);
    return 0;
}

void ld_wifi_view_close(struct ld_wifi_view *v)
{
    free(v->ifs);
    free(v->phys);
    lime_nl_wifi_close(v->w);
    memset(v, 0, sizeof(*v));
}

const struct lime_nl_wifi_iface *ld_wifi_view_iface(const struct ld_wifi_view *v, const char *name)
{
    for (size_t i = 0; i < v->n_ifs; i++)
        if (!strcmp(v->ifs[i].name, name))
            return &v->ifs[i];
    return NULL;
}

const struct lime_nl_wifi_phy *ld_wifi_view_phy(const struct ld_wifi_view *v, uint32_t index)
{
    for (size_t i = 0; i < v->n_phys; i++)
        if (v->phys[i].index == index)
            return &v->phys[i];
    return NULL;
}

int ld_wifi_view_stations(struct ld_wifi_view *v, const struct lime_nl_wifi_iface *f,
                          struct lime_nl_wifi_station **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    return lime_nl_wifi_stations(v->w, f->ifindex, out, n);
}

/* A line of a file under ROOT starting with prefix, its rest into out. */
static bool file_value(struct ld_ctx *ctx, const char *rel, const char *prefix, char *out, size_t len)
{
    char path[512];
    char *text = lime_read_file(ld_path(ctx, rel, path, sizeof(path)), 1u << 20, NULL);
    bool found = false;
    size_t pl = strlen(prefix);
    for (char *line = text; line && *line && !found;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        if (!strncmp(line, prefix, pl)) {
            snprintf(out, len, "%s", line + pl);
            found = true;
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    return found;
}

void ld_wifi_ssid(struct ld_ctx *ctx, const struct lime_nl_wifi_iface *f, char *out, size_t len)
{
    snprintf(out, len, "%s", f->ssid);
    if (out[0] || (f->iftype != LIME_WIFI_MESH && f->iftype != LIME_WIFI_ADHOC))
        return;
    /* the record: "wifi NAME PHY TYPE MAC DAEMON JOIN IDHEX ..." */
    char prefix[64], rest[512], hex[80];
    snprintf(prefix, sizeof(prefix), "wifi %s ", f->name);
    if (!file_value(ctx, "/var/run/lime/applied", prefix, rest, sizeof(rest)) ||
        sscanf(rest, "%*s %*s %*s %*s %*s %79s", hex) != 1 || !strcmp(hex, "-")) {
        /* an SAE mesh: its wpa_supplicant config */
        char rel[128], v[64];
        snprintf(rel, sizeof(rel), "/var/run/lime/wpa_supplicant-%s.conf", f->name);
        if (file_value(ctx, rel, "\tssid=\"", v, sizeof(v))) {
            char *q = strrchr(v, '"');
            if (q)
                *q = 0;
            snprintf(out, len, "%s", v);
        }
        return;
    }
    size_t k = 0;
    for (size_t i = 0; hex[i] && hex[i + 1] && k + 1 < len && k < 32; i += 2) {
        unsigned b;
        if (sscanf(hex + i, "%2x", &b) != 1)
            break;
        out[k++] = (char)b;
    }
    out[k] = 0;
}

json_object *ld_wifi_encryption(struct ld_ctx *ctx, const struct lime_nl_wifi_iface *f)
{
    char rel[128], v[64] = "";
    bool hostapd = f->iftype == LIME_WIFI_AP;
    snprintf(rel, sizeof(rel), "/var/run/lime/%s-%s.conf", hostapd ? "hostapd" : "wpa_supplicant", f->name);
    bool found = file_value(ctx, rel, hostapd ? "wpa_key_mgmt=" : "\tkey_mgmt=", v, sizeof(v));
    bool enabled = found && strcmp(v, "NONE");
    json_object *o = json_object_new_object();
    json_object_object_add(o, "enabled", json_object_new_boolean(enabled));
    if (enabled) {
        json_object *wpa = json_object_new_array(), *auth = json_object_new_array(),
                    *ciph = json_object_new_array();
        json_object_array_add(wpa, json_object_new_int(strstr(v, "SAE") ? 3 : 2));
        if (strstr(v, "WPA-PSK"))
            json_object_array_add(auth, json_object_new_string("psk"));
        if (strstr(v, "SAE"))
            json_object_array_add(auth, json_object_new_string("sae"));
        if (strstr(v, "OWE"))
            json_object_array_add(auth, json_object_new_string("owe"));
        json_object_array_add(ciph, json_object_new_string("ccmp"));
        json_object_object_add(o, "wpa", wpa);
        json_object_object_add(o, "authentication", auth);
        json_object_object_add(o, "ciphers", ciph);
    }
    return o;
}

/* fe80::<EUI-64 of mac> */
static void eui64(const uint8_t m[6], struct in6_addr *a)
{
    memset(a, 0, sizeof(*a));
    uint8_t *w = a->s6_addr;
    w[0] = 0xfe, w[1] = 0x80;
    w[8] = m[0] ^ 2, w[9] = m[1], w[10] = m[2], w[11] = 0xff, w[12] = 0xfe;
    w[13] = m[3], w[14] = m[4], w[15] = m[5];
}

void ld_wifi_annotate_neighbors(json_object *rows)
{
    struct ld_wifi_view v = {0};
    if (!rows || json_object_array_length(rows) == 0 || ld_wifi_view_open(&v) < 0) {
        ld_wifi_view_close(&v);
        return;
    }
    for (size_t i = 0; i < v.n_ifs; i++) {
        const struct lime_nl_wifi_iface *f = &v.ifs[i];
        if (f->iftype != LIME_WIFI_MESH && f->iftype != LIME_WIFI_ADHOC)
            continue;
        struct lime_nl_wifi_station *sv = NULL;
        size_t n = 0;
        if (ld_wifi_view_stations(&v, f, &sv, &n) < 0)
            n = 0;
        for (size_t k = 0; k < n; k++) {
            struct in6_addr ll;
            char mac[18];
            const uint8_t *m = sv[k].mac;
            eui64(m, &ll);
            snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
            for (size_t r = 0; r < json_object_array_length(rows); r++) {
                json_object *row = json_object_array_get_idx(rows, r), *a;
                struct in6_addr got;
                const char *addr = json_object_object_get_ex(row, "address", &a) ? json_object_get_string(a) : NULL;
                const char *rmac = json_object_object_get_ex(row, "mac", &a) ? json_object_get_string(a) : NULL;
                bool same = (addr && inet_pton(AF_INET6, addr, &got) == 1 && !memcmp(&got, &ll, sizeof(ll))) ||
                            (rmac && !strcasecmp(rmac, mac));
                if (!same || !sv[k].has_signal)
                    continue;
                json_object_object_add(row, "signal", json_object_new_int(sv[k].signal_avg));
                json_object_object_add(row, "channel", json_object_new_int(lime_wifi_freq_chan(f->freq)));
                json_object_object_add(row, "frequency", json_object_new_int((int)f->freq));
                json_object_object_add(row, "radio_iface", json_object_new_string(f->name));
            }
        }
        free(sv);
    }
    ld_wifi_view_close(&v);
}
