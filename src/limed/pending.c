/* Pending changes and applying them; see pending.h. */
#include "pending.h"

#include "limed.h"
#include "sharedstate.h"
#include "ucifile.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/run.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_PENDING 64
#define MAX_FILES 64

struct change {
    char file[32], sectype[32], sec[64], opt[64];
    char *val;     /* NULL = delete option */
    char *content; /* whole-file change when set */
    bool list;     /* val holds list items separated by '\n' */
    char label[160];
};

struct backup {
    char path[512];
    char *data;   /* NULL: the file did not exist (missing), or could not be read */
    size_t len;
    bool missing; /* it did not exist: remove it on restore */
};

static struct change pending[MAX_PENDING];
static int n_pending;
static enum ld_pending_state state = LD_PENDING_NONE;
static char message[2048];
static struct backup backups[MAX_FILES];
static int n_backups;
static struct lime_run_job *job; /* lime-config or lime-apply while it runs */
static int current_step;         /* 0 lime-config, 1 lime-apply */
static char out_buf[1024];       /* the tail of its output (stdout and stderr) */
static size_t out_len;

static bool valid_file(const char *f)
{
    static const char *const allowed[] = {"lime-node", "lime-community", "lime-app", "system"};
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
        if (!strcmp(f, allowed[i]))
            return true;
    return false;
}

static bool valid_name(const char *s, size_t max)
{
    if (!*s || strlen(s) >= max)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

static void change_free(struct change *c)
{
    free(c->val);
    free(c->content);
    memset(c, 0, sizeof(*c));
}

static struct change *slot_for(const char *file, const char *sec, const char *opt)
{
    for (int i = 0; i < n_pending; i++)
        if (!strcmp(pending[i].file, file) && !strcmp(pending[i].sec, sec) &&
            !strcmp(pending[i].opt, opt))
            return &pending[i];
    if (n_pending == MAX_PENDING)
        return NULL;
    return &pending[n_pending++];
}

/* Stages one option (a list's items joined by newlines): the common checks, then the
 * slot of (file, sec, opt), replacing what was staged there. */
static int store(const char *file, const char *sectype, const char *sec, const char *opt,
                 const char *val, bool list, const char *label)
{
    if (state == LD_PENDING_RUNNING)
        return -EBUSY;
    if (!valid_file(file) || !valid_name(sectype, 32) || !valid_name(sec, 64) ||
        !valid_name(opt, 64) || (val && strlen(val) > 1024))
        return -EINVAL;
    struct change *c = slot_for(file, sec, opt);
    if (!c)
        return -ENOSPC;
    change_free(c);
    ld_strlcpy(c->file, file, sizeof(c->file));
    ld_strlcpy(c->sectype, sectype, sizeof(c->sectype));
    ld_strlcpy(c->sec, sec, sizeof(c->sec));
    ld_strlcpy(c->opt, opt, sizeof(c->opt));
    ld_strlcpy(c->label, label, sizeof(c->label));
    c->val = val ? strdup(val) : NULL;
    c->list = list;
    return 0;
}

int ld_pending_set(struct ld_ctx *ctx, const char *file, const char *sectype, const char *sec,
                   const char *opt, const char *val, const char *label)
{
    if (val && strchr(val, '\n'))
        return -EINVAL; /* one line; lists go through ld_pending_set_list */
    return store(file, sectype, sec, opt, val, false, label);
}

int ld_pending_set_list(struct ld_ctx *ctx, const char *file, const char *sectype,
                        const char *sec, const char *opt, const char *const *items, size_t n,
                        const char *label)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++) {
        if (!items[i][0] || strchr(items[i], '\n'))
            return -EINVAL;
        len += strlen(items[i]) + 1;
    }
    if (len > 1024)
        return -EINVAL;
    char joined[1024] = "";
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(joined, "\n");
        strcat(joined, items[i]);
    }
    return store(file, sectype, sec, opt, joined, true, label);
}

