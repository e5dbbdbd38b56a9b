/* Processes living in a namespace, found from /proc (a process belongs to namespace NS
 * when /proc/PID/ns/net is the same inode as /run/netns/NS). `node stop`, `client del`
 * and `down` end exactly those, by pid. */
#ifndef LIME_SIM_PROCS_H
#define LIME_SIM_PROCS_H

#include <sys/types.h>

/* Fills up to max pids; returns how many (0 if the namespace does not exist). */
int sim_ns_pids(const char *ns, pid_t *out, int max);
/* SIGTERM to every process of ns, up to ms to leave, then SIGKILL. first_pid, if > 0,
 * gets its SIGTERM alone first (a supervisor stopping its own children). */
void sim_ns_kill(const char *ns, pid_t first_pid, int ms);
/* The pid of a process in ns whose comm is name, or 0. */
pid_t sim_ns_find(const char *ns, const char *name);

#endif
