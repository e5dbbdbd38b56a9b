/* One simulated LibreMesh node: namespace ls-n-NAME with eth0 (radio, into the medium),
 * eth1 (access point, where clients attach) and, on gateways, eth2 (WAN, into ls-inet);
 * its root directory NODES_DIR/NAME with etc/config/lime-community, etc/config/lime-node
 * etc/board.json, etc/hostname and etc/shadow; and its running stack, the real one, in the
 * node's world (world.h: R at a router's paths, the node's hostname): `lime-apply` applies
 * the plan, then `limed`, whose supervisor starts what /var/run/lime/daemons lists (batd,
 * babeld, dnsmasq) and whose gateway watcher announces a gateway's default route. */
#ifndef LIME_SIM_NODE_H
#define LIME_SIM_NODE_H

#include "sim.h"

/* Every sim node's root password (docs/sim.md), and its SHA-512 crypt hash as written to
 * the node's etc/shadow. The same as the API fixture's and the browser tests'. */
#define SIM_ROOT_PASSWORD "mesh-admin-1"
#define SIM_ROOT_HASH                                                                       \
    "$6$limesim$avLWPFd59uRbFRR8kL8TwcxiOuF/ulV4zgEClE5/mx3Y9G/tXZ/Wsm4jCiGSgXvx5FMa.8armEwZuh37dkEli0"

/* Creates every node namespace (empty, lo up, forwarding on). */
int sim_nodes_create(const struct sim_state *st);
/* Writes the node's root files (also on restart: prefer_gw may have changed). */
int sim_node_write_root(const struct sim_state *st, int i);
/* Starts the stack of node i. 0 or -1. */
int sim_node_start(const struct sim_state *st, int i);
/* Ends every process of node i's namespace (its init first, which stops limed). */
void sim_node_stop(const struct sim_state *st, int i);
/* "ls-n-NAME" */
void sim_node_ns(const struct sim_state *st, int i, char out[64]);
void sim_node_root(const struct sim_state *st, int i, char out[300]);
/* Full path of a LiMe-C program (built next to lime-sim) or the bare name for PATH. */
const char *sim_program(const char *name);
/* The source tree (its www/ is the nodes' UI): $LIME_SOURCE_DIR, else where lime-sim was
 * built from. */
const char *sim_source_dir(void);
/* Refuses (logged, -1) when a host path the nodes need could not be seen inside their
 * worlds (world.h, sim_world_paths). */
int sim_nodes_check_paths(const struct sim_state *st);
/* Writes the udhcpc hook used by clients and gateway WANs; returns its path. */
const char *sim_dhcp_script(void);

#endif
