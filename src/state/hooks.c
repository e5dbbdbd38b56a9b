/* Hooks (see hooks.h). External hooks run through the core's runner, asynchronously on
 * the loop (argv, no shell, the table as stdin, killed after HOOK_TIMEOUT_MS); their exit
 * comes through the loop's child watcher, which reaps only their own pids. */
#include "hooks.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "log.h"
#include "loop.h"
#include "fsutil.h"
#include "persist.h"
#include "run.h"
#include "slice.h"

#define HOOK_TIMEOUT_MS 10000

struct hook_run {
    struct ss_hooks *h;
    struct ss_type *type;
    struct lime_run_job *job; /* NULL once it ended */
    char path[PATH_MAX + 256];
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

static void run_unlink(struct hook_run *r)
{
    struct ss_hooks *h = r->h;
    for (struct hook_run **p = &h->runs; *p; p = &(*p)->next)
        if (*p == r) {
            *p = r->next;
            break;
        }
}

void ss_hooks_free(struct ss_hooks *h)
{
    if (!h)
        return;
    while (h->runs) {
        struct hook_run *r = h->runs;
        run_unlink(r);
        lime_run_job_kill(r->job);
        free(r);
    }
    free(h);
}

static void hook_done(struct lime_run_result *res, void *arg)
{
    struct hook_run *r = arg;
    struct ss_hooks *h = r->h;
    struct ss_type *t = r->type;
    if (res->end != LIME_RUN_EXITED || res->code != 0) {
        char why[128];
        h->counters->hooks_failed++;
        log_warn("hook %s failed (%s)", r->path, lime_run_describe(res, why, sizeof why));
    }
    run_unlink(r);
    free(r);
    if (!type_running(h, t)) {
        for (size_t i = 0; i < h->npending; i++) {
            if (h->pending[i] != t)
                continue;
            h->pending[i] = h->pending[--h->npending];
            run_external(h, t, lime_now_ms());
            break;
        }
    }
}

static void spawn_hook(struct ss_hooks *h, struct ss_type *t, const char *path, const char *input,
                       size_t len)
{
    struct hook_run *r = calloc(1, sizeof *r);
    if (!r)
        return;
    r->h = h;
    r->type = t;
    snprintf(r->path, sizeof r->path, "%s", path);
    char *argv[] = {(char *)path, NULL};
    struct lime_run_opts o = {.input = input, .input_len = len, .timeout_ms = HOOK_TIMEOUT_MS};
    if (!(r->job = lime_run_start(h->loop, argv, &o, hook_done, r))) {
        h->counters->hooks_failed++;
        log_warn("hook %s: %s", path, strerror(errno));
        free(r);
        return;
    }
    h->counters->hooks_run++;
    r->next = h->runs;
    h->runs = r;
}

static char *table_json(struct ss_type *t, uint64_t now, size_t *len)
{
    struct lime_strbuf b = {0};
    lime_strbuf_puts(&b, "{");
    size_t k = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->entries[i].expires_ms <= now)
            continue;
        if (k++)
            lime_strbuf_puts(&b, ",");
        ss_buf_json_string(&b, t->entries[i].key);
        lime_strbuf_puts(&b, ":");
        lime_strbuf_puts(&b, t->entries[i].data);
    }
    lime_strbuf_puts(&b, "}\n");
    if (b.oom) {
        lime_strbuf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.p;
}

int ss_hooks_write_dhcp_hosts(const char *path, struct ss_type *leases, const char *self,
                              uint64_t now_ms)
{
    struct lime_strbuf b = {0};
    lime_strbuf_puts(&b, "");
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
                lime_strbuf_puts(&b, m);
                lime_strbuf_puts(&b, strchr(e->key, ':') ? ",[" : ",");
                lime_strbuf_puts(&b, e->key);
                lime_strbuf_puts(&b, strchr(e->key, ':') ? "]\n" : "\n");
            }
        }
        json_object_put(d);
    }
    int r = b.oom ? -ENOMEM : lime_write_file_atomic(path, b.p, b.len, 0644);
    lime_strbuf_free(&b);
    return r;
}

int ss_hooks_write_addn_hosts(const char *path, struct ss_type *hosts, uint64_t now_ms)
{
    struct lime_strbuf b = {0};
    lime_strbuf_puts(&b, "");
    for (size_t i = 0; i < hosts->n; i++) {
        struct ss_entry *e = &hosts->entries[i];
        if (e->expires_ms <= now_ms || strcmp(e->data, "null") == 0 ||
            strcmp(e->data, "false") == 0 || strpbrk(e->key, "\n\r#"))
            continue;
        lime_strbuf_puts(&b, e->key);
        lime_strbuf_puts(&b, "\n");
    }
    int r = b.oom ? -ENOMEM : lime_write_file_atomic(path, b.p, b.len, 0644);
    lime_strbuf_free(&b);
    return r;
}

int ss_hooks_write_servers(const char *path, struct ss_type *servers, const char *self,
                           uint64_t now_ms)
{
    struct lime_strbuf b = {0};
    lime_strbuf_puts(&b, "");
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
            lime_strbuf_puts(&b, "server=/");
            lime_strbuf_puts(&b, e->key);
            lime_strbuf_puts(&b, "/");
            lime_strbuf_puts(&b, ip);
            lime_strbuf_puts(&b, "\n");
        }
        json_object_put(d);
    }
    int r = b.oom ? -ENOMEM : lime_write_file_atomic(path, b.p, b.len, 0644);
    lime_strbuf_free(&b);
    return r;
}

static void hup_dnsmasq(const char *pidfile)
{
    pid_t pid = lime_read_pid_file(pidfile);
    if (pid)
        kill(pid, SIGHUP);
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
