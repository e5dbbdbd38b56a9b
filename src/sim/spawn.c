#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define MAX_ARGS 64

/* Builds "ip netns exec NS argv..." in out (room for MAX_ARGS). */
static void wrap_ns(const char *ns, char *const argv[], char **out)
{
    int k = 0;
    if (ns) {
        out[k++] = "ip";
        out[k++] = "netns";
        out[k++] = "exec";
        out[k++] = (char *)ns;
    }
    for (int i = 0; argv[i] && k < MAX_ARGS - 1; i++)
        out[k++] = argv[i];
    out[k] = NULL;
}

static void log_argv(char *const argv[])
{
    if (lime_log_get_level() < LIME_LOG_DEBUG)
        return;
    char line[512];
    size_t n = 0;
    for (int i = 0; argv[i] && n < sizeof(line) - 2; i++)
        n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s", i ? " " : "", argv[i]);
    log_debug("run: %s", line);
}

static int wait_status(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return -1;
}

static pid_t spawn(char *const argv[], int in_fd, int out_fd, int err_fd, int detach)
{
    log_argv(argv);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (detach)
            setsid();
        if (in_fd >= 0)
            dup2(in_fd, 0);
        if (out_fd >= 0)
            dup2(out_fd, 1);
        if (err_fd >= 0)
            dup2(err_fd, 2);
        for (int fd = 3; fd < 1024; fd++)
            close(fd);
        signal(SIGPIPE, SIG_DFL);
        execvp(argv[0], argv);
        fprintf(stderr, "lime-sim: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    return pid;
}

int sim_run_ns(const char *ns, char *const argv[], int quiet)
{
    char *full[MAX_ARGS];
    wrap_ns(ns, argv, full);
    int devnull = quiet ? open("/dev/null", O_WRONLY | O_CLOEXEC) : -1;
    pid_t pid = spawn(full, -1, devnull, devnull, 0);
    if (devnull >= 0)
        close(devnull);
    return pid < 0 ? -1 : wait_status(pid);
}

int sim_run(char *const argv[], int quiet) { return sim_run_ns(NULL, argv, quiet); }

int sim_run_ns_log(const char *ns, char *const argv[], const char *logpath)
{
    char *full[MAX_ARGS];
    wrap_ns(ns, argv, full);
    int out = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    pid_t pid = spawn(full, -1, out, out, 0);
    if (out >= 0)
        close(out);
    return pid < 0 ? -1 : wait_status(pid);
}

int sim_cmd(const char *ns, int quiet, ...)
{
    char *argv[MAX_ARGS];
    va_list ap;
    va_start(ap, quiet);
    int k = 0;
    for (char *a; (a = va_arg(ap, char *)) && k < MAX_ARGS - 1;)
        argv[k++] = a;
    argv[k] = NULL;
    va_end(ap);
    return sim_run_ns(ns, argv, quiet);
}

int sim_capture(const char *ns, char *buf, size_t len, char *const argv[])
{
    char *full[MAX_ARGS];
    wrap_ns(ns, argv, full);
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0)
        return -1;
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    pid_t pid = spawn(full, -1, p[1], devnull, 0);
    close(p[1]);
    if (devnull >= 0)
        close(devnull);
    size_t n = 0;
    for (;;) {
        char tmp[4096];
        ssize_t r = read(p[0], tmp, sizeof(tmp));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        size_t take = (size_t)r;
        if (n + take > len - 1)
            take = len - 1 - n;
        memcpy(buf + n, tmp, take);
        n += take;
    }
    buf[n] = 0;
    close(p[0]);
    return pid < 0 ? -1 : wait_status(pid);
}

static int feed(const char *ns, char *const argv[], const char *text, int quiet)
{
    char *full[MAX_ARGS];
    wrap_ns(ns, argv, full);
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0)
        return -1;
    int devnull = quiet ? open("/dev/null", O_WRONLY | O_CLOEXEC) : -1;
    pid_t pid = spawn(full, p[0], devnull, devnull, 0);
    if (devnull >= 0)
        close(devnull);
    close(p[0]);
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t w = write(p[1], text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(p[1]);
    return pid < 0 ? -1 : wait_status(pid);
}

int sim_ip_batch(const char *ns, const char *text)
{
    char *argv[] = {"ip", "-force", "-batch", "-", NULL};
    return feed(ns, argv, text, 0);
}

int sim_ip_batch_quiet(const char *ns, const char *text)
{
    char *argv[] = {"ip", "-force", "-batch", "-", NULL};
    return feed(ns, argv, text, 1);
}

int sim_nft(const char *ns, const char *text)
{
    char *argv[] = {"nft", "-f", "-", NULL};
    return feed(ns, argv, text, 0);
}

pid_t sim_daemon(const char *ns, const char *logpath, char *const argv[])
{
    char *full[MAX_ARGS];
    wrap_ns(ns, argv, full);
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int out = open(logpath ? logpath : "/dev/null", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    pid_t pid = spawn(full, in, out, out, 1);
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    return pid;
}

int sim_alive(pid_t pid)
{
    if (pid <= 0)
        return 0;
    /* Reap it if it is our own child that already exited. */
    int status;
    if (waitpid(pid, &status, WNOHANG) == pid)
        return 0;
    char path[64], buf[256];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = 0;
    const char *p = strrchr(buf, ')');
    return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

void sim_kill_wait(pid_t pid, int ms)
{
    if (!sim_alive(pid))
        return;
    kill(pid, SIGTERM);
    for (int waited = 0; waited < ms; waited += 20) {
        if (!sim_alive(pid))
            return;
        nanosleep(&(struct timespec){0, 20 * 1000000L}, NULL);
    }
    kill(pid, SIGKILL);
    for (int i = 0; i < 50 && sim_alive(pid); i++)
        nanosleep(&(struct timespec){0, 10 * 1000000L}, NULL);
}

void sim_buf_printf(struct sim_buf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        size_t room = b->cap - b->len;
        va_start(ap, fmt);
        int n = b->s ? vsnprintf(b->s + b->len, room, fmt, ap) : -1;
        va_end(ap);
        if (n >= 0 && (size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        b->cap = b->cap ? b->cap * 2 + (n > 0 ? (size_t)n : 0) : 4096;
        if (!(b->s = realloc(b->s, b->cap)))
            abort();
    }
}

void sim_buf_free(struct sim_buf *b)
{
    free(b->s);
    *b = (struct sim_buf){0};
}

int sim_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        log_err("%s: %s", path, strerror(errno));
        return -1;
    }
    fputs(text, f);
    return fclose(f) == 0 ? 0 : -1;
}

int sim_mkdirs(const char *path)
{
    char tmp[512];
    snprintf(tmp, sizeof(tmp), "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return mkdir(tmp, 0755) < 0 && errno != EEXIST ? -1 : 0;
}
