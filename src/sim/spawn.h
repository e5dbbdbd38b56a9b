/* Running the tools lime-sim drives (ip, nft, sysctl, the node daemons) with argv, never a
 * shell. Commands "in NS" run through `ip netns exec NS`, which also gives them the
 * namespace's own /sys, so hardware detection sees the node's interfaces. */
#ifndef LIME_SIM_SPAWN_H
#define LIME_SIM_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

/* Runs argv (NULL-terminated) and waits. Returns the exit status, or -1 if it could not
 * run. With quiet, its stdout/stderr go to /dev/null. */
int sim_run(char *const argv[], int quiet);
/* The same inside namespace ns (NULL = host). */
int sim_run_ns(const char *ns, char *const argv[], int quiet);
/* The same with stdout+stderr appended to logpath. */
int sim_run_ns_log(const char *ns, char *const argv[], const char *logpath);
/* Variadic forms: sim_cmd(ns, quiet, "ip", "link", ..., NULL). */
int sim_cmd(const char *ns, int quiet, ...) __attribute__((sentinel));
/* Runs and collects stdout into buf (NUL-terminated, truncated to len-1). Exit status or -1. */
int sim_capture(const char *ns, char *buf, size_t len, char *const argv[]);
/* Feeds text to `ip -batch -` (with -force) inside ns. Exit status of ip. */
int sim_ip_batch(const char *ns, const char *text);
/* The same, errors not shown (for cleanup of what may not exist). */
int sim_ip_batch_quiet(const char *ns, const char *text);
/* Feeds text to `nft -f -` inside ns. */
int sim_nft(const char *ns, const char *text);
/* Starts argv in ns detached (own session, stdin /dev/null, stdout+stderr appended to
 * logpath) and returns its pid, which is the daemon's own pid. -1 on failure. */
pid_t sim_daemon(const char *ns, const char *logpath, char *const argv[]);
/* Sends SIGTERM, waits up to ms for the process to go, then SIGKILL. */
void sim_kill_wait(pid_t pid, int ms);
/* True if pid exists and is not a zombie. */
int sim_alive(pid_t pid);

/* Growable text buffer for batch files. */
struct sim_buf {
    char *s;
    size_t len, cap;
};
void sim_buf_printf(struct sim_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sim_buf_free(struct sim_buf *b);

/* Writes text to path (mode 0644, directories must exist). 0 or -1. */
int sim_write_file(const char *path, const char *text);
/* mkdir -p. 0 or -1. */
int sim_mkdirs(const char *path);

#endif
