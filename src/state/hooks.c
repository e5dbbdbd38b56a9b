/* Hooks (see hooks.h). External hooks are spawned with posix_spawn (argv, no shell);
 * their stdin is fed from the loop, and they are reaped by polling waitpid on their own
 * pid, so limed's other children are never touched. */
#include "hooks.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "log.h"
#include "loop.h"
#include "persist.h"
#include "slice.h"

extern char **environ;

#define HOOK_TIMEOUT_MS 10000
#define REAP_MS 100

struct hook_run {
    struct ss_hooks *h;
    struct ss_type *type;
    pid_t pid;
    int fd; /* stdin pipe, -1 once written */
    char *input;
    size_t len, off;
    uint64_t deadline;
    char path[PATH_MAX + 256];
    struct lime_timer *reap;
    struct hook_run *next;
};

#define MAX_PENDING 64

struct ss_hooks {
    struct lime_loop *loop;
    struct ss_hooks_config cfg;
    struct ss_counters *counters;
    struct hook_run *runs;
    /* Types that changed while their hooks were still running: run again after. */
    struct ss_type *pending[MAX_PENDING];
    size_t npending;
};

static void run_external(struct ss_hooks *h, struct ss_type *t, uint64_t now_ms);

static bool type_running(struct ss_hooks *h, struct ss_type *t)
{
    for (struct hook_run *r = h->runs; r; r = r->next)
        if (r->type == t)
            return true;
    return false;
}

struct ss_hooks *ss_hooks_new(struct lime_loop *loop, const struct ss_hooks_config *cfg,
                              struct ss_counters *counters)
{
    struct ss_hooks *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->loop = loop;
    h->cfg = *cfg;
    h->counters = counters;
    return h;
}

static void run_free(struct hook_run *r)
{
    struct ss_hooks *h = r->h;
    for (struct hook_run **p = &h->runs; *p; p = &(*p)->next)
        if (*p == r) {
            *p = r->next;
            break;
        }
    if (r->fd >= 0) {
        lime_loop_del_fd(h->loop, r->fd);
        close(r->fd);
    }
    lime_timer_cancel(h->loop, r->reap);
    free(r->input);
    free(r);
}

void ss_hooks_free(struct ss_hooks *h)
{
    if (!h)
        return;
    while (h->runs) {
        struct hook_run *r = h->runs;
        kill(r->pid, SIGKILL);
        waitpid(r->pid, NULL, 0);
        run_free(r);
    }
    free(h);
}

static void reap(void *arg)
{
    struct hook_run *r = arg;
    r->reap = NULL;
    int status;
    pid_t p = waitpid(r->pid, &status, WNOHANG);
    if (p == r->pid || (p < 0 && errno == ECHILD)) {
        if (p == r->pid && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
            r->h->counters->hooks_failed++;
            log_warn("hook %s failed (status %d)", r->path, status);
        }
        struct ss_hooks *h = r->h;
        struct ss_type *t = r->type;
        run_free(r);
        if (!type_running(h, t)) {
            for (size_t i = 0; i < h->npending; i++) {
                if (h->pending[i] != t)
                    continue;
                h->pending[i] = h->pending[--h->npending];
                run_external(h, t, lime_now_ms());
                break;
            }
        }
        return;
    }
    if (lime_now_ms() >= r->deadline) {
        log_warn("hook %s still running after %d s; killed", r->path, HOOK_TIMEOUT_MS / 1000);
        kill(r->pid, SIGKILL);
        r->deadline = UINT64_MAX;
        r->h->counters->hooks_failed++;
    }
    r->reap = lime_timer_add(r->h->loop, REAP_MS, reap, r);
}

static void feed(int fd, unsigned events, void *arg)
{
    struct hook_run *r = arg;
    while (r->off < r->len) {
        ssize_t n = write(fd, r->input + r->off, r->len - r->off);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return;
            break;
        }
        r->off += (size_t)n;
    }
    lime_loop_del_fd(r->h->loop, fd);
    close(fd);
    r->fd = -1;
}

