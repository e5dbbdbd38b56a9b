/* Event loop: epoll for fds, a deadline-sorted list for timers (the daemons hold tens
 * of timers, not thousands, so O(n) insertion is the simple right choice), signalfd for
 * signals, and a list of watched children reaped one pid at a time on SIGCHLD. */
#include "loop.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct fd_watch {
    lime_fd_cb cb;
    void *arg;
    unsigned events;
    bool used;
};

struct lime_timer {
    uint64_t deadline;
    uint64_t order; /* insertion counter: equal deadlines fire in insertion order */
    lime_timer_cb cb;
    void *arg;
    struct lime_timer *next;
};

struct child_watch {
    pid_t pid;
    lime_child_cb cb;
    void *arg;
    struct child_watch *next;
};

#define LOOP_MAX_SIGNAL 65

struct lime_loop {
    int epfd;
    struct fd_watch *fds;
    int nfds;
    struct lime_timer *timers;
    uint64_t timer_order;
    int sigfd;
    sigset_t sigmask;
    struct {
        lime_signal_cb cb;
        void *arg;
    } signals[LOOP_MAX_SIGNAL];
    struct child_watch *children;
    struct lime_timer *child_check; /* a reap round due now (a watch was just added) */
    bool stop;
};

uint64_t lime_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

struct lime_loop *lime_loop_new(void)
{
    struct lime_loop *loop = calloc(1, sizeof *loop);
    if (!loop)
        return NULL;
    loop->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (loop->epfd < 0) {
        free(loop);
        return NULL;
    }
    loop->sigfd = -1;
    sigemptyset(&loop->sigmask);
    return loop;
}

void lime_loop_free(struct lime_loop *loop)
{
    if (!loop)
        return;
    while (loop->timers) {
        struct lime_timer *t = loop->timers;
        loop->timers = t->next;
        free(t);
    }
    while (loop->children) {
        struct child_watch *c = loop->children;
        loop->children = c->next;
        free(c);
    }
    if (loop->sigfd >= 0)
        close(loop->sigfd);
    close(loop->epfd);
    free(loop->fds);
    free(loop);
}

static uint32_t to_epoll(unsigned events)
{
    uint32_t e = 0;
    if (events & LIME_EV_READ)
        e |= EPOLLIN;
    if (events & LIME_EV_WRITE)
        e |= EPOLLOUT;
    return e;
}

int lime_loop_add_fd(struct lime_loop *loop, int fd, unsigned events, lime_fd_cb cb, void *arg)
{
    if (fd < 0 || !cb)
        return -EINVAL;
    if (fd >= loop->nfds) {
        int n = loop->nfds ? loop->nfds : 16;
        while (n <= fd)
            n *= 2;
        struct fd_watch *nf = realloc(loop->fds, (size_t)n * sizeof *nf);
        if (!nf)
            return -ENOMEM;
        memset(nf + loop->nfds, 0, (size_t)(n - loop->nfds) * sizeof *nf);
        loop->fds = nf;
        loop->nfds = n;
    }
    if (loop->fds[fd].used)
        return -EEXIST;
    struct epoll_event ev = {.events = to_epoll(events), .data.fd = fd};
    if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
        return -errno;
    loop->fds[fd] = (struct fd_watch){.cb = cb, .arg = arg, .events = events, .used = true};
    return 0;
}

int lime_loop_mod_fd(struct lime_loop *loop, int fd, unsigned events)
{
    if (fd < 0 || fd >= loop->nfds || !loop->fds[fd].used)
        return -ENOENT;
    struct epoll_event ev = {.events = to_epoll(events), .data.fd = fd};
    if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
        return -errno;
    loop->fds[fd].events = events;
    return 0;
}

void lime_loop_del_fd(struct lime_loop *loop, int fd)
{
    if (fd < 0 || fd >= loop->nfds || !loop->fds[fd].used)
        return;
    epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
    loop->fds[fd].used = false;
}

struct lime_timer *lime_timer_add(struct lime_loop *loop, uint64_t delay_ms, lime_timer_cb cb,
                                  void *arg)
{
    struct lime_timer *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->deadline = lime_now_ms() + delay_ms;
    t->order = loop->timer_order++;
    t->cb = cb;
    t->arg = arg;
    struct lime_timer **p = &loop->timers;
    while (*p && (*p)->deadline <= t->deadline)
        p = &(*p)->next;
    t->next = *p;
    *p = t;
    return t;
}

void lime_timer_cancel(struct lime_loop *loop, struct lime_timer *timer)
{
    if (!timer)
        return;
    for (struct lime_timer **p = &loop->timers; *p; p = &(*p)->next) {
        if (*p == timer) {
            *p = timer->next;
            free(timer);
            return;
        }
    }
}

static void signal_ready(int fd, unsigned events, void *arg)
{
    struct lime_loop *loop = arg;
    struct signalfd_siginfo si;
    while (read(fd, &si, sizeof si) == (ssize_t)sizeof si) {
        int signo = (int)si.ssi_signo;
        if (signo > 0 && signo < LOOP_MAX_SIGNAL && loop->signals[signo].cb)
            loop->signals[signo].cb(signo, loop->signals[signo].arg);
    }
}

