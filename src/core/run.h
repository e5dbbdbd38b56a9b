/* Running other programs: the one place in LiMe-C that forks, execs and waits.
 *
 * A program runs from an argv (PATH search, never a shell). The caller chooses, in
 * struct lime_run_opts: extra environment (NAME=VALUE, replacing inherited ones of that
 * NAME), a working directory, stdin (a string, or /dev/null), stdout captured into a
 * growing buffer (a cap that is an error, never a silent cut), where the rest goes
 * (inherited, appended to a log file, or /dev/null), or fds of the caller's own for any of
 * the three (the caller streams them: pipes, a socket), a timeout after which the child
 * gets SIGTERM and, kill_after_ms later, SIGKILL. Every child starts with no blocked
 * signals and default dispositions (an event loop blocks the signals it reads through
 * signalfd), and only fds 0-2 open.
 *
 * Three forms:
 *   lime_run()          synchronous, for tools (lime-config, lime-apply, lime-sim);
 *   lime_run_start()    asynchronous on a lime_loop, for daemons: the result comes to a
 *                       callback; the exit is seen through the loop's child watcher;
 *   lime_run_detached() a daemon in its own session: returns its pid at once, and the
 *                       caller watches it (lime_loop_watch_child), waits for it
 *                       (lime_run_wait) or stops it (lime_run_stop, lime_run_stop_group).
 * PID 1 (lime-sim's agent in the qemu lab) also reaps what it never waits for itself:
 * lime_run_reap_orphans().
 * A program that cannot be started (not found, not executable, bad cwd) is reported as
 * such (LIME_RUN_NOT_STARTED with errno), not as an exit status 127. */
#ifndef LIME_RUN_H
#define LIME_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct lime_loop;

struct lime_run_opts {
    const char *const *env;   /* extra NAME=VALUE entries, NULL-terminated; NULL = none */
    const char *cwd;          /* working directory of the child; NULL = the caller's */
    const char *input;        /* stdin content; NULL = /dev/null */
    size_t input_len;         /* bytes of input (0 with input set: strlen(input)) */
    bool capture;             /* stdout into result.out */
    bool capture_stderr;      /* with capture: stderr into result.out too (2>&1) */
    size_t out_max;           /* capture cap (0 = 16 MiB); more is LIME_RUN_TOO_BIG */
    const char *log;          /* stdout (unless captured) and stderr appended to this file */
    bool quiet;               /* without log: stdout (unless captured) and stderr to /dev/null */
    unsigned timeout_ms;      /* 0 = none; then SIGTERM, and SIGKILL kill_after_ms later */
    unsigned kill_after_ms;   /* grace after SIGTERM (0 = 1000) */
    bool die_with_parent;     /* the child gets SIGTERM when its parent dies (PDEATHSIG) */
    const int *stdio;         /* NULL, or 3 fds of the caller's: the child's stdin, stdout,
                                 stderr (-1: that one as the options above say). The caller
                                 keeps them open and closes them; the child gets copies.
                                 stdin with input, or stdout with capture: EINVAL */
};

enum lime_run_end {
    LIME_RUN_EXITED,      /* code = exit status (0..255) */
    LIME_RUN_SIGNALED,    /* code = the signal that ended it */
    LIME_RUN_TIMED_OUT,   /* ran past timeout_ms and was killed; code = the signal */
    LIME_RUN_TOO_BIG,     /* wrote more than out_max and was killed; out is NULL */
    LIME_RUN_NOT_STARTED, /* code = errno: not found, not executable, cwd, fork, pipes */
};

struct lime_run_result {
    enum lime_run_end end;
    int code;
    int wstatus;    /* raw wait status (0 when not started) */
    pid_t pid;      /* the child's pid (0 when not started) */
    char *out;      /* with capture: stdout, NUL-terminated, malloc'd (caller frees, or
                       lime_run_result_free); NULL otherwise */
    size_t out_len; /* bytes in out, not counting the NUL */
};

