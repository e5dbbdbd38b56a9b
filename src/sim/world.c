/* A node's world (see world.h): the mount + UTS namespace a node's stack and its users
 * share, and the node's init that holds it. */
#include "world.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "log.h"
#include "loop.h"
#include "node.h"
#include "run.h"

/* Where the init records itself, inside the world (R/var/run/lime-sim-init on the host):
 * "pid N\nlimed_pid N\nlimed_starts N\n". */
#define STATE_FILE "/var/run/lime-sim-init"

/* The node's directories that become the router's paths. /run comes last only for
 * readability: sources are opened before anything is mounted, so no mount can hide the
 * next one's source (R itself usually lives under /run). */
static const char *const binds[][2] = {
    {"etc/config", "/etc/config"}, {"tmp", "/tmp"}, {"var/lib", "/var/lib"},
    {"var/log", "/var/log"},       {"root", "/root"}, {"var/run", "/run"},
};
#define N_BINDS (sizeof(binds) / sizeof(binds[0]))
#define OVERLAY_WORK ".overlay-work" /* R/.overlay-work: overlayfs's scratch directory */

/* ---- host paths that stay visible inside ---- */

/* Is path the directory dir or under it? */
static bool path_under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return !strncmp(path, dir, n) && (path[n] == '/' || !path[n] || !strcmp(dir, "/"));
}

/* The router's path that covers a canonical host path inside a world ("/tmp", "/run",
 * ...; NULL: the host's own there too), with the node's directory shown there (relative
 * to R) in *sub, and the rest of path below it in *rest ("" or "/..."). */
static const char *world_cover(const char *path, const char **sub, const char **rest)
{
    static const char *const extra[][2] = {{"/var/run", "var/run"}, {"/var/lock", "var/run/lock"}};
    const char *best = NULL;
    for (size_t k = 0; k < N_BINDS + 2; k++) {
        const char *dir = k < N_BINDS ? binds[k][1] : extra[k - N_BINDS][0];
        struct stat sb;
        /* Debian's /var/run and /var/lock are links into /run: covered as /run. */
        if (k >= N_BINDS && (lstat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode)))
            continue;
        if (path_under(path, dir) && (!best || strlen(dir) > strlen(best))) {
            best = dir;
            *sub = k < N_BINDS ? binds[k][0] : extra[k - N_BINDS][1];
        }
    }
    if (best)
        *rest = path + strlen(best);
    return best;
}

/* Adds the directory of p (p itself if it is one), canonical, to out when a world would
 * cover it. 0, or -1 with err set when it cannot be seen inside at its own path. */
static int keep_add(char (*out)[PATH_MAX], int *n, int max, const char *what, const char *p, char *err,
                    size_t errlen)
{
    char real[PATH_MAX];
    struct stat sb;
    if (!p || p[0] != '/' || !realpath(p, real) || stat(real, &sb) < 0)
        return 0; /* not on this machine: nothing to keep */
    if (!S_ISDIR(sb.st_mode)) {
        char *slash = strrchr(real, '/');
        if (slash == real)
            slash[1] = 0;
        else
            *slash = 0;
    }
    const char *sub, *rest;
    const char *t = world_cover(real, &sub, &rest);
    if (!t)
        return 0;
    if (!*rest || !strcmp(sub, "etc/config")) {
        snprintf(err, errlen, "%s %s cannot be seen inside a node: a node has its own %s (R/%s); move it elsewhere",
                 what, real, t, sub);
        return -1;
    }
    for (int k = 0; k < *n; k++)
        if (!strcmp(out[k], real))
            return 0;
    if (*n >= max) {
        snprintf(err, errlen, "more than %d host paths to keep visible inside a node (%s)", max, real);
        return -1;
    }
    snprintf(out[(*n)++], PATH_MAX, "%s", real);
    return 0;
}

