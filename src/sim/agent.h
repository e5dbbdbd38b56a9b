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
 * Every process goes through the core's runner (run.h): each connection is served by
 * `lime-sim __serve CONFDIR STATUS` (sim_agent_serve_main) with the connection as its
 * stdin, so a slow client holds up no other; its command runs detached (a session and
 * process group of its own, ended with the client) with pipes of the server's as stdin,
 * stdout and stderr, streamed as they come; the agent reaps the servers and every orphan
 * (lime_run_reap_orphans), as PID 1 must. modprobe at boot goes through the sim's spawn
 * helpers. */
#ifndef LIME_SIM_AGENT_H
#define LIME_SIM_AGENT_H

int sim_agent_main(const char *confdir);
/* `lime-sim __serve CONFDIR STATUS` (internal): one connection, on stdin. */
int sim_agent_serve_main(const char *confdir, const char *status);

#endif
