/* ubus objects "wireless-service" (public) and "wireless-service-admin" (root): the
 * node's own access point (apname: "<network>/<node>") and the community roaming AP
 * (mode "ap" of the 2.4 GHz band, as upstream's wireless_service). */
#include "pending.h"
#include "limecfg.h"
#include "limed.h"
#include "rpc_objects.h"
#include "ucifile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AP_BAND "2ghz" /* upstream's wireless_service.AP_BAND */
#define MAX_MODES 16

/* LibreMesh's wifi modes when no file sets them (lime-config's built-in lime-defaults). */
static const char *const default_modes[] = {"ap", "apname", "ieee80211s"};

/* The wifi modes of the AP band as lime-config merges them: per file (lime-node, then
 * lime-community, then lime-defaults; community_only skips lime-node) the band section's
 * list, else its wifi section's; staged lime-node/lime-community lists first. Copies
 * into out (valid until the next call); returns how many. */
static size_t band_modes(struct ld_ctx *ctx, bool community_only, bool with_pending,
                         const char **out)
{
    static char keep[1024];
    static const char *const files[] = {"lime-node", "lime-community", "lime-defaults"};
    static const char *const secs[] = {AP_BAND, "wifi"};
    for (size_t f = community_only ? 1 : 0; f < 3; f++) {
        for (size_t k = 0; k < 2; k++) {
            const char *staged = with_pending && f < 2 ? ld_pending_value(ctx, files[f], secs[k], "modes")
                                                      : NULL;
            if (staged) {
                size_t n = 0;
                ld_strlcpy(keep, staged, sizeof(keep));
                for (char *save, *t = strtok_r(keep, "\n", &save); t && n < MAX_MODES;
                     t = strtok_r(NULL, "\n", &save))
                    out[n++] = t;
                return n;
            }
            char rel[64], path[512];
            struct ld_uci u;
            snprintf(rel, sizeof(rel), "/etc/config/%s", files[f]);
            ld_uci_load(ld_path(ctx, rel, path, sizeof(path)), &u, NULL, 0);
            const char *items[MAX_MODES];
            size_t n = ld_uci_get_list(&u, secs[k], "modes", items, MAX_MODES), used = 0;
            for (size_t i = 0; i < n && used + strlen(items[i]) + 1 < sizeof(keep); i++) {
                memcpy(keep + used, items[i], strlen(items[i]) + 1);
                out[i] = keep + used;
                used += strlen(items[i]) + 1;
            }
            ld_uci_free(&u);
            if (n)
                return n;
        }
    }
    for (size_t i = 0; i < sizeof(default_modes) / sizeof(default_modes[0]); i++)
        out[i] = default_modes[i];
    return sizeof(default_modes) / sizeof(default_modes[0]);
}

static bool has_mode(struct ld_ctx *ctx, bool community_only, const char *mode)
{
    const char *m[MAX_MODES];
    size_t n = band_modes(ctx, community_only, true, m);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(m[i], mode))
            return true;
    return false;
}

static json_object *ap_data(struct ld_ctx *ctx, bool with_password)
{
    char host[128], ssid[256], tmpl[256], key[256], ap_ssid[256];
    ld_rpc_hostname(ctx, host, sizeof(host));
    if (!ld_lime_get(ctx, "wifi", "apname_ssid", true, tmpl, sizeof(tmpl))[0])
        snprintf(tmpl, sizeof(tmpl), "LibreMesh.org/%%H");
    ld_lime_expand(tmpl, host, ssid, sizeof(ssid));
    ld_lime_get(ctx, "wifi", "apname_key", true, key, sizeof(key));
    if (!ld_lime_get(ctx, "wifi", "ap_ssid", true, ap_ssid, sizeof(ap_ssid))[0])
        snprintf(ap_ssid, sizeof(ap_ssid), "LibreMesh.org");

    json_object *node = json_object_new_object();
    json_object_object_add(node, "enabled", json_object_new_boolean(has_mode(ctx, false, "apname")));
    json_object_object_add(node, "has_password", json_object_new_boolean(key[0] != 0));
    json_object_object_add(node, "ssid", json_object_new_string(ssid));
    if (with_password)
        json_object_object_add(node, "password", json_object_new_string(key));
    json_object *comm = json_object_new_object();
    json_object_object_add(comm, "enabled", json_object_new_boolean(has_mode(ctx, false, "ap")));
    json_object_object_add(comm, "ssid", json_object_new_string(ap_ssid));
    json_object *ce = json_object_new_object(); /* the community's default for every node */
    json_object_object_add(ce, "enabled", json_object_new_boolean(has_mode(ctx, true, "ap")));
    json_object_object_add(comm, "community", ce);
    json_object *o = ld_app_ok();
    json_object_object_add(o, "node_ap", node);
    json_object_object_add(o, "community_ap", comm);
    return o;
}

