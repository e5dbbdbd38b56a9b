/* Hooks: what runs when a table changes (new key, new data, or entries expired; upstream
 * runs none on expiry).
 *  - External: every owner-executable file in <hooks_dir>/<type>/ runs with the table
 *    as {key: data} on stdin (upstream shape), one at a time per type, off the request
 *    path, stopped after 10 s (SIGTERM, SIGKILL 1 s later); stdout/stderr go to our stderr.
 *  - Built in: dnsmasq-leases -> dhcp-hostsfile lines "mac,ip" for leases authored by
 *    other nodes (upstream's /tmp/dhcp.hosts_remote); dnsmasq-hosts -> an addn-hosts
 *    file with one "ip name" line per key; dnsmasq-servers -> a servers-file with
 *    "server=/<domain>/<ip>" for other nodes' clouds; then SIGHUP to dnsmasq (pidfile). */
#ifndef SS_HOOKS_H
#define SS_HOOKS_H

#include <stdint.h>

#include "store.h"

struct lime_loop;
struct ss_hooks;

struct ss_hooks_config {
    const char *hooks_dir;
    const char *dhcp_hostsfile;
    const char *addn_hosts;
    const char *dnsmasq_pidfile;
    const char *servers_file;
};

struct ss_hooks *ss_hooks_new(struct lime_loop *loop, const struct ss_hooks_config *cfg,
                              struct ss_counters *counters);
void ss_hooks_free(struct ss_hooks *h);
/* The table of t changed: write the built-in files and start external hooks. */
void ss_hooks_changed(struct ss_hooks *h, struct ss_type *t, const char *self, uint64_t now_ms);

/* Built-in file writers (exposed for tests): 0 or -errno. */
int ss_hooks_write_dhcp_hosts(const char *path, struct ss_type *leases, const char *self,
                              uint64_t now_ms);
int ss_hooks_write_addn_hosts(const char *path, struct ss_type *hosts, uint64_t now_ms);
int ss_hooks_write_servers(const char *path, struct ss_type *servers, const char *self,
                           uint64_t now_ms);

#endif
