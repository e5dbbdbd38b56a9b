/* Loading the lime-* files (spec §1.1): each file is parsed and checked (section types,
 * templates) BEFORE anything is merged, so a bad lime-node stops the run with
 * "file:line: ..." and nothing is written. Then upstream's merge builds lime-autogen:
 * lime-defaults (or the built-in copy) < lime-community < lime-<mac12> < lime-node. */
#include "ctx.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "fsutil.h"
#include "log.h"

static const char *const known_types[] = {
    "lime", "lime-wifi-band", "wifi", "net", "generic_uci_config", "copy_asset", "run_asset",
    /* used by optional upstream packages; accepted and ignored */
    "hwd_gr", "hwd_watchcat", "bgp_peer",
};

const char *plan_template_check(const char *v, bool allow_net, bool allow_host)
{
    for (const char *p = strchr(v, '%'); p; p = strchr(p + 1, '%')) {
        char c = p[1];
        if (c == 'M' || c == 'm' || c == 'N') {
            if (p[2] < '1' || p[2] > '6')
                return "%M, %m and %N take a byte number 1-6";
            if (c == 'N' && !allow_net)
                return "%N is not substituted here (only %M and %m)";
        } else if (c == 'H') {
            if (!allow_host)
                return "%H is only substituted in SSIDs";
        } else if (isalpha((unsigned char)c)) {
            return "unknown template (expected %M1-6, %m1-6, %N1-6 or %H)";
        }
    }
    return NULL;
}

/* --- locating a section/option in the raw text, for error messages --- */

/* Reads the next word of a UCI line (quotes stripped) into out; returns the rest. */
static const char *word(const char *p, char *out, size_t len)
{
    size_t n = 0;
    while (*p == ' ' || *p == '\t')
        p++;
    char q = 0;
    while (*p && *p != '\n' && (q || (*p != ' ' && *p != '\t'))) {
        if (!q && (*p == '\'' || *p == '"')) {
            q = *p++;
            continue;
        }
        if (q && *p == q) {
            q = 0;
            p++;
            continue;
        }
        if (n + 1 < len)
            out[n++] = *p;
        p++;
    }
    out[n] = '\0';
    return p;
}

