/* ubus object "lime-fbw": the first-boot wizard (status/dismiss public; the rest root).
 * set_network and create_network stage the new configuration and apply it at once;
 * the reply comes first, the wizard then polls lime-utils.get_pending_changes. */
#include "pending.h"
#include "fbw.h"
#include "limecfg.h"
#include "limed.h"
#include "rpc_objects.h"
#include "session.h"
#include "ucifile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int f_status(struct ld_call *c, json_object *args, json_object **out)
{
    *out = ld_fbw_status(c->ctx);
    return LD_UBUS_OK;
}

static int f_dismiss(struct ld_call *c, json_object *args, json_object **out)
{
    char path[512];
    struct ld_uci u;
    ld_path(c->ctx, "/etc/config/lime-node", path, sizeof(path));
    int r = ld_uci_load(path, &u, NULL, 0);
    if (r == 0 || r == -ENOENT) {
        ld_uci_set(&u, "lime", "system", "firstbootwizard_dismissed", "true");
        r = ld_uci_save(&u, path);
    }
    ld_uci_free(&u);
    *out = r < 0 ? ld_app_error("cannot save") : ld_app_ok();
    return LD_UBUS_OK;
}

static int f_start(struct ld_call *c, json_object *args, json_object **out)
{
    int r = ld_fbw_scan(c->ctx);
    *out = json_object_new_object();
    json_object_object_add(*out, "status", json_object_new_boolean(r == 0));
    return LD_UBUS_OK;
}

static int f_stop(struct ld_call *c, json_object *args, json_object **out)
{
    ld_fbw_stop(c->ctx);
    *out = json_object_new_object();
    json_object_object_add(*out, "status", json_object_new_boolean(1));
    return LD_UBUS_OK;
}

static int stage_node(struct ld_ctx *ctx, const char *hostname)
{
    char label[96];
    snprintf(label, sizeof(label), "Node name: %s", hostname);
    int r = ld_pending_set(ctx, "lime-node", "lime", "system", "hostname", hostname, label);
    if (!r)
        r = ld_pending_set(ctx, "lime-node", "lime", "system", "firstbootwizard_configured",
                           "true", "First-boot wizard: done");
    return r;
}

static int finish(struct ld_ctx *ctx, json_object **out, const char *ok_status)
{
    char msg[512] = "";
    if (ld_pending_apply(ctx, msg, sizeof(msg)) < 0) {
        *out = ld_app_error(msg);
        return LD_UBUS_OK;
    }
    *out = json_object_new_object();
    json_object_object_add(*out, "status", json_object_new_string(ok_status));
    return LD_UBUS_OK;
}

static int f_set_network(struct ld_call *c, json_object *args, json_object **out)
{
    const char *file = ld_arg_str(args, "file"), *host = ld_arg_str(args, "hostname");
    if (!file || !host)
        return LD_UBUS_INVALID_ARGUMENT;
    const char *content = ld_fbw_network(file);
    if (!content) {
        *out = ld_app_error("unknown network: scan again");
        return LD_UBUS_OK;
    }
    if (!ld_hostname_valid(host)) {
        *out = ld_app_error("A node name uses 3 to 32 lowercase letters, digits or '-'");
        return LD_UBUS_OK;
    }
    if (ld_pending_state() == LD_PENDING_RUNNING) {
        *out = ld_app_error("an apply is running");
        return LD_UBUS_OK;
    }
    ld_pending_clear(c->ctx);
    if (ld_pending_file(c->ctx, "lime-community", content, "Network settings of the community") ||
        stage_node(c->ctx, host)) {
        *out = ld_app_error("cannot stage the configuration");
        return LD_UBUS_OK;
    }
    return finish(c->ctx, out, "configuring");
}

static int f_create_network(struct ld_call *c, json_object *args, json_object **out)
{
    const char *net = ld_arg_str(args, "network"), *host = ld_arg_str(args, "hostname");
    const char *pw = ld_arg_str(args, "adminPassword");
    if (!pw)
        pw = ld_arg_str(args, "password");
    if (!net || !host || !pw)
        return LD_UBUS_INVALID_ARGUMENT;
    if (strlen(net) < 1 || strlen(net) > 28 || strchr(net, '/') || strchr(net, '\n')) {
        *out = ld_app_error("The network name needs 1 to 28 characters and no '/'");
        return LD_UBUS_OK;
    }
    if (!ld_hostname_valid(host)) {
        *out = ld_app_error("A node name uses 3 to 32 lowercase letters, digits or '-'");
        return LD_UBUS_OK;
    }
    if (ld_pending_state() == LD_PENDING_RUNNING) {
        *out = ld_app_error("an apply is running");
        return LD_UBUS_OK;
    }
    char msg[256], apname[64];
    if (ld_set_shared_password(c->ctx, pw, msg, sizeof(msg)) < 0) {
        *out = ld_app_error(msg);
        return LD_UBUS_OK;
    }
    snprintf(apname, sizeof(apname), "%s/%%H", net);
    char label[96];
    snprintf(label, sizeof(label), "Network name: %s", net);
    ld_pending_clear(c->ctx);
    if (ld_pending_set(c->ctx, "lime-community", "lime", "wifi", "ap_ssid", net, label) ||
        ld_pending_set(c->ctx, "lime-community", "lime", "wifi", "apname_ssid", apname,
                       "Name of each node's own Wi-Fi") ||
        stage_node(c->ctx, host)) {
        *out = ld_app_error("cannot stage the configuration");
        return LD_UBUS_OK;
    }
    return finish(c->ctx, out, "done");
}

static const struct ld_method methods[] = {
    {"status", f_status, ""},
    {"dismiss", f_dismiss, ""},
    {"start", f_start, ""},
    {"restart", f_start, ""},
    {"stop", f_stop, ""},
    {"set_network", f_set_network, "file:string,hostname:string"},
    {"create_network", f_create_network, "network:string,hostname:string,adminPassword:string"},
    {NULL, NULL, NULL},
};

const struct ld_object ld_obj_lime_fbw = {"lime-fbw", methods};