int sim_world_paths(const struct sim_state *st, char *const apply_argv[], char *const daemon_argv[],
                    char (*out)[PATH_MAX], int max, char *err, size_t errlen)
{
    int n = 0, r = 0;
    char self[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
    self[len > 0 ? len : 0] = 0;
    /* The build tree: <build>/src/sim/lime-sim and its siblings; the programs wherever found. */
    char build[PATH_MAX];
    snprintf(build, sizeof(build), "%s", self);
    for (int k = 0; k < 3; k++) {
        char *slash = strrchr(build, '/');
        if (slash)
            *slash = 0;
    }
    size_t bl = strlen(build);
    if (len > 0 && bl + 9 < (size_t)len && !strncmp(self + bl, "/src/sim/", 9))
        r |= keep_add(out, &n, max, "the build tree", build, err, errlen);
    r |= keep_add(out, &n, max, "lime-sim", self, err, errlen);
    static const char *const progs[] = {"lime-config", "lime-apply", "limed", "shared-state-async", "batd"};
    for (size_t k = 0; !r && k < sizeof(progs) / sizeof(progs[0]); k++)
        r |= keep_add(out, &n, max, progs[k], sim_program(progs[k]), err, errlen);
    if (!r && getenv("LIME_BINARY_DIR"))
        r |= keep_add(out, &n, max, "$LIME_BINARY_DIR", getenv("LIME_BINARY_DIR"), err, errlen);
    if (!r)
        r |= keep_add(out, &n, max, "the source tree", sim_source_dir(), err, errlen);
    if (!r)
        r |= keep_add(out, &n, max, "--nodes-dir", st->nodes_dir, err, errlen);
    if (!r && st->app_dir[0])
        r |= keep_add(out, &n, max, "--app", st->app_dir, err, errlen);
    /* Whatever else the node's programs are handed by path. */
    for (int pass = 0; !r && pass < 2; pass++) {
        char *const *av = pass ? daemon_argv : apply_argv;
        const char *base = strrchr(av[0], '/');
        char what[128];
        snprintf(what, sizeof(what), "%s's argument", base ? base + 1 : av[0]);
        for (int k = 0; !r && av[k]; k++)
            r |= keep_add(out, &n, max, k ? what : av[0], av[k], err, errlen);
    }
    if (r)
        return -1;
    /* A path under another one comes with it. */
    int m = 0;
    for (int k = 0; k < n; k++) {
        bool inner = false;
        for (int j = 0; j < n && !inner; j++)
            inner = j != k && path_under(out[k], out[j]);
        if (!inner && m != k)
            memcpy(out[m], out[k], PATH_MAX);
        m += !inner;
    }
    return m;
}

void sim_world_env(void)
{
    static const char *const progs[] = {"lime-config", "lime-apply", "limed", "shared-state-async", "batd"};
    char path[4096] = "";
    size_t n = 0;
    for (size_t k = 0; k < sizeof(progs) / sizeof(progs[0]); k++) {
        const char *p = sim_program(progs[k]);
        const char *slash = strrchr(p, '/');
        if (!slash)
            continue; /* not built here: found on the system PATH, if installed */
        int len = (int)(slash - p);
        char dir[PATH_MAX];
        snprintf(dir, sizeof(dir), "%.*s", len, p);
        /* each directory once */
        bool seen = false;
        for (const char *s = path; *s && !seen;) {
            size_t l = strcspn(s, ":");
            seen = l == strlen(dir) && !strncmp(s, dir, l);
            s += l + (s[l] == ':');
        }
        if (!seen && n + strlen(dir) + 2 < sizeof(path))
            n += (size_t)snprintf(path + n, sizeof(path) - n, "%s:", dir);
    }
    snprintf(path + n, sizeof(path) - n, "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    setenv("PATH", path, 1);
    setenv("HOME", "/root", 1);
    /* Variables that would point a tool at the host's view instead of the node's. */
    static const char *const drop[] = {"LIME_SYSFS", "SS_SOCKET", "LIME_CONFIG", "LIME_APPLY", "OLDPWD"};
    for (size_t k = 0; k < sizeof(drop) / sizeof(drop[0]); k++)
        unsetenv(drop[k]);
}

/* ---- inside: building the world ---- */

/* Mount points under /etc on the host (a container's /etc/resolv.conf, /etc/hosts...): an
 * overlay shows the files beneath them, so they are bound again on top. */
struct etc_mount {
    char path[256];
    int fd;
};

static int host_etc_mounts(struct etc_mount *out, int max)
{
    FILE *f = fopen("/proc/self/mountinfo", "r");
    if (!f)
        return 0;
    int n = 0;
    char line[4096];
    while (n < max && fgets(line, sizeof(line), f)) {
        /* id parent major:minor root MOUNTPOINT ... ; octal escapes (\040) in paths */
        char mp[1024];
        if (sscanf(line, "%*s %*s %*s %*s %1023s", mp) != 1)
            continue;
        char dec[1024];
        size_t j = 0;
        for (size_t i = 0; mp[i] && j + 1 < sizeof(dec); i++) {
            if (mp[i] == '\\' && mp[i + 1] >= '0' && mp[i + 1] <= '3' && mp[i + 2] && mp[i + 3]) {
                dec[j++] = (char)((mp[i + 1] - '0') * 64 + (mp[i + 2] - '0') * 8 + (mp[i + 3] - '0'));
                i += 3;
            } else {
                dec[j++] = mp[i];
            }
        }
        dec[j] = 0;
        if (strncmp(dec, "/etc/", 5) || !strncmp(dec, "/etc/config", 11) || strlen(dec) >= sizeof(out[n].path))
            continue;
        int fd = open(dec, O_PATH | O_CLOEXEC);
        if (fd < 0)
            continue;
        snprintf(out[n].path, sizeof(out[n].path), "%s", dec);
        out[n++].fd = fd;
    }
    fclose(f);
    return n;
}

static int bind_fd(int fd, const char *target, unsigned long flags)
{
    char src[64];
    snprintf(src, sizeof(src), "/proc/self/fd/%d", fd);
    if (mount(src, target, NULL, MS_BIND | flags, NULL) < 0) {
        log_err("bind mount onto %s: %s", target, strerror(errno));
        return -1;
    }
    return 0;
}

static int open_dir(const char *root, const char *rel, mode_t mode)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    int r = lime_mkdir_p(path, 0755);
    if (r < 0) {
        log_err("%s: %s", path, strerror(-r));
        return -1;
    }
    if (mode)
        chmod(path, mode);
    int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        log_err("%s: %s", path, strerror(errno));
    return fd;
}

/* Joins ns, makes the mount and UTS namespaces and mounts the node's paths; then binds
 * the host's directories keep[] (canonical, each under a router's path) back at their own
 * paths, onto mount points made inside the node's directories. */
static int build(const char *ns, const char *name, const char *root, char *const keep[], int n_keep)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "/run/netns/%s", ns);
    int nsfd = open(path, O_RDONLY | O_CLOEXEC);
    if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) < 0) {
        log_err("network namespace %s: %s", ns, strerror(errno));
        return -1;
    }
    close(nsfd);
    if (unshare(CLONE_NEWNS | CLONE_NEWUTS) < 0) {
        log_err("unshare: %s", strerror(errno));
        return -1;
    }
    /* Every source first, once in the new namespace (the kernel binds only from mounts of
     * the caller's namespace): once /run is covered, R (under /run) is out of sight. */
    int fds[N_BINDS], etc_fd = open_dir(root, "etc", 0), work_fd = open_dir(root, OVERLAY_WORK, 0),
        lock_fd = open_dir(root, "var/run/lock", 0);
    for (size_t k = 0; k < N_BINDS; k++)
        if ((fds[k] = open_dir(root, binds[k][0], !strcmp(binds[k][0], "tmp") ? 01777 : 0)) < 0)
            return -1;
    if (etc_fd < 0 || work_fd < 0 || lock_fd < 0)
        return -1;
    /* The host directories the node needs that its own would hide: opened now, their
     * mount points made inside R (R/tmp/x/build for /tmp/x/build) before R is covered. */
    int keep_fd[SIM_WORLD_KEEP_MAX];
    for (int k = 0; k < n_keep && k < SIM_WORLD_KEEP_MAX; k++) {
        const char *sub, *rest;
        char mp[PATH_MAX * 2];
        if (!world_cover(keep[k], &sub, &rest) || !*rest) {
            log_err("%s cannot be seen inside the node", keep[k]);
            return -1;
        }
        snprintf(mp, sizeof(mp), "%s/%s%s", root, sub, rest);
        int r = lime_mkdir_p(mp, 0755);
        if (r < 0 || (keep_fd[k] = open(keep[k], O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
            log_err("keeping %s visible inside the node (mount point %s): %s", keep[k], mp,
                    strerror(r < 0 ? -r : errno));
            return -1;
        }
    }
    static struct etc_mount etc_mounts[32];
    int n_etc = host_etc_mounts(etc_mounts, 32);
    if (sethostname(name, strlen(name)) < 0)
        log_warn("sethostname %s: %s", name, strerror(errno));
    /* Nothing mounted here reaches the host (slave: the host's mounts still come in). */
    if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) {
        log_err("making / a slave mount: %s", strerror(errno));
        return -1;
    }
    /* The network namespace's own /sys, as ip netns exec gives it. */
    umount2("/sys", MNT_DETACH);
    if (mount("sysfs", "/sys", "sysfs", 0, NULL) < 0)
        log_warn("sysfs on /sys: %s", strerror(errno));
    /* /etc: the node's own files over the host's (ld.so.cache, passwd, alternatives, ssl,
     * iproute2 ... are what Debian's tools need); writes land in R/etc. */
    char opts[256];
    snprintf(opts, sizeof(opts), "lowerdir=/etc,upperdir=/proc/self/fd/%d,workdir=/proc/self/fd/%d", etc_fd,
             work_fd);
    if (mount("overlay", "/etc", "overlay", 0, opts) < 0) {
        log_err("overlay on /etc (upper %s/etc): %s (overlayfs needs the node roots on a filesystem "
                "with xattrs and d_type, as tmpfs or ext4 are, not on overlayfs or NFS; the kernel says "
                "why in dmesg)", root, strerror(errno));
        return -1;
    }
    for (int k = 0; k < n_etc; k++) {
        /* the node's own file of that name wins */
        if (faccessat(etc_fd, etc_mounts[k].path + 5, F_OK, AT_SYMLINK_NOFOLLOW) != 0)
            bind_fd(etc_mounts[k].fd, etc_mounts[k].path, MS_REC);
        close(etc_mounts[k].fd);
    }
    for (size_t k = 0; k < N_BINDS; k++)
        if (bind_fd(fds[k], binds[k][1], 0) < 0)
            return -1;
    /* Debian's /var/run and /var/lock are links into /run (so /var/lock is R/var/run/lock);
     * where they are directories of their own they get the node's too. */
    struct stat vr;
    if (lstat("/var/run", &vr) == 0 && S_ISDIR(vr.st_mode) && bind_fd(fds[N_BINDS - 1], "/var/run", 0) < 0)
        return -1;
    if (lstat("/var/lock", &vr) == 0 && S_ISDIR(vr.st_mode) && bind_fd(lock_fd, "/var/lock", 0) < 0)
        return -1;
    close(lock_fd);
    for (int k = 0; k < n_keep && k < SIM_WORLD_KEEP_MAX; k++) {
        if (bind_fd(keep_fd[k], keep[k], MS_REC) < 0)
            return -1;
        close(keep_fd[k]);
    }
    for (size_t k = 0; k < N_BINDS; k++)
        close(fds[k]);
    close(etc_fd);
    close(work_fd);
    if (chdir("/") < 0)
        return -1;
    return 0;
}

