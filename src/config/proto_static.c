/* lime-proto static (spec §2.10): fixed addresses from a device's `config net` section
 * (static_ipv4 [+ static_gateway_ipv4], static_ipv6 [+ static_gateway_ipv6]). */
#include "ctx.h"

#include <stdlib.h>
#include <string.h>

static const char *opt(const struct lime_uci_section *s, const char *name)
{
    const struct lime_uci_option *o = lime_uci_option_get(s, name);
    return o ? lime_uci_option_value(o) : NULL;
}

static int parse_into(struct plan_ctx *ctx, const char *what, const char *v, int family,
                      struct plan_addr *out)
{
    struct lime_addr a;
    if (lime_addr_parse(v, &a) < 0 || a.family != family)
        return plan_ctx_fail(ctx, "%s: '%s' is not an IPv%d address", what, v,
                        family == AF_INET ? 4 : 6);
    plan_addr_from_lime(&a, out);
    return 0;
}

int plan_proto_static_setup(struct plan_ctx *ctx, const char *dev, const struct plan_proto_args *a)
{
    if (!a->specific || !a->section)
        return 0;
    const char *v4 = opt(a->section, "static_ipv4"), *g4 = opt(a->section, "static_gateway_ipv4");
    const char *v6 = opt(a->section, "static_ipv6"), *g6 = opt(a->section, "static_gateway_ipv6");
    if (!v4 && !v6)
        return 0;
    char *san = lime_iface_sanitize(dev);
    if (!san)
        return plan_ctx_fail(ctx, "out of memory");
    char sec[PLAN_SECTION_MAX];
    int too_long = snprintf(sec, sizeof sec, "%s_static", san) >= (int)sizeof sec;
    free(san);
    if (too_long)
        return plan_ctx_fail(ctx, "interface section name too long for %s", dev);
    struct plan_iface *f = plan_iface_get(ctx, sec);
    if (!f && !(f = plan_add_iface(ctx)))
        return -1;
    COPY(f->section, sec);
    f->owner = PLAN_OWNER_STATIC;
    f->proto = PLAN_PROTO_STATIC;
    f->auto_up = true;
    COPY(f->device, dev);
    f->uci_device = true;
    const char *where = lime_uci_section_name(a->section);
    char what[PLAN_SECTION_MAX + 32];
    snprintf(what, sizeof what, "net %s static address", where);
    if (v4 && parse_into(ctx, what, v4, AF_INET, &f->ip4) < 0)
        return -1;
    if (v4 && g4 && parse_into(ctx, what, g4, AF_INET, &f->gw4) < 0)
        return -1;
    if (v6 && parse_into(ctx, what, v6, AF_INET6, &f->ip6) < 0)
        return -1;
    if (v6 && g6 && parse_into(ctx, what, g6, AF_INET6, &f->gw6) < 0)
        return -1;
    return 0;
}
