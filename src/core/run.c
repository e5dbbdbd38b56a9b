/* Process runner (see run.h): fork + execvpe with the child's fds, signals and
 * environment prepared; stdin from a memfd (no feeding, no SIGPIPE in the parent) or an
 * fd of the caller's; exec failures reported through a close-on-exec pipe; output read
 * with poll (synchronous) or through the loop (asynchronous); exits seen by waitpid on
 * the one pid (waitpid(-1) only in lime_run_reap_orphans, for PID 1). */
#include "run.h"

#include "loop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/close_range.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

extern char **environ;

#define DEFAULT_OUT_MAX ((size_t)16 << 20)
#define DEFAULT_KILL_AFTER_MS 1000u
#define POLL_STEP_MS 10

static const struct lime_run_opts no_opts;

/* ---------------------------------------------------------------- spawning */

/* What the parent prepares for one child. fds are -1 when unused. */
struct prep {
    char **envp;
    bool in_borrowed; /* in is the caller's (opts.stdio): not closed here */
    int in;      /* memfd, /dev/null or the caller's fd */
    int out;     /* the child's stdout, or -1: inherit */
    int err;     /* the child's stderr, or -1: inherit */
    int out_rd;  /* capture pipe, the parent's end */
    int log;     /* log file or /dev/null (owned here) */
    int pipe_wr; /* capture pipe, the child's end */
};

static void prep_close(struct prep *p)
{
    if (p->in_borrowed)
        p->in = -1;
    int *fds[] = {&p->in, &p->log, &p->pipe_wr};
    for (size_t i = 0; i < sizeof fds / sizeof *fds; i++)
        if (*fds[i] >= 0) {
            close(*fds[i]);
            *fds[i] = -1;
        }
    free(p->envp);
    p->envp = NULL;
}

/* environ with every NAME=VALUE of extra replacing the entries of that NAME. */
static char **build_env(const char *const *extra)
{
    size_t n = 0, k = 0, x = 0;
    while (environ && environ[n])
        n++;
    while (extra[x])
        x++;
    char **envp = malloc((n + x + 1) * sizeof *envp);
    if (!envp)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        bool replaced = false;
        for (size_t j = 0; j < x && !replaced; j++) {
            const char *eq = strchr(extra[j], '=');
            size_t nl = eq ? (size_t)(eq - extra[j]) : strlen(extra[j]);
            replaced = !strncmp(environ[i], extra[j], nl) && environ[i][nl] == '=';
        }
        if (!replaced)
            envp[k++] = environ[i];
    }
    for (size_t j = 0; j < x; j++)
        envp[k++] = (char *)extra[j];
    envp[k] = NULL;
    return envp;
}

