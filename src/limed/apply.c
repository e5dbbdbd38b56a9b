/* Pending changes and apply; see apply.h. */
#include "apply.h"

#include "limed.h"
#include "ucifile.h"
#include "core/log.h"
#include "core/loop.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define MAX_PENDING 64
#define MAX_FILES 64

struct change {
    char file[32], sectype[32], sec[64], opt[64];
    char *val;     /* NULL = delete option */
    char *content; /* whole-file change when set */
    char label[160];
};

struct backup {
    char path[512];
    char *data; /* NULL: the file did not exist */
    size_t len;
};

static struct change pending[MAX_PENDING];
static int n_pending;
static enum ld_apply_state state = LD_APPLY_NONE;
static char message[2048];
static struct backup backups[MAX_FILES];
static int n_backups;
static pid_t child = -1;
static int current_step; /* 0 lime-config, 1 lime-apply */
static int out_fd = -1;
static char out_buf[1024]; /* the tail of lime-config's output */
static size_t out_len;
static struct lime_timer *reap_timer;

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

int ld_pending_set(struct ld_ctx *ctx, const char *file, const char *sectype, const char *sec,
                   const char *opt, const char *val, const char *label)
{
    if (state == LD_APPLY_RUNNING)
        return -EBUSY;
    if (!valid_file(file) || !valid_name(sectype, 32) || !valid_name(sec, 64) ||
        !valid_name(opt, 64) || (val && (strlen(val) > 1024 || strchr(val, '\n'))))
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
    return 0;
}

int ld_pending_file(struct ld_ctx *ctx, const char *file, const char *content, const char *label)
{
    if (state == LD_APPLY_RUNNING)
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
    if (state == LD_APPLY_RUNNING)
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

enum ld_apply_state ld_apply_state(void)
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
    b->data = ld_read_file(path, 1 << 20, &b->len);
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
            ld_write_file(b->path, b->data, b->len, strstr(b->path, "/shadow") ? 0600 : 0644);
        else
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
            r = ld_write_file(path, c->content, strlen(c->content), 0644);
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
            r = ld_uci_set(&u, c->sectype, c->sec, c->opt, c->val);
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

static void finish(struct ld_ctx *ctx, int wstatus)
{
    const char *prog = current_step == 0 ? "lime-config" : "lime-apply";
    child = -1;
    if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0 && current_step == 0 && ctx->lime_apply) {
        if (spawn_step(ctx, 1) == 0)
            return;
        wstatus = 127 << 8; /* could not start lime-apply: fail below with its message */
        current_step = 1;
        prog = "lime-apply";
        out_len = 0;
    }
    while (out_len > 0 && (out_buf[out_len - 1] == '\n' || out_buf[out_len - 1] == ' '))
        out_len--;
    out_buf[out_len] = 0;
    if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) {
        state = LD_APPLY_OK;
        snprintf(message, sizeof(message), "applied");
        drop_backups();
        for (int i = 0; i < n_pending; i++)
            change_free(&pending[i]);
        n_pending = 0;
        ctx->stats.applies_ok++;
        log_info("apply: %s succeeded", ctx->lime_apply ? "lime-config and lime-apply" : "lime-config");
    } else {
        state = LD_APPLY_FAILED;
        if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 127) {
            if (strcmp(message, "applying"))
                ; /* spawn_step already said why */
            else
                snprintf(message, sizeof(message), "%s could not be started (%.1000s)", prog,
                         out_buf[0] ? out_buf : "exit 127");
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

static bool output_done, child_done;
static int child_status;

static void on_child_exit(int pid, int status, void *arg)
{
    child_done = true;
    child_status = status;
    if (output_done)
        finish(arg, status);
}

static void try_reap(void *arg)
{
    struct ld_ctx *ctx = arg;
    reap_timer = NULL;
    int ws;
    pid_t r = waitpid(child, &ws, WNOHANG);
    if (r == child) {
        finish(ctx, ws);
    } else if (r < 0) {
        finish(ctx, 1 << 8);
    } else {
        reap_timer = lime_timer_add(ctx->loop, 50, try_reap, ctx);
    }
}

static void on_output(int fd, unsigned events, void *arg)
{
    struct ld_ctx *ctx = arg;
    char buf[1024];
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n > 0) {
        /* Keep the tail: lime-config's last words say why it failed. */
        if (out_len + (size_t)n >= sizeof(out_buf)) {
            size_t drop = out_len + (size_t)n - (sizeof(out_buf) - 1);
            memmove(out_buf, out_buf + drop, out_len - drop);
            out_len -= drop;
        }
        memcpy(out_buf + out_len, buf, (size_t)n);
        out_len += (size_t)n;
        return;
    }
    if (n < 0 && errno == EAGAIN)
        return;
    lime_loop_del_fd(ctx->loop, fd);
    close(fd);
    out_fd = -1;
    output_done = true;
    if (!ctx->watch_child)
        try_reap(ctx);
    else if (child_done)
        finish(ctx, child_status);
}

/* Runs step `step` of the apply: 0 = lime-config, 1 = lime-apply (when configured).
 * 0, or a positive errno from posix_spawnp (message set). */
static int spawn_step(struct ld_ctx *ctx, int step)
{
    const char *prog = step == 0 ? ctx->lime_config : ctx->lime_apply;
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC | O_NONBLOCK) < 0) {
        int e = errno;
        snprintf(message, sizeof(message), "pipe: %s", strerror(e));
        return e;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
    posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    char *argv_config[] = {(char *)prog, "--root", (char *)ctx->root, NULL};
    char *argv_apply[] = {(char *)prog, "--root", (char *)ctx->root, "--reload", NULL};
    pid_t pid;
    int r = posix_spawnp(&pid, prog, &fa, NULL, step == 0 ? argv_config : argv_apply, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pfd[1]);
    out_len = 0;
    if (r != 0) {
        close(pfd[0]);
        snprintf(message, sizeof(message), "%s could not be started (%.1000s: %s)",
                 step == 0 ? "lime-config" : "lime-apply", prog, strerror(r));
        return r;
    }
    current_step = step;
    child = pid;
    out_fd = pfd[0];
    output_done = child_done = false;
    if (ctx->watch_child)
        ctx->watch_child(ctx, pid, on_child_exit, ctx);
    lime_loop_add_fd(ctx->loop, out_fd, LIME_EV_READ, on_output, ctx);
    log_info("apply: running %s --root %s%s", prog, ctx->root, step ? " --reload" : "");
    return 0;
}

int ld_apply_start(struct ld_ctx *ctx, char *msg, size_t msglen)
{
    if (state == LD_APPLY_RUNNING)
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
        state = LD_APPLY_FAILED;
        ld_strlcpy(msg, message, msglen);
        ctx->stats.applies_failed++;
        return -r;
    }
    state = LD_APPLY_RUNNING;
    snprintf(message, sizeof(message), "applying");
    return 0;
}

void ld_apply_stop(struct ld_ctx *ctx)
{
    if (reap_timer)
        lime_timer_cancel(ctx->loop, reap_timer);
    reap_timer = NULL;
    if (out_fd >= 0) {
        lime_loop_del_fd(ctx->loop, out_fd);
        close(out_fd);
        out_fd = -1;
    }
    if (child > 0) {
        kill(child, SIGTERM);
        waitpid(child, NULL, 0);
        child = -1;
    }
    state = LD_APPLY_NONE;
    ld_pending_clear(ctx);
    drop_backups();
}