/* ---- inside: the node's init ---- */

struct keeper {
    struct lime_loop *loop;
    char **argv;
    const char *name;
    pid_t pid;
    unsigned starts;
    unsigned backoff_ms;
    uint64_t started_ms;
    bool stopping;
};

static void write_state(const struct keeper *k)
{
    char text[128];
    int n = snprintf(text, sizeof(text), "pid %d\nlimed_pid %d\nlimed_starts %u\n", (int)getpid(), (int)k->pid,
                     k->starts);
    lime_write_file_atomic(STATE_FILE, text, (size_t)n, 0644);
}

static void start_daemon(void *arg);

static void daemon_exited(pid_t pid, int status, void *arg)
{
    struct keeper *k = arg;
    (void)pid;
    k->pid = 0;
    if (k->stopping) {
        lime_loop_stop(k->loop);
        return;
    }
    uint64_t ran = lime_now_ms() - k->started_ms;
    /* procd's respawn, with a backoff: 1 s, doubling while it keeps dying within 10 s. */
    k->backoff_ms = ran > 10000 ? 1000 : (k->backoff_ms ? k->backoff_ms * 2 : 1000);
    if (k->backoff_ms > 30000)
        k->backoff_ms = 30000;
    if (WIFSIGNALED(status))
        log_warn("%s: %s killed by signal %d after %llu ms; restarting in %u ms", k->name, k->argv[0],
                 WTERMSIG(status), (unsigned long long)ran, k->backoff_ms);
    else
        log_warn("%s: %s exited with status %d after %llu ms; restarting in %u ms", k->name, k->argv[0],
                 WEXITSTATUS(status), (unsigned long long)ran, k->backoff_ms);
    write_state(k);
    lime_timer_add(k->loop, k->backoff_ms, start_daemon, k);
}