/* Line of the first `config <type> [<name>]` line matching (name NULL: any), else 0. */
static int line_of_section(const char *text, const char *type, const char *name)
{
    int line = 1;
    for (const char *p = text; *p; line++) {
        char w1[32], w2[128], w3[128];
        const char *r = word(p, w1, sizeof w1);
        r = word(r, w2, sizeof w2);
        word(r, w3, sizeof w3);
        if (!strcmp(w1, "config") && !strcmp(w2, type) && (!name || !strcmp(w3, name)))
            return line;
        const char *nl = strchr(p, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
    return 0;
}

/* Line of `option|list <opt> ...<value>...` after the section's line, else the section's. */
static int line_of_option(const char *text, int sec_line, const char *opt, const char *value)
{
    int line = 1;
    for (const char *p = text; *p; line++) {
        const char *nl = strchr(p, '\n');
        if (line > sec_line) {
            char w1[16], w2[128];
            const char *r = word(p, w1, sizeof w1);
            word(r, w2, sizeof w2);
            if (!strcmp(w1, "config"))
                break;
            if ((!strcmp(w1, "option") || !strcmp(w1, "list")) && !strcmp(w2, opt)) {
                size_t ll = nl ? (size_t)(nl - p) : strlen(p);
                char *l = strndup(p, ll);
                bool hit = l && strstr(l, value);
                free(l);
                if (hit)
                    return line;
            }
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    return sec_line;
}

struct srcfile {
    const char *path; /* for messages */
    const char *text;
};

static int fail_at(struct plan_ctx *ctx, const struct srcfile *f, int line, const char *fmt,
                   const char *a, const char *b)
{
    char what[300];
    snprintf(what, sizeof what, fmt, a, b);
    if (line > 0)
        return plan_ctx_fail(ctx, "%s:%d: %s", f->path, line, what);
    return plan_ctx_fail(ctx, "%s: %s", f->path, what);
}

static int check_value(struct plan_ctx *ctx, const struct srcfile *f, int sec_line,
                       const struct lime_uci_option *o, bool net, bool host)
{
    size_t n;
    const char *const *items = lime_uci_option_items(o, &n);
    for (size_t i = 0; i < n; i++) {
        const char *why = plan_template_check(items[i], net, host);
        if (why)
            return fail_at(ctx, f, line_of_option(f->text, sec_line, lime_uci_option_name(o), items[i]),
                           "bad template in '%s': %s", items[i], why);
    }
    return 0;
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

/* Section types and templates of one parsed file. */
static int check_file(struct plan_ctx *ctx, const struct srcfile *f, const struct lime_uci_package *pkg)
{
    struct lime_uci_section *s;
    lime_uci_foreach_section(pkg, NULL, s)
    {
        const char *type = lime_uci_section_type(s), *name = lime_uci_section_name(s);
        bool known = false;
        for (size_t i = 0; i < sizeof known_types / sizeof known_types[0]; i++)
            known = known || !strcmp(type, known_types[i]);
        int sline = line_of_section(f->text, type, lime_uci_section_anonymous(s) ? NULL : name);
        if (!known)
            return fail_at(ctx, f, sline,
                           "unknown section type '%s'%s (expected lime, lime-wifi-band, wifi, "
                           "net, generic_uci_config, copy_asset or run_asset)",
                           type, "");
        bool is_wifi = !strcmp(type, "wifi") || !strcmp(type, "lime-wifi-band") ||
                       (!strcmp(type, "lime") && !strcmp(name, "wifi"));
        struct lime_uci_option *o;
        lime_uci_foreach_option(s, o)
        {
            const char *on = lime_uci_option_name(o);
            int rc = 0;
            if (!strcmp(type, "lime") && !strcmp(name, "system") && !strcmp(on, "hostname"))
                rc = check_value(ctx, f, sline, o, false, false);
            else if (!strcmp(on, "main_ipv4_address") || !strcmp(on, "main_ipv6_address") ||
                     !strcmp(on, "anygw_mac") || !strcmp(on, "protocols"))
                rc = check_value(ctx, f, sline, o, true, false);
            else if (is_wifi && has_suffix(on, "ssid"))
                rc = check_value(ctx, f, sline, o, false, true);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

/* Parses text (label path) and checks it; NULL on error (ctx->err set). */
static struct lime_uci_package *load_checked(struct plan_ctx *ctx, const char *path, const char *text,
                                             size_t len)
{
    struct lime_uci_error uerr;
    struct lime_uci_package *pkg = lime_uci_parse("lime", text, len, path, &uerr);
    if (!pkg) {
        char buf[512];
        plan_ctx_fail(ctx, "%s", lime_uci_error_format(&uerr, buf, sizeof buf));
        return NULL;
    }
    struct srcfile f = {path, text};
    if (check_file(ctx, &f, pkg) < 0) {
        lime_uci_free(pkg);
        return NULL;
    }
    return pkg;
}

int plan_ctx_fail_opt(struct plan_ctx *ctx, const char *sec, const char *opt, const char *value,
                 const char *fmt, ...)
{
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    for (int i = ctx->n_src - 1; i >= 0; i--) {
        if (!ctx->src_paths[i][0])
            continue;
        size_t len;
        char *text = lime_read_file(ctx->src_paths[i], LIME_UCI_MAX_INPUT, &len);
        struct lime_uci_package *pkg = text ? lime_uci_parse("lime", text, len, "", NULL) : NULL;
        const struct lime_uci_section *s = pkg ? lime_uci_section_get(pkg, sec) : NULL;
        const struct lime_uci_option *o = s ? lime_uci_option_get(s, opt) : NULL;
        int line = 0;
        if (o && !lime_uci_section_anonymous(s)) {
            int sl = line_of_section(text, lime_uci_section_type(s), sec);
            line = line_of_option(text, sl, opt, value ? value : lime_uci_option_value(o));
        }
        lime_uci_free(pkg);
        free(text);
        if (line > 0)
            return plan_ctx_fail(ctx, "%s:%d: %s", ctx->src_paths[i], line, what);
        if (o)
            break;
    }
    return plan_ctx_fail(ctx, "%s", what);
}

int plan_conf_check_text(const char *label, const char *text, size_t len, struct plan_error *err)
{
    struct plan_ctx ctx = {.err = err};
    /* the raw-text line finders need a NUL-terminated copy */
    char *copy = malloc(len + 1);
    if (!copy)
        return plan_ctx_fail(&ctx, "out of memory");
    memcpy(copy, text, len);
    copy[len] = '\0';
    struct lime_uci_package *pkg = load_checked(&ctx, label, copy, len);
    free(copy);
    lime_uci_free(pkg);
    return pkg ? 0 : -1;
}

int plan_conf_load(struct plan_ctx *ctx, const char *mac12)
{
    char mac_name[64];
    snprintf(mac_name, sizeof mac_name, "lime-%s", mac12 ? mac12 : "");
    const char *const names[] = {"lime-defaults", "lime-community", mac12 ? mac_name : NULL,
                                 "lime-node"};
    struct lime_uci_package *autogen = lime_uci_new("lime-autogen");
    if (!autogen)
        return plan_ctx_fail(ctx, "out of memory");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!names[i])
            continue;
        char rel[128], path[PATH_MAX];
        snprintf(rel, sizeof rel, "/etc/config/%s", names[i]);
        plan_ctx_path(ctx, rel, path, sizeof path);
        size_t len;
        char *text = lime_read_file(path, LIME_UCI_MAX_INPUT, &len);
        bool builtin = false;
        if (!text) {
            if (errno != ENOENT) {
                plan_ctx_fail(ctx, "%s: %s", path, strerror(errno));
                goto fail;
            }
            if (i != 0)
                continue; /* missing files are skipped (upstream creates empty templates) */
            text = strdup(PLAN_BUILTIN_DEFAULTS);
            if (!text) {
                plan_ctx_fail(ctx, "out of memory");
                goto fail;
            }
            len = strlen(text);
            builtin = true;
            log_debug("no %s, using the built-in defaults", path);
        }
        struct lime_uci_package *pkg =
            load_checked(ctx, builtin ? "(built-in lime-defaults)" : path, text, len);
        if (pkg && ctx->n_src < 4)
            plan_copy_str(ctx->src_paths[ctx->n_src++], sizeof ctx->src_paths[0], builtin ? "" : path);
        free(text);
        if (!pkg)
            goto fail;
        int rc = lime_conf_merge(autogen, pkg);
        lime_uci_free(pkg);
        if (rc < 0) {
            plan_ctx_fail(ctx, "merging %s: out of memory", names[i]);
            goto fail;
        }
    }
    lime_uci_free(ctx->conf);
    ctx->conf = autogen;
    return 0;
fail:
    lime_uci_free(autogen);
    return -1;
}
