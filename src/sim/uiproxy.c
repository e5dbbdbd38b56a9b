#include "uiproxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "node.h"
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
    snprintf(text, sizeof(text), "%d\n", (int)pid);
    return sim_write_file(pid_file(), text);
}

void sim_uiproxy_stop(void)
{
    FILE *f = fopen(pid_file(), "r");
    if (!f)
        return;
    int pid = 0;
    if (fscanf(f, "%d", &pid) != 1)
        pid = 0;
    fclose(f);
    unlink(pid_file());
    char path[64], cmd[256] = "";
    snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
    f = pid > 0 ? fopen(path, "r") : NULL;
    if (!f)
        return;
    size_t n = fread(cmd, 1, sizeof(cmd) - 1, f);
    fclose(f);
    for (size_t k = 0; k < n; k++)
        if (!cmd[k])
            cmd[k] = ' ';
    cmd[n] = 0;
    if (strstr(cmd, "_uiproxy")) /* the pid may have been reused since */
        sim_kill_wait(pid, 1000);
}

/* A TCP socket made inside namespace ns, connected to 127.0.0.1:80 there. */
static int connect_in_ns(const char *ns)
{
    char path[300];
    snprintf(path, sizeof(path), "/run/netns/%s", ns);
    int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    int target = open(path, O_RDONLY | O_CLOEXEC);
    int s = -1;
    if (self >= 0 && target >= 0 && setns(target, CLONE_NEWNET) == 0) {
        s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (setns(self, CLONE_NEWNET) < 0)
            _exit(1);
    }
    if (self >= 0)
        close(self);
    if (target >= 0)
        close(target);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(80),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (s >= 0 && connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
        close(s);
        s = -1;
    }
    return s;
}

static void relay(int a, int b)
{
    struct pollfd p[2] = {{.fd = a, .events = POLLIN}, {.fd = b, .events = POLLIN}};
    char buf[16384];
    for (;;) {
        if (poll(p, 2, 60000) <= 0)
            return;
        for (int k = 0; k < 2; k++) {
            if (!(p[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = read(p[k].fd, buf, sizeof(buf));
            if (n <= 0)
                return;
            for (ssize_t off = 0; off < n;) {
                ssize_t w = write(p[1 - k].fd, buf + off, (size_t)(n - off));
                if (w <= 0)
                    return;
                off += w;
            }
        }
    }
}

int sim_uiproxy_main(const struct sim_state *st, int base_port)
{
    signal(SIGCHLD, SIG_IGN); /* children are reaped by the kernel */
    struct pollfd *lis = calloc((size_t)st->n_nodes, sizeof(*lis));
    if (!lis)
        return 1;
    for (int i = 0; i < st->n_nodes; i++) {
        int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)(base_port + i)),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 16) < 0) {
            log_err("uiproxy: 127.0.0.1:%d: %s", base_port + i, strerror(errno));
            return 1;
        }
        lis[i] = (struct pollfd){.fd = s, .events = POLLIN};
    }
    for (;;) {
        if (poll(lis, (nfds_t)st->n_nodes, -1) < 0 && errno != EINTR)
            return 1;
        for (int i = 0; i < st->n_nodes; i++) {
            if (!(lis[i].revents & POLLIN))
                continue;
            int c = accept4(lis[i].fd, NULL, NULL, SOCK_CLOEXEC);
            if (c < 0)
                continue;
            if (fork() == 0) {
                char ns[64];
                sim_node_ns(st, i, ns);
                int up = connect_in_ns(ns);
                if (up >= 0)
                    relay(c, up);
                _exit(0);
            }
            close(c);
        }
    }
}