/* Runs argv[0] with argv and waits for it. opts may be NULL (inherit everything, stdin
 * /dev/null). res may be NULL. Returns the exit status (0..255) when the program ran to
 * its end, else -1; res says why (lime_run_describe). */
int lime_run(char *const argv[], const struct lime_run_opts *opts, struct lime_run_result *res);

/* Frees res->out. */
void lime_run_result_free(struct lime_run_result *res);

/* What happened, in words, into buf: "exited with status 3", "killed by signal 9",
 * "timed out (killed by signal 15)", "wrote more output than allowed", "cannot be
 * started: No such file or directory". Returns buf. */
const char *lime_run_describe(const struct lime_run_result *res, char *buf, size_t len);

/* Starts argv in a session of its own (setsid) and returns its pid, or -1 with errno set
 * (the program could not be started). capture and timeout_ms are not used. The caller
 * owns the child: watch it (lime_loop_watch_child) or end it (lime_run_stop). */
pid_t lime_run_detached(char *const argv[], const struct lime_run_opts *opts);

/* Asynchronous form. done runs once, from the loop, after the child ended and its output
 * was read; res (and res->out, which done may take by setting it to NULL) is freed after
 * done returns. NULL with errno set if the program could not be started (done never
 * runs). The loop must outlive the job. */
struct lime_run_job;
typedef void (*lime_run_done_cb)(struct lime_run_result *res, void *arg);
struct lime_run_job *lime_run_start(struct lime_loop *loop, char *const argv[],
                                    const struct lime_run_opts *opts, lime_run_done_cb done,
                                    void *arg);
pid_t lime_run_job_pid(const struct lime_run_job *job);
/* Kills the job's child (SIGKILL), waits for it and frees the job; done never runs.
 * NULL is ignored. For shutdown paths; not from inside the job's own done. */
void lime_run_job_kill(struct lime_run_job *job);

/* Replaces the calling process by argv (PATH search), for a tool whose last act is to
 * become another program (`lime-sim exec`: stdin, the terminal and the exit status stay
 * the program's own). The signal mask is emptied and every signal set to its default
 * first, as for a child. Returns only if the exec failed: -1 with errno set. */
int lime_run_exec(char *const argv[]);

/* Waits up to timeout_ms (0: only looks; < 0: as long as it takes) for our child pid to
 * end, and reaps it. 1 with *wstatus (may be NULL) set when it ended, 0 while it still
 * runs, -1 with errno (ECHILD: not a child of ours, or reaped already). */
int lime_run_wait(pid_t pid, int timeout_ms, int *wstatus);

/* Ends the process group that pid leads (a child of lime_run_detached leads its own
 * session and group): SIGTERM to the group, up to grace_ms for the leader to go, then
 * SIGKILL to whatever is left of the group, and waits for the leader (at most one more
 * second; reaped if it is our child). Returns 1 if SIGKILL was sent while the leader was
 * still there, else 0. */
int lime_run_stop_group(pid_t pid, unsigned grace_ms);

/* Reaps every child of ours that has ended, without waiting: for PID 1 (or a subreaper),
 * to which the kernel hands orphans, and for children started and never waited for. It
 * takes any child's exit, so not in a process that also waits for children some other
 * way (lime_run, lime_run_wait, a loop's child watcher). Returns how many it reaped. */
int lime_run_reap_orphans(void);

/* Does pid exist and is not a zombie? An exited child of ours is reaped on the way
 * (so not for pids a loop watches). Works for processes that are not our children. */
bool lime_run_alive(pid_t pid);

/* Ends processes: SIGTERM to each, wait up to grace_ms for them to go, then SIGKILL to
 * those left and wait for them (at most one more second). Children of ours are reaped;
 * other processes are watched through /proc. pids <= 0 are skipped. Returns how many
 * needed the SIGKILL. Not for pids a loop watches (cancel the watch first). */
int lime_run_stop(const pid_t *pids, size_t n, unsigned grace_ms);

#endif
