/* ubus object "lime-utils-admin" (root): hostname, shared admin password, preferred
 * gateway, generic LibreMesh options, and apply. Changes to the node's network setup
 * are staged (apply.h) and shown as pending until applied; the password takes effect
 * at once (it is a login matter, not a network one), as upstream. */
#include "pending.h"
#include "firmware.h"
#include "limecfg.h"
#include "limed.h"
#include "rpc_objects.h"
#include "session.h"
#include "ucifile.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int status_of(int r, json_object **out, const char *what)
{
    if (r == 0) {
        *out = ld_app_ok();
        return LD_UBUS_OK;
    }
    char msg[256];
    snprintf(msg, sizeof(msg), "%s: %s", what,
             r == -EBUSY ? "an apply is running, try again in a moment" : "invalid value");
    *out = ld_app_error(msg);
    return LD_UBUS_OK;
}

static int set_hostname(struct ld_call *c, json_object *args, json_object **out)
{
    const char *h = ld_arg_str(args, "hostname");
    if (!h)
        return LD_UBUS_INVALID_ARGUMENT;
    if (!ld_hostname_valid(h)) {
        *out = ld_app_error("A node name uses 3 to 32 lowercase letters, digits or '-'");
        return LD_UBUS_OK;
    }
    char label[128];
    snprintf(label, sizeof(label), "Node name: %s", h);
    return status_of(ld_pending_set(c->ctx, "lime-node", "lime", "system", "hostname", h, label),
                     out, "hostname");
}

static int set_root_password(struct ld_call *c, json_object *args, json_object **out)
{
    const char *pw = ld_arg_str(args, "password");
    char msg[256];
    if (!pw)
        return LD_UBUS_INVALID_ARGUMENT;
    if (ld_set_shared_password(c->ctx, pw, msg, sizeof(msg)) < 0)
        *out = ld_app_error(msg);
    else
        *out = ld_app_ok();
    return LD_UBUS_OK;
}

static bool gateway_valid(const char *g)
{
    if (strlen(g) > 63)
        return false;
    for (const char *p = g; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr(".-:_", *p))
            return false;
    return true;
}

/* {gateway: "<hostname or IP>" | ""} — "" means automatic (best metric). */
static int set_preferred_gateway(struct ld_call *c, json_object *args, json_object **out)
{
    const char *g = ld_arg_str(args, "gateway");
    if (!g)
        return LD_UBUS_INVALID_ARGUMENT;
    if (!gateway_valid(g)) {
        *out = ld_app_error("invalid gateway name");
        return LD_UBUS_OK;
    }
    char label[128];
    snprintf(label, sizeof(label), "Preferred gateway: %s", g[0] ? g : "automatic");
    return status_of(ld_pending_set(c->ctx, "lime-node", "lime", "network", "preferred_gateway",
                                    g[0] ? g : NULL, label),
                     out, "gateway");
}

/* {changes:[{config:"lime-node"|"lime-community", section, option, value|null}]} */
static int change_config(struct ld_call *c, json_object *args, json_object **out)
{
    json_object *list;
    if (!json_object_object_get_ex(args, "changes", &list) ||
        !json_object_is_type(list, json_type_array))
        return LD_UBUS_INVALID_ARGUMENT;
    size_t n = json_object_array_length(list);
    if (n > 16)
        return LD_UBUS_INVALID_ARGUMENT;
    for (size_t i = 0; i < n; i++) {
        json_object *ch = json_object_array_get_idx(list, i), *jv = NULL;
        const char *cfg = ld_arg_str(ch, "config"), *sec = ld_arg_str(ch, "section");
        const char *opt = ld_arg_str(ch, "option");
        if (!json_object_is_type(ch, json_type_object) || !cfg || !sec || !opt)
            return LD_UBUS_INVALID_ARGUMENT;
        json_object_object_get_ex(ch, "value", &jv);
        if (jv && !json_object_is_type(jv, json_type_string))
            return LD_UBUS_INVALID_ARGUMENT;
        const char *val = jv ? json_object_get_string(jv) : NULL;
        if (strcmp(cfg, "lime-node") && strcmp(cfg, "lime-community")) {
            *out = ld_app_error("only lime-node and lime-community can be changed here");
            return LD_UBUS_OK;
        }
        char label[256];
        snprintf(label, sizeof(label), "%s: %s.%s = %s", cfg, sec, opt, val ? val : "(default)");
        int r = ld_pending_set(c->ctx, cfg, "lime", sec, opt, val && val[0] ? val : NULL, label);
        if (r < 0)
            return status_of(r, out, opt);
    }
    *out = ld_app_ok();
    return LD_UBUS_OK;
}

