/* ubus object "lime-metrics" (public): internet status, gateway and path to it, and
 * link tests toward a hop. Status, gateway and path come from babeld's current routes
 * and the followed path (gwpath.h), cheap, nothing pinged per request: "working" means a
 * default route exists for that family (on a node with a WAN: the gateway watcher's
 * HTTP check, gateway.h). get_metrics measures bandwidth and loss (linktest.h),
 * answering when done; get_loss (v3 app) is not offered. */
#include "core/babel.h"
#include "core/uplink.h"
#include "gateway.h"
#include "gwpath.h"
#include "limed.h"
#include "linktest.h"
#include "meshnames.h"
#include "nodes.h"
#include "rpc_objects.h"

#include <errno.h>
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
    const struct lime_babel_state *b = lime_babel_state(c->ctx->babel);
    bool v4 = lime_babel_installed(b, "0.0.0.0/0") || lime_uplink_own_default(false);
    bool v6 = lime_babel_installed(b, "::/0") || lime_uplink_own_default(true);
    const char *method = "routes";
    /* On a node with a WAN the gateway watcher's real check is the better answer. */
    const struct ld_gateway *gw = ld_gateway_current();
    if (gw && ld_gateway_wan(gw)[0] && ld_gateway_checks(gw) > 0) {
        v4 = ld_gateway_online(gw) || lime_babel_installed(b, "0.0.0.0/0");
        method = "check";
    }
    *out = ld_app_ok();
    json_object_object_add(*out, "IPv4", working(v4));
    json_object_object_add(*out, "IPv6", working(v6));
    json_object_object_add(*out, "DNS", working(v4 || v6));
    json_object_object_add(*out, "method", json_object_new_string(method));
    return LD_UBUS_OK;
}

/* ip of the node that owns router id: its /32, else (inside one cloud) its main address
 * from shared-state's node_info; "" if unknown. */

static json_object *named_hop(const char *ip, const char *name)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "ip", json_object_new_string(ip));
    json_object_object_add(o, "hostname", json_object_new_string(name && name[0] ? name : ip));
    return o;
}

/* A hop named by its routable address: limed's nodes list, else shared-state. */
static json_object *hop(struct ld_ctx *ctx, const char *ip)
{
    char name[128];
    const char *h = ld_nodes_hostname(ctx, ip);
    if (!h)
        h = ld_meshname_by_addr(ctx, ip, name, sizeof(name));
    return named_hop(ip, h);
}

/* The way to the gateway as LiMe-App's Metrics page reads it (metricsPage.tsx): hops
 * from the next one to the gateway, each {ip, hostname} with a routable mesh address
 * (the page measures each hop by its ip). The whole chain when gwpath has followed it,
 * else what babel tells: the next hop, then the gateway. Empty: no gateway, or this
 * node is it. */
static json_object *current_path(struct ld_ctx *ctx)
{
    json_object *p = json_object_new_array();
    char hops[LD_GWPATH_MAX][64];
    int n = ld_gwpath_get(hops);
    for (int i = 0; i < n; i++)
        json_object_array_add(p, hop(ctx, hops[i]));
    if (n > 0)
        return p;
    const struct lime_babel_state *b = lime_babel_state(ctx->babel);
    const struct lime_babel_route *def = lime_babel_installed(b, "0.0.0.0/0");
    if (!def || lime_uplink_gateway(b))
        return p;
    const char *nid = lime_babel_neigh_id(b, def->via);
    char next[64], gw[64], nname[128] = "", gname[128] = "";
    ld_node_ip(b, nid, next, sizeof(next));
    ld_node_ip(b, def->id, gw, sizeof(gw));
    const char *h;
    if ((h = next[0] ? ld_nodes_hostname(ctx, next) : NULL) ||
        (h = ld_meshname_by_id(nid, nname, sizeof(nname))) ||
        (h = ld_meshname_by_addr(ctx, def->via, nname, sizeof(nname))))
        ld_strlcpy(nname, h, sizeof(nname));
    if ((h = gw[0] ? ld_nodes_hostname(ctx, gw) : NULL) ||
        (h = ld_meshname_by_id(def->id, gname, sizeof(gname))))
        ld_strlcpy(gname, h, sizeof(gname));
    bool same = (nid[0] && !strcmp(nid, def->id)) || (next[0] && !strcmp(next, gw));
    if (!same)
        json_object_array_add(p, named_hop(next, nname));
    /* the next hop is the gateway: a name found for the neighbour is the gateway's (the
     * neighbour list names it from babel's link address before shared-state has synced) */
    const char *gwname = gname[0] ? gname : same && nname[0] ? nname : "…";
    json_object_array_add(p, named_hop(gw, gwname));
    return p;
}

