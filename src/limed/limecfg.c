/* Layered LibreMesh settings; see limecfg.h. */
#include "limecfg.h"

#include "pending.h"
#include "limed.h"
#include "ucifile.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

char *ld_lime_get(struct ld_ctx *ctx, const char *sec, const char *opt, bool with_pending,
                  char *buf, size_t len)
{
    static const char *const files[] = {"lime-node", "lime-community", "lime-defaults"};
    buf[0] = 0;
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        if (with_pending && i < 2) {
            const char *v = ld_pending_value(ctx, files[i], sec, opt);
            if (v) {
                ld_strlcpy(buf, v, len);
                return buf;
            }
        }
        char rel[64], path[512];
        snprintf(rel, sizeof(rel), "/etc/config/%s", files[i]);
        ld_uci_read_option(ld_path(ctx, rel, path, sizeof(path)), sec, opt, buf, len);
        if (buf[0])
            return buf;
    }
    return buf;
}

void ld_lime_expand(const char *tmpl, const char *hostname, char *buf, size_t len)
{
    size_t k = 0;
    for (const char *p = tmpl; *p && k + 1 < len; p++) {
        if (p[0] == '%' && p[1] == 'H') {
            k += (size_t)snprintf(buf + k, len - k, "%s", hostname);
            if (k >= len)
                k = len - 1;
            p++;
        } else {
            buf[k++] = *p;
        }
    }
    buf[k] = 0;
}

bool ld_hostname_valid(const char *name)
{
    size_t n = strlen(name);
    if (n < 3 || n > 32 || name[0] == '-' || name[n - 1] == '-')
        return false;
    for (const char *p = name; *p; p++)
        if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-')
            return false;
    return true;
}