static int apply(struct ld_call *c, json_object *args, json_object **out)
{
    char msg[512] = "";
    int r = ld_pending_apply(c->ctx, msg, sizeof(msg));
    if (r < 0) {
        *out = ld_app_error(r == -EBUSY ? "an apply is already running" : msg);
        return LD_UBUS_OK;
    }
    *out = ld_pending_json(c->ctx);
    return LD_UBUS_OK;
}

static int discard_changes(struct ld_call *c, json_object *args, json_object **out)
{
    if (ld_pending_state() == LD_PENDING_RUNNING) {
        *out = ld_app_error("an apply is running");
        return LD_UBUS_OK;
    }
    ld_pending_clear(c->ctx);
    *out = ld_pending_json(c->ctx);
    return LD_UBUS_OK;
}

/* ---- mobile hotspot (a client connection of radio0 to a phone's access point) ----
 * As upstream's lime.hotspot_wwan: lime-node gets `config generic_uci_config
 * 'hotspot_wwan'` with the uci_set lines for a station interface on the radio, applied
 * at once. Where it cannot work the answer is one the app shows: "radio has mesh
 * ifaces" ("Cannot use Radio 0, it's being used for mesh links") when the radio's
 * modes mesh, and a plain error ("Error: Not Saved") on a node without a radio. */
#define HOTSPOT_SEC "hotspot_wwan"

static bool has_radio(void)
{
    const char *sys = getenv("LIME_SYSFS");
    char path[512];
    snprintf(path, sizeof(path), "%s/class/ieee80211", sys && sys[0] ? sys : "/sys");
    DIR *d = opendir(path);
    struct dirent *e;
    bool found = false;
    while (d && (e = readdir(d)))
        found |= !strncmp(e->d_name, "phy", 3);
    if (d)
        closedir(d);
    return found;
}

/* Does a mode of the merged wifi config (any band) mesh on the radios? */
static bool radio_meshes(struct ld_ctx *ctx)
{
    static const char *const files[] = {"lime-node", "lime-community", "lime-defaults"};
    static const char *const secs[] = {"2ghz", "wifi"};
    for (size_t f = 0; f < 3; f++)
        for (size_t k = 0; k < 2; k++) {
            char rel[64], path[512];
            struct ld_uci u;
            snprintf(rel, sizeof(rel), "/etc/config/%s", files[f]);
            ld_uci_load(ld_path(ctx, rel, path, sizeof(path)), &u, NULL, 0);
            const char *m[16];
            size_t n = ld_uci_get_list(&u, secs[k], "modes", m, 16);
            bool mesh = false;
            for (size_t i = 0; i < n; i++)
                mesh |= !strcmp(m[i], "ieee80211s") || !strcmp(m[i], "adhoc");
            ld_uci_free(&u);
            if (n)
                return mesh;
        }
    return true; /* LibreMesh's defaults mesh on every radio (ieee80211s) */
}

static bool text_ok(const char *s, size_t max)
{
    if (strlen(s) > max)
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == '\'' || *p == '=')
            return false;
    return true;
}

static int hotspot_apply(struct ld_call *c, json_object **out)
{
    char msg[512] = "";
    int r = ld_pending_apply(c->ctx, msg, sizeof(msg));
    *out = r < 0 && r != -EBUSY ? ld_app_error(msg[0] ? msg : "the change could not be applied")
                                : ld_app_ok();
    return LD_UBUS_OK;
}

