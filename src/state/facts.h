/* Node facts as upstream's publishers shaped them (spec §4), built from sysfs, the
 * interface addresses, babeld's state (core/babel.h) and batd's neighbour list. Pure
 * functions returning new json-c objects {key: data} ready for ss_service_insert.
 *   bat-hosts        {mac: "<host>_<iface>"} for every interface with a MAC except lo/anygw
 *   babeld-hosts     {router-id: hostname}
 *   babel_links_info {host: {src_loc, links: {key: {src_ip, dst_ip, iface, cost, rxcost}}}}
 *   bat_links_info   {host: {src_loc, links: {key: {src_mac, dst_mac, iface, last_seen_msecs}}}}
 *   nodes_and_links  {host: {hostname, macs, coordinates, links: [neighbour macs]}}
 *   node_info        {host: {hostname, firmware_version, board, ipv4, ipv6, coordinates,
 *                            macs, uptime, device: "Router", ap_ssid, gateway}}
 * cost/rxcost (babeld's link cost and its receive part), ap_ssid (the node's community
 * SSID, i.e. its cloud) and gateway (babeld exports a default route: the node shares its
 * internet connection) are LiMe-C additions upstream's readers ignore; limed's whole-mesh
 * picture uses them (a node far from a gateway may hear no babel route from it, as its
 * neighbours only pass on the route they chose). uptime is what the caller says
 * (ss_config.uptime), else /proc/uptime.
 * A link key is both ends' addresses without ':' sorted and joined, so both ends of a link
 * publish it under the same key. Coordinates are "FIXME" (upstream's fallback) until the
 * node's location is configured. */
#ifndef SS_FACTS_H
#define SS_FACTS_H

#include <stddef.h>

struct json_object;
struct lime_babel_state;

struct json_object *ss_facts_bat_hosts(const char *sys_class_net, const char *host);
struct json_object *ss_facts_babeld_hosts(const struct lime_babel_state *b, const char *host);
struct json_object *ss_facts_babel_links(const struct lime_babel_state *b, const char *host);
struct json_object *ss_facts_bat_links(const char *sys_class_net, const char *batd_json,
                                       const char *host);
struct json_object *ss_facts_nodes_and_links(const char *sys_class_net, const char *batd_json,
                                             const char *host);
/* uptime_s < 0: read /proc/uptime; ap_ssid NULL/"": no ap_ssid member; gateway: 1/0 the
 * node is/is not a gateway (core/uplink.h's answer), -1 unknown: no gateway member. */
struct json_object *ss_facts_node_info(const char *sys_class_net, const char *host,
                                       long long uptime_s, const char *ap_ssid, int gateway);
/* node_info's address of a family from an interface list (getifaddrs): br-lan's, the
 * node's main address (upstream's network.lan), else the first global one of any other
 * interface but lo and anygw. Before, the first one in interface order: a gateway whose
 * WAN came first published its WAN address (lime-sim's qemu lab, sim_login). "" if none. */
struct ifaddrs;
void ss_facts_pick_addr(const struct ifaddrs *list, int family, char *out, size_t len);
/* "a:b" + "c:d" -> sorted concatenation without ':' (the shared link key). */
void ss_facts_link_key(const char *a, const char *b, char *out, unsigned len);

#endif