static void start_daemon(void *arg)
{
    struct keeper *k = arg;
    if (k->stopping)
        return;
    struct lime_run_opts o = {.log = "/var/log/limed.log", .die_with_parent = true};
    k->started_ms = lime_now_ms();
    pid_t pid = lime_run_detached(k->argv, &o);
    if (pid < 0) {
        log_err("%s: cannot start %s: %s", k->name, k->argv[0], strerror(errno));
        k->backoff_ms = 30000;
        lime_timer_add(k->loop, k->backoff_ms, start_daemon, k);
        return;
    }
    k->pid = pid;
    k->starts++;
    write_state(k);
    lime_loop_watch_child(k->loop, pid, daemon_exited, k);
}

static void on_stop(int signo, void *arg)
{
    struct keeper *k = arg;
    (void)signo;
    k->stopping = true;
    if (k->pid > 0) {
        pid_t pid = k->pid;
        lime_loop_cancel_child(k->loop, pid);
        lime_run_stop(&pid, 1, 3000); /* limed stops its own daemons on TERM */
        k->pid = 0;
    }
    lime_loop_stop(k->loop);
}

/* Runs the init: records itself (so `lime-sim exec` finds the world), says so on ready_fd
 * (then closed), starts limed and keeps it running until SIGTERM/SIGINT. */
