/* lime-proto ieee80211s / adhoc / apbb / client (spec §1.3): the network interface of
 * the matching wifi iface (wlanN-mesh, -adhoc, -apbb, -sta): proto none, MTU 1536 so a
 * 1500-byte frame fits with the batman-adv and VLAN headers. */
#include "ctx.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *wifi_suffix(const char *proto)
{
    if (!strcmp(proto, "ieee80211s"))
        return "mesh";
    if (!strcmp(proto, "client"))
        return "sta";
    return proto; /* adhoc, apbb */
}

/* ^wlan%d+.<mode> */
static bool matches(const char *dev, const char *mode)
{
    if (strncmp(dev, "wlan", 4) || !isdigit((unsigned char)dev[4]))
        return false;
    const char *p = dev + 4;
    while (isdigit((unsigned char)*p))
        p++;
    return *p && !strncmp(p + 1, mode, strlen(mode));
}

int plan_proto_wifi_setup(struct plan_ctx *ctx, const char *dev, const struct plan_proto_args *a)
{
    if (!matches(dev, wifi_suffix(a->name)))
        return 0;
    char *sec = lime_iface_sanitize(dev);
    if (!sec)
        return plan_ctx_fail(ctx, "out of memory");
    struct plan_iface *f = plan_iface_get(ctx, sec);
    int rc = 0;
    if (!f && !(f = plan_add_iface(ctx)))
        rc = -1;
    else {
        COPY(f->section, sec);
        f->owner = PLAN_OWNER_WIFI;
        f->proto = PLAN_PROTO_NONE;
        COPY(f->device, dev);
        f->uci_device = false; /* the wifi-iface's `network` option binds it */
        f->mtu = 1536;
        f->auto_up = true;
    }
    free(sec);
    return rc;
}
