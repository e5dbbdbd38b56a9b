/* Writing a sysctl of another network namespace without spawning anything: enter the
 * namespace, write /proc/sys/<key> (net/ sysctls belong to the writer's namespace), return. */
#ifndef LIME_SIM_SYSCTL_H
#define LIME_SIM_SYSCTL_H

/* key like "net/ipv4/ip_forward". ns NULL = the current namespace. 0 or -1. */
int sim_sysctl(const char *ns, const char *key, const char *value);
/* Keeps bridged frames out of the ip/ip6/arp netfilter hooks in ns (br_netfilter, when the
 * host has it loaded, would otherwise conntrack them and break NAT of routed traffic). */
void sim_no_bridge_nf(const char *ns);
/* The kernel's ARP and ND tables are one per machine, shared by every network namespace,
 * and full at gc_thresh3 (1024 by default): then no namespace can add a neighbour and
 * sends fail with ENOBUFS ("No buffer space available") — nodes of a cloud no longer reach
 * each other (bench/sim_chaos.sh found it with 30 nodes beside other meshes). Makes room
 * for n_nodes more nodes (SIM_NEIGH_PER_NODE entries each, beside the entries in use) by
 * raising gc_thresh3 (and gc_thresh2 to half of it), never lowering; says so when it does.
 * Not restored by down: other meshes may need the room, and it costs nothing unused. */
#define SIM_NEIGH_PER_NODE 64
void sim_neigh_room(int n_nodes);

#endif
