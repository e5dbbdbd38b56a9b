/* ubus object "lime-metrics" (public): internet status, gateway and path to it. All
 * answers come from babeld's current routes (cheap; nothing is pinged per request):
 * "working" means a default route exists for that family (on a node with a WAN: the
 * gateway watcher's HTTP check, gateway.h). get_metrics/get_loss
 * (bandwidth tests) are not offered. */
#include "babel.h"
#include "gateway.h"
#include "gwpath.h"
#include "limed.h"
#include "meshnames.h"
#include "nodes.h"
#include "rpc_objects.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_object *working(bool w)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "working", json_object_new_boolean(w));
    return o;
}

static int get_internet_status(struct ld_call *c, json_object *args, json_object **out)
{
    const struct ld_babel *b = ld_babel_get(c->ctx);
    bool v4 = ld_babel_installed(b, "0.0.0.0/0") || ld_kernel_default(false);
    bool v6 = ld_babel_installed(b, "::/0") || ld_kernel_default(true);
    const char *method = "routes";
    /* On a node with a WAN the gateway watcher's real check is the better answer. */
    const struct lr_gateway *gw = ld_gateway_current();
    if (gw && lr_gateway_wan(gw)[0] && lr_gateway_checks(gw) > 0) {
        v4 = lr_gateway_online(gw) || ld_babel_installed(b, "0.0.0.0/0");
        method = "check";
    }
    *out = ld_app_ok();
    json_object_object_add(*out, "IPv4", working(v4));
    json_object_object_add(*out, "IPv6", working(v6));
    json_object_object_add(*out, "DNS", working(v4 || v6));
    json_object_object_add(*out, "method", json_object_new_string(method));
    return LD_UBUS_OK;
}

static json_object *hop(struct ld_ctx *ctx, const char *ip)
{
    const char *h = ld_nodes_hostname(ctx, ip);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "ip", json_object_new_string(ip));
    json_object_object_add(o, "hostname", json_object_new_string(h ? h : ip));
    return o;
}

/* ip of the node that owns router id (its /32), "" if unknown. */
static void ip_of(const struct ld_babel *b, const char *id, char *ip, size_t len)
{
    const struct ld_babel_route *hr = id && id[0] ? ld_babel_host_route(b, id) : NULL;
    ip[0] = 0;
    if (hr)
        snprintf(ip, len, "%.*s", (int)(strlen(hr->prefix) - 3), hr->prefix);
}

static json_object *named_hop(const char *ip, const char *name)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "ip", json_object_new_string(ip));
    json_object_object_add(o, "hostname", json_object_new_string(name && name[0] ? name : ip));
    return o;
}

/* The path we know: the neighbour we send to, then the gateway (babel tells no more).
 * Inside one cloud nodes have no /32 babel route, so the hops are named from shared-state
 * (meshnames.h) by router id / link-local address; a gateway that cannot be named is "…". */
static json_object *path(struct ld_ctx *ctx, const struct ld_babel_route *def)
{
    const struct ld_babel *b = ld_babel_get(ctx);
    json_object *p = json_object_new_array();
    const char *nid = ld_babel_neigh_id(b, def->via);
    char next[64], gw[64], nname[128] = "", gname[128] = "";
    ip_of(b, nid, next, sizeof(next));
    ip_of(b, def->id, gw, sizeof(gw));
    const char *h;
    if ((h = next[0] ? ld_nodes_hostname(ctx, next) : NULL) || (h = ld_meshname_by_id(nid, nname, sizeof(nname))) ||
        (h = ld_meshname_by_addr(ctx, def->via, nname, sizeof(nname))))
        ld_strlcpy(nname, h, sizeof(nname));
    if ((h = gw[0] ? ld_nodes_hostname(ctx, gw) : NULL) || (h = ld_meshname_by_id(def->id, gname, sizeof(gname))))
        ld_strlcpy(gname, h, sizeof(gname));
    bool same = (nid[0] && !strcmp(nid, def->id)) || (next[0] && !strcmp(next, gw)) ||
                (nname[0] && !strcmp(nname, gname));
    if (!same)
        json_object_array_add(p, named_hop(next[0] ? next : def->via, nname));
    if (gw[0] || gname[0] || same)
        json_object_array_add(p, named_hop(gw[0] ? gw : same ? def->via : "", gname[0] ? gname : nname));
    else
        json_object_array_add(p, named_hop("", "…")); /* the rest of the way is not known */
    return p;
}

static int get_gateway(struct ld_call *c, json_object *args, json_object **out)
{
    const struct ld_babel *b = ld_babel_get(c->ctx);
    const struct ld_babel_route *def = ld_babel_installed(b, "0.0.0.0/0");
    char gw[64], name[128];
    ip_of(b, def ? def->id : NULL, gw, sizeof(gw));
    if (!gw[0] && def && ld_meshname_by_id(def->id, name, sizeof(name))) {
        *out = ld_app_ok();
        json_object_object_add(*out, "gateway", named_hop("", name));
        return LD_UBUS_OK;
    }
    if (!gw[0]) {
        *out = ld_app_error(ld_babel_self_gateway(c->ctx, b) ? "this node is the gateway"
                                                  : "no gateway found");
        return LD_UBUS_OK;
    }
    *out = ld_app_ok();
    json_object_object_add(*out, "gateway", hop(c->ctx, gw));
    return LD_UBUS_OK;
}

static int get_path(struct ld_call *c, json_object *args, json_object **out)
{
    char hops[LD_GWPATH_MAX][64];
    int n = ld_gwpath_get(hops);
    if (n > 0) { /* the whole chain, followed hop by hop (gwpath.h) */
        json_object *p = json_object_new_array();
        for (int i = 0; i < n; i++)
            json_object_array_add(p, hop(c->ctx, hops[i]));
        *out = ld_app_ok();
        json_object_object_add(*out, "path", p);
        return LD_UBUS_OK;
    }
    const struct ld_babel *b = ld_babel_get(c->ctx);
    const struct ld_babel_route *def = ld_babel_installed(b, "0.0.0.0/0");
    *out = ld_app_ok();
    json_object_object_add(*out, "path", def ? path(c->ctx, def) : json_object_new_array());
    return LD_UBUS_OK;
}

static const struct ld_method methods[] = {
    {"get_internet_status", get_internet_status, ""},
    {"get_gateway", get_gateway, ""},
    {"get_path", get_path, ""},
    {"get_last_internet_path", get_path, ""},
    {NULL, NULL, NULL},
};

const struct ld_object ld_obj_lime_metrics = {"lime-metrics", methods};
