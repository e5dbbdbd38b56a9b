/* The daemon supervisor of limed (linux backend): starts the daemons lime-apply lists in
 * ROOT/run/lime/daemons, restarts a crashed one with exponential backoff, stops them with
 * SIGTERM then SIGKILL. Driven by the event loop: the daemons are started through the
 * core's runner (lime_run_detached) and their exits come through the loop's child
 * watcher.
 *
 * Daemons file: one daemon per line, fields separated by TAB:
 *     NAME <TAB> STAMP <TAB> ARGV0 <TAB> ARG1 ...
 * STAMP is an opaque token (lime-apply puts a hash of the daemon's config file there),
 * optionally followed by ",stale=PATH[:PATH...]": files a crashed daemon leaves behind
 * and refuses to start over (babeld's pid file and local socket), removed before every
 * (re)start. Leading ARGV fields of the form NAME=VALUE (NAME a shell variable name,
 * at least one field after them) are added to the daemon's environment, as env(1) does:
 * lime-apply gives dnsmasq SS_SOCKET=... so its dhcp-script finds the node's service;
 * a daemon whose argv or stamp changed is restarted on reload, one no longer listed is
 * stopped, a new one is started. '#' lines and blank lines are ignored. */
#ifndef LD_SUPERVISE_H
#define LD_SUPERVISE_H

#include <stdbool.h>
#include <sys/types.h>

struct lime_loop;
struct ld_supervisor;

struct ld_supervisor_opts {
    unsigned backoff_min_ms; /* first restart delay (default 500) */
    unsigned backoff_max_ms; /* cap of the doubling delay (default 30000) */
    unsigned stable_ms;      /* a run this long resets the backoff (default 10000) */
    unsigned kill_after_ms;  /* SIGTERM → SIGKILL grace (default 5000) */
    const char *log_dir;     /* if set, each daemon's stdout+stderr go to LOG_DIR/NAME.log
                                (appended); otherwise they inherit limed's */
};

/* A supervisor on loop. opts may be NULL (defaults). */
struct ld_supervisor *ld_supervisor_new(struct lime_loop *loop,
                                        const struct ld_supervisor_opts *opts);
/* Stops every daemon synchronously (TERM, wait up to kill_after_ms, KILL) and frees. */
void ld_supervisor_free(struct ld_supervisor *sup);

/* Reads a daemons file and reconciles: start new, restart changed, stop removed.
 * A missing file means "no daemons". Returns 0, or -1 with a file:line message logged
 * (then nothing changes). */
int ld_supervisor_load(struct ld_supervisor *sup, const char *daemons_path);

/* Add/replace one daemon directly (argv NULL-terminated, copied). */
int ld_supervisor_set(struct ld_supervisor *sup, const char *name, const char *stamp,
                      char *const argv[]);
/* Files removed before each start of the daemon, ':'-separated; NULL/"" = none. */
void ld_supervisor_set_stale(struct ld_supervisor *sup, const char *name, const char *paths);
/* Stop and forget one daemon (async TERM→KILL). */
void ld_supervisor_remove(struct ld_supervisor *sup, const char *name);

/* Stops all daemons asynchronously; done(arg) runs when the last one has exited. */
void ld_supervisor_stop_all(struct ld_supervisor *sup, void (*done)(void *arg), void *arg);

/* Introspection (for /metrics, the UI and tests). pid 0 = not running. */
pid_t ld_supervisor_pid(const struct ld_supervisor *sup, const char *name);
unsigned ld_supervisor_restarts(const struct ld_supervisor *sup, const char *name);
/* Calls fn for every daemon. */
void ld_supervisor_foreach(const struct ld_supervisor *sup,
                           void (*fn)(const char *name, pid_t pid, unsigned restarts, void *arg),
                           void *arg);

/* Other modules' reload hooks, run in the order added after the daemons file is read
 * again on SIGHUP. 0, or -ENOSPC past 4 hooks. */
int ld_supervisor_on_reload(struct ld_supervisor *sup, void (*fn)(void *arg), void *arg);

/* In limed (module table in main.c): ld_supervise_init makes a supervisor on ctx->loop
 * with logs in ROOT/var/log, loads ROOT/var/run/lime/daemons, and on SIGHUP reloads the
 * daemons file, then runs the reload hook (the gateway watcher's). ld_supervise_stop
 * stops every daemon (TERM, then KILL after 5 s). ld_supervisor_current() is the running
 * supervisor or NULL. */
struct ld_ctx;
int ld_supervise_init(struct ld_ctx *ctx);
void ld_supervise_stop(struct ld_ctx *ctx);
struct ld_supervisor *ld_supervisor_current(void);

#endif
