/* Small helpers shared by the modules (see ctx.h). */
#include "ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"

int plan_ctx_fail(struct plan_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->err->msg, sizeof ctx->err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

const char *plan_ctx_path(const struct plan_ctx *ctx, const char *rel, char *buf, size_t len)
{
    snprintf(buf, len, "%s%s", ctx->root, rel);
    return buf;
}

const char *plan_ctx_sys_path(const struct plan_ctx *ctx, const char *rel, char *buf, size_t len)
{
    snprintf(buf, len, "%s%s", ctx->sysfs, rel);
    return buf;
}

int plan_copy_str(char *dst, size_t len, const char *src)
{
    size_t n = strlen(src);
    if (n >= len) {
        memcpy(dst, src, len - 1);
        dst[len - 1] = '\0';
        return -1;
    }
    memcpy(dst, src, n + 1);
    return 0;
}

const char *plan_cfg_get(const struct plan_ctx *ctx, const char *sec, const char *opt, const char *fb)
{
    return lime_conf_get(ctx->conf, sec, opt, fb);
}

size_t plan_cfg_list(const struct plan_ctx *ctx, const char *sec, const char *opt,
                const char *const **items)
{
    return lime_conf_get_list(ctx->conf, sec, opt, items, NULL, 0);
}

void plan_addr_from_lime(const struct lime_addr *in, struct plan_addr *out)
{
    memset(out, 0, sizeof *out);
    out->family = in->family;
    out->prefix = (uint8_t)in->prefix;
    if (in->family == AF_INET)
        memcpy(&out->u.v4, in->a, 4);
    else if (in->family == AF_INET6)
        memcpy(&out->u.v6, in->a, 16);
}
