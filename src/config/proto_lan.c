/* lime-proto lan (spec §2.10): the `lan` interface on br-lan with the node's addresses,
 * and every wired device (not wifi, not a VLAN) as a br-lan port. */
#include "ctx.h"

#include <ctype.h>
#include <string.h>

int plan_proto_lan_configure(struct plan_ctx *ctx, const struct plan_proto_args *a)
{
    (void)a;
    struct plan_iface *lan = plan_iface_get(ctx, "lan");
    if (!lan && !(lan = plan_add_iface(ctx)))
        return -1;
    COPY(lan->section, "lan");
    lan->owner = PLAN_OWNER_LAN;
    lan->proto = PLAN_PROTO_STATIC;
    COPY(lan->device, "br-lan");
    lan->uci_device = false; /* OpenWrt's lan section already has device br-lan */
    plan_addr_from_lime(&ctx->node4, &lan->ip4);
    plan_addr_from_lime(&ctx->node6, &lan->ip6);
    lan->mtu = 1500;
    /* Upstream empties the bridge ports here, which drops bat0 when batadv is listed
     * before lan (docs/differences.md); LiMe-C only drops ports it did not add. */
    struct plan_device *br = plan_network_bridge(ctx);
    if (!br)
        return -1;
    int keep = 0;
    for (int i = 0; i < br->n_ports; i++)
        if (!strcmp(br->ports[i], "bat0"))
            COPY(br->ports[keep++], br->ports[i]);
    br->n_ports = keep;
    return 0;
}

/* VLAN devices end in _<digits>. */
static bool is_vlan_name(const char *dev)
{
    const char *u = strrchr(dev, '_');
    if (!u || !u[1])
        return false;
    for (const char *p = u + 1; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    return true;
}

int plan_proto_lan_setup(struct plan_ctx *ctx, const char *dev, const struct plan_proto_args *a)
{
    (void)a;
    if (!strncmp(dev, "wlan", 4) || is_vlan_name(dev))
        return 0; /* wifi joins via wireless `network lan` */
    return plan_network_bridge_add_port(ctx, dev);
}
