/* ubus object `iwinfo` (rpcd's iwinfo plugin, as LiMe-App calls it): devices, info and
 * assoclist, read over nl80211 at each call (src/core/nl80211.h). Field names and units as
 * rpcd's: MAC addresses in upper case, rates in kbit/s, signal in dBm, inactive in ms.
 * Differences: `noise` is left out (no survey is read; rpcd gives the driver's figure),
 * a mesh interface's `ssid` is its mesh ID as lime-apply joined it (the kernel does not
 * report it), and `hardware` says only "mac80211". */
#include "rpc.h"
#include "rpc_objects.h"
#include "wifi_info.h"

#include "core/nl80211.h"
#include "limed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *mode_name(uint32_t t)
{
    switch (t) {
    case LIME_WIFI_ADHOC: return "Ad-Hoc";
    case LIME_WIFI_STATION: return "Client";
    case LIME_WIFI_AP: return "Master";
    case LIME_WIFI_AP_VLAN: return "Master (VLAN)";
    case LIME_WIFI_MONITOR: return "Monitor";
    case LIME_WIFI_MESH: return "Mesh Point";
    default: return "Unknown";
    }
}

static void mac_upper(const uint8_t m[6], char out[18])
{
    snprintf(out, 18, "%02X:%02X:%02X:%02X:%02X:%02X", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static int devices(struct ld_call *c, json_object *args, json_object **out)
{
    (void)c;
    (void)args;
    struct ld_wifi_view v = {0};
    json_object *list = json_object_new_array();
    if (ld_wifi_view_open(&v) == 0)
        for (size_t i = 0; i < v.n_ifs; i++)
            json_object_array_add(list, json_object_new_string(v.ifs[i].name));
    ld_wifi_view_close(&v); /* also after a failed open (wifi_info.h) */
    *out = json_object_new_object();
    json_object_object_add(*out, "devices", list);
    return LD_UBUS_OK;
}

/* rpcd-iwinfo's rate table {rate, mcs, 40mhz, short_gi}. */
static json_object *rate_obj(uint32_t rate100k, int mcs, bool w40, bool sgi, uint32_t packets)
{
    json_object *r = json_object_new_object();
    json_object_object_add(r, "rate", json_object_new_int64((int64_t)rate100k * 100));
    json_object_object_add(r, "mcs", json_object_new_int(mcs < 0 ? 0 : mcs));
    json_object_object_add(r, "40mhz", json_object_new_boolean(w40));
    json_object_object_add(r, "short_gi", json_object_new_boolean(sgi));
    json_object_object_add(r, "packets", json_object_new_int64(packets));
    return r;
}

json_object *ld_iwinfo_station(const struct lime_nl_wifi_station *s)
{
    char mac[18];
    mac_upper(s->mac, mac);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "mac", json_object_new_string(mac));
    json_object_object_add(o, "signal", json_object_new_int(s->has_signal ? s->signal : 0));
    json_object_object_add(o, "signal_avg", json_object_new_int(s->has_signal ? s->signal_avg : 0));
    json_object_object_add(o, "inactive", json_object_new_int64(s->inactive_ms));
    json_object_object_add(o, "connected_time", json_object_new_int64(s->connected_s));
    json_object_object_add(o, "thr", json_object_new_int64(s->expected_tput));
    json_object_object_add(o, "authorized", json_object_new_boolean(s->authorized));
    json_object_object_add(o, "rx", rate_obj(s->rx_rate, s->rx_mcs, s->rx_40mhz, s->rx_short_gi, s->rx_packets));
    json_object_object_add(o, "tx", rate_obj(s->tx_rate, s->tx_mcs, s->tx_40mhz, s->tx_short_gi, s->tx_packets));
    if (s->has_plink)
        json_object_object_add(o, "mesh_plink", json_object_new_string(lime_wifi_plink_name(s->plink_state)));
    json_object *ch = json_object_new_array();
    for (int k = 0; k < s->n_chains; k++)
        json_object_array_add(ch, json_object_new_int(s->chains[k]));
    json_object_object_add(o, "chains", ch);
    return o;
}

/* The wireless interface named by the call's "device", in a view the caller closes when
 * this returns LD_UBUS_OK; otherwise the ubus status to answer (nothing left open). */
static int open_device(json_object *args, struct ld_wifi_view *v,
                       const struct lime_nl_wifi_iface **f)
{
    const char *dev = ld_arg_str(args, "device");
    if (!dev)
        return LD_UBUS_INVALID_ARGUMENT;
    *f = ld_wifi_view_open(v) == 0 ? ld_wifi_view_iface(v, dev) : NULL;
    if (!*f) {
        ld_wifi_view_close(v);
        return LD_UBUS_NOT_FOUND; /* as rpcd for a device that is not wireless */
    }
    return LD_UBUS_OK;
}

static int assoclist(struct ld_call *c, json_object *args, json_object **out)
{
    (void)c;
    struct ld_wifi_view v = {0};
    const struct lime_nl_wifi_iface *f;
    int rc = open_device(args, &v, &f);
    if (rc != LD_UBUS_OK)
        return rc;
    json_object *res = json_object_new_array();
    struct lime_nl_wifi_station *sv = NULL;
    size_t n = 0;
    if (ld_wifi_view_stations(&v, f, &sv, &n) == 0)
        for (size_t i = 0; i < n; i++)
            json_object_array_add(res, ld_iwinfo_station(&sv[i]));
    free(sv);
    ld_wifi_view_close(&v);
    *out = json_object_new_object();
    json_object_object_add(*out, "results", res);
    return LD_UBUS_OK;
}

static int info(struct ld_call *c, json_object *args, json_object **out)
{
    struct ld_wifi_view v = {0};
    const struct lime_nl_wifi_iface *f;
    int rc = open_device(args, &v, &f);
    if (rc != LD_UBUS_OK)
        return rc;
    json_object *o = json_object_new_object();
    const struct lime_nl_wifi_phy *ph = ld_wifi_view_phy(&v, f->phy);
    json_object_object_add(o, "phy", json_object_new_string(ph ? ph->name : ""));
    char ssid[40];
    ld_wifi_ssid(c->ctx, f, ssid, sizeof(ssid));
    json_object_object_add(o, "ssid", json_object_new_string(ssid));
    char mac[18];
    mac_upper(f->mac, mac);
    json_object_object_add(o, "bssid", json_object_new_string(mac));
    json_object_object_add(o, "country", json_object_new_string(v.country[0] ? v.country : "00"));
    json_object_object_add(o, "mode", json_object_new_string(mode_name(f->iftype)));
    json_object_object_add(o, "channel", json_object_new_int(lime_wifi_freq_chan(f->freq)));
    json_object_object_add(o, "frequency", json_object_new_int((int)f->freq));
    json_object_object_add(o, "frequency_offset", json_object_new_int(0));
    if (f->center1)
        json_object_object_add(o, "center_chan1", json_object_new_int(lime_wifi_freq_chan(f->center1)));
    static const char *const widths[] = {"NOHT", "HT20", "HT40", "VHT80", "VHT80+80", "VHT160"};
    json_object_object_add(o, "htmode", json_object_new_string(f->width < 6 ? widths[f->width] : ""));
    json_object_object_add(o, "txpower", json_object_new_int(f->txpower_mbm / 100));
    json_object_object_add(o, "txpower_offset", json_object_new_int(0));
    /* signal and quality: the stations' average, as iwinfo gives them for an AP or mesh */
    struct lime_nl_wifi_station *sv = NULL;
    size_t n = 0;
    int sum = 0, cnt = 0;
    if (ld_wifi_view_stations(&v, f, &sv, &n) == 0)
        for (size_t i = 0; i < n; i++)
            if (sv[i].has_signal) {
                sum += sv[i].signal_avg;
                cnt++;
            }
    free(sv);
    int signal = cnt ? sum / cnt : 0;
    int quality = cnt ? signal + 110 : 0;
    json_object_object_add(o, "signal", json_object_new_int(signal));
    json_object_object_add(o, "quality", json_object_new_int(quality < 0 ? 0 : quality > 70 ? 70 : quality));
    json_object_object_add(o, "quality_max", json_object_new_int(70));
    json_object_object_add(o, "stations", json_object_new_int((int)n));
    json_object_object_add(o, "encryption", ld_wifi_encryption(c->ctx, f));
    json_object *hw = json_object_new_array();
    bool b2 = false, b5 = false, ht = false, vht = false;
    for (int b = 0; ph && b < ph->n_bands; b++) {
        b2 |= ph->bands[b].band == 0;
        b5 |= ph->bands[b].band == 1;
        ht |= ph->bands[b].ht;
        vht |= ph->bands[b].vht;
    }
    if (b5)
        json_object_array_add(hw, json_object_new_string("a"));
    if (b2) {
        json_object_array_add(hw, json_object_new_string("b"));
        json_object_array_add(hw, json_object_new_string("g"));
    }
    if (ht)
        json_object_array_add(hw, json_object_new_string("n"));
    if (vht)
        json_object_array_add(hw, json_object_new_string("ac"));
    json_object_object_add(o, "hwmodes", hw);
    json_object *hwo = json_object_new_object();
    json_object_object_add(hwo, "name", json_object_new_string("mac80211"));
    json_object_object_add(o, "hardware", hwo);
    ld_wifi_view_close(&v);
    *out = o;
    return LD_UBUS_OK;
}

static const struct ld_method methods[] = {
    {"devices", devices, ""},
    {"info", info, "device:string"},
    {"assoclist", assoclist, "device:string"},
    {NULL, NULL, NULL},
};

const struct ld_object ld_obj_iwinfo = {"iwinfo", methods};
