/* `lime-sim __agent CONFDIR`: the lab guest's PID 1 once /init has switched to the
 * host's root (kcache.c). It mounts /proc, /sys, /dev, debugfs; loads the lab's modules
 * with modprobe (CONFDIR/modules adds more); reaps orphans, as PID 1 must; and serves the
 * control channel (chan.h) on TCP CONFDIR/port: each connection, after the token of
 * CONFDIR/token, runs one `lime-sim ARGS` (this same binary, veth mode inside the guest,
 * LIME_SIM_MODE=kernel and the host's LIME_SIM_INSTANCE in its environment) or opens one
 * tunnel into a node namespace (the web UI). A client that goes away takes its command
 * with it (SIGTERM, then SIGKILL, to its process group).
 *
 * Run as an ordinary process (not PID 1) it mounts and loads nothing and listens on
 * 127.0.0.1 only: the unit test drives it so on the host.
 *
 * It forks itself rather than through the core's runner (run.h): a server's child per
 * connection, and commands whose stdout and stderr are streamed as they come (the
 * runner captures whole outputs) in a process group of their own (killed with the
 * client). modprobe at boot goes through the sim's spawn helpers. */
#ifndef LIME_SIM_AGENT_H
#define LIME_SIM_AGENT_H

int sim_agent_main(const char *confdir);

#endif