static void spawn_hook(struct ss_hooks *h, struct ss_type *t, const char *path, const char *input,
                       size_t len)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0)
        return;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[0], 0);
    char *argv[] = {(char *)path, NULL};
    pid_t pid;
    int e = posix_spawn(&pid, path, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(p[0]);
    if (e) {
        close(p[1]);
        h->counters->hooks_failed++;
        log_warn("hook %s: %s", path, strerror(e));
        return;
    }
    h->counters->hooks_run++;
    struct hook_run *r = calloc(1, sizeof *r);
    if (!r) {
        close(p[1]);
        return;
    }
    r->h = h;
    r->type = t;
    r->pid = pid;
    r->fd = p[1];
    r->input = malloc(len);
    if (r->input)
        memcpy(r->input, input, len);
    r->len = r->input ? len : 0;
    r->deadline = lime_now_ms() + HOOK_TIMEOUT_MS;
    snprintf(r->path, sizeof r->path, "%s", path);
    fcntl(r->fd, F_SETFL, O_NONBLOCK);
    r->next = h->runs;
    h->runs = r;
    if (lime_loop_add_fd(h->loop, r->fd, LIME_EV_WRITE, feed, r) < 0) {
        close(r->fd);
        r->fd = -1;
    }
    r->reap = lime_timer_add(h->loop, REAP_MS, reap, r);
}

static char *table_json(struct ss_type *t, uint64_t now, size_t *len)
{
    struct ss_buf b = {0};
    ss_buf_adds(&b, "{");
    size_t k = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->entries[i].expires_ms <= now)
            continue;
        if (k++)
            ss_buf_adds(&b, ",");
        ss_buf_json_string(&b, t->entries[i].key);
        ss_buf_adds(&b, ":");
        ss_buf_adds(&b, t->entries[i].data);
    }
    ss_buf_adds(&b, "}\n");
    if (b.oom) {
        ss_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.p;
}

int ss_hooks_write_dhcp_hosts(const char *path, struct ss_type *leases, const char *self,
                              uint64_t now_ms)
{
    struct ss_buf b = {0};
    ss_buf_adds(&b, "");
    for (size_t i = 0; i < leases->n; i++) {
        struct ss_entry *e = &leases->entries[i];
        if (e->expires_ms <= now_ms || strcmp(e->author, self) == 0)
            continue;
        struct json_object *d = json_tokener_parse(e->data), *mac;
        if (d && json_object_object_get_ex(d, "mac", &mac) &&
            json_object_is_type(mac, json_type_string)) {
            const char *m = json_object_get_string(mac);
            bool ok = strlen(m) <= 64 && strspn(m, "0123456789abcdefABCDEF:-") == strlen(m) &&
                      strspn(e->key, "0123456789abcdefABCDEF:.") == strlen(e->key);
            if (ok) {
                ss_buf_adds(&b, m);
                ss_buf_adds(&b, strchr(e->key, ':') ? ",[" : ",");
                ss_buf_adds(&b, e->key);
                ss_buf_adds(&b, strchr(e->key, ':') ? "]\n" : "\n");
            }
        }
        json_object_put(d);
    }
    int r = b.oom ? -ENOMEM : ss_write_atomic(path, b.p, b.len);
    ss_buf_free(&b);
    return r;
}

int ss_hooks_write_addn_hosts(const char *path, struct ss_type *hosts, uint64_t now_ms)
{
    struct ss_buf b = {0};
    ss_buf_adds(&b, "");
    for (size_t i = 0; i < hosts->n; i++) {
        struct ss_entry *e = &hosts->entries[i];
        if (e->expires_ms <= now_ms || strcmp(e->data, "null") == 0 ||
            strcmp(e->data, "false") == 0 || strpbrk(e->key, "\n\r#"))
            continue;
        ss_buf_adds(&b, e->key);
        ss_buf_adds(&b, "\n");
    }
    int r = b.oom ? -ENOMEM : ss_write_atomic(path, b.p, b.len);
    ss_buf_free(&b);
    return r;
}