int ld_pending_file(struct ld_ctx *ctx, const char *file, const char *content, const char *label)
{
    if (state == LD_PENDING_RUNNING)
        return -EBUSY;
    if (!valid_file(file) || strlen(content) > 64 * 1024)
        return -EINVAL;
    /* A whole-file change supersedes option changes of that file. */
    for (int i = 0; i < n_pending;) {
        if (!strcmp(pending[i].file, file)) {
            change_free(&pending[i]);
            pending[i] = pending[--n_pending];
            memset(&pending[n_pending], 0, sizeof(pending[0]));
        } else {
            i++;
        }
    }
    struct change *c = slot_for(file, "", "");
    if (!c)
        return -ENOSPC;
    change_free(c);
    ld_strlcpy(c->file, file, sizeof(c->file));
    ld_strlcpy(c->label, label, sizeof(c->label));
    c->content = strdup(content);
    return 0;
}

void ld_pending_clear(struct ld_ctx *ctx)
{
    if (state == LD_PENDING_RUNNING)
        return;
    for (int i = 0; i < n_pending; i++)
        change_free(&pending[i]);
    n_pending = 0;
}

const char *ld_pending_value(struct ld_ctx *ctx, const char *file, const char *sec,
                             const char *opt)
{
    for (int i = 0; i < n_pending; i++)
        if (!strcmp(pending[i].file, file) && !strcmp(pending[i].sec, sec) &&
            !strcmp(pending[i].opt, opt))
            return pending[i].val;
    return NULL;
}

enum ld_pending_state ld_pending_state(void)
{
    return state;
}

json_object *ld_pending_json(struct ld_ctx *ctx)
{
    static const char *const names[] = {"none", "running", "ok", "failed"};
    json_object *o = json_object_new_object();
    json_object *list = json_object_new_array();
    for (int i = 0; i < n_pending; i++) {
        json_object *c = json_object_new_object();
        json_object_object_add(c, "file", json_object_new_string(pending[i].file));
        json_object_object_add(c, "section", json_object_new_string(pending[i].sec));
        json_object_object_add(c, "option", json_object_new_string(pending[i].opt));
        json_object_object_add(c, "value", pending[i].val ? json_object_new_string(pending[i].val)
                                                          : NULL);
        json_object_object_add(c, "label", json_object_new_string(pending[i].label));
        json_object_array_add(list, c);
    }
    json_object_object_add(o, "changes", list);
    json_object *a = json_object_new_object();
    json_object_object_add(a, "state", json_object_new_string(names[state]));
    json_object_object_add(a, "message", json_object_new_string(message));
    json_object_object_add(o, "apply", a);
    json_object_object_add(o, "status", json_object_new_string("ok"));
    return o;
}

static void backup_file(const char *path)
{
    for (int i = 0; i < n_backups; i++)
        if (!strcmp(backups[i].path, path))
            return;
    if (n_backups == MAX_FILES)
        return;
    struct backup *b = &backups[n_backups++];
    ld_strlcpy(b->path, path, sizeof(b->path));
    b->data = lime_read_file(path, 0, &b->len);
    b->missing = !b->data && errno == ENOENT;
    if (!b->data && !b->missing)
        log_warn("apply: cannot back up %s (%s); it will not be restored", path, strerror(errno));
}

static char config_dir[512];

/* Everything an apply may change: every file of ROOT/etc/config (lime-config rewrites
 * OpenWrt's files too) and ROOT/etc/shadow (root_password_policy). */
static void backup_all(struct ld_ctx *ctx)
{
    char path[700];
    ld_path(ctx, "/etc/config", config_dir, sizeof(config_dir));
    DIR *d = opendir(config_dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' || strstr(e->d_name, ".limed-tmp") || strlen(e->d_name) > 180)
            continue;
        if (snprintf(path, sizeof(path), "%.511s/%.180s", config_dir, e->d_name) >= (int)sizeof(path))
            continue;
        backup_file(path);
    }
    if (d)
        closedir(d);
    backup_file(ld_path(ctx, "/etc/shadow", path, sizeof(path)));
}

static bool backed_up(const char *path)
{
    for (int i = 0; i < n_backups; i++)
        if (!strcmp(backups[i].path, path))
            return true;
    return false;
}

