/* Running the tools lime-sim drives (ip, nft, sysctl, the node daemons): thin functions
 * over the core's runner (run.h; argv, never a shell). Commands "in NS" run through
 * `ip netns exec NS`, which also gives them the namespace's own /sys, so hardware
 * detection sees the node's interfaces. A program that cannot be started is logged. */
#ifndef LIME_SIM_SPAWN_H
#define LIME_SIM_SPAWN_H

#include <sys/types.h>

/* Runs argv (NULL-terminated) and waits. Returns the exit status, or -1 if it could not
 * run or died of a signal. With quiet, its stdout/stderr go to /dev/null. */
int sim_run(char *const argv[], int quiet);
/* The same inside namespace ns (NULL = host). */
int sim_run_ns(const char *ns, char *const argv[], int quiet);
/* The same with stdout+stderr appended to logpath. */
int sim_run_ns_log(const char *ns, char *const argv[], const char *logpath);
/* Variadic forms: sim_cmd(ns, quiet, "ip", "link", ..., NULL). */
int sim_cmd(const char *ns, int quiet, ...) __attribute__((sentinel));
/* Runs argv in ns (stderr to /dev/null) and returns all of its stdout (malloc'd,
 * NUL-terminated), or NULL when it could not run or did not exit 0. */
char *sim_capture(const char *ns, char *const argv[]);
/* Feeds text to `ip -batch -` (with -force) inside ns. Exit status of ip. */
int sim_ip_batch(const char *ns, const char *text);
/* The same, errors not shown (for cleanup of what may not exist). */
int sim_ip_batch_quiet(const char *ns, const char *text);
/* Feeds text to `nft -f -` inside ns. */
int sim_nft(const char *ns, const char *text);
/* Starts argv in ns detached (own session, stdin /dev/null, stdout+stderr appended to
 * logpath, or /dev/null) and returns its pid, which is the daemon's own pid. -1 on
 * failure. Stop it with lime_run_stop(). */
pid_t sim_daemon(const char *ns, const char *logpath, char *const argv[]);
/* Stops the daemon whose pid pid_file holds, and removes the file. Only if its command
 * line still contains marker (the pid may have been reused since). */
void sim_daemon_stop_file(const char *pid_file, const char *marker);

#endif
