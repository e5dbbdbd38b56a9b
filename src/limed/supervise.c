/* Daemon supervisor: daemons started through the core's runner (detached, argv), their
 * exits seen through the loop's child watcher, exponential restart backoff, TERM→KILL on
 * stop, reconcile against the daemons file. */
#include "supervise.h"

#include "fsutil.h"
#include "limed.h"
#include "log.h"
#include "loop.h"
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ARGS 64

enum dstate {
    D_STOPPED,  /* not running, no restart planned */
    D_RUNNING,
    D_BACKOFF,  /* crashed, restart timer pending */
    D_STOPPING, /* TERM sent, waiting for exit (kill timer pending) */
};

struct daemon {
    struct daemon *next;
    struct ld_supervisor *sup;
    char name[64];
    char stamp[80];
    char *argv[MAX_ARGS + 1];
    enum dstate state;
    pid_t pid;
    unsigned restarts;
    unsigned backoff_ms;
    uint64_t started_ms;
    struct lime_timer *timer; /* restart (BACKOFF) or kill (STOPPING) */
    bool forget;              /* remove after it stops */
    bool restart_after_stop;  /* argv/stamp changed: start again when stopped */
    /* the new argv/stamp to use on restart_after_stop */
    char *next_argv[MAX_ARGS + 1];
    char next_stamp[80];
    char stale[1024];
    bool leftovers_checked; /* a previous limed's instance was looked for (first start) */
};

struct ld_supervisor {
    struct lime_loop *loop;
    struct ld_supervisor_opts o;
    char log_dir[4096];
    struct daemon *daemons;
    void (*all_stopped)(void *);
    void *all_stopped_arg;
    struct {
        void (*fn)(void *);
        void *arg;
    } on_reload[4];
};

static void argv_free(char **argv)
{
    for (int i = 0; argv[i]; i++) {
        free(argv[i]);
        argv[i] = NULL;
    }
}

static int argv_copy(char **dst, char *const src[])
{
    int i = 0;
    for (; src[i] && i < MAX_ARGS; i++)
        if (!(dst[i] = strdup(src[i]))) {
            argv_free(dst);
            return -1;
        }
    dst[i] = NULL;
    return src[i] ? -1 : 0;
}

static bool argv_equal(char *const a[], char *const b[])
{
    int i = 0;
    for (; a[i] && b[i]; i++)
        if (strcmp(a[i], b[i]))
            return false;
    return !a[i] && !b[i];
}

static struct daemon *find(const struct ld_supervisor *sup, const char *name)
{
    for (struct daemon *d = sup->daemons; d; d = d->next)
        if (!strcmp(d->name, name))
            return d;
    return NULL;
}

static void start(struct daemon *d);

/* Unlinks every path of a ':'-separated list. */
static void remove_stale(const char *paths)
{
    char buf[1024];
    snprintf(buf, sizeof(buf), "%s", paths);
    char *save = NULL;
    for (char *p = strtok_r(buf, ":", &save); p; p = strtok_r(NULL, ":", &save))
        if (unlink(p) == 0)
            log_debug("supervisor: removed stale %s", p);
}

static void restart_timer(void *arg)
{
    struct daemon *d = arg;
    d->timer = NULL;
    start(d);
}

/* NAME=VALUE with NAME a shell variable name: an environment assignment, not a program. */
static bool is_env_assignment(const char *s)
{
    size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
    return n > 0 && s[n] == '=' && !(s[0] >= '0' && s[0] <= '9');
}

static void exited(pid_t pid, int status, void *arg);

static bool same_ns(const char *pid, const char *kind)
{
    char a[64], b[64];
    struct stat sa, sb;
    snprintf(a, sizeof(a), "/proc/%s/ns/%s", pid, kind);
    snprintf(b, sizeof(b), "/proc/self/ns/%s", kind);
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
}

/* A daemon left running by an earlier limed (one that crashed or was killed) would make
 * its successor fail (dnsmasq: "Address in use") and restart forever. PR_SET_PDEATHSIG
 * does not catch it: the kernel clears it when a daemon changes its credentials (dnsmasq
 * switches to group dip even with user=root). Found by bench/sim_chaos.sh. So before a daemon's first start, any process of this network and mount
 * namespace running exactly its argv, and not one of ours, is ended (TERM, then KILL). */
