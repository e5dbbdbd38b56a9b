/* lime-proto babeld (spec §2.6): babeld on an 802.1ad VLAN (17) of every mesh device,
 * each link carrying the node's IPv4 as a /32, with LibreMesh's redistribution filters. */
#include "ctx.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

#define MTU_ETH_WITH_VLAN 1496u

static void add_filter(struct plan_babeld *b, const char *name, const char *ip, int le,
                       bool local, enum plan_babel_action action)
{
    struct plan_babel_filter *f = &b->filters[b->n_filters++];
    memset(f, 0, sizeof *f);
    COPY(f->section, name);
    COPY(f->ip, ip);
    f->le = le;
    f->local = local;
    f->action = action;
}

int plan_proto_babeld_configure(struct plan_ctx *ctx, const struct plan_proto_args *a)
{
    (void)a;
    struct plan_babeld *b = &ctx->plan->babeld;
    memset(b, 0, sizeof *b);
    b->enabled = true;
    b->local_port = 30003;
    b->ubus_bindings = true;
    /* any value, even "false", enables it (§7 quirk 3; kept: users set it to enable) */
    if (lime_uci_get(ctx->conf, "network", "babeld_over_librenet6")) {
        struct plan_babel_iface *i = &b->ifaces[b->n_ifaces++];
        COPY(i->section, "librenet6");
        COPY(i->ifname, "librenet6");
        COPY(i->type, "tunnel");
    }
    add_filter(b, "ula6", "fc00::/7", -1, false, PLAN_BABEL_ALLOW);
    add_filter(b, "public6", "2000::0/3", -1, false, PLAN_BABEL_ALLOW);
    add_filter(b, "default6", "0::0/0", 0, false, PLAN_BABEL_ALLOW);
    add_filter(b, "mesh4", "10.0.0.0/8", -1, false, PLAN_BABEL_ALLOW);
    add_filter(b, "mptp4", "172.16.0.0/12", -1, false, PLAN_BABEL_ALLOW);
    add_filter(b, "default4", "0.0.0.0/0", 0, false, PLAN_BABEL_ALLOW);
    add_filter(b, "localdeny", "", -1, true, PLAN_BABEL_DENY);
    add_filter(b, "denyany", "", -1, false, PLAN_BABEL_DENY);
    /* babeld-auto-gw-mode's post hook: only default routes of kernel proto 7 (installed
     * by the gateway watcher) are announced. */
    for (int i = 0; i < b->n_filters; i++)
        if (!strcmp(b->filters[i].section, "default4") || !strcmp(b->filters[i].section, "default6"))
            b->filters[i].proto = 7;
    return 0;
}

int plan_proto_babeld_setup(struct plan_ctx *ctx, const char *dev, const struct plan_proto_args *a)
{
    if (plan_network_is_wifi_ap(dev) && !a->specific)
        return 0;
    unsigned vid;
    enum plan_vlan_proto vp;
    if (plan_proto_arg_vid(ctx, a, 17, &vid) < 0 || plan_proto_arg_vlan_type(ctx, a, PLAN_VLAN_8021AD, &vp) < 0)
        return -1;
    struct plan_iface *f;
    struct plan_device *d;
    if (plan_network_create_vlan(ctx, dev, vid, a->suffix[0] ? a->suffix : "_babeld", vp,
                            PLAN_OWNER_BABELD, &f, &d) < 0)
        return -1;
    /* wired VLANs lose 4 bytes; wifi VLAN devices inherit (upstream leaves MTU unset) */
    if (d && (!strncmp(dev, "eth", 3) || !strncmp(dev, "lan", 3)))
        d->mtu = MTU_ETH_WITH_VLAN;
    f->proto = PLAN_PROTO_STATIC;
    plan_addr_from_lime(&ctx->node4, &f->ip4);
    f->ip4.prefix = 32;
    struct plan_babeld *b = &ctx->plan->babeld;
    if (b->n_ifaces >= PLAN_MAX_BABEL_IFACES)
        return plan_ctx_fail(ctx, "too many babeld interfaces");
    struct plan_babel_iface *bi = &b->ifaces[b->n_ifaces++];
    COPY(bi->section, f->section);
    COPY(bi->ifname, f->device);
    COPY(bi->type, "wireless"); /* always: radios are often bridged over ethernet */
    return 0;
}
