#include "agent.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "chan.h"
#include "fsutil.h"
#include "kcache.h"
#include "log.h"
#include "run.h"
#include "spawn.h"

struct agent {
    char token[80];
    char status[400]; /* "ok", or what went wrong at boot (sent with every hello) */
    char self[PATH_MAX];
    bool pid1;
};

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* A one-line file of CONFDIR ("" if missing), trailing newline removed. */
static void conf_get(const char *dir, const char *name, char *out, size_t len)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    char *text = lime_read_file(path, 4096, NULL);
    snprintf(out, len, "%s", text ? text : "");
    out[strcspn(out, "\r\n")] = 0;
    free(text);
}

static void mounts(void)
{
    static const struct {
        const char *src, *dir, *type, *opts;
    } m[] = {{"proc", "/proc", "proc", NULL},
             {"sysfs", "/sys", "sysfs", NULL},
             {"devtmpfs", "/dev", "devtmpfs", NULL},
             {"devpts", "/dev/pts", "devpts", "ptmxmode=0666"},
             {"shm", "/dev/shm", "tmpfs", "mode=1777"},
             {"debugfs", "/sys/kernel/debug", "debugfs", NULL},
             {"cgroup2", "/sys/fs/cgroup", "cgroup2", NULL}};
    for (size_t i = 0; i < sizeof(m) / sizeof(*m); i++) {
        mkdir(m[i].dir, 0755);
        if (mount(m[i].src, m[i].dir, m[i].type, 0, m[i].opts) < 0 && errno != EBUSY)
            fprintf(stderr, "lime-sim agent: mount %s: %s\n", m[i].dir, strerror(errno));
    }
}

/* modprobe -a of the lab's modules and CONFDIR/modules; failures go into a->status. */
static void load_modules(struct agent *a, const char *dir)
{
    char extra[1024], logp[PATH_MAX];
    conf_get(dir, "modules", extra, sizeof(extra));
    char *argv[64] = {"modprobe", "-a", SIM_LAB_MODULES};
    int k = 0;
    while (argv[k])
        k++;
    for (char *save = NULL, *w = strtok_r(extra, " ", &save); w && k < 62; w = strtok_r(NULL, " ", &save))
        argv[k++] = w;
    argv[k] = NULL;
    snprintf(logp, sizeof(logp), "%s/modprobe.log", dir);
    if (sim_run_ns_log(NULL, argv, logp) != 0) {
        char *text = lime_read_file(logp, 4096, NULL);
        snprintf(a->status, sizeof(a->status), "modprobe failed: %s", text ? text : "(no message)");
        for (char *p = a->status; *p; p++)
            if (*p == '\n')
                *p = ' ';
        free(text);
    }
}

/* CONFDIR/shares: the i-th line is where qemu's 9p tag share<i> goes (read-write; no
 * caching, so both sides see each other's writes at once). */
static void mount_shares(struct agent *a, const char *dir)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/shares", dir);
    char *text = lime_read_file(path, 1 << 16, NULL);
    int i = 0;
    for (char *save = NULL, *line = text ? strtok_r(text, "\n", &save) : NULL; line;
         line = strtok_r(NULL, "\n", &save), i++) {
        char tag[32];
        snprintf(tag, sizeof(tag), "share%d", i);
        int r = lime_mkdir_p(line, 0755);
        if (r < 0 || mount(tag, line, "9p", 0, "trans=virtio,version=9p2000.L,cache=none,msize=512000") < 0) {
            snprintf(a->status, sizeof(a->status), "could not mount the shared %s: %s", line,
                     strerror(r < 0 ? -r : errno));
            break;
        }
    }
    free(text);
}

static int status_of(int ws)
{
    if (WIFEXITED(ws))
        return WEXITSTATUS(ws);
    if (WIFSIGNALED(ws))
        return 128 + WTERMSIG(ws);
    return 255;
}

static int send_exit(int fd, int status)
{
    unsigned char b[4] = {(unsigned char)(status >> 24), (unsigned char)(status >> 16),
                          (unsigned char)(status >> 8), (unsigned char)status};
    return sim_chan_send(fd, SIM_F_EXIT, b, 4);
}

/* Runs `lime-sim argv` for one client and relays (chan.h). The command leads a session
 * and process group of its own (lime_run_detached), its stdin, stdout and stderr are
 * pipes of ours, streamed as they come; a client that goes away takes the whole group
 * with it (SIGTERM, 3 s, SIGKILL). */
