#include "uiproxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fsutil.h"
#include "lab.h"
#include "log.h"
#include "loop.h"
#include "node.h"
#include "run.h"
#include "spawn.h"

static const char *pid_file(void)
{
    static char path[128];
    snprintf(path, sizeof(path), "%s/uiproxy.pid", sim_run_dir());
    return path;
}

int sim_uiproxy_start(int base_port)
{
    char logp[128];
    snprintf(logp, sizeof(logp), "%s/uiproxy.log", sim_run_dir());
    char port[16];
    snprintf(port, sizeof(port), "%d", base_port);
    char *argv[] = {(char *)sim_program("lime-sim"), "_uiproxy", port, NULL};
    pid_t pid = sim_daemon(NULL, logp, argv);
    if (pid < 0)
        return -1;
    char text[32];
    int n = snprintf(text, sizeof(text), "%d\n", (int)pid);
    int r = lime_write_file_atomic(pid_file(), text, (size_t)n, 0644);
    if (r < 0)
        log_err("%s: %s", pid_file(), strerror(-r));
    return r < 0 ? -1 : 0;
}

void sim_uiproxy_stop(void)
{
    sim_daemon_stop_file(pid_file(), "_uiproxy");
}

/* ---------------------------------------------------------------- the forwarder */

#define RELAY_BUF 16384
#define IDLE_MS 60000

struct proxy {
    struct lime_loop *loop;
    const struct sim_state *st;
    int base_port;
    bool lab; /* kernel mode: the nodes are inside the guest, reached through its agent */
};

struct listener {
    struct proxy *px;
    int node;
};

/* Bytes read from one side, waiting to be written to the other. */
struct half {
    char buf[RELAY_BUF];
    size_t len, off;
    bool eof; /* this side said EOF (or failed): nothing more to read from it */
};

/* One relayed connection: fd[0] the browser's, fd[1] the node's limed. h[k] holds what
 * was read from fd[k] until it is written to fd[1-k]. The connection ends when either
 * side ends (no half-closed connections, as before). */
struct conn {
    struct proxy *px;
    int fd[2];
    bool registered[2];
    bool connecting; /* fd[1]'s connect() still in progress */
    struct half h[2];
    uint64_t last;
    struct lime_timer *idle;
};

static void conn_close(struct conn *c)
{
    for (int k = 0; k < 2; k++) {
        if (c->registered[k])
            lime_loop_del_fd(c->px->loop, c->fd[k]);
        if (c->fd[k] >= 0)
            close(c->fd[k]);
    }
    lime_timer_cancel(c->px->loop, c->idle);
    free(c);
}

/* Side k ended (EOF, error, hang-up). What it had sent is written on already (a side is
 * read only when its buffer is empty); what waits to go to it is dropped. */
static void stop_reading(struct conn *c, int k)
{
    c->h[k].eof = true;
    c->h[1 - k].len = c->h[1 - k].off = 0;
    if (c->registered[k]) {
        lime_loop_del_fd(c->px->loop, c->fd[k]);
        c->registered[k] = false;
    }
}

/* Writes what h[1-k] holds to fd[k]. false on a write error. */
static bool flush_to(struct conn *c, int k)
{
    struct half *h = &c->h[1 - k];
    while (h->off < h->len) {
        ssize_t n = send(c->fd[k], h->buf + h->off, h->len - h->off, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0)
            return errno == EAGAIN || errno == EINTR;
        h->off += (size_t)n;
    }
    h->len = h->off = 0;
    return true;
}

/* Sets what to wait for on each fd; closes the connection when it is over. false then. */
static bool conn_update(struct conn *c)
{
    bool ending = c->h[0].eof || c->h[1].eof;
    if (ending && !c->h[0].len && !c->h[1].len) {
        conn_close(c);
        return false;
    }
    for (int k = 0; k < 2; k++) {
        unsigned ev = 0;
        if (k == 1 && c->connecting)
            ev = LIME_EV_WRITE;
        else {
            if (!ending && !c->h[k].len)
                ev |= LIME_EV_READ;
            if (c->h[1 - k].len)
                ev |= LIME_EV_WRITE;
        }
        if (c->registered[k])
            lime_loop_mod_fd(c->px->loop, c->fd[k], ev);
    }
    return true;
}