static int add_signal(struct lime_loop *loop, int signo, lime_signal_cb cb, void *arg)
{
    sigaddset(&loop->sigmask, signo);
    if (sigprocmask(SIG_BLOCK, &loop->sigmask, NULL) < 0)
        return -errno;
    int fd = signalfd(loop->sigfd, &loop->sigmask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0)
        return -errno;
    if (loop->sigfd < 0) {
        loop->sigfd = fd;
        int r = lime_loop_add_fd(loop, fd, LIME_EV_READ, signal_ready, loop);
        if (r < 0)
            return r;
    }
    loop->signals[signo].cb = cb;
    loop->signals[signo].arg = arg;
    return 0;
}

int lime_loop_add_signal(struct lime_loop *loop, int signo, lime_signal_cb cb, void *arg)
{
    if (signo <= 0 || signo >= LOOP_MAX_SIGNAL)
        return -EINVAL;
    if (signo == SIGCHLD)
        return -EBUSY; /* the child watcher's */
    return add_signal(loop, signo, cb, arg);
}

/* One reap round: every watched pid that has exited is unlinked, then reported. The
 * scan restarts after each callback, which may add or cancel watches. */
static void reap_children(struct lime_loop *loop)
{
    for (;;) {
        struct child_watch **pp = &loop->children, *done = NULL;
        int status = -1;
        while (*pp) {
            pid_t r;
            do
                r = waitpid((*pp)->pid, &status, WNOHANG);
            while (r < 0 && errno == EINTR);
            if (r == (*pp)->pid || (r < 0 && errno == ECHILD)) {
                if (r < 0)
                    status = -1;
                done = *pp;
                *pp = done->next;
                break;
            }
            pp = &(*pp)->next;
        }
        if (!done)
            return;
        lime_child_cb cb = done->cb;
        void *arg = done->arg;
        pid_t pid = done->pid;
        free(done);
        cb(pid, status, arg);
    }
}

static void on_sigchld(int signo, void *arg)
{
    (void)signo;
    reap_children(arg);
}

static void child_check_due(void *arg)
{
    struct lime_loop *loop = arg;
    loop->child_check = NULL;
    reap_children(loop);
}

int lime_loop_watch_child(struct lime_loop *loop, pid_t pid, lime_child_cb cb, void *arg)
{
    if (pid <= 0 || !cb)
        return -EINVAL;
    for (struct child_watch *c = loop->children; c; c = c->next)
        if (c->pid == pid)
            return -EEXIST;
    if (!loop->signals[SIGCHLD].cb) {
        int r = add_signal(loop, SIGCHLD, on_sigchld, loop);
        if (r < 0)
            return r;
    }
    struct child_watch *c = calloc(1, sizeof *c);
    if (!c)
        return -ENOMEM;
    /* It may have exited before SIGCHLD was blocked (that signal is gone): look once on
     * the next round, never from inside this call. */
    if (!loop->child_check && !(loop->child_check = lime_timer_add(loop, 0, child_check_due, loop))) {
        free(c);
        return -ENOMEM;
    }
    *c = (struct child_watch){.pid = pid, .cb = cb, .arg = arg, .next = loop->children};
    loop->children = c;
    return 0;
}

void lime_loop_cancel_child(struct lime_loop *loop, pid_t pid)
{
    for (struct child_watch **pp = &loop->children; *pp; pp = &(*pp)->next)
        if ((*pp)->pid == pid) {
            struct child_watch *c = *pp;
            *pp = c->next;
            free(c);
            return;
        }
}

static void run_due_timers(struct lime_loop *loop)
{
    uint64_t now = lime_now_ms();
    /* Only timers due now; a callback that re-arms with delay 0 runs next round. */
    uint64_t last_order = loop->timer_order;
    while (loop->timers && loop->timers->deadline <= now && loop->timers->order < last_order) {
        struct lime_timer *t = loop->timers;
        loop->timers = t->next;
        lime_timer_cb cb = t->cb;
        void *arg = t->arg;
        free(t);
        cb(arg);
    }
}

int lime_loop_run_once(struct lime_loop *loop, int max_wait_ms)
{
    int timeout = max_wait_ms;
    if (loop->timers) {
        uint64_t now = lime_now_ms();
        uint64_t d = loop->timers->deadline;
        int until = d <= now ? 0 : (d - now > 0x7fffffff ? 0x7fffffff : (int)(d - now));
        if (timeout < 0 || until < timeout)
            timeout = until;
    }
    struct epoll_event evs[32];
    int n = epoll_wait(loop->epfd, evs, 32, timeout);
    if (n < 0) {
        if (errno == EINTR)
            return 0;
        return -errno;
    }
    for (int i = 0; i < n; i++) {
        int fd = evs[i].data.fd;
        /* An earlier callback in this round may have removed this fd. */
        if (fd >= loop->nfds || !loop->fds[fd].used)
            continue;
        unsigned e = 0;
        if (evs[i].events & EPOLLIN)
            e |= LIME_EV_READ;
        if (evs[i].events & EPOLLOUT)
            e |= LIME_EV_WRITE;
        if (evs[i].events & (EPOLLERR | EPOLLHUP))
            e |= LIME_EV_ERROR | (loop->fds[fd].events & LIME_EV_READ);
        loop->fds[fd].cb(fd, e, loop->fds[fd].arg);
    }
    run_due_timers(loop);
    return 0;
}

int lime_loop_run(struct lime_loop *loop)
{
    loop->stop = false;
    while (!loop->stop) {
        int r = lime_loop_run_once(loop, -1);
        if (r < 0)
            return r;
    }
    return 0;
}

void lime_loop_stop(struct lime_loop *loop) { loop->stop = true; }