static int keep(const char *name, char **argv, int ready_fd)
{
    struct keeper k = {.loop = lime_loop_new(), .argv = argv, .name = name};
    if (!k.loop)
        return 1;
    lime_loop_add_signal(k.loop, SIGTERM, on_stop, &k);
    lime_loop_add_signal(k.loop, SIGINT, on_stop, &k);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    write_state(&k);
    if (ready_fd >= 0) {
        ssize_t w = write(ready_fd, "ok\n", 3);
        (void)w;
        close(ready_fd);
    }
    start_daemon(&k);
    lime_loop_run(k.loop);
    unlink(STATE_FILE);
    lime_loop_free(k.loop);
    return 0;
}

/* The pid of the init `lime-sim _initd` when it said it is ready on the pipe rd; 0 (logged)
 * when it ended or said nothing within 30 s. */
static pid_t await_init(pid_t pid, int rd, const char *name)
{
    char buf[8] = "";
    size_t got = 0;
    uint64_t end = lime_now_ms() + 30000;
    while (got < 3 && lime_now_ms() < end) {
        struct pollfd p = {.fd = rd, .events = POLLIN};
        if (poll(&p, 1, 200) < 0 && errno != EINTR)
            break;
        ssize_t r = p.revents ? read(rd, buf + got, 3 - got) : 0;
        if (r < 0 && errno == EINTR)
            continue;
        if (p.revents && r <= 0)
            break; /* it ended */
        got += r > 0 ? (size_t)r : 0;
    }
    if (got == 3 && !memcmp(buf, "ok\n", 3))
        return pid;
    log_err("%s: the node's init did not start", name);
    lime_run_stop(&pid, 1, 1000);
    return 0;
}