/* Puts every backed-up file back as it was and removes config files the apply created. */
static void restore_backups(void)
{
    for (int i = 0; i < n_backups; i++) {
        struct backup *b = &backups[i];
        if (b->data)
            lime_write_file_atomic(b->path, b->data, b->len, strstr(b->path, "/shadow") ? 0600 : 0644);
        else if (b->missing)
            unlink(b->path);
    }
    DIR *d = config_dir[0] ? opendir(config_dir) : NULL;
    struct dirent *e;
    char path[700];
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' || strlen(e->d_name) > 180)
            continue;
        if (snprintf(path, sizeof(path), "%.511s/%.180s", config_dir, e->d_name) >= (int)sizeof(path))
            continue;
        if (!backed_up(path))
            unlink(path);
    }
    if (d)
        closedir(d);
}

static void drop_backups(void)
{
    for (int i = 0; i < n_backups; i++)
        free(backups[i].data);
    n_backups = 0;
}

/* Writes every pending change. On error restores and returns -errno with msg set. */
static int write_changes(struct ld_ctx *ctx, char *msg, size_t msglen)
{
    backup_all(ctx);
    for (int i = 0; i < n_pending; i++) {
        struct change *c = &pending[i];
        char rel[64], path[512];
        snprintf(rel, sizeof(rel), "/etc/config/%.31s", c->file);
        ld_path(ctx, rel, path, sizeof(path));
        backup_file(path);
        int r;
        if (c->content) {
            r = lime_write_file_atomic(path, c->content, strlen(c->content), 0644);
        } else {
            struct ld_uci u;
            char err[256] = "";
            r = ld_uci_load(path, &u, err, sizeof(err));
            if (r == -ENOENT)
                r = 0;
            if (r < 0) {
                ld_uci_free(&u);
                ld_strlcpy(msg, err, msglen);
                restore_backups();
                drop_backups();
                return r;
            }
            if (c->list) {
                const char *items[32];
                size_t n = 0;
                char *copy = strdup(c->val ? c->val : "");
                for (char *save, *t = copy ? strtok_r(copy, "\n", &save) : NULL; t && n < 32;
                     t = strtok_r(NULL, "\n", &save))
                    items[n++] = t;
                r = copy ? ld_uci_set_list(&u, c->sectype, c->sec, c->opt, items, n) : -ENOMEM;
                free(copy);
            } else {
                r = ld_uci_set(&u, c->sectype, c->sec, c->opt, c->val);
            }
            if (!r)
                r = ld_uci_save(&u, path);
            ld_uci_free(&u);
        }
        if (r < 0) {
            snprintf(msg, msglen, "cannot write %.400s: %s", path, strerror(-r));
            restore_backups();
            drop_backups();
            return r;
        }
    }
    return 0;
}

/* lime-config's output made readable for the UI: its "info" lines and the closing
 * "nothing was written" dropped, the program-name prefixes removed, lines joined. */
