/* ubus objects "wireless-service" (public) and "wireless-service-admin" (root): the
 * node's own access point (apname: "<network>/<node>") and the community roaming AP. */
#include "pending.h"
#include "limecfg.h"
#include "limed.h"
#include "rpc_objects.h"

#include <stdio.h>
#include <string.h>

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
    json_object_object_add(node, "enabled", json_object_new_boolean(1));
    json_object_object_add(node, "has_password", json_object_new_boolean(key[0] != 0));
    json_object_object_add(node, "ssid", json_object_new_string(ssid));
    if (with_password)
        json_object_object_add(node, "password", json_object_new_string(key));
    json_object *comm = json_object_new_object();
    json_object_object_add(comm, "enabled", json_object_new_boolean(1));
    json_object_object_add(comm, "ssid", json_object_new_string(ap_ssid));
    json_object *ce = json_object_new_object();
    json_object_object_add(ce, "enabled", json_object_new_boolean(1));
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

static const struct ld_method pub_methods[] = {
    {"get_access_points_data", get_ap, ""},
    {NULL, NULL, NULL},
};

static const struct ld_method admin_methods[] = {
    {"get_access_points_data", get_ap_admin, ""},
    {"set_node_ap", set_node_ap, "has_password:boolean,password:string,ssid:string"},
    {NULL, NULL, NULL},
};

const struct ld_object ld_obj_wireless_service = {"wireless-service", pub_methods};
const struct ld_object ld_obj_wireless_service_admin = {"wireless-service-admin", admin_methods};