/* The last line of a log file (up to 300 bytes of it) into buf; "" if none. */
static void last_line(const char *path, char *buf, size_t len)
{
    char tail[512];
    buf[0] = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    off_t size = lseek(fd, 0, SEEK_END);
    off_t from = size > (off_t)sizeof(tail) - 1 ? size - (off_t)sizeof(tail) + 1 : 0;
    ssize_t n = pread(fd, tail, sizeof(tail) - 1, from);
    close(fd);
    if (n <= 0)
        return;
    tail[n] = 0;
    while (n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == ' '))
        tail[--n] = 0;
    char *nl = strrchr(tail, '\n');
    snprintf(buf, len, "%.300s", nl ? nl + 1 : tail);
}

int sim_world_main(int argc, char **argv)
{
    /* NS NAME ROOT [--keep DIR]... -- APPLY... -- DAEMON... */
    char *keep[SIM_WORLD_KEEP_MAX];
    int n_keep = 0, a = 3;
    while (a + 1 < argc && !strcmp(argv[a], "--keep") && n_keep < SIM_WORLD_KEEP_MAX) {
        keep[n_keep++] = argv[a + 1];
        a += 2;
    }
    if (argc < a + 4 || strcmp(argv[a], "--")) {
        log_err("_init: expected NS NAME ROOT [--keep DIR]... -- APPLY... -- DAEMON...");
        return 2;
    }
    const char *ns = argv[0], *name = argv[1], *root = argv[2];
    char **apply = argv + a + 1, **daemon = NULL;
    for (int k = a + 1; k < argc; k++)
        if (!strcmp(argv[k], "--")) {
            argv[k] = NULL;
            daemon = argv + k + 1;
            break;
        }
    if (!daemon || !daemon[0] || !apply[0]) {
        log_err("_init: expected NS NAME ROOT [--keep DIR]... -- APPLY... -- DAEMON...");
        return 2;
    }
    if (build(ns, name, root, keep, n_keep) < 0)
        return 1;
    sim_world_env();
    struct lime_run_opts o = {.log = "/var/log/lime-apply.log"};
    struct lime_run_result r;
    int rc = lime_run(apply, &o, &r);
    if (rc == 3) /* applied, but a radio cannot do all it is asked: the node comes up */
        log_warn("%s: lime-apply: a radio setting could not be applied (see %s/var/log/lime-apply.log)",
                 name, root);
    else if (rc != 0) {
        char why[128], last[320];
        last_line("/var/log/lime-apply.log", last, sizeof(last));
        log_err("%s: %s %s%s%s (%s/var/log/lime-apply.log)", name, apply[0], lime_run_describe(&r, why, sizeof(why)),
                last[0] ? ": " : "", last, root);
        lime_run_result_free(&r);
        return 1;
    }
    lime_run_result_free(&r);
    /* The init (`lime-sim _initd NAME -- DAEMON...`, this binary again: it inherits the
     * world's namespaces and environment) outlives this process in a session of its own.
     * It records its pid itself and says "ok" on a pipe before this returns, so `node
     * start` returns with the world findable (`exec` works at once). */
    char self[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (len <= 0) {
        log_err("/proc/self/exe: %s", strerror(errno));
        return 1;
    }
    self[len] = 0;
    char *init[160] = {self, "_initd", (char *)name, "--"};
    int n = 4;
    for (int k = 0; daemon[k] && n < 159; k++)
        init[n++] = daemon[k];
    init[n] = NULL;
    int rdy[2];
    if (pipe2(rdy, O_CLOEXEC) < 0) {
        log_err("pipe: %s", strerror(errno));
        return 1;
    }
    int stdio[3] = {-1, rdy[1], -1};
    struct lime_run_opts io = {.stdio = stdio};
    pid_t pid = lime_run_detached(init, &io);
    int e = errno;
    close(rdy[1]);
    if (pid < 0) {
        log_err("%s: cannot start the node's init: %s", name, strerror(e));
        close(rdy[0]);
        return 1;
    }
    pid = await_init(pid, rdy[0], name);
    close(rdy[0]);
    return pid > 0 ? 0 : 1;
}

int sim_world_init_main(int argc, char **argv)
{
    /* NAME -- DAEMON... ; stdout: the pipe of await_init, stderr: the init's log */
    if (argc < 3 || strcmp(argv[1], "--")) {
        log_err("_initd: expected NAME -- DAEMON...");
        return 2;
    }
    prctl(PR_SET_NAME, SIM_WORLD_COMM);
    lime_log_init(SIM_WORLD_COMM, LIME_LOG_INFO);
    int ready = fcntl(1, F_DUPFD_CLOEXEC, 3);
    if (ready < 0 || dup2(2, 1) < 0)
        return 1;
    return keep(argv[0], argv + 2, ready);
}

/* ---- outside: starting, finding and joining a world ---- */

/* The last lines (up to ~1.5 KB) of a log file, to stderr. */
static void log_tail(const char *path)
{
    size_t len = 0;
    char *text = lime_read_file(path, 1 << 20, &len);
    if (!text || !len) {
        free(text);
        return;
    }
    const char *from = len > 1536 ? text + len - 1536 : text;
    if (from != text && strchr(from, '\n'))
        from = strchr(from, '\n') + 1;
    fprintf(stderr, "---- %s (end)\n%s%s----\n", path, from, text[len - 1] == '\n' ? "" : "\n");
    free(text);
}

int sim_world_start(const struct sim_state *st, int i, char *const apply_argv[], char *const daemon_argv[])
{
    char ns[64], root[300], logp[400], err[PATH_MAX + 200];
    sim_node_ns(st, i, ns);
    sim_node_root(st, i, root);
    snprintf(logp, sizeof(logp), "%s/var/log/lime-sim-init.log", root);
    static char keep[SIM_WORLD_KEEP_MAX][PATH_MAX];
    int n_keep = sim_world_paths(st, apply_argv, daemon_argv, keep, SIM_WORLD_KEEP_MAX, err, sizeof(err));
    if (n_keep < 0) {
        log_err("%s", err);
        return -1;
    }
    /* Paths the node is handed, canonical: a link on the way (/tmp/src -> ...) may not
     * exist inside, where the directory it leads to does (kept above). */
    char *argv[200] = {"lime-sim", "_init", ns, (char *)st->nodes[i].name, root};
    char *canon[160] = {0};
    int n = 5, nc = 0;
    for (int k = 0; k < n_keep; k++) {
        argv[n++] = "--keep";
        argv[n++] = keep[k];
    }
    argv[n++] = "--";
    for (int pass = 0; pass < 2; pass++) {
        char *const *src = pass ? daemon_argv : apply_argv;
        for (int k = 0; src[k] && n < 198 && nc < 160; k++) {
            char *real = src[k][0] == '/' ? realpath(src[k], NULL) : NULL;
            argv[n++] = real ? (canon[nc++] = real) : src[k];
        }
        if (!pass)
            argv[n++] = "--";
    }
    argv[n] = NULL;
    /* lime-sim itself, wherever it is (exec of /proc/self/exe keeps argv[0] as given). */
    char self[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
    int rc = -1;
    if (len <= 0) {
        log_err("/proc/self/exe: %s", strerror(errno));
        goto out;
    }
    self[len] = 0;
    argv[0] = self;
    struct lime_run_opts o = {.log = logp};
    struct lime_run_result r;
    if (lime_run(argv, &o, &r) != 0) {
        /* What the init said last is why (the log goes with the node when up cleans up). */
        char why[128], last[320];
        last_line(logp, last, sizeof(last));
        const char *said = last, *e = strstr(last, ": error: ");
        if (e && e - last < 20) /* "lime-sim: error: n1: ...": the words only */
            said = e + 9;
        size_t nl = strlen(st->nodes[i].name);
        if (!strncmp(said, st->nodes[i].name, nl) && !strncmp(said + nl, ": ", 2))
            said += nl + 2;
        log_err("%s: the node's init %s%s%s (its log: %s)", st->nodes[i].name, lime_run_describe(&r, why, sizeof(why)),
                said[0] ? ": " : "", said, logp);
        lime_run_result_free(&r);
        /* lime-apply's own account (in kernel mode the node's logs are in the guest's RAM,
         * gone after the failed up is cleaned away) */
        char apply_log[400];
        snprintf(apply_log, sizeof(apply_log), "%s/var/log/lime-apply.log", root);
        log_tail(apply_log);
        goto out;
    }
    lime_run_result_free(&r);
    rc = 0;
out:
    for (int k = 0; k < nc; k++)
        free(canon[k]);
    return rc;
}

static bool same_ns(pid_t pid, const char *ns)
{
    char a[64], b[300];
    struct stat sa, sb;
    snprintf(a, sizeof(a), "/proc/%d/ns/net", (int)pid);
    snprintf(b, sizeof(b), "/run/netns/%s", ns);
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
}

pid_t sim_world_pid(const struct sim_state *st, int i)
{
    char root[300], path[400], ns[64];
    sim_node_root(st, i, root);
    sim_node_ns(st, i, ns);
    snprintf(path, sizeof(path), "%s" STATE_FILE, root);
    char *text = lime_read_file(path, 4096, NULL);
    int pid = 0;
    if (!text || sscanf(text, "pid %d", &pid) != 1 || pid <= 0) {
        free(text);
        return 0;
    }
    free(text);
    /* A stale record (the init was killed) must not lead into another process. */
    char comm[64] = "";
    snprintf(path, sizeof(path), "/proc/%d/comm", pid);
    FILE *f = fopen(path, "r");
    if (f) {
        if (fgets(comm, sizeof(comm), f))
            comm[strcspn(comm, "\n")] = 0;
        fclose(f);
    }
    if (strcmp(comm, SIM_WORLD_COMM) || !same_ns(pid, ns) || !lime_run_alive(pid))
        return 0;
    return pid;
}

int sim_world_enter(const struct sim_state *st, int i)
{
    pid_t pid = sim_world_pid(st, i);
    if (!pid) {
        log_err("%s is not running (`lime-sim node start %s`)", st->nodes[i].name, st->nodes[i].name);
        return -1;
    }
    static const struct {
        const char *name;
        int type;
    } order[] = {{"net", CLONE_NEWNET}, {"uts", CLONE_NEWUTS}, {"mnt", CLONE_NEWNS}};
    int fds[3];
    for (int k = 0; k < 3; k++) {
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, order[k].name);
        if ((fds[k] = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
            log_err("%s: %s", path, strerror(errno));
            for (int j = 0; j < k; j++)
                close(fds[j]);
            return -1;
        }
    }
    char cwd[PATH_MAX];
    bool have_cwd = getcwd(cwd, sizeof(cwd)) != NULL;
    for (int k = 0; k < 3; k++) {
        if (setns(fds[k], order[k].type) < 0) {
            log_err("joining %s's %s namespace: %s", st->nodes[i].name, order[k].name, strerror(errno));
            return -1;
        }
        close(fds[k]);
    }
    /* setns into a mount namespace moves to its root; stay where we were if that exists there. */
    if (!have_cwd || chdir(cwd) < 0)
        if (chdir("/") < 0)
            return -1;
    sim_world_env();
    return 0;
}