int ss_hooks_write_servers(const char *path, struct ss_type *servers, const char *self,
                           uint64_t now_ms)
{
    struct ss_buf b = {0};
    ss_buf_adds(&b, "");
    for (size_t i = 0; i < servers->n; i++) {
        struct ss_entry *e = &servers->entries[i];
        if (e->expires_ms <= now_ms || strcmp(e->author, self) == 0)
            continue;
        struct json_object *d = json_tokener_parse(e->data);
        const char *ip = json_object_is_type(d, json_type_string) ? json_object_get_string(d) : NULL;
        /* domain: letters, digits, '-', '.'; ip: hex digits, ':', '.' (nothing dnsmasq
         * would read as another option) */
        if (ip && e->key[0] && strspn(e->key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") ==
                                   strlen(e->key) &&
            ip[0] && strspn(ip, "0123456789abcdefABCDEF:.") == strlen(ip)) {
            ss_buf_adds(&b, "server=/");
            ss_buf_adds(&b, e->key);
            ss_buf_adds(&b, "/");
            ss_buf_adds(&b, ip);
            ss_buf_adds(&b, "\n");
        }
        json_object_put(d);
    }
    int r = b.oom ? -ENOMEM : ss_write_atomic(path, b.p, b.len);
    ss_buf_free(&b);
    return r;
}

static void hup_dnsmasq(const char *pidfile)
{
    if (!pidfile)
        return;
    FILE *f = fopen(pidfile, "r");
    long pid = 0;
    if (f) {
        if (fscanf(f, "%ld", &pid) != 1)
            pid = 0;
        fclose(f);
    }
    if (pid > 1)
        kill((pid_t)pid, SIGHUP);
}

void ss_hooks_changed(struct ss_hooks *h, struct ss_type *t, const char *self, uint64_t now_ms)
{
    if (h->cfg.dhcp_hostsfile && strcmp(t->name, "dnsmasq-leases") == 0) {
        if (ss_hooks_write_dhcp_hosts(h->cfg.dhcp_hostsfile, t, self, now_ms) == 0)
            hup_dnsmasq(h->cfg.dnsmasq_pidfile);
    }
    if (h->cfg.addn_hosts && strcmp(t->name, "dnsmasq-hosts") == 0) {
        if (ss_hooks_write_addn_hosts(h->cfg.addn_hosts, t, now_ms) == 0)
            hup_dnsmasq(h->cfg.dnsmasq_pidfile);
    }
    if (h->cfg.servers_file && strcmp(t->name, "dnsmasq-servers") == 0) {
        if (ss_hooks_write_servers(h->cfg.servers_file, t, self, now_ms) == 0)
            hup_dnsmasq(h->cfg.dnsmasq_pidfile);
    }
    run_external(h, t, now_ms);
}

/* Starts every hook of t, or, while an earlier run of them is still going, remembers to
 * start them again when it ends (one run per type at a time, as upstream). */
static void run_external(struct ss_hooks *h, struct ss_type *t, uint64_t now_ms)
{
    if (!h->cfg.hooks_dir)
        return;
    if (type_running(h, t)) {
        for (size_t i = 0; i < h->npending; i++)
            if (h->pending[i] == t)
                return;
        if (h->npending < MAX_PENDING)
            h->pending[h->npending++] = t;
        return;
    }
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/%s", h->cfg.hooks_dir, t->name);
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t len = 0;
    char *input = NULL;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char path[PATH_MAX + 256];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || !(st.st_mode & S_IXUSR))
            continue;
        if (!input && !(input = table_json(t, now_ms, &len)))
            break;
        spawn_hook(h, t, path, input, len);
    }
    closedir(d);
    free(input);
}