static void stop_leftovers(const struct daemon *d, char *const argv[])
{
    DIR *dir = opendir("/proc");
    if (!dir)
        return;
    pid_t found[16];
    size_t n = 0;
    for (struct dirent *e; n < 16 && (e = readdir(dir));) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end || pid <= 1 || pid == getpid())
            continue;
        char path[64];
        snprintf(path, sizeof(path), "/proc/%ld/cmdline", pid);
        size_t len = 0;
        char *cmd = lime_read_file(path, 64 * 1024, &len);
        bool match = cmd != NULL;
        size_t off = 0;
        for (int i = 0; match && argv[i]; i++) {
            size_t l = strlen(argv[i]) + 1;
            match = off + l <= len && !memcmp(cmd + off, argv[i], l);
            off += l;
        }
        free(cmd);
        if (match && off == len && same_ns(e->d_name, "net") && same_ns(e->d_name, "mnt"))
            found[n++] = (pid_t)pid;
    }
    closedir(dir);
    for (size_t i = 0; i < n; i++)
        log_warn("supervisor: %s: pid %d runs its command line, left by an earlier limed; stopping it",
                 d->name, (int)found[i]);
    if (n)
        lime_run_stop(found, n, 2000);
}

static void start(struct daemon *d)
{
    struct ld_supervisor *sup = d->sup;
    char logpath[4200];
    remove_stale(d->stale);
    /* leading NAME=VALUE fields are the daemon's extra environment (as env(1)) */
    const char *env[MAX_ARGS + 1];
    int a = 0;
    while (d->argv[a + 1] && is_env_assignment(d->argv[a])) {
        env[a] = d->argv[a];
        a++;
    }
    env[a] = NULL;
    if (!d->leftovers_checked) {
        d->leftovers_checked = true;
        stop_leftovers(d, d->argv + a);
    }
    struct lime_run_opts o = {.env = env, .die_with_parent = true}; /* limed gone → its daemons go too */
    if (sup->log_dir[0]) {
        snprintf(logpath, sizeof(logpath), "%s/%s.log", sup->log_dir, d->name);
        o.log = logpath;
    }
    pid_t pid = lime_run_detached(d->argv + a, &o);
    if (pid < 0) {
        /* as a crash: retry with backoff */
        log_err("supervisor: cannot start %s (%s): %s; retrying in %u ms", d->name, d->argv[a],
                strerror(errno), d->backoff_ms);
        d->restarts++;
        d->state = D_BACKOFF;
        d->timer = lime_timer_add(sup->loop, d->backoff_ms, restart_timer, d);
        d->backoff_ms = d->backoff_ms * 2 > sup->o.backoff_max_ms ? sup->o.backoff_max_ms
                                                                  : d->backoff_ms * 2;
        return;
    }
    d->pid = pid;
    d->state = D_RUNNING;
    d->started_ms = lime_now_ms();
    int w = lime_loop_watch_child(sup->loop, pid, exited, d);
    if (w < 0)
        log_err("supervisor: cannot watch %s (pid %d): %s", d->name, (int)pid, strerror(-w));
    log_info("supervisor: started %s (pid %d)", d->name, (int)pid);
}

static void kill_timer(void *arg)
{
    struct daemon *d = arg;
    d->timer = NULL;
    if (d->state == D_STOPPING && d->pid > 0) {
        log_warn("supervisor: %s (pid %d) ignored SIGTERM, sending SIGKILL", d->name, (int)d->pid);
        kill(d->pid, SIGKILL);
    }
}

static void stop(struct daemon *d)
{
    struct ld_supervisor *sup = d->sup;
    if (d->timer) {
        lime_timer_cancel(sup->loop, d->timer);
        d->timer = NULL;
    }
    if (d->state == D_RUNNING && d->pid > 0) {
        kill(d->pid, SIGTERM);
        d->state = D_STOPPING;
        d->timer = lime_timer_add(sup->loop, sup->o.kill_after_ms, kill_timer, d);
        log_info("supervisor: stopping %s (pid %d)", d->name, (int)d->pid);
    } else if (d->state != D_STOPPING) {
        d->state = D_STOPPED;
    }
}

static void unlink_daemon(struct ld_supervisor *sup, struct daemon *d)
{
    for (struct daemon **pp = &sup->daemons; *pp; pp = &(*pp)->next)
        if (*pp == d) {
            *pp = d->next;
            break;
        }
    if (d->timer)
        lime_timer_cancel(sup->loop, d->timer);
    argv_free(d->argv);
    argv_free(d->next_argv);
    free(d);
}

