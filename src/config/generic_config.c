/* lime.generic_config (spec §2.12): `generic_uci_config` sections' uci_set entries
 * ("pkg.section[.option]=value") are collected for the uci backend, which applies them
 * in order. copy_asset / run_asset are not implemented yet (logged). */
#include "ctx.h"

#include <string.h>

#include "log.h"

int generic_config_configure(struct ctx *ctx)
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
        log_warn("copy_asset %s: not implemented in LiMe-C yet, skipped", lime_uci_section_name(s));
    lime_uci_foreach_section(ctx->conf, "run_asset", s)
        log_warn("run_asset %s: not implemented in LiMe-C yet, skipped", lime_uci_section_name(s));
    return 0;
}
