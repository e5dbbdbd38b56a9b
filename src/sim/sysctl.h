/* Writing a sysctl of another network namespace without spawning anything: enter the
 * namespace, write /proc/sys/<key> (net/ sysctls belong to the writer's namespace), return. */
#ifndef LIME_SIM_SYSCTL_H
#define LIME_SIM_SYSCTL_H

/* key like "net/ipv4/ip_forward". ns NULL = the current namespace. 0 or -1. */
int sim_sysctl(const char *ns, const char *key, const char *value);
/* Keeps bridged frames out of the ip/ip6/arp netfilter hooks in ns (br_netfilter, when the
 * host has it loaded, would otherwise conntrack them and break NAT of routed traffic). */
void sim_no_bridge_nf(const char *ns);

#endif
