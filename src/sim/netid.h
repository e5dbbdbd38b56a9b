/* The numbers LibreMesh derives from a cloud's AP SSID (lime-spec §2.1, §2.3, §2.4), so
 * lime-sim can tell tests and `status` which prefix and anycast address a cloud has, and
 * the MACs lime-sim gives node interfaces, from which a node's main address follows (the
 * user-preferred gateway is written to lime-node as that address). Every number comes
 * from the core (hash.h, addr.h), the same code lime-config uses. */
#ifndef LIME_SIM_NETID_H
#define LIME_SIM_NETID_H

#include "hash.h"

struct sim_cloud {
    struct lime_id id;      /* md5(ssid + "\n"): N1..N16 */
    int vlan;               /* batman VLAN: 29 + (N1 - 13) mod 256 */
    char prefix4[20];       /* 10.N1.0.0/16 */
    char anygw4[16];        /* 10.N1.0.1 */
    char prefix6[48];       /* fdN1:N2N3:N4N5::/64 */
    char anygw6[48];        /* fdN1:N2N3:N4N5::1 */
    char anygw_mac[18];     /* aa:aa:aa:N1:N2:aa */
};

void sim_cloud_of(const char *ssid, struct sim_cloud *c);

/* Interface roles of a node, each with its own MAC 02:4c:<role>:00:HH:LL. */
enum sim_if_role { SIM_IF_RADIO = 0x52, SIM_IF_AP = 0x41, SIM_IF_WAN = 0x57, SIM_IF_CLIENT = 0x43 };
/* MAC of a node's (or client's) interface: HHLL = 0x0100 + index + 1, never 0000/0001/ffff,
 * so the node IPv4 10.N1.HH.LL is always a valid host (lime-spec §2.3). */
void sim_mac(enum sim_if_role role, int index, char out[18]);
/* Main IPv4 (no prefix) of node index in a cloud, as lime-config derives it from eth0
 * (the radio). */
void sim_node_ipv4(const struct sim_cloud *c, int index, char out[16]);
void sim_node_ipv6(const struct sim_cloud *c, int index, char out[48]);

#endif