static void run_cmd(const struct agent *a, int fd, struct sim_chan_rx *rx, char **args, int n)
{
    int in[2] = {-1, -1}, out[2] = {-1, -1}, errp[2] = {-1, -1};
    if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
        sim_chan_send(fd, SIM_F_ERROR, "pipe failed", 11);
        return;
    }
    char *argv[130] = {(char *)a->self};
    for (int i = 1; i < n && i < 129; i++)
        argv[i] = args[i];
    argv[n < 129 ? n : 129] = NULL;
    /* The client's directory when the guest has it, else / (as a shell's cd would fail). */
    struct stat cw;
    int stdio[3] = {in[0], out[1], errp[1]};
    struct lime_run_opts o = {.stdio = stdio,
                              .cwd = stat(args[0], &cw) == 0 && S_ISDIR(cw.st_mode) && !access(args[0], X_OK) ? args[0] : "/"};
    pid_t pid = lime_run_detached(argv, &o);
    int spawn_errno = errno;
    close(in[0]);
    close(out[1]);
    close(errp[1]);
    if (pid < 0) {
        char msg[PATH_MAX + 64];
        int m = snprintf(msg, sizeof(msg), "cannot run %s: %s", a->self, strerror(spawn_errno));
        sim_chan_send(fd, SIM_F_ERROR, msg, (size_t)m);
        close(in[1]);
        close(out[0]);
        close(errp[0]);
        return;
    }
    int fin = in[1], fout = out[0], ferr = errp[0], status = -1;
    long long last_sent = now_ms(), exited_at = 0;
    unsigned char buf[65536];
    for (;;) {
        /* Input frames first: some may have come in with the request itself. */
        struct sim_frame f;
        int fr;
        while ((fr = sim_chan_next(rx, &f)) == 1)
            if (f.type == SIM_F_STDIN && fin >= 0) {
                if (!f.len || write(fin, f.data, f.len) != (ssize_t)f.len) {
                    close(fin);
                    fin = -1;
                }
            }
        if (fr < 0) {
            fprintf(stderr, "lime-sim agent: malformed frame; connection dropped\n");
            if (status < 0)
                lime_run_stop_group(pid, 3000);
            goto done;
        }
        struct pollfd p[3] = {{.fd = fd, .events = POLLIN}, {.fd = fout, .events = POLLIN},
                              {.fd = ferr, .events = POLLIN}};
        /* Short waits once the output has ended: the exit status is due any moment. */
        int pr = poll(p, 3, status >= 0 || (fout < 0 && ferr < 0) ? 20 : 500);
        if (pr < 0 && errno != EINTR)
            break;
        if (pr > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t r = recv(fd, buf, sizeof(buf), 0);
            if (r <= 0 && !(r < 0 && errno == EINTR)) { /* the client went away */
                if (status < 0)
                    lime_run_stop_group(pid, 3000);
                goto done;
            }
            if (r > 0 && sim_chan_feed(rx, buf, (size_t)r) < 0) {
                if (status < 0)
                    lime_run_stop_group(pid, 3000);
                goto done;
            }
            continue;
        }
        for (int k = 1; k < 3; k++) {
            int *pf = k == 1 ? &fout : &ferr;
            if (*pf < 0 || !(p[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t r = read(*pf, buf, sizeof(buf));
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                close(*pf);
                *pf = -1;
                p[k].fd = -1;
                continue;
            }
            if (sim_chan_send(fd, k == 1 ? SIM_F_STDOUT : SIM_F_STDERR, buf, (size_t)r) < 0) {
                lime_run_stop_group(pid, 3000);
                goto done;
            }
            last_sent = now_ms();
        }
        int ws;
        if (status < 0 && lime_run_wait(pid, 0, &ws) == 1) {
            status = status_of(ws);
            exited_at = now_ms();
        }
        /* Done when the output has ended, or shortly after the command exited even if
         * something it left in the background still holds the pipes. */
        if (status >= 0 && ((fout < 0 && ferr < 0) || now_ms() - exited_at > 300))
            break;
        if (now_ms() - last_sent >= 1000) {
            if (sim_chan_send(fd, SIM_F_ALIVE, NULL, 0) < 0) {
                if (status < 0)
                    lime_run_stop_group(pid, 3000);
                goto done;
            }
            last_sent = now_ms();
        }
    }
    send_exit(fd, status < 0 ? 255 : status);
done:
    if (fin >= 0)
        close(fin);
    if (fout >= 0)
        close(fout);
    if (ferr >= 0)
        close(ferr);
}

/* Copies between the client and the target until both directions have ended. */
static void relay(int c, int t, const unsigned char *pending, size_t npending)
{
    if (npending && send(t, pending, npending, MSG_NOSIGNAL) != (ssize_t)npending)
        return;
    bool c_open = true, t_open = true;
    unsigned char buf[65536];
    while (c_open || t_open) {
        struct pollfd p[2] = {{.fd = c_open ? c : -1, .events = POLLIN}, {.fd = t_open ? t : -1, .events = POLLIN}};
        if (poll(p, 2, 300000) <= 0)
            return;
        for (int k = 0; k < 2; k++) {
            if (!(p[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            int from = k ? t : c, to = k ? c : t;
            ssize_t r = recv(from, buf, sizeof(buf), 0);
            if (r <= 0) {
                shutdown(to, SHUT_WR);
                *(k ? &t_open : &c_open) = false;
                continue;
            }
            if (send(to, buf, (size_t)r, MSG_NOSIGNAL) != r)
                return;
        }
    }
}

static void tunnel(int fd, struct sim_chan_rx *rx, char **args, int n)
{
    char msg[160];
    int port = n == 2 ? atoi(args[1]) : 0;
    if (n != 2 || !args[0][0] || strchr(args[0], '/') || args[0][0] == '.' || strlen(args[0]) > 63 ||
        port < 1 || port > 65535) {
        sim_chan_send(fd, SIM_F_ERROR, "bad tunnel request", 18);
        return;
    }
    char path[96];
    snprintf(path, sizeof(path), "/run/netns/%s", args[0]);
    int nsfd = open(path, O_RDONLY | O_CLOEXEC);
    if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) < 0) {
        int m = snprintf(msg, sizeof(msg), "namespace %s: %s", args[0], strerror(errno));
        sim_chan_send(fd, SIM_F_ERROR, msg, (size_t)m);
        if (nsfd >= 0)
            close(nsfd);
        return;
    }
    close(nsfd);
    int t = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct timeval tv = {5, 0};
    setsockopt(t, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)); /* bounds connect() too */
    if (t < 0 || connect(t, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int m = snprintf(msg, sizeof(msg), "%s: 127.0.0.1:%d: %s", args[0], port, strerror(errno));
        sim_chan_send(fd, SIM_F_ERROR, msg, (size_t)m);
        if (t >= 0)
            close(t);
        return;
    }
    tv.tv_sec = 60;
    setsockopt(t, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (sim_chan_send(fd, SIM_F_OK, NULL, 0) == 0) {
        const unsigned char *pend;
        size_t np = sim_chan_pending(rx, &pend);
        relay(fd, t, pend, np);
    }
    close(t);
}

/* Reads the next frame within ms. 1, or 0 on timeout / EOF / malformed. */
static int next_frame(int fd, struct sim_chan_rx *rx, struct sim_frame *f, int ms)
{
    long long deadline = now_ms() + ms;
    for (;;) {
        int r = sim_chan_next(rx, f);
        if (r != 0)
            return r > 0;
        long long left = deadline - now_ms();
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            return 0;
        unsigned char buf[16384];
        ssize_t n = recv(fd, buf, sizeof(buf), 0);
        if (n <= 0 || sim_chan_feed(rx, buf, (size_t)n) < 0)
            return 0;
    }
}

static bool token_ok(const struct agent *a, const unsigned char *p, size_t n)
{
    size_t want = strlen(a->token);
    unsigned diff = (unsigned)(n ^ want);
    for (size_t i = 0; i < want; i++)
        diff |= (unsigned)(a->token[i] ^ (i < n ? p[i] : 0));
    return want > 0 && diff == 0;
}

static void serve(const struct agent *a, int fd)
{
    struct timeval tv = {60, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    struct sim_chan_rx rx;
    sim_chan_rx_init(&rx);
    struct sim_frame f;
    if (!next_frame(fd, &rx, &f, 10000))
        goto out;
    if (f.type != SIM_F_HELLO || !token_ok(a, f.data, f.len)) {
        sim_chan_send(fd, SIM_F_ERROR, "bad token", 9);
        goto out;
    }
    if (sim_chan_send(fd, SIM_F_OK, a->status, strlen(a->status)) < 0 || !next_frame(fd, &rx, &f, 30000))
        goto out;
    char *args[130], *store = NULL;
    int n = sim_chan_split(f.data, f.len, args, 130, &store);
    if (f.type == SIM_F_RUN && n >= 1)
        run_cmd(a, fd, &rx, args, n);
    else if (f.type == SIM_F_TUNNEL && n >= 1)
        tunnel(fd, &rx, args, n);
    else
        sim_chan_send(fd, SIM_F_ERROR, "bad request", 11);
    free(store);
out:
    sim_chan_rx_free(&rx);
    close(fd);
}

static int self_path(struct agent *a)
{
    ssize_t sl = readlink("/proc/self/exe", a->self, sizeof(a->self) - 1);
    if (sl <= 0) {
        fprintf(stderr, "lime-sim agent: /proc/self/exe: %s\n", strerror(errno));
        return -1;
    }
    a->self[sl] = 0;
    return 0;
}

int sim_agent_serve_main(const char *confdir, const char *status)
{
    struct agent a = {0};
    signal(SIGPIPE, SIG_IGN);
    if (self_path(&a) < 0)
        return 1;
    snprintf(a.status, sizeof(a.status), "%s", status);
    conf_get(confdir, "token", a.token, sizeof(a.token));
    if (strlen(a.token) < 32) {
        fprintf(stderr, "lime-sim agent: %s: no token\n", confdir);
        return 1;
    }
    /* The connection is our stdin; a command started later gets pipes, never it. */
    int fd = fcntl(0, F_DUPFD_CLOEXEC, 3), null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || null < 0 || dup2(null, 0) < 0)
        return 1;
    close(null);
    serve(&a, fd);
    return 0;
}

int sim_agent_main(const char *confdir)
{
    struct agent a = {.pid1 = getpid() == 1};
    snprintf(a.status, sizeof(a.status), "ok");
    signal(SIGPIPE, SIG_IGN);
    if (a.pid1)
        mounts();
    if (self_path(&a) < 0)
        return 1;
    char port_s[16], instance[16], source[PATH_MAX];
    conf_get(confdir, "token", a.token, sizeof(a.token));
    conf_get(confdir, "port", port_s, sizeof(port_s));
    conf_get(confdir, "instance", instance, sizeof(instance));
    conf_get(confdir, "source", source, sizeof(source));
    int port = atoi(port_s);
    if (strlen(a.token) < 32 || port < 1 || port > 65535) {
        fprintf(stderr, "lime-sim agent: %s: no token or port\n", confdir);
        return 1;
    }
    setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
    setenv("LIME_SIM_MODE", "kernel", 1);
    if (instance[0])
        setenv("LIME_SIM_INSTANCE", instance, 1);
    else
        unsetenv("LIME_SIM_INSTANCE");
    if (source[0]) /* the host's source tree (its www/ for the nodes' limed) */
        setenv("LIME_SOURCE_DIR", source, 1);
    if (a.pid1) {
        setenv("HOME", "/root", 1);
        if (sethostname("lime-lab", 8) != 0) /* (checked: _FORTIFY_SOURCE builds warn) */
            fprintf(stderr, "lime-sim agent: sethostname: %s\n", strerror(errno));
        load_modules(&a, confdir);
        mount_shares(&a, confdir);
    }
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(a.pid1 ? INADDR_ANY : INADDR_LOOPBACK)};
    if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(ls, 64) < 0) {
        fprintf(stderr, "lime-sim agent: port %d: %s\n", port, strerror(errno));
        return 1;
    }
    char rel[128] = "";
    FILE *f = fopen("/proc/sys/kernel/osrelease", "r");
    if (f) {
        if (!fgets(rel, sizeof(rel), f))
            rel[0] = 0;
        fclose(f);
        rel[strcspn(rel, "\n")] = 0;
    }
    fprintf(stderr, "LIME-SIM-AGENT-READY kernel %s port %d: %s\n", rel, port, a.status);
    /* Each connection is served by `lime-sim __serve CONFDIR STATUS` of its own, the
     * connection as its stdin: one slow or stuck client never holds up another. This
     * process only accepts, and reaps what ends: those servers, and every orphan the
     * kernel hands to PID 1 (the nodes' daemons once their starters exit). */
    char *serve_argv[] = {a.self, "__serve", (char *)confdir, a.status, NULL};
    for (;;) {
        lime_run_reap_orphans();
        struct pollfd p = {.fd = ls, .events = POLLIN};
        if (poll(&p, 1, 1000) <= 0)
            continue;
        int c = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
        if (c < 0)
            continue;
        int stdio[3] = {c, -1, -1};
        struct lime_run_opts o = {.stdio = stdio};
        if (lime_run_detached(serve_argv, &o) < 0)
            fprintf(stderr, "lime-sim agent: cannot serve a connection: %s\n", strerror(errno));
        close(c);
    }
}