static void tidy_output(char *dst, size_t len)
{
    size_t k = 0;
    dst[0] = 0;
    for (char *save, *line = strtok_r(out_buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (strstr(line, ": info: ") || strstr(line, "nothing was written"))
            continue;
        if (!strncmp(line, "lime-config: ", 13))
            line += 13;
        else if (!strncmp(line, "lime-apply: ", 12))
            line += 12;
        if (!*line)
            continue;
        int n = snprintf(dst + k, len - k, "%s%s", k ? "; " : "", line);
        if (n < 0 || (size_t)n >= len - k)
            break;
        k += (size_t)n;
    }
}

static int spawn_step(struct ld_ctx *ctx, int step);

/* The program's output is read whole (up to OUTPUT_MAX: more is a failure); its tail
 * says why it failed. */
#define OUTPUT_MAX (4u << 20)

static void finish(struct ld_ctx *ctx, const struct lime_run_result *res)
{
    const char *prog = current_step == 0 ? "lime-config" : "lime-apply";
    bool ok = res->end == LIME_RUN_EXITED && res->code == 0;
    bool not_started = res->end == LIME_RUN_EXITED && res->code == 127;
    if (ok && current_step == 0 && ctx->lime_apply) {
        if (spawn_step(ctx, 1) == 0)
            return;
        ok = false; /* could not start lime-apply: fail below with its message */
        not_started = true;
        current_step = 1;
        prog = "lime-apply";
        out_len = 0;
    }
    while (out_len > 0 && (out_buf[out_len - 1] == '\n' || out_buf[out_len - 1] == ' '))
        out_len--;
    out_buf[out_len] = 0;
    if (ok) {
        state = LD_PENDING_OK;
        snprintf(message, sizeof(message), "applied");
        drop_backups();
        for (int i = 0; i < n_pending; i++)
            change_free(&pending[i]);
        n_pending = 0;
        ctx->stats.applies_ok++;
        log_info("apply: %s succeeded", ctx->lime_apply ? "lime-config and lime-apply" : "lime-config");
        ld_state_check_node(ctx); /* a new hostname or cloud: shared-state publishes it */
    } else {
        state = LD_PENDING_FAILED;
        if (not_started) {
            if (strcmp(message, "applying"))
                ; /* spawn_step already said why */
            else
                snprintf(message, sizeof(message), "%s could not be started (%.1000s)", prog,
                         out_buf[0] ? out_buf : "exit 127");
        } else if (res->end == LIME_RUN_TOO_BIG) {
            snprintf(message, sizeof(message), "%s failed: more than %u bytes of output", prog,
                     OUTPUT_MAX);
        } else {
            char why[sizeof(out_buf)];
            tidy_output(why, sizeof(why));
            snprintf(message, sizeof(message), "%s failed%s%s", prog, why[0] ? ": " : "", why);
        }
        restore_backups();
        drop_backups();
        ctx->stats.applies_failed++;
        log_warn("apply: %s; old configuration restored", message);
    }
}

static void step_done(struct lime_run_result *res, void *arg)
{
    job = NULL;
    /* Keep the tail: lime-config's last words say why it failed. */
    size_t n = res->out ? res->out_len : 0, keep = sizeof(out_buf) - 1;
    const char *from = res->out ? res->out : "";
    if (n > keep) {
        from += n - keep;
        n = keep;
    }
    memcpy(out_buf, from, n);
    out_len = n;
    finish(arg, res);
}

/* Runs step `step` of the apply: 0 = lime-config, 1 = lime-apply (when configured).
 * 0, or a positive errno when it could not be started (message set). */
static int spawn_step(struct ld_ctx *ctx, int step)
{
    const char *prog = step == 0 ? ctx->lime_config : ctx->lime_apply;
    char *argv_config[] = {(char *)prog, "--root", (char *)ctx->root, NULL};
    char *argv_apply[] = {(char *)prog, "--root", (char *)ctx->root, "--reload", NULL};
    struct lime_run_opts o = {.capture = true, .capture_stderr = true, .out_max = OUTPUT_MAX};
    out_len = 0;
    job = lime_run_start(ctx->loop, step == 0 ? argv_config : argv_apply, &o, step_done, ctx);
    if (!job) {
        int e = errno ? errno : EIO;
        snprintf(message, sizeof(message), "%s could not be started (%.1000s: %s)",
                 step == 0 ? "lime-config" : "lime-apply", prog, strerror(e));
        return e;
    }
    current_step = step;
    log_info("apply: running %s --root %s%s", prog, ctx->root, step ? " --reload" : "");
    return 0;
}

int ld_pending_apply(struct ld_ctx *ctx, char *msg, size_t msglen)
{
    if (state == LD_PENDING_RUNNING)
        return -EBUSY;
    if (n_pending == 0) {
        snprintf(msg, msglen, "nothing to apply");
        return -ENODATA;
    }
    int r = write_changes(ctx, msg, msglen);
    if (r < 0)
        return r;
    r = spawn_step(ctx, 0);
    if (r != 0) {
        restore_backups();
        drop_backups();
        state = LD_PENDING_FAILED;
        ld_strlcpy(msg, message, msglen);
        ctx->stats.applies_failed++;
        return -r;
    }
    state = LD_PENDING_RUNNING;
    snprintf(message, sizeof(message), "applying");
    return 0;
}

void ld_pending_stop(struct ld_ctx *ctx)
{
    lime_run_job_kill(job);
    job = NULL;
    state = LD_PENDING_NONE;
    ld_pending_clear(ctx);
    drop_backups();
}