static bool any_alive(const struct ld_supervisor *sup)
{
    for (const struct daemon *d = sup->daemons; d; d = d->next)
        if (d->state == D_RUNNING || d->state == D_STOPPING)
            return true;
    return false;
}

static void exited(pid_t pid, int status, void *arg)
{
    struct daemon *d = arg;
    struct ld_supervisor *sup = d->sup;
    char how[64];
    if (status != -1 && WIFEXITED(status))
        snprintf(how, sizeof(how), "exited with status %d", WEXITSTATUS(status));
    else if (status != -1)
        snprintf(how, sizeof(how), "killed by signal %d", WTERMSIG(status));
    else
        snprintf(how, sizeof(how), "is gone");
    d->pid = 0;
    if (d->timer) {
        lime_timer_cancel(sup->loop, d->timer);
        d->timer = NULL;
    }
    if (d->state == D_STOPPING) {
        log_info("supervisor: %s stopped (%s)", d->name, how);
        d->state = D_STOPPED;
        if (d->forget) {
            unlink_daemon(sup, d);
        } else if (d->restart_after_stop) {
            d->restart_after_stop = false;
            argv_free(d->argv);
            memcpy(d->argv, d->next_argv, sizeof(d->argv));
            memset(d->next_argv, 0, sizeof(d->next_argv));
            snprintf(d->stamp, sizeof(d->stamp), "%s", d->next_stamp);
            d->backoff_ms = sup->o.backoff_min_ms;
            start(d);
        }
    } else if (d->state == D_RUNNING) {
        /* A crash: restart with backoff, reset when the last run was long enough. */
        if (lime_now_ms() - d->started_ms >= sup->o.stable_ms)
            d->backoff_ms = sup->o.backoff_min_ms;
        log_warn("supervisor: %s (pid %d) %s; restarting in %u ms", d->name, (int)pid, how,
                 d->backoff_ms);
        d->restarts++;
        d->state = D_BACKOFF;
        d->timer = lime_timer_add(sup->loop, d->backoff_ms, restart_timer, d);
        d->backoff_ms = d->backoff_ms * 2 > sup->o.backoff_max_ms ? sup->o.backoff_max_ms
                                                                  : d->backoff_ms * 2;
    }
    if (sup->all_stopped && !any_alive(sup)) {
        void (*cb)(void *) = sup->all_stopped;
        sup->all_stopped = NULL;
        cb(sup->all_stopped_arg);
    }
}

struct ld_supervisor *ld_supervisor_new(struct lime_loop *loop, const struct ld_supervisor_opts *opts)
{
    struct ld_supervisor *sup = calloc(1, sizeof(*sup));
    if (!sup)
        return NULL;
    sup->loop = loop;
    if (opts)
        sup->o = *opts;
    if (!sup->o.backoff_min_ms)
        sup->o.backoff_min_ms = 500;
    if (!sup->o.backoff_max_ms)
        sup->o.backoff_max_ms = 30000;
    if (!sup->o.stable_ms)
        sup->o.stable_ms = 10000;
    if (!sup->o.kill_after_ms)
        sup->o.kill_after_ms = 5000;
    if (sup->o.log_dir) {
        snprintf(sup->log_dir, sizeof(sup->log_dir), "%s", sup->o.log_dir);
        mkdir(sup->log_dir, 0755);
    }
    sup->o.log_dir = NULL;
    return sup;
}

int ld_supervisor_set(struct ld_supervisor *sup, const char *name, const char *stamp,
                      char *const argv[])
{
    if (!argv[0] || strlen(name) >= sizeof(((struct daemon *)0)->name))
        return -1;
    struct daemon *d = find(sup, name);
    if (d) {
        if (d->forget)
            d->forget = false;
        bool same = argv_equal(d->argv, argv) && !strcmp(d->stamp, stamp ? stamp : "");
        if (same && d->state != D_STOPPED)
            return 0;
        if (d->state == D_STOPPED || d->state == D_BACKOFF) {
            if (d->timer) {
                lime_timer_cancel(sup->loop, d->timer);
                d->timer = NULL;
            }
            argv_free(d->argv);
            if (argv_copy(d->argv, argv))
                return -1;
            snprintf(d->stamp, sizeof(d->stamp), "%s", stamp ? stamp : "");
            d->backoff_ms = sup->o.backoff_min_ms;
            start(d);
            return 0;
        }
        /* running or stopping: stop, then start with the new argv */
        argv_free(d->next_argv);
        if (argv_copy(d->next_argv, argv))
            return -1;
        snprintf(d->next_stamp, sizeof(d->next_stamp), "%s", stamp ? stamp : "");
        d->restart_after_stop = true;
        log_info("supervisor: %s changed, restarting it", name);
        stop(d);
        return 0;
    }
    d = calloc(1, sizeof(*d));
    if (!d)
        return -1;
    d->sup = sup;
    snprintf(d->name, sizeof(d->name), "%s", name);
    snprintf(d->stamp, sizeof(d->stamp), "%s", stamp ? stamp : "");
    if (argv_copy(d->argv, argv)) {
        free(d);
        return -1;
    }
    d->backoff_ms = sup->o.backoff_min_ms;
    d->next = sup->daemons;
    sup->daemons = d;
    start(d);
    return 0;
}