/* {ssid?, password?, encryption?, radio?} defaults "internet"/"internet"/psk2/radio0 */
static int hotspot_wwan_enable(struct ld_call *c, json_object *args, json_object **out)
{
    const char *ssid = ld_arg_str(args, "ssid"), *pw = ld_arg_str(args, "password");
    const char *enc = ld_arg_str(args, "encryption"), *radio = ld_arg_str(args, "radio");
    ssid = ssid ? ssid : "internet";
    pw = pw ? pw : "internet";
    enc = enc ? enc : "psk2";
    radio = radio ? radio : "radio0";
    if (!text_ok(ssid, 32) || !text_ok(pw, 63) || strcmp(enc, "psk2") || strncmp(radio, "radio", 5) ||
        strspn(radio + 5, "0123456789") != strlen(radio + 5) || !radio[5]) {
        *out = ld_app_error("invalid hotspot settings");
        return LD_UBUS_OK;
    }
    if (!has_radio()) {
        *out = ld_app_error("this node has no Wi-Fi radio to connect to a hotspot with");
        return LD_UBUS_OK;
    }
    if (radio_meshes(c->ctx)) {
        *out = ld_app_error("radio has mesh ifaces"); /* upstream's words, which the app shows */
        return LD_UBUS_OK;
    }
    char l[12][160];
    snprintf(l[0], sizeof(l[0]), "wireless.%s.disabled=0", radio);
    snprintf(l[1], sizeof(l[1]), "wireless.%s.channel=auto", radio);
    snprintf(l[2], sizeof(l[2]), "wireless.lm_client_wwan=wifi-iface");
    snprintf(l[3], sizeof(l[3]), "wireless.lm_client_wwan.device=%s", radio);
    snprintf(l[4], sizeof(l[4]), "wireless.lm_client_wwan.network=lm_client_wwan");
    snprintf(l[5], sizeof(l[5]), "wireless.lm_client_wwan.mode=sta");
    snprintf(l[6], sizeof(l[6]), "wireless.lm_client_wwan.ifname=client-wwan");
    snprintf(l[7], sizeof(l[7]), "wireless.lm_client_wwan.ssid=%s", ssid);
    snprintf(l[8], sizeof(l[8]), "wireless.lm_client_wwan.encryption=%s", enc);
    snprintf(l[9], sizeof(l[9]), "wireless.lm_client_wwan.key=%s", pw);
    snprintf(l[10], sizeof(l[10]), "network.lm_client_wwan=interface");
    snprintf(l[11], sizeof(l[11]), "network.lm_client_wwan.proto=dhcp");
    const char *items[12];
    for (int i = 0; i < 12; i++)
        items[i] = l[i];
    char label[96];
    snprintf(label, sizeof(label), "Connect to the mobile hotspot \"%s\"", ssid);
    if (ld_pending_set_list(c->ctx, "lime-node", "generic_uci_config", HOTSPOT_SEC, "uci_set",
                            items, 12, label) < 0) {
        *out = ld_app_error("an apply is running, try again in a moment");
        return LD_UBUS_OK;
    }
    return hotspot_apply(c, out);
}

static int hotspot_wwan_disable(struct ld_call *c, json_object *args, json_object **out)
{
    if (ld_pending_set_list(c->ctx, "lime-node", "generic_uci_config", HOTSPOT_SEC, "uci_set",
                            NULL, 0, "No mobile hotspot connection") < 0) {
        *out = ld_app_error("an apply is running, try again in a moment");
        return LD_UBUS_OK;
    }
    return hotspot_apply(c, out);
}

/* ---- firmware (firmware.h) ---- */

static void firmware_done(bool ok, const char *msg, json_object *metadata, void *arg)
{
    struct ld_deferred *d = arg;
    json_object *o;
    if (ok) {
        o = ld_app_ok();
        json_object_object_add(o, "metadata", json_object_get(metadata));
    } else {
        o = ld_app_error(msg); /* firmwareApi.js: "Invalid firmware" is shown as such */
    }
    ld_rpc_finish(d, LD_UBUS_OK, o);
}

/* {fw_path, preserve_config?, metadata?}: answered once the image was checked. */
static int firmware_upgrade(struct ld_call *c, json_object *args, json_object **out)
{
    const char *path = ld_arg_str(args, "fw_path");
    json_object *jp = NULL, *meta = NULL;
    json_object_object_get_ex(args, "preserve_config", &jp);
    json_object_object_get_ex(args, "metadata", &meta);
    bool preserve = !jp || !json_object_is_type(jp, json_type_boolean) || json_object_get_boolean(jp);
    struct ld_deferred *d = ld_rpc_defer(c);
    if (!d) {
        *out = ld_app_error("firmware upgrades are only available over HTTP");
        return LD_UBUS_OK;
    }
    ld_firmware_upgrade(c->ctx, path, preserve, meta, firmware_done, d);
    return LD_UBUS_DEFERRED;
}

/* safe-upgrade's confirmation: LiMe-C nodes have no safe-upgrade (get_upgrade_info says
 * is_upgrade_confirm_supported false), so there is nothing to confirm. */
static int firmware_confirm(struct ld_call *c, json_object *args, json_object **out)
{
    *out = ld_app_error("safe-upgrade is not available on this node");
    return LD_UBUS_OK;
}

static const struct ld_method methods[] = {
    {"set_hostname", set_hostname, "hostname:string"},
    {"set_root_password", set_root_password, "password:string"},
    {"set_preferred_gateway", set_preferred_gateway, "gateway:string"},
    {"change_config", change_config, "changes:array"},
    {"apply", apply, ""},
    {"discard_changes", discard_changes, ""},
    {"hotspot_wwan_enable", hotspot_wwan_enable,
     "ssid:string,password:string,encryption:string,radio:string"},
    {"hotspot_wwan_disable", hotspot_wwan_disable, "radio:string"},
    {"firmware_upgrade", firmware_upgrade, "fw_path:string,preserve_config:boolean,metadata:object"},
    {"firmware_confirm", firmware_confirm, ""},
    {NULL, NULL, NULL},
};

const struct ld_object ld_obj_lime_utils_admin = {"lime-utils-admin", methods};
