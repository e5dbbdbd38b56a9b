/* uci backend: loading OpenWrt's files under ROOT, running the package editors, the
 * generic uci_set entries, and producing / writing / diffing the output files. */
#include "backend_uci.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "log.h"
#include "run.h"

#define MAX_PKGS 12

struct pkgset {
    const char *root;
    struct lime_uci_package *pkg[MAX_PKGS];
    struct lime_uci_package *orig[MAX_PKGS]; /* as loaded (NULL: file did not exist) */
    char *orig_text[MAX_PKGS];
    size_t orig_len[MAX_PKGS];
    int n;
};

static int fail(struct plan_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct plan_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

int plan_uci_set_list_keep(struct lime_uci_section *s, const char *k, const char *const *items, size_t n)
{
    const struct lime_uci_option *o = lime_uci_option_get(s, k);
    if (o && lime_uci_option_is_list(o) && lime_uci_option_count(o) == n) {
        size_t i = 0;
        while (i < n && !strcmp(lime_uci_option_item(o, i), items[i]))
            i++;
        if (i == n)
            return 0;
    }
    if (o)
        lime_uci_sec_delete(s, k);
    return n ? lime_uci_sec_set_list(s, k, items, n) : 0;
}

static bool valid_pkg_name(const char *s)
{
    if (!s[0])
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

/* The package `name` from ROOT/etc/config (an empty one if the file is missing). */
static struct lime_uci_package *pkg_get(struct pkgset *ps, const char *name, struct plan_error *err)
{
    for (int i = 0; i < ps->n; i++)
        if (!strcmp(lime_uci_package_name(ps->pkg[i]), name))
            return ps->pkg[i];
    if (ps->n >= MAX_PKGS) {
        fail(err, "too many UCI packages");
        return NULL;
    }
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/etc/config/%s", ps->root, name);
    size_t len = 0;
    char *text = lime_read_file(path, LIME_UCI_MAX_INPUT, &len);
    if (!text && errno != ENOENT) {
        fail(err, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct lime_uci_error uerr;
    struct lime_uci_package *pkg = text ? lime_uci_parse(name, text, len, path, &uerr)
                                        : lime_uci_new(name);
    if (!pkg) {
        char buf[512];
        fail(err, "%s", text ? lime_uci_error_format(&uerr, buf, sizeof buf) : "out of memory");
        free(text);
        return NULL;
    }
    int i = ps->n++;
    ps->pkg[i] = pkg;
    ps->orig[i] = text ? lime_uci_dup(pkg) : NULL;
    ps->orig_text[i] = text;
    ps->orig_len[i] = len;
    return pkg;
}

static void pkgset_free(struct pkgset *ps)
{
    for (int i = 0; i < ps->n; i++) {
        lime_uci_free(ps->pkg[i]);
        lime_uci_free(ps->orig[i]);
        free(ps->orig_text[i]);
    }
    ps->n = 0;
}

/* generic_uci_config: "pkg.section=type" or "pkg.section.option=value". A bad entry is
 * logged and skipped (upstream returns false and carries on). */
static void apply_uci_set(struct pkgset *ps, const char *entry)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", entry);
    char *eq = strchr(buf, '=');
    char *dot1 = strchr(buf, '.');
    if (!eq || !dot1 || dot1 > eq) {
        log_warn("generic_uci_config: '%s': expected pkg.section[.option]=value", entry);
        return;
    }
    *eq = '\0';
    *dot1 = '\0';
    const char *value = eq + 1, *pkgname = buf, *section = dot1 + 1;
    char *dot2 = strchr(section, '.');
    const char *option = NULL;
    if (dot2) {
        *dot2 = '\0';
        option = dot2 + 1;
    }
    if (!valid_pkg_name(pkgname) || !lime_uci_valid_name(section) ||
        (option && !lime_uci_valid_name(option))) {
        log_warn("generic_uci_config: '%s': invalid package, section or option name", entry);
        return;
    }
    struct plan_error err;
    struct lime_uci_package *pkg = pkg_get(ps, pkgname, &err);
    if (!pkg) {
        log_warn("generic_uci_config: '%s': %s", entry, err.msg);
        return;
    }
    int rc;
    if (option)
        rc = lime_uci_set(pkg, section, option, value);
    else
        rc = lime_uci_section_set(pkg, section, value) ? 0 : -1;
    if (rc < 0 && lime_uci_section_count(pkg) == 0)
        log_info("generic_uci_config: '%s' skipped: package %s is not installed", entry, pkgname);
    else if (rc < 0)
        log_warn("generic_uci_config: '%s' failed (no such section?)", entry);
}

/* mode for out_add: an existing file keeps its permissions (as libuci's commit does, so
 * a wireless file made 0600 for its keys stays 0600); a new one gets 0644. */
#define MODE_KEEP ((mode_t)-1)

static int out_add(struct plan_uci_outputs *out, const char *root, const char *rel, char *data,
                   size_t len, mode_t mode, struct plan_error *err)
{
    if (!data)
        return fail(err, "out of memory");
    if (out->n >= UCI_OUT_MAX) {
        free(data);
        return fail(err, "too many output files");
    }
    struct plan_uci_out_file *f = &out->files[out->n++];
    memset(f, 0, sizeof *f);
    snprintf(f->rel, sizeof f->rel, "%s", rel);
    f->data = data;
    f->len = len;
    f->mode = mode;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s%s", root, rel);
    f->old = lime_read_file(path, 0, &f->old_len);
    if (f->old)
        f->existed = true;
    else if (errno != ENOENT)
        return fail(err, "%s: %s", path, strerror(errno));
    if (mode == MODE_KEEP) {
        struct stat st;
        f->mode = f->existed && stat(path, &st) == 0 ? st.st_mode & 07777 : 0644;
    }
    return 0;
}

static int out_add_str(struct plan_uci_outputs *out, const char *root, const char *rel, char *s,
                       struct plan_error *err)
{
    return out_add(out, root, rel, s, s ? strlen(s) : 0, MODE_KEEP, err);
}

/* An empty lime-community / lime-node, as upstream's templates. */
static const char lime_template[] =
    "\nconfig lime 'system'\n\nconfig lime 'network'\n\nconfig lime 'wifi'\n\n";

/* sysctl.conf with rp_filter lines replaced by loose (2) mode; NULL if no file. */
static char *sysctl_text(const char *root, struct plan_error *err, bool *missing)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/etc/sysctl.conf", root);
    size_t len;
    char *old = lime_read_file(path, 0, &len);
    *missing = !old;
    if (!old)
        return NULL;
    char *res = malloc(len + 128);
    if (!res) {
        free(old);
        fail(err, "out of memory");
        return NULL;
    }
    size_t o = 0;
    for (char *line = old; *line;) {
        char *nl = strchr(line, '\n');
        size_t ll = nl ? (size_t)(nl - line) + 1 : strlen(line);
        char save = line[ll];
        line[ll] = '\0';
        if (!strstr(line, ".rp_filter")) {
            memcpy(res + o, line, ll);
            o += ll;
            if (!nl)
                res[o++] = '\n';
        }
        line[ll] = save;
        line += ll;
    }
    o += (size_t)sprintf(res + o, "net.ipv4.conf.default.rp_filter=2\nnet.ipv4.conf.all.rp_filter=2\n");
    free(old);
    return res;
}

int plan_uci_render(const char *root, const struct plan *plan, struct plan_uci_outputs *out,
                       struct plan_error *err)
{
    memset(out, 0, sizeof *out);
    if (!root || !strcmp(root, "/"))
        root = "";
    struct pkgset ps = {.root = root};
    static const char *const names[] = {"wireless", "network", "dhcp",   "babeld",
                                        "firewall", "system",  "uhttpd", "alfred"};
    struct lime_uci_package *p[8];
    int rc = -1;
    for (int i = 0; i < 8; i++)
        if (!(p[i] = pkg_get(&ps, names[i], err)))
            goto done;
    if (plan_uci_apply_wireless(p[0], plan) < 0 || plan_uci_apply_network(p[1], plan) < 0 ||
        plan_uci_apply_dhcp(p[2], plan) < 0 || plan_uci_render_babeld(p[3], plan) < 0 ||
        plan_uci_apply_firewall(p[4], plan) < 0 || plan_uci_apply_system(p[5], plan) < 0 ||
        plan_uci_apply_uhttpd(p[6], plan) < 0 || plan_uci_apply_alfred(p[7], plan) < 0) {
        fail(err, "updating UCI packages: %s", errno ? strerror(errno) : "failed");
        goto done;
    }
    for (int i = 0; i < plan->n_uci_set; i++)
        apply_uci_set(&ps, plan->uci_set[i]);

    for (int i = 0; i < ps.n; i++) {
        const char *name = lime_uci_package_name(ps.pkg[i]);
        char rel[128];
        snprintf(rel, sizeof rel, "/etc/config/%s", name);
        /* untouched packages keep their bytes (comments, formatting) */
        if (ps.orig[i] && lime_uci_equal(ps.orig[i], ps.pkg[i])) {
            char *same = malloc(ps.orig_len[i] + 1);
            if (same)
                memcpy(same, ps.orig_text[i], ps.orig_len[i] + 1);
            if (out_add(out, root, rel, same, ps.orig_len[i], MODE_KEEP, err) < 0)
                goto done;
            continue;
        }
        if (!ps.orig[i] && lime_uci_section_count(ps.pkg[i]) == 0 && strcmp(name, "babeld"))
            continue; /* do not create empty files for packages nobody has */
        size_t len;
        char *text = lime_uci_write(ps.pkg[i], &len);
        if (out_add(out, root, rel, text, len, MODE_KEEP, err) < 0)
            goto done;
    }
    if (out_add_str(out, root, "/etc/config/lime-autogen", strdup(plan->autogen ? plan->autogen : ""), err) < 0)
        goto done;
    for (int i = 0; i < 2; i++) {
        const char *rel = i ? "/etc/config/lime-node" : "/etc/config/lime-community";
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s%s", root, rel);
        if (access(path, F_OK) != 0 && out_add_str(out, root, rel, strdup(lime_template), err) < 0)
            goto done;
    }
    if (plan->anygw.enabled) {
        if (out_add_str(out, root, plan->anygw.nft_path, strdup(plan->anygw.nft_rules), err) < 0 ||
            out_add_str(out, root, plan->dnsmasq.ipv6_conf_path, plan_uci_dnsmasq_ipv6_conf(plan), err) < 0)
            goto done;
    }
    char relayd[PATH_MAX]; /* network.clean truncates 6relayd's config */
    snprintf(relayd, sizeof relayd, "%s/etc/config/6relayd", root);
    if (access(relayd, F_OK) == 0 && out_add_str(out, root, "/etc/config/6relayd", strdup(""), err) < 0)
        goto done;
    char *shadow, *shadow_old;
    size_t shadow_old_len;
    if (plan_uci_shadow_text(root, plan, &shadow, &shadow_old, &shadow_old_len, err) < 0)
        goto done;
    if (shadow) {
        int r1 = out_add(out, root, "/etc/shadow-", shadow_old, shadow_old_len, 0600, err);
        int r2 = r1 < 0 ? (free(shadow), -1) : out_add(out, root, "/etc/shadow", shadow, strlen(shadow), 0600, err);
        if (r2 < 0)
            goto done;
    }
    for (int i = 0; i < plan->n_copy_assets; i++) {
        size_t len;
        mode_t mode;
        char *data = plan_uci_asset_read(root, &plan->copy_assets[i], &len, &mode);
        if (data && out_add(out, root, plan->copy_assets[i].dst, data, len, mode, err) < 0)
            goto done;
    }
    if (plan->rp_filter_loose) {
        bool missing;
        char *s = sysctl_text(root, err, &missing);
        if (!missing && out_add_str(out, root, "/etc/sysctl.conf", s, err) < 0)
            goto done;
    }
    rc = 0;
done:
    pkgset_free(&ps);
    if (rc < 0)
        plan_uci_outputs_free(out);
    return rc;
}

bool plan_uci_out_changed(const struct plan_uci_out_file *f)
{
    return !f->existed || f->old_len != f->len || memcmp(f->old, f->data, f->len) != 0;
}

int plan_uci_commit(const char *root, const struct plan_uci_outputs *out, struct plan_error *err)
{
    if (!root || !strcmp(root, "/"))
        root = "";
    int written = 0;
    for (int i = 0; i < out->n; i++) {
        const struct plan_uci_out_file *f = &out->files[i];
        if (!plan_uci_out_changed(f))
            continue;
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s%s", root, f->rel);
        char *slash = strrchr(path, '/');
        if (slash && slash != path) {
            *slash = '\0';
            int rc = lime_mkdir_p(path, 0755);
            *slash = '/';
            if (rc < 0)
                return fail(err, "%s: cannot create its directory: %s", path, strerror(-rc));
        }
        int rc = lime_write_file_atomic(path, f->data, f->len, f->mode);
        if (rc < 0)
            return fail(err, "%s: %s", path, strerror(-rc));
        written++;
    }
    return written;
}

static int write_tmp(const char *dir, const char *name, const char *data, size_t len, char *path,
                     size_t plen)
{
    snprintf(path, plen, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w <= 0) {
            close(fd);
            return -1;
        }
        off += (size_t)w;
    }
    return close(fd);
}

int plan_uci_diff(const struct plan_uci_outputs *out, FILE *to)
{
    char dir[] = "/tmp/lime-config-diff.XXXXXX";
    if (!mkdtemp(dir))
        return -1;
    int rc = 0;
    fflush(to);
    for (int i = 0; i < out->n && rc == 0; i++) {
        const struct plan_uci_out_file *f = &out->files[i];
        if (!plan_uci_out_changed(f))
            continue;
        char a[PATH_MAX], b[PATH_MAX], la[200], lb[200];
        if (write_tmp(dir, "old", f->old ? f->old : "", f->old_len, a, sizeof a) < 0 ||
            write_tmp(dir, "new", f->data, f->len, b, sizeof b) < 0) {
            rc = -1;
            break;
        }
        snprintf(la, sizeof la, "a%s", f->existed ? f->rel : "/dev/null");
        snprintf(lb, sizeof lb, "b%s", f->rel);
        char *argv[] = {"diff", "-u", "--label", la, "--label", lb, a, b, NULL};
        struct lime_run_opts o = {.capture = true};
        struct lime_run_result r;
        int st = lime_run(argv, &o, &r);
        if (r.end == LIME_RUN_NOT_STARTED) {
            log_err("cannot run diff: %s", strerror(r.code));
            rc = -1;
        } else if (st < 0 || st > 1) {
            rc = -1;
        }
        if (r.out && fwrite(r.out, 1, r.out_len, to) != r.out_len)
            rc = -1;
        lime_run_result_free(&r);
        unlink(a);
        unlink(b);
    }
    rmdir(dir);
    return rc;
}

void plan_uci_outputs_free(struct plan_uci_outputs *out)
{
    for (int i = 0; i < out->n; i++) {
        free(out->files[i].old);
        free(out->files[i].data);
    }
    out->n = 0;
}

int plan_uci_sec_set_num(struct lime_uci_section *s, const char *k, unsigned long v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lu", v);
    return lime_uci_sec_set(s, k, buf);
}
