/* lime.generic_config (spec §2.12):
 *   generic_uci_config  uci_set entries "pkg.section[.option]=value", applied in order by
 *                       the uci backend;
 *   copy_asset          asset (node/... or community/..., under ROOT/etc/lime-assets/)
 *                       copied to dst;
 *   run_asset           asset run at every lime-config (ATCONFIG) or once (ATFIRSTBOOT).
 * A bad entry is logged and skipped; the others still apply (as upstream). */
#include "ctx.h"

#include <string.h>

#include "log.h"

static const char *sec_opt(const struct lime_uci_section *s, const char *name)
{
    const struct lime_uci_option *o = lime_uci_option_get(s, name);
    return o ? lime_uci_option_value(o) : NULL;
}

static bool good_asset(const char *a)
{
    return a && (!strncmp(a, "node/", 5) || !strncmp(a, "community/", 10)) && !strstr(a, "..");
}

int plan_generic_config_configure(struct plan_ctx *ctx)
{
    struct plan *p = ctx->plan;
    struct lime_uci_section *s;
    lime_uci_foreach_section(ctx->conf, "generic_uci_config", s)
    {
        const struct lime_uci_option *o = lime_uci_option_get(s, "uci_set");
        size_t n = o ? lime_uci_option_count(o) : 0;
        for (size_t i = 0; i < n; i++) {
            const char *v = lime_uci_option_item(o, i);
            if (p->n_uci_set >= PLAN_MAX_UCI_SET || COPY(p->uci_set[p->n_uci_set], v) < 0) {
                log_warn("generic_uci_config %s: entry '%s' dropped (too many or too long)",
                         lime_uci_section_name(s), v);
                continue;
            }
            p->n_uci_set++;
        }
    }
    lime_uci_foreach_section(ctx->conf, "copy_asset", s)
    {
        const char *asset = sec_opt(s, "asset"), *dst = sec_opt(s, "dst");
        if (!good_asset(asset) || !dst || dst[0] != '/' || strstr(dst, "..") ||
            p->n_copy_assets >= PLAN_MAX_ASSETS) {
            log_warn("copy_asset %s: needs asset node/... or community/... and an absolute dst",
                     lime_uci_section_name(s));
            continue;
        }
        struct plan_asset *a = &p->copy_assets[p->n_copy_assets];
        if (COPY(a->asset, asset) < 0 || COPY(a->dst, dst) < 0)
            continue;
        p->n_copy_assets++;
    }
    lime_uci_foreach_section(ctx->conf, "run_asset", s)
    {
        const char *asset = sec_opt(s, "asset"), *when = sec_opt(s, "when");
        bool first = when && !strcmp(when, "ATFIRSTBOOT");
        if (!good_asset(asset) || !when || (!first && strcmp(when, "ATCONFIG")) ||
            p->n_run_assets >= PLAN_MAX_ASSETS) {
            log_warn("run_asset %s: needs asset node/... or community/... and when "
                     "ATFIRSTBOOT or ATCONFIG", lime_uci_section_name(s));
            continue;
        }
        struct plan_asset *a = &p->run_assets[p->n_run_assets];
        if (COPY(a->asset, asset) < 0)
            continue;
        a->at_first_boot = first;
        p->n_run_assets++;
    }
    return 0;
}