void ld_supervisor_set_stale(struct ld_supervisor *sup, const char *name, const char *paths)
{
    struct daemon *d = find(sup, name);
    if (d)
        snprintf(d->stale, sizeof(d->stale), "%s", paths ? paths : "");
}

void ld_supervisor_remove(struct ld_supervisor *sup, const char *name)
{
    struct daemon *d = find(sup, name);
    if (!d)
        return;
    d->restart_after_stop = false;
    stop(d);
    if (d->state == D_STOPPED)
        unlink_daemon(sup, d);
    else
        d->forget = true;
}

#define MAX_LINES 32

int ld_supervisor_load(struct ld_supervisor *sup, const char *path)
{
    struct entry {
        char name[64];
        char stamp[80];
        char stale[1024];
        char *argv[MAX_ARGS + 1];
    } *e = calloc(MAX_LINES, sizeof(*e));
    if (!e)
        return -1;
    int n = 0, rc = 0;
    FILE *f = fopen(path, "r");
    if (!f && errno != ENOENT) {
        log_err("supervisor: %s: %s", path, strerror(errno));
        free(e);
        return -1;
    }
    char line[8192];
    unsigned lineno = 0;
    while (f && fgets(line, sizeof(line), f)) {
        lineno++;
        line[strcspn(line, "\n")] = 0;
        if (!line[0] || line[0] == '#')
            continue;
        char *fields[MAX_ARGS + 3];
        int nf = 0;
        char *save = NULL;
        for (char *t = strtok_r(line, "\t", &save); t && nf < MAX_ARGS + 2;
             t = strtok_r(NULL, "\t", &save))
            fields[nf++] = t;
        if (nf < 3 || n == MAX_LINES || strlen(fields[0]) >= sizeof(e[0].name)) {
            log_err("%s:%u: expected NAME<TAB>STAMP<TAB>ARGV...", path, lineno);
            rc = -1;
            break;
        }
        snprintf(e[n].name, sizeof(e[n].name), "%s", fields[0]);
        char *st = strstr(fields[1], ",stale=");
        if (st) {
            snprintf(e[n].stale, sizeof(e[n].stale), "%s", st + 7);
            *st = 0;
        }
        snprintf(e[n].stamp, sizeof(e[n].stamp), "%s", fields[1]);
        for (int i = 2; i < nf; i++)
            e[n].argv[i - 2] = fields[i]; /* borrowed from line: copy below */
        e[n].argv[nf - 2] = NULL;
        if (argv_copy(e[n].argv, e[n].argv)) {
            rc = -1;
            break;
        }
        n++;
    }
    if (f)
        fclose(f);
    if (rc == 0) {
        for (struct daemon *d = sup->daemons, *next; d; d = next) {
            next = d->next;
            bool listed = false;
            for (int i = 0; i < n; i++)
                listed |= !strcmp(e[i].name, d->name);
            if (!listed)
                ld_supervisor_remove(sup, d->name);
        }
        for (int i = 0; i < n; i++) {
            /* stale files first: a new daemon starts inside set */
            if (!find(sup, e[i].name))
                remove_stale(e[i].stale);
            if (ld_supervisor_set(sup, e[i].name, e[i].stamp, e[i].argv))
                rc = -1;
            ld_supervisor_set_stale(sup, e[i].name, e[i].stale);
        }
    }
    for (int i = 0; i < n; i++)
        argv_free(e[i].argv);
    free(e);
    return rc;
}

