/* dnsmasq configuration from the plan (spec §2.4, §2.10 setup_dns): DNS with the node's
 * domain and resolvers, DHCPv4 on the anygw interface (pool, lease time, MTU option),
 * RA + DHCPv6 on anygw, host records of the node and of the anycast names, the shared
 * leases hosts file, and per-node pid/lease paths. Same values the uci backend writes
 * into /etc/config/dhcp and /etc/dnsmasq.d/lime-proto-anygw-20-ipv6.conf. */
#ifndef LR_DNSMASQ_CONF_H
#define LR_DNSMASQ_CONF_H

struct plan;
struct lr_paths;

/* The file, malloc'd; NULL on allocation failure. */
char *lr_dnsmasq_conf(const struct plan *p, const struct lr_paths *paths);
/* The same with `dhcp-script=<lease_script>` (an absolute path; NULL or "" = none) where
 * DHCP is served: dnsmasq runs it as `add|old|del MAC IP [NAME]` for every lease event,
 * which is how shared-state-async publishes this node's leases (dnsmasq-leases) at once.
 * The script finds the service through $SS_SOCKET, which dnsmasq passes on from its own
 * environment (lime-apply puts it in dnsmasq's daemons-file line). */
char *lr_dnsmasq_conf_script(const struct plan *p, const struct lr_paths *paths,
                             const char *lease_script);

#endif