/* The gateway is the last hop of get_path (the page finds its metrics by that ip), or
 * this node itself when it is the gateway ("This node is the gateway"). */
static int get_gateway(struct ld_call *c, json_object *args, json_object **out)
{
    const struct lime_babel_state *b = lime_babel_state(c->ctx->babel);
    char host[128], ip[64];
    if (lime_uplink_gateway(b)) {
        ld_rpc_hostname(c->ctx, host, sizeof(host));
        if (!ld_meshaddr_by_name(host, ip, sizeof(ip)))
            ip[0] = 0;
        *out = ld_app_ok();
        json_object_object_add(*out, "gateway", named_hop(ip, host));
        return LD_UBUS_OK;
    }
    json_object *p = current_path(c->ctx);
    size_t n = json_object_array_length(p);
    if (!n) {
        json_object_put(p);
        *out = ld_app_error("no gateway found");
        return LD_UBUS_OK;
    }
    *out = ld_app_ok();
    json_object_object_add(*out, "gateway", json_object_get(json_object_array_get_idx(p, n - 1)));
    json_object_put(p);
    return LD_UBUS_OK;
}

static int get_path(struct ld_call *c, json_object *args, json_object **out)
{
    *out = ld_app_ok();
    json_object_object_add(*out, "path", current_path(c->ctx));
    return LD_UBUS_OK;
}

static void metrics_done(const struct ld_linktest_result *r, void *arg)
{
    struct ld_deferred *d = arg;
    json_object *o;
    if (r->ping_err && r->bw_err) {
        o = ld_app_error(r->ping_err == -ECANCELED ? "the node is stopping"
                                                   : "the node could not be measured");
    } else {
        /* as upstream: strings, Mbps and percent; a node without limed answers no
         * bandwidth ("0", which the app shows as an error next to the loss) */
        char bw[32], loss[32];
        snprintf(bw, sizeof(bw), "%.2f", r->bw_err ? 0.0 : r->mbps);
        snprintf(loss, sizeof(loss), "%.0f", r->ping_err ? 100.0 : r->loss_pct);
        o = ld_app_ok();
        json_object_object_add(o, "bandwidth", json_object_new_string(bw));
        json_object_object_add(o, "loss", json_object_new_string(loss));
    }
    ld_rpc_finish(d, LD_UBUS_OK, o);
}

/* {target: ip}: bandwidth and packet loss toward a node (linktest.h), answered when
 * measured (~2 s) without holding up the loop. */
static int get_metrics(struct ld_call *c, json_object *args, json_object **out)
{
    const char *target = ld_arg_str(args, "target");
    if (!target)
        return LD_UBUS_INVALID_ARGUMENT;
    struct ld_deferred *d = ld_rpc_defer(c);
    if (!d) {
        *out = ld_app_error("link tests are only available over HTTP");
        return LD_UBUS_OK;
    }
    int r = ld_linktest_start(c->ctx, target, metrics_done, d);
    if (r < 0)
        ld_rpc_finish(d, LD_UBUS_OK,
                      ld_app_error(r == -EINVAL  ? "target is not a node address"
                                   : r == -EBUSY ? "another link test is running, try again"
                                                 : "the link test could not start"));
    return LD_UBUS_DEFERRED;
}

static const struct ld_method methods[] = {
    {"get_internet_status", get_internet_status, ""},
    {"get_metrics", get_metrics, "target:string"},
    {"get_gateway", get_gateway, ""},
    {"get_path", get_path, ""},
    {"get_last_internet_path", get_path, ""},
    {NULL, NULL, NULL},
};

const struct ld_object ld_obj_lime_metrics = {"lime-metrics", methods};
