/* ubus object "lime-utils-admin" (root): hostname, shared admin password, preferred
 * gateway, generic LibreMesh options, and apply. Changes to the node's network setup
 * are staged (apply.h) and shown as pending until applied; the password takes effect
 * at once (it is a login matter, not a network one), as upstream. */
#include "pending.h"
#include "limecfg.h"
#include "limed.h"
#include "rpc_objects.h"
#include "session.h"
#include "ucifile.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
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

static const struct ld_method methods[] = {
    {"set_hostname", set_hostname, "hostname:string"},
    {"set_root_password", set_root_password, "password:string"},
    {"set_preferred_gateway", set_preferred_gateway, "gateway:string"},
    {"change_config", change_config, "changes:array"},
    {"apply", apply, ""},
    {"discard_changes", discard_changes, ""},
    {NULL, NULL, NULL},
};

const struct ld_object ld_obj_lime_utils_admin = {"lime-utils-admin", methods};
