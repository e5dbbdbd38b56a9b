/* lime.system, spec §2.11: the hostname (computed in build.c, since wireless needs it
 * for %H first) and the root password policy; plus LiMe-C's own runtime settings. */
#include "ctx.h"

#include <stdlib.h>
#include <string.h>


static unsigned get_uint(struct plan_ctx *ctx, const char *opt, unsigned def, int *bad)
{
    const char *v = plan_cfg_get(ctx, "network", opt, NULL);
    if (!v)
        return def;
    char *end;
    unsigned long n = strtoul(v, &end, 10);
    if (*end || !v[0] || n > 86400) {
        plan_ctx_fail_opt(ctx, "network", opt, NULL, "network.%s: '%s' is not a number of seconds", opt, v);
        *bad = 1;
        return def;
    }
    return (unsigned)n;
}

int plan_system_configure(struct plan_ctx *ctx)
{
    const char *policy = plan_cfg_get(ctx, "system", "root_password_policy", "DO_NOTHING");
    if (strcmp(policy, "DO_NOTHING") && strcmp(policy, "SET_SECRET") && strcmp(policy, "RANDOM"))
        return plan_ctx_fail_opt(ctx, "system", "root_password_policy", NULL,
                            "system.root_password_policy: '%s' (expected DO_NOTHING, "
                             "SET_SECRET or RANDOM)", policy);
    struct plan *p = ctx->plan;
    p->root_policy = !strcmp(policy, "SET_SECRET") ? PLAN_ROOT_SET_SECRET
                     : !strcmp(policy, "RANDOM")   ? PLAN_ROOT_RANDOM
                                                   : PLAN_ROOT_DO_NOTHING;
    const char *secret = plan_cfg_get(ctx, "system", "root_password_secret", "");
    if (COPY(p->root_secret, secret) < 0 || strpbrk(secret, ":\n"))
        return plan_ctx_fail(ctx, "system.root_password_secret: not a crypt hash");
    if (p->root_policy == PLAN_ROOT_SET_SECRET && !secret[0]) /* would empty the password */
        return plan_ctx_fail(ctx, "system.root_password_policy SET_SECRET needs root_password_secret");

    struct plan_runtime *rt = &ctx->plan->runtime;
    int bad = 0;
    COPY(rt->preferred_gateway, plan_cfg_get(ctx, "network", "preferred_gateway", ""));
    COPY(rt->internet_check_url, plan_cfg_get(ctx, "network", "internet_check_url",
                                         "http://detectportal.firefox.com/success.txt"));
    rt->internet_check_interval = get_uint(ctx, "internet_check_interval", 10, &bad);
    rt->babeld_hello_interval = get_uint(ctx, "babeld_hello_interval", 1, &bad);
    rt->babeld_update_interval = get_uint(ctx, "babeld_update_interval", 4, &bad);
    const char *backend = plan_cfg_get(ctx, "network", "batadv_backend", "auto");
    if (strcmp(backend, "auto") && strcmp(backend, "kernel") && strcmp(backend, "batd"))
        return plan_ctx_fail_opt(ctx, "network", "batadv_backend", NULL,
                            "network.batadv_backend: '%s' (expected auto, kernel or batd)", backend);
    COPY(rt->batadv_backend, backend);
    return bad ? -1 : 0;
}