static int input_fd(const struct lime_run_opts *o)
{
    if (!o->input)
        return open("/dev/null", O_RDONLY | O_CLOEXEC);
    int fd = memfd_create("lime-run-input", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t len = o->input_len ? o->input_len : strlen(o->input), off = 0;
    while (off < len) {
        ssize_t w = write(fd, o->input + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = w < 0 ? errno : EIO;
            close(fd);
            errno = e;
            return -1;
        }
        off += (size_t)w;
    }
    if (lseek(fd, 0, SEEK_SET) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* 0, or -1 with errno set (everything opened is closed again). */
static int prepare(const struct lime_run_opts *o, bool capture, struct prep *p)
{
    *p = (struct prep){.in = -1, .out = -1, .err = -1, .out_rd = -1, .log = -1, .pipe_wr = -1};
    const int *sio = o->stdio;
    if (sio && ((sio[0] >= 0 && o->input) || (sio[1] >= 0 && capture))) {
        errno = EINVAL;
        return -1;
    }
    if (o->env && !(p->envp = build_env(o->env)))
        goto fail;
    if (sio && sio[0] >= 0) {
        p->in = sio[0];
        p->in_borrowed = true;
    } else if ((p->in = input_fd(o)) < 0) {
        goto fail;
    }
    if (o->log)
        p->log = open(o->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    else if (o->quiet)
        p->log = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if ((o->log || o->quiet) && p->log < 0)
        goto fail;
    p->out = p->err = p->log;
    if (capture) {
        int pfd[2];
        if (pipe2(pfd, O_CLOEXEC) < 0)
            goto fail;
        p->out_rd = pfd[0];
        p->pipe_wr = pfd[1];
        p->out = p->pipe_wr;
        if (o->capture_stderr)
            p->err = p->pipe_wr;
    }
    if (sio && sio[1] >= 0)
        p->out = sio[1];
    if (sio && sio[2] >= 0)
        p->err = sio[2];
    return 0;
fail: {
    int e = errno;
    prep_close(p);
    if (p->out_rd >= 0)
        close(p->out_rd);
    p->out_rd = -1;
    errno = e;
    return -1;
}
}

/* No blocked signals, every disposition the default: how every program starts. */
static void reset_signals(void)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    for (int s = 1; s < NSIG; s++)
        if (s != SIGKILL && s != SIGSTOP)
            sigaction(s, &dfl, NULL); /* glibc's internal signals just fail: fine */
}

/* In the child, after fork: only async-signal-safe calls. Reports errno through errfd
 * and exits 127 if anything fails. */
static void child(char *const argv[], const struct lime_run_opts *o, const struct prep *p,
                  bool detach, int errfd)
{
    reset_signals();
    if (detach)
        setsid();
    if (o->die_with_parent)
        prctl(PR_SET_PDEATHSIG, SIGTERM);
    /* Lift the sources above 2 first, so a source that is itself 0..2 is not clobbered. */
    int src[3] = {p->in, p->out, p->err}, hi[3] = {-1, -1, -1};
    for (int i = 0; i < 3; i++)
        if (src[i] >= 0 && (hi[i] = fcntl(src[i], F_DUPFD_CLOEXEC, 3)) < 0)
            goto fail;
    for (int i = 0; i < 3; i++)
        if (hi[i] >= 0 && dup2(hi[i], i) < 0)
            goto fail;
    /* Nothing else of the parent's leaks into the program. close_range(2) through
     * syscall(): musl (OpenWrt's libc) has no wrapper for it. */
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
        for (int fd = 3; fd < 4096; fd++)
            fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (o->cwd && chdir(o->cwd) < 0)
        goto fail;
    execvpe(argv[0], argv, p->envp ? p->envp : environ);
fail: {
    int e = errno;
    ssize_t w = write(errfd, &e, sizeof e);
    (void)w;
    _exit(127);
}
}

/* Forks and execs; returns the pid once the exec happened, or -1 with errno (the
 * child, if any, is reaped). On success the capture pipe's read end is in *out_rd. */
static pid_t spawn(char *const argv[], const struct lime_run_opts *o, bool capture, bool detach,
                   int *out_rd)
{
    if (!argv || !argv[0]) {
        errno = EINVAL;
        return -1;
    }
    struct prep p;
    if (prepare(o, capture, &p) < 0)
        return -1;
    int ep[2];
    if (pipe2(ep, O_CLOEXEC) < 0) {
        int e = errno;
        prep_close(&p);
        if (p.out_rd >= 0)
            close(p.out_rd);
        errno = e;
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(ep[0]);
        child(argv, o, &p, detach, ep[1]);
    }
    int e = errno;
    close(ep[1]);
    prep_close(&p);
    if (pid > 0) {
        int child_errno = 0;
        ssize_t n;
        do
            n = read(ep[0], &child_errno, sizeof child_errno);
        while (n < 0 && errno == EINTR);
        if (n == (ssize_t)sizeof child_errno) {
            while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
            pid = -1;
            e = child_errno;
        }
    }
    close(ep[0]);
    if (pid < 0) {
        if (p.out_rd >= 0)
            close(p.out_rd);
        errno = e;
        return -1;
    }
    *out_rd = p.out_rd;
    return pid;
}

/* ---------------------------------------------------------------- results */

static void set_result(struct lime_run_result *r, pid_t pid, int wstatus, bool timed_out,
                       bool too_big)
{
    r->pid = pid;
    r->wstatus = wstatus;
    if (wstatus == -1) { /* not ours to wait for (someone else reaped it) */
        r->end = LIME_RUN_NOT_STARTED;
        r->code = ECHILD;
    } else if (WIFEXITED(wstatus)) {
        r->end = LIME_RUN_EXITED;
        r->code = WEXITSTATUS(wstatus);
    } else {
        r->end = LIME_RUN_SIGNALED;
        r->code = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
    }
    if (too_big) {
        r->end = LIME_RUN_TOO_BIG;
        free(r->out);
        r->out = NULL;
    } else if (timed_out && r->end != LIME_RUN_NOT_STARTED) {
        r->end = LIME_RUN_TIMED_OUT;
    }
}

void lime_run_result_free(struct lime_run_result *res)
{
    if (!res)
        return;
    free(res->out);
    res->out = NULL;
    res->out_len = 0;
}

const char *lime_run_describe(const struct lime_run_result *res, char *buf, size_t len)
{
    switch (res->end) {
    case LIME_RUN_EXITED:
        snprintf(buf, len, "exited with status %d", res->code);
        break;
    case LIME_RUN_SIGNALED:
        snprintf(buf, len, "killed by signal %d (%s)", res->code, strsignal(res->code));
        break;
    case LIME_RUN_TIMED_OUT:
        if (res->wstatus != -1 && WIFSIGNALED(res->wstatus))
            snprintf(buf, len, "timed out (killed by signal %d)", WTERMSIG(res->wstatus));
        else
            snprintf(buf, len, "timed out");
        break;
    case LIME_RUN_TOO_BIG:
        snprintf(buf, len, "wrote more output than allowed");
        break;
    case LIME_RUN_NOT_STARTED:
    default:
        snprintf(buf, len, "cannot be started: %s", strerror(res->code));
        break;
    }
    return buf;
}

/* Output buffer with a cap that is an error. */
struct outbuf {
    char *p;
    size_t len, cap, max;
    bool too_big;
};

/* Appends; false (and too_big, or out of memory) when it cannot. */
static bool outbuf_add(struct outbuf *b, const char *data, size_t n)
{
    if (b->len + n > b->max) {
        b->too_big = true;
        return false;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np)
            return false;
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = 0;
    return true;
}

/* Hands the buffer to r (an empty capture is ""). */
static void outbuf_give(struct outbuf *b, struct lime_run_result *r)
{
    if (!b->p && !b->too_big)
        outbuf_add(b, "", 0);
    r->out = b->p;
    r->out_len = b->p ? b->len : 0;
    b->p = NULL;
}

/* TERM first; after the grace, KILL. */
struct escalation {
    int stage; /* 0: running, 1: SIGTERM sent, 2: SIGKILL sent */
    uint64_t deadline;
    unsigned grace_ms;
};

static void escalate(pid_t pid, struct escalation *k)
{
    if (k->stage == 0) {
        kill(pid, SIGTERM);
        k->stage = 1;
        k->deadline = lime_now_ms() + k->grace_ms;
    } else if (k->stage == 1) {
        kill(pid, SIGKILL);
        k->stage = 2;
        k->deadline = 0;
    }
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* ---------------------------------------------------------------- synchronous */

int lime_run(char *const argv[], const struct lime_run_opts *opts, struct lime_run_result *res)
{
    const struct lime_run_opts *o = opts ? opts : &no_opts;
    struct lime_run_result r = {0};
    int out_rd = -1;
    pid_t pid = spawn(argv, o, o->capture, false, &out_rd);
    if (pid < 0) {
        r.end = LIME_RUN_NOT_STARTED;
        r.code = errno;
        if (res)
            *res = r;
        return -1;
    }
    struct outbuf b = {.max = o->out_max ? o->out_max : DEFAULT_OUT_MAX};
    struct escalation k = {.grace_ms = o->kill_after_ms ? o->kill_after_ms : DEFAULT_KILL_AFTER_MS};
    bool timed_out = false;
    if (o->timeout_ms)
        k.deadline = lime_now_ms() + o->timeout_ms;
    while (out_rd >= 0) {
        int wait = -1;
        if (k.deadline) {
            uint64_t now = lime_now_ms();
            if (now >= k.deadline) {
                timed_out |= k.stage == 0;
                escalate(pid, &k);
                if (k.stage == 2)
                    break; /* killed: what a grandchild still writes is not ours */
                continue;
            }
            wait = (int)(k.deadline - now);
        }
        struct pollfd pf = {.fd = out_rd, .events = POLLIN};
        int n = poll(&pf, 1, wait);
        if (n < 0 && errno != EINTR)
            break;
        if (n <= 0)
            continue;
        char chunk[16384];
        ssize_t got = read(out_rd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        if (!outbuf_add(&b, chunk, (size_t)got)) {
            b.too_big = true; /* over the cap (or out of memory): it does not fit */
            escalate(pid, &k);
            break;
        }
    }
    if (out_rd >= 0)
        close(out_rd); /* a writer left gets EPIPE/SIGPIPE */
    int status = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, k.deadline ? WNOHANG : 0);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            status = -1;
            break;
        }
        if (w == 0) {
            uint64_t now = lime_now_ms();
            if (now >= k.deadline) {
                timed_out |= k.stage == 0 && !b.too_big;
                escalate(pid, &k);
            } else {
                uint64_t left = k.deadline - now;
                sleep_ms(left < POLL_STEP_MS ? (unsigned)left : POLL_STEP_MS);
            }
        }
    }
    if (o->capture)
        outbuf_give(&b, &r);
    free(b.p);
    set_result(&r, pid, status, timed_out, b.too_big);
    int rc = r.end == LIME_RUN_EXITED ? r.code : -1;
    if (res)
        *res = r;
    else
        free(r.out);
    return rc;
}

pid_t lime_run_detached(char *const argv[], const struct lime_run_opts *opts)
{
    int unused = -1;
    return spawn(argv, opts ? opts : &no_opts, false, true, &unused);
}

/* ---------------------------------------------------------------- asynchronous */

struct lime_run_job {
    struct lime_loop *loop;
    pid_t pid;
    int out_fd; /* -1 when not capturing or read to the end */
    struct outbuf buf;
    bool capture;
    bool exited;
    int wstatus;
    bool timed_out;
    struct escalation k;
    struct lime_timer *timer;
    lime_run_done_cb done;
    void *arg;
};

static void job_close_out(struct lime_run_job *j)
{
    if (j->out_fd < 0)
        return;
    lime_loop_del_fd(j->loop, j->out_fd);
    close(j->out_fd);
    j->out_fd = -1;
}

static void job_free(struct lime_run_job *j)
{
    job_close_out(j);
    if (j->timer)
        lime_timer_cancel(j->loop, j->timer);
    free(j->buf.p);
    free(j);
}

static void job_finish(struct lime_run_job *j)
{
    if (!j->exited || j->out_fd >= 0)
        return;
    struct lime_run_result r = {0};
    if (j->capture)
        outbuf_give(&j->buf, &r);
    set_result(&r, j->pid, j->wstatus, j->timed_out, j->buf.too_big);
    lime_run_done_cb done = j->done;
    void *arg = j->arg;
    job_free(j);
    done(&r, arg);
    free(r.out);
}

static void job_timer(void *arg);

static void job_escalate(struct lime_run_job *j)
{
    if (j->timer) {
        lime_timer_cancel(j->loop, j->timer);
        j->timer = NULL;
    }
    escalate(j->pid, &j->k);
    if (j->k.stage == 1)
        j->timer = lime_timer_add(j->loop, j->k.grace_ms, job_timer, j);
}

static void job_timer(void *arg)
{
    struct lime_run_job *j = arg;
    j->timer = NULL;
    if (j->k.stage == 0)
        j->timed_out = !j->buf.too_big;
    job_escalate(j);
}

/* Reads what is there; at the end (EOF, error, or over the cap) closes the pipe. */
static void job_read(struct lime_run_job *j)
{
    char chunk[16384];
    for (;;) {
        ssize_t n = read(j->out_fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n <= 0)
            break;
        if (!outbuf_add(&j->buf, chunk, (size_t)n)) {
            j->buf.too_big = true;
            if (!j->exited)
                job_escalate(j);
            break;
        }
    }
    job_close_out(j);
}

static void job_out_ready(int fd, unsigned events, void *arg)
{
    struct lime_run_job *j = arg;
    job_read(j);
    job_finish(j);
}

static void job_exited(pid_t pid, int status, void *arg)
{
    struct lime_run_job *j = arg;
    j->exited = true;
    j->wstatus = status;
    if (j->timer) {
        lime_timer_cancel(j->loop, j->timer);
        j->timer = NULL;
    }
    /* Everything it wrote is in the pipe now; what a grandchild may still write is not
     * waited for. */
    if (j->out_fd >= 0) {
        job_read(j);
        job_close_out(j);
    }
    job_finish(j);
}

struct lime_run_job *lime_run_start(struct lime_loop *loop, char *const argv[],
                                    const struct lime_run_opts *opts, lime_run_done_cb done,
                                    void *arg)
{
    const struct lime_run_opts *o = opts ? opts : &no_opts;
    struct lime_run_job *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    *j = (struct lime_run_job){
        .loop = loop,
        .out_fd = -1,
        .buf = {.max = o->out_max ? o->out_max : DEFAULT_OUT_MAX},
        .capture = o->capture,
        .k = {.grace_ms = o->kill_after_ms ? o->kill_after_ms : DEFAULT_KILL_AFTER_MS},
        .done = done,
        .arg = arg,
    };
    int out_rd = -1;
    j->pid = spawn(argv, o, o->capture, false, &out_rd);
    if (j->pid < 0) {
        int e = errno;
        free(j);
        errno = e;
        return NULL;
    }
    int r = lime_loop_watch_child(loop, j->pid, job_exited, j);
    if (r == 0 && out_rd >= 0) {
        j->out_fd = out_rd;
        fcntl(out_rd, F_SETFL, O_NONBLOCK);
        r = lime_loop_add_fd(loop, out_rd, LIME_EV_READ, job_out_ready, j);
    }
    if (r == 0 && o->timeout_ms && !(j->timer = lime_timer_add(loop, o->timeout_ms, job_timer, j)))
        r = -ENOMEM;
    if (r < 0) {
        lime_loop_cancel_child(loop, j->pid);
        if (out_rd >= 0 && j->out_fd < 0)
            close(out_rd);
        lime_run_job_kill(j);
        errno = -r;
        return NULL;
    }
    return j;
}

pid_t lime_run_job_pid(const struct lime_run_job *job)
{
    return job->pid;
}

void lime_run_job_kill(struct lime_run_job *job)
{
    if (!job)
        return;
    lime_loop_cancel_child(job->loop, job->pid);
    if (!job->exited) {
        kill(job->pid, SIGKILL);
        while (waitpid(job->pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    job_free(job);
}

int lime_run_exec(char *const argv[])
{
    if (!argv || !argv[0]) {
        errno = EINVAL;
        return -1;
    }
    reset_signals();
    execvp(argv[0], argv);
    return -1;
}

/* ---------------------------------------------------------------- any process */

int lime_run_wait(pid_t pid, int timeout_ms, int *wstatus)
{
    if (pid <= 0) {
        errno = ECHILD;
        return -1;
    }
    int st = 0;
    uint64_t end = timeout_ms > 0 ? lime_now_ms() + (uint64_t)timeout_ms : 0;
    for (;;) {
        pid_t w = waitpid(pid, &st, timeout_ms < 0 ? 0 : WNOHANG);
        if (w == pid) {
            if (wstatus)
                *wstatus = st;
            return 1;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        if (timeout_ms == 0 || lime_now_ms() >= end)
            return 0;
        uint64_t left = end - lime_now_ms();
        sleep_ms(left < POLL_STEP_MS ? (unsigned)left + 1 : POLL_STEP_MS);
    }
}

int lime_run_stop_group(pid_t pid, unsigned grace_ms)
{
    if (pid <= 0)
        return 0;
    kill(-pid, SIGTERM);
    uint64_t end = lime_now_ms() + grace_ms;
    while (lime_run_alive(pid) && lime_now_ms() < end)
        sleep_ms(POLL_STEP_MS);
    bool was_there = lime_run_alive(pid);
    kill(-pid, SIGKILL); /* the leader's group: what it left running goes too */
    end = lime_now_ms() + 1000;
    while (lime_run_alive(pid) && lime_now_ms() < end)
        sleep_ms(POLL_STEP_MS);
    return was_there;
}

int lime_run_reap_orphans(void)
{
    int n = 0;
    for (;;) {
        pid_t w = waitpid(-1, NULL, WNOHANG);
        if (w > 0)
            n++;
        else if (!(w < 0 && errno == EINTR))
            return n;
    }
}

bool lime_run_alive(pid_t pid)
{
    if (pid <= 0)
        return false;
    if (waitpid(pid, NULL, WNOHANG) == pid)
        return false; /* our child, now reaped */
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno != ENOENT && kill(pid, 0) == 0; /* no /proc: ask the kernel */
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = 0;
    const char *p = strrchr(buf, ')');
    return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

static size_t count_alive(const pid_t *pids, size_t n)
{
    size_t alive = 0;
    for (size_t i = 0; i < n; i++)
        alive += pids[i] > 0 && lime_run_alive(pids[i]);
    return alive;
}

int lime_run_stop(const pid_t *pids, size_t n, unsigned grace_ms)
{
    for (size_t i = 0; i < n; i++)
        if (pids[i] > 0 && lime_run_alive(pids[i]))
            kill(pids[i], SIGTERM);
    uint64_t end = lime_now_ms() + grace_ms;
    while (count_alive(pids, n) && lime_now_ms() < end)
        sleep_ms(POLL_STEP_MS);
    int killed = 0;
    for (size_t i = 0; i < n; i++)
        if (pids[i] > 0 && lime_run_alive(pids[i])) {
            kill(pids[i], SIGKILL);
            killed++;
        }
    end = lime_now_ms() + 1000;
    while (killed && count_alive(pids, n) && lime_now_ms() < end)
        sleep_ms(POLL_STEP_MS);
    return killed;
}