static void conn_ready(int fd, unsigned events, void *arg)
{
    struct conn *c = arg;
    int k = fd == c->fd[1];
    c->last = lime_now_ms();
    if (k == 1 && c->connecting) {
        int err = 0;
        socklen_t len = sizeof(err);
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err) {
            conn_close(c); /* nothing listens on the node's port 80 (yet) */
            return;
        }
        c->connecting = false;
    }
    if ((events & LIME_EV_WRITE) && !flush_to(c, k)) {
        conn_close(c);
        return;
    }
    if ((events & (LIME_EV_READ | LIME_EV_ERROR)) && !c->h[k].eof && !c->h[k].len) {
        ssize_t n = recv(fd, c->h[k].buf, RELAY_BUF, MSG_DONTWAIT);
        if (n > 0) {
            c->h[k].len = (size_t)n;
            if (!c->connecting && !flush_to(c, 1 - k)) {
                conn_close(c);
                return;
            }
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            stop_reading(c, k);
        }
    } else if ((events & LIME_EV_ERROR) && !(events & LIME_EV_WRITE)) {
        stop_reading(c, k); /* hung up while we were not reading it */
    }
    conn_update(c);
}

static void conn_idle(void *arg)
{
    struct conn *c = arg;
    c->idle = NULL;
    uint64_t quiet = lime_now_ms() - c->last;
    if (quiet >= IDLE_MS) {
        conn_close(c);
        return;
    }
    c->idle = lime_timer_add(c->px->loop, IDLE_MS - quiet, conn_idle, c);
}

/* A non-blocking TCP socket made inside namespace ns, connecting to 127.0.0.1:80 there
 * (a socket stays in the namespace it was made in). -1 on failure. */
static int connect_in_ns(const char *ns)
{
    char path[300];
    snprintf(path, sizeof(path), "/run/netns/%s", ns);
    int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    int target = open(path, O_RDONLY | O_CLOEXEC);
    int s = -1;
    if (self >= 0 && target >= 0 && setns(target, CLONE_NEWNET) == 0) {
        s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (setns(self, CLONE_NEWNET) < 0) {
            log_err("uiproxy: cannot return to the host's namespace: %s", strerror(errno));
            exit(1); /* every later socket would be made in the wrong place */
        }
    }
    if (self >= 0)
        close(self);
    if (target >= 0)
        close(target);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(80),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (s >= 0 && connect(s, (struct sockaddr *)&a, sizeof(a)) < 0 && errno != EINPROGRESS) {
        close(s);
        s = -1;
    }
    return s;
}

static void on_accept(int fd, unsigned events, void *arg)
{
    struct listener *l = arg;
    for (;;) {
        int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (cfd < 0)
            return;
        char ns[64];
        sim_node_ns(l->px->st, l->node, ns);
        /* Kernel mode: a tunnel through the guest's agent, set up before it is returned
         * (a few ms; this blocks the loop meanwhile, at most the agent's deadlines). */
        bool connecting = !l->px->lab;
        int up = l->px->lab ? sim_lab_connect(l->px->st, l->node, 80) : connect_in_ns(ns);
        if (up >= 0 && l->px->lab)
            fcntl(up, F_SETFL, fcntl(up, F_GETFL) | O_NONBLOCK);
        struct conn *c = up >= 0 ? calloc(1, sizeof(*c)) : NULL;
        if (!c) {
            close(cfd);
            if (up >= 0)
                close(up);
            continue;
        }
        c->px = l->px;
        c->fd[0] = cfd;
        c->fd[1] = up;
        c->connecting = connecting;
        c->last = lime_now_ms();
        c->idle = lime_timer_add(c->px->loop, IDLE_MS, conn_idle, c);
        for (int k = 0; k < 2; k++)
            c->registered[k] = lime_loop_add_fd(c->px->loop, c->fd[k],
                                                k ? LIME_EV_WRITE : LIME_EV_READ, conn_ready, c) == 0;
        if (!c->registered[0] || !c->registered[1])
            conn_close(c);
    }
}

int sim_uiproxy_main(const struct sim_state *st, int base_port)
{
    struct proxy px = {.loop = lime_loop_new(), .st = st, .base_port = base_port, .lab = sim_lab_active()};
    struct listener *lis = calloc((size_t)st->n_nodes, sizeof(*lis));
    if (!px.loop || !lis)
        return 1;
    for (int i = 0; i < st->n_nodes; i++) {
        int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)(base_port + i)),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        lis[i] = (struct listener){.px = &px, .node = i};
        if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 16) < 0 ||
            lime_loop_add_fd(px.loop, s, LIME_EV_READ, on_accept, &lis[i]) < 0) {
            log_err("uiproxy: 127.0.0.1:%d: %s", base_port + i, strerror(errno));
            return 1;
        }
    }
    return lime_loop_run(px.loop) < 0; /* until killed */
}
