/* Phone-like clients: namespace ls-c-NAME with one interface wlan0 whose other end, c<id>
 * in ls-medium, sits in the access-point bridge a<i> of the node the client is "at". The
 * client takes its address from the node's anycast gateway with udhcpc (busybox, Debian),
 * exactly as a phone would. Moving it re-plugs c<id> into another node's AP bridge and
 * makes udhcpc renew, as a phone does after re-associating; wlan0 itself never changes. */
#ifndef LIME_SIM_CLIENT_H
#define LIME_SIM_CLIENT_H

#include "sim.h"

void sim_client_ns(const struct sim_client *c, char out[64]);
/* Adds client name at node; waits up to wait_s for a lease (0 = do not wait). Updates st.
 * 0 (and the leased address printed), 1 if no lease came in time, -1 on error. */
int sim_client_add(struct sim_state *st, const char *name, int node, int wait_s);
int sim_client_move(struct sim_state *st, int ci, int node, int wait_s);
void sim_client_del(struct sim_state *st, int ci);
/* Starts the client's udhcpc on wlan0 (the lease is recorded by the hook). 0 or -1. */
int sim_client_dhcp_start(const struct sim_client *c);
/* Waits up to wait_s for the client's lease and prints it. 0, or 1 (none came). */
int sim_client_wait_lease(const struct sim_client *c, int wait_s);
/* The client's current lease ("" if none): address and router, from the udhcpc hook. */
int sim_client_lease(const struct sim_client *c, char ip[16], char router[16]);

#endif