void ld_supervisor_stop_all(struct ld_supervisor *sup, void (*done)(void *arg), void *arg)
{
    for (struct daemon *d = sup->daemons; d; d = d->next) {
        d->restart_after_stop = false;
        stop(d);
    }
    if (!any_alive(sup)) {
        if (done)
            done(arg);
        return;
    }
    sup->all_stopped = done;
    sup->all_stopped_arg = arg;
}

void ld_supervisor_free(struct ld_supervisor *sup)
{
    if (!sup)
        return;
    /* Synchronous: TERM everything, wait up to kill_after_ms, then KILL. */
    size_t n = 0;
    for (struct daemon *d = sup->daemons; d; d = d->next)
        n++;
    pid_t *pids = calloc(n ? n : 1, sizeof(*pids));
    n = 0;
    for (struct daemon *d = sup->daemons; d && pids; d = d->next)
        if (d->pid > 0) {
            lime_loop_cancel_child(sup->loop, d->pid);
            pids[n++] = d->pid;
        }
    int killed = pids ? lime_run_stop(pids, n, sup->o.kill_after_ms) : 0;
    free(pids);
    for (struct daemon *d = sup->daemons; d; d = d->next)
        if (d->pid > 0)
            log_info("supervisor: %s stopped", d->name);
    if (killed)
        log_warn("supervisor: %d daemon(s) ignored SIGTERM and got SIGKILL", killed);
    while (sup->daemons)
        unlink_daemon(sup, sup->daemons);
    free(sup);
}

pid_t ld_supervisor_pid(const struct ld_supervisor *sup, const char *name)
{
    const struct daemon *d = find(sup, name);
    return d && d->state == D_RUNNING ? d->pid : 0;
}

unsigned ld_supervisor_restarts(const struct ld_supervisor *sup, const char *name)
{
    const struct daemon *d = find(sup, name);
    return d ? d->restarts : 0;
}

void ld_supervisor_foreach(const struct ld_supervisor *sup,
                           void (*fn)(const char *name, pid_t pid, unsigned restarts, void *arg),
                           void *arg)
{
    for (const struct daemon *d = sup->daemons; d; d = d->next)
        fn(d->name, d->state == D_RUNNING ? d->pid : 0, d->restarts, arg);
}

int ld_supervisor_on_reload(struct ld_supervisor *sup, void (*fn)(void *arg), void *arg)
{
    for (size_t i = 0; i < sizeof(sup->on_reload) / sizeof(sup->on_reload[0]); i++)
        if (!sup->on_reload[i].fn) {
            sup->on_reload[i].fn = fn;
            sup->on_reload[i].arg = arg;
            return 0;
        }
    return -ENOSPC;
}

/* ---------------------------------------------------------------- in limed */

static struct ld_supervisor *current;
static char daemons_path[4200];

struct ld_supervisor *ld_supervisor_current(void)
{
    return current;
}

static void on_sighup(int signo, void *arg)
{
    (void)signo;
    struct ld_supervisor *sup = arg;
    log_info("SIGHUP: reloading %s", daemons_path);
    ld_supervisor_load(sup, daemons_path);
    for (size_t i = 0; i < sizeof(sup->on_reload) / sizeof(sup->on_reload[0]); i++)
        if (sup->on_reload[i].fn)
            sup->on_reload[i].fn(sup->on_reload[i].arg);
}

static const char *root_of(const struct ld_ctx *ctx)
{
    return ctx->root && strcmp(ctx->root, "/") ? ctx->root : "";
}

int ld_supervise_init(struct ld_ctx *ctx)
{
    char logdir[4200];
    snprintf(logdir, sizeof(logdir), "%s/var/log", root_of(ctx));
    snprintf(daemons_path, sizeof(daemons_path), "%s/var/run/lime/daemons", root_of(ctx));
    struct ld_supervisor_opts o = {.log_dir = logdir};
    current = ld_supervisor_new(ctx->loop, &o);
    if (!current)
        return -ENOMEM;
    if (lime_loop_add_signal(ctx->loop, SIGHUP, on_sighup, current) != 0)
        log_warn("supervisor: cannot watch SIGHUP");
    if (ld_supervisor_load(current, daemons_path) != 0)
        log_warn("supervisor: %s not loaded; fix it and send SIGHUP", daemons_path);
    return 0;
}

void ld_supervise_stop(struct ld_ctx *ctx)
{
    (void)ctx;
    ld_supervisor_free(current);
    current = NULL;
}
