/* Reaching the nodes' web UI (limed on port 80 inside each node namespace) from the host
 * without touching the host's interfaces or routes: a small TCP forwarder listening on the
 * host's loopback, 127.0.0.1:BASE+i for node i, whose outgoing sockets are created inside
 * the node's namespace (a socket stays in the namespace it was made in). One process, one
 * event loop: it serves every listener and relays every connection (no process per
 * connection); it is started detached through the core's runner. */
#ifndef LIME_SIM_UIPROXY_H
#define LIME_SIM_UIPROXY_H

#include "sim.h"


/* Starts the forwarder detached (`lime-sim _uiproxy BASE`). 0 or -1. */
int sim_uiproxy_start(int base_port);
/* Ends a running forwarder (pid file checked against its command line). */
void sim_uiproxy_stop(void);
/* The forwarder itself; runs until killed. */
int sim_uiproxy_main(const struct sim_state *st, int base_port);

#endif
