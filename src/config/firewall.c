/* lime.firewall (spec §2.11): accept everything in `defaults` and in the lan zone, and
 * put every LiMe interface (lm_*_if: batadv, babeld and anygw links) in the lan zone.
 * The wan zone stays as OpenWrt ships it (masquerading at gateway nodes). */
#include "ctx.h"

#include <string.h>

static bool is_lime_if(const char *s)
{
    size_t n = strlen(s);
    return !strncmp(s, "lm_", 3) && n > 6 && !strcmp(s + n - 3, "_if");
}

int plan_firewall_configure(struct plan_ctx *ctx)
{
    struct plan_firewall *fw = &ctx->plan->firewall;
    fw->defaults_accept = true;
    fw->n_lan_zone_networks = 0;
    COPY(fw->lan_zone_networks[fw->n_lan_zone_networks++], "lan");
    for (int i = 0; i < ctx->plan->n_ifaces; i++) {
        const char *s = ctx->plan->ifaces[i].section;
        if (!is_lime_if(s))
            continue;
        if (fw->n_lan_zone_networks >= PLAN_MAX_ZONE_NETWORKS)
            return plan_ctx_fail(ctx, "too many interfaces for the lan zone");
        COPY(fw->lan_zone_networks[fw->n_lan_zone_networks++], s);
    }
    return 0;
}
