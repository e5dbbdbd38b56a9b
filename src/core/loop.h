/* A small single-threaded event loop (epoll + monotonic one-shot timers + signalfd +
 * child watcher). batd, limed and the shared-state service each run exactly one of
 * these; nothing in LiMe-C starts a thread per peer. Callbacks run on the loop's thread
 * and may add or remove fds, timers and child watches (including their own) freely. */
#ifndef LIME_LOOP_H
#define LIME_LOOP_H

#include <stdint.h>
#include <sys/types.h>

struct lime_loop;
struct lime_timer;

enum {
    LIME_EV_READ = 1u << 0,
    LIME_EV_WRITE = 1u << 1,
    LIME_EV_ERROR = 1u << 2, /* reported only: hang-up or error on the fd */
};

typedef void (*lime_fd_cb)(int fd, unsigned events, void *arg);
typedef void (*lime_timer_cb)(void *arg);
typedef void (*lime_signal_cb)(int signo, void *arg);
/* status: a wait status (WIFEXITED...), or -1 if pid was not (or no longer) a child of
 * this process to wait for. */
typedef void (*lime_child_cb)(pid_t pid, int status, void *arg);

/* Milliseconds on CLOCK_MONOTONIC. */
uint64_t lime_now_ms(void);

struct lime_loop *lime_loop_new(void);
/* Frees the loop and its pending timers; does not close registered fds. */
void lime_loop_free(struct lime_loop *loop);

/* Watch fd for events (LIME_EV_READ/WRITE). One registration per fd. 0 or -errno. */
int lime_loop_add_fd(struct lime_loop *loop, int fd, unsigned events, lime_fd_cb cb, void *arg);
int lime_loop_mod_fd(struct lime_loop *loop, int fd, unsigned events);
void lime_loop_del_fd(struct lime_loop *loop, int fd);

/* One-shot timer after delay_ms. Returns a handle valid until it fires or is cancelled. */
struct lime_timer *lime_timer_add(struct lime_loop *loop, uint64_t delay_ms, lime_timer_cb cb,
                                  void *arg);
/* Cancels a pending timer; NULL is ignored. Must not be called after the timer fired. */
void lime_timer_cancel(struct lime_loop *loop, struct lime_timer *timer);

/* Deliver signo through the loop (blocks it for the process, reads it via signalfd).
 * SIGCHLD is the loop's own (child watcher): -EBUSY. */
int lime_loop_add_signal(struct lime_loop *loop, int signo, lime_signal_cb cb, void *arg);

/* Child watcher (as libubox's uloop_process): cb runs once, from the loop, when child pid
 * has exited, with its wait status; the loop has reaped it then. The loop owns SIGCHLD
 * (blocked, read through its signalfd) and reaps only the pids it watches, each with
 * waitpid(pid, WNOHANG), never waitpid(-1): a synchronous lime_run() elsewhere in the
 * process keeps its own child. A child that exited before the watch began is reported
 * too (on the next round). One watch per pid; one loop per process should watch
 * children (SIGCHLD is process-wide). 0 or -errno (-EEXIST, -ENOMEM, -EINVAL). */
int lime_loop_watch_child(struct lime_loop *loop, pid_t pid, lime_child_cb cb, void *arg);
/* Stops watching pid (it is not reaped: the caller waits for it). Unknown pids are
 * ignored. */
void lime_loop_cancel_child(struct lime_loop *loop, pid_t pid);

/* Runs until lime_loop_stop(); returns 0, or -errno if epoll fails. */
int lime_loop_run(struct lime_loop *loop);
/* Runs at most one round of ready fds and due timers, waiting up to max_wait_ms. */
int lime_loop_run_once(struct lime_loop *loop, int max_wait_ms);
void lime_loop_stop(struct lime_loop *loop);

#endif
