/* Built-in publishers: what upstream ran from cron as shell/Lua scripts, done in the
 * service itself on a timer (every type's update interval / 2, and at start):
 *  - dnsmasq-leases / dnsmasq-hosts from dnsmasq's lease file (re-read when its mtime
 *    changes): {ip: {hostname, mac}} and {"ip name": true}; leases that disappeared
 *    from the file are published as null (delete).
 *  - with publish_node_info: node_info (at start, every 15 min, and when it changed other
 *    than its uptime, checked every 10 s) and, checked every 10 s and sent when changed
 *    (or every 15 min): bat-hosts, babeld-hosts, babel_links_info, bat_links_info,
 *    nodes_and_links (facts.h), from sysfs and the babeld/batd answers discovery already
 *    collects.
 *  - with local_domain + local_dns_ip: dnsmasq-servers {domain: ip} (every 15 min). */
#ifndef SS_PUBLISH_H
#define SS_PUBLISH_H

#include <stdint.h>

struct ss_service;
struct ss_config;
struct ss_publish;

struct ss_publish *ss_publish_new(struct ss_service *ss, const struct ss_config *cfg);
void ss_publish_free(struct ss_publish *p);
/* Makes every publisher run at the next tick (ubus publish_all). */
void ss_publish_force(struct ss_publish *p);
/* The node was renamed: publish under the store's new self from now on, everything
 * again at the next tick. */
void ss_publish_renamed(struct ss_publish *p);
/* The node's community SSID changed (node_info's ap_ssid, its cloud): node_info goes out
 * with the new one at the next tick. NULL = none. */
void ss_publish_set_ap_ssid(struct ss_publish *p, const char *ap_ssid);
/* Called every second by the service. */
void ss_publish_tick(struct ss_publish *p, uint64_t now_ms);

/* Parses a dnsmasq lease file into {ip: {hostname, mac}} (IPv4 lines only). */
struct json_object *ss_publish_parse_leases(const char *text);

#endif
