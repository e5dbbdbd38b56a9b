/* lime-proto wan (spec §2.10): DHCP client on the WAN port (optionally on a VLAN), and a
 * firewall rule that lets link-local IPv6 (babel, mesh neighbours) in from wan. */
#include "ctx.h"

#include <stdlib.h>
#include <string.h>

int plan_proto_wan_configure(struct plan_ctx *ctx, const struct plan_proto_args *a)
{
    (void)a;
    struct plan_iface *wan = plan_iface_get(ctx, "wan");
    if (!wan && !(wan = plan_add_iface(ctx)))
        return -1;
    COPY(wan->section, "wan");
    wan->owner = PLAN_OWNER_WAN;
    wan->proto = PLAN_PROTO_DHCP;
    ctx->plan->wan.enabled = true;
    COPY(ctx->plan->wan.proto, "dhcp");
    return 0;
}

int plan_proto_wan_setup(struct plan_ctx *ctx, const char *dev, const struct plan_proto_args *a)
{
    struct plan_iface *wan = plan_iface_get(ctx, "wan");
    if (!wan)
        return plan_ctx_fail(ctx, "wan: not configured");
    char device[PLAN_IFNAME_MAX];
    COPY(device, dev);
    unsigned vid;
    if (plan_proto_arg_vid(ctx, a, 0, &vid) < 0)
        return -1;
    if (vid) {
        enum plan_vlan_proto vp;
        if (plan_proto_arg_vlan_type(ctx, a, PLAN_VLAN_8021Q, &vp) < 0)
            return -1;
        char *san = lime_iface_sanitize(dev);
        char *vname = lime_vlan_devname(dev, vid);
        struct plan_device *d = san && vname ? plan_add_device(ctx) : NULL;
        if (d) {
            d->type = PLAN_DEV_VLAN;
            d->owner = PLAN_OWNER_WAN;
            snprintf(d->section, sizeof d->section, "%s_dev", san);
            COPY(d->name, vname);
            COPY(d->link, dev);
            COPY(d->uci_link, dev);
            d->vid = (uint16_t)vid;
            d->vlan_proto = vp;
            COPY(device, vname);
        }
        free(san);
        free(vname);
        if (!d)
            return -1;
    }
    COPY(wan->device, device);
    wan->uci_device = true;
    COPY(ctx->plan->wan.device, device);
    ctx->plan->firewall.wan_link_local_rule = true;
    return 0;
}
