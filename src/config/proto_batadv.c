/* lime-proto batadv (spec §2.5): bat0 with LibreMesh's settings, and on every mesh
 * device an 802.1ad VLAN (id from the cloud's SSID hash) enslaved to it. */
#include "ctx.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

#define MTU_BATADV 1532u
#define MTU_ETH_WITH_VLAN 1496u

int plan_proto_batadv_configure(struct plan_ctx *ctx, const struct plan_proto_args *a)
{
    (void)a;
    struct plan_batman *b = &ctx->plan->batman;
    b->enabled = true;
    COPY(b->mesh_iface, "bat0");
    if (COPY(b->routing_algo, plan_cfg_get(ctx, "network", "batadv_routing_algo", "BATMAN_IV")) < 0)
        return plan_ctx_fail(ctx, "network.batadv_routing_algo: value too long");
    const char *oi = plan_cfg_get(ctx, "network", "batadv_orig_interval", "2000");
    char *end;
    long v = strtol(oi, &end, 10);
    if (*end || v <= 0 || v > 3600000)
        return plan_ctx_fail_opt(ctx, "network", "batadv_orig_interval", NULL,
                            "network.batadv_orig_interval: '%s' is not a number of ms", oi);
    b->orig_interval = (unsigned)v;
    b->bridge_loop_avoidance = 1;
    b->multicast_mode = 0;
    b->distributed_arp_table = -1;
    b->gw_mode[0] = '\0';
    const char *const *protos;
    size_t n = plan_cfg_list(ctx, "network", "protocols", &protos);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(protos[i], "anygw")) { /* DHCP is always answered locally */
            b->distributed_arp_table = 0;
            COPY(b->gw_mode, "client");
        }
    return plan_network_bridge_add_port(ctx, "bat0");
}

int plan_proto_batadv_setup(struct plan_ctx *ctx, const char *dev, const struct plan_proto_args *a)
{
    if (plan_network_is_wifi_ap(dev) && !a->specific)
        return 0;
    int vid = lime_batadv_vlan(a->vlan[0] ? a->vlan : NULL, &ctx->net_id);
    if (vid < 0 || vid > 4094)
        return plan_ctx_fail_opt(ctx, PROTO_SEC(a), "protocols", a->raw, "protocol '%s': VLAN '%s' is not a number or %%N template",
                        a->raw, a->vlan);
    enum plan_vlan_proto vp;
    if (plan_proto_arg_vlan_type(ctx, a, PLAN_VLAN_8021AD, &vp) < 0)
        return -1;
    struct plan_iface *f;
    struct plan_device *d;
    if (plan_network_create_vlan(ctx, dev, (unsigned)vid, a->suffix[0] ? a->suffix : "_batadv", vp,
                            PLAN_OWNER_BATADV, &f, &d) < 0)
        return -1;
    f->proto = PLAN_PROTO_BATADV_HARDIF;
    COPY(f->master, "bat0");
    /* With vid 0 upstream writes MAC and MTU to a device section that does not exist
     * (§7 quirk 1), so the raw device keeps its own. */
    if (d) {
        d->mtu = strncmp(dev, "eth", 3) ? MTU_BATADV : MTU_ETH_WITH_VLAN;
        d->has_mac = true;
        lime_batadv_vlan_mac(ctx->plan->primary_mac, dev, d->mac);
    }
    struct plan_batman *b = &ctx->plan->batman;
    if (b->n_hardifs >= PLAN_MAX_HARDIFS)
        return plan_ctx_fail(ctx, "too many batman-adv interfaces");
    COPY(b->hardifs[b->n_hardifs++], f->device);
    return 0;
}