static int get_ap(struct ld_call *c, json_object *args, json_object **out)
{
    *out = ap_data(c->ctx, false);
    return LD_UBUS_OK;
}

static int get_ap_admin(struct ld_call *c, json_object *args, json_object **out)
{
    *out = ap_data(c->ctx, true);
    return LD_UBUS_OK;
}

/* {has_password, password, ssid?}: stages lime-node wifi.apname_key/_encryption (and,
 * a LiMe-C addition, the AP's name template apname_ssid). */
static int set_node_ap(struct ld_call *c, json_object *args, json_object **out)
{
    json_object *jh;
    const char *pw = ld_arg_str(args, "password");
    const char *ssid = ld_arg_str(args, "ssid");
    if (!json_object_object_get_ex(args, "has_password", &jh) ||
        !json_object_is_type(jh, json_type_boolean))
        return LD_UBUS_INVALID_ARGUMENT;
    bool has = json_object_get_boolean(jh);
    if (has && (!pw || strlen(pw) < 8 || strlen(pw) > 63)) {
        *out = ld_app_error("The Wi-Fi password needs 8 to 63 characters");
        return LD_UBUS_OK;
    }
    if (ssid && (strlen(ssid) < 1 || strlen(ssid) > 32)) {
        *out = ld_app_error("The Wi-Fi name needs 1 to 32 characters");
        return LD_UBUS_OK;
    }
    int r = ld_pending_set(c->ctx, "lime-node", "lime", "wifi", "apname_key", has ? pw : NULL,
                           has ? "Wi-Fi password: set" : "Wi-Fi password: none (open)");
    if (!r)
        r = ld_pending_set(c->ctx, "lime-node", "lime", "wifi", "apname_encryption",
                           has ? "psk2" : NULL, has ? "Wi-Fi encryption: WPA2" : "Wi-Fi encryption: none");
    if (!r && ssid) {
        char label[96];
        snprintf(label, sizeof(label), "Wi-Fi name: %s", ssid);
        r = ld_pending_set(c->ctx, "lime-node", "lime", "wifi", "apname_ssid", ssid, label);
    }
    *out = r ? ld_app_error("cannot stage the change (invalid value or apply running)")
             : ld_app_ok();
    return LD_UBUS_OK;
}

/* {enabled}: the community roaming AP on this node or not. Stages the AP band's whole
 * mode list in lime-node (config lime-wifi-band '2ghz', list modes) with "ap" added or
 * removed, as upstream's wireless.add/remove_band_mode; an empty list is "manual". */
static int set_community_ap(struct ld_call *c, json_object *args, json_object **out)
{
    json_object *je;
    if (!json_object_object_get_ex(args, "enabled", &je) ||
        !json_object_is_type(je, json_type_boolean))
        return LD_UBUS_INVALID_ARGUMENT;
    bool on = json_object_get_boolean(je);
    const char *m[MAX_MODES], *next[MAX_MODES + 1];
    size_t n = band_modes(c->ctx, false, true, m), k = 0;
    bool had = false;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(m[i], "ap"))
            had = true;
        else if (strcmp(m[i], "manual"))
            next[k++] = m[i];
    }
    if (had == on) {
        *out = ld_app_ok(); /* nothing to change */
        return LD_UBUS_OK;
    }
    if (on)
        next[k++] = "ap";
    if (!k)
        next[k++] = "manual";
    int r = ld_pending_set_list(c->ctx, "lime-node", "lime-wifi-band", AP_BAND, "modes", next, k,
                                on ? "Community Wi-Fi on this node: on"
                                   : "Community Wi-Fi on this node: off");
    *out = r ? ld_app_error("cannot stage the change (apply running?)") : ld_app_ok();
    return LD_UBUS_OK;
}

static const struct ld_method pub_methods[] = {
    {"get_access_points_data", get_ap, ""},
    {NULL, NULL, NULL},
};

static const struct ld_method admin_methods[] = {
    {"get_access_points_data", get_ap_admin, ""},
    {"set_node_ap", set_node_ap, "has_password:boolean,password:string,ssid:string"},
    {"set_community_ap", set_community_ap, "enabled:boolean"},
    {NULL, NULL, NULL},
};

const struct ld_object ld_obj_wireless_service = {"wireless-service", pub_methods};
const struct ld_object ld_obj_wireless_service_admin = {"wireless-service-admin", admin_methods};
