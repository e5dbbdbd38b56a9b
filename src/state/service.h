/* The shared-state service: store + TCP 3490 server/client + neighbour discovery +
 * persistence + hooks + publishers, all on the caller's lime_loop (no threads).
 * This is the whole API limed uses:
 *
 *   struct ss_config cfg; ss_config_defaults(&cfg); cfg.state_dir = "/var/lib/shared-state";
 *   struct ss_service *ss = ss_service_start(loop, &cfg);
 *   ...  ss_service_get(ss, "node_info", &obj) ... ss_service_insert(ss, type, obj) ...
 *   ss_service_stop(ss);  // saves tables
 */
#ifndef SS_SERVICE_H
#define SS_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct lime_babel;
struct lime_batman;
struct lime_loop;
struct json_object;

#define SS_MAX_LIST 32

/* Strings in the config are not copied: they must outlive the service. */
struct ss_config {
    const char *hostname;     /* author of local inserts; NULL = gethostname() */
    const char *listen_addr;  /* "::" (dual stack) by default; NULL = do not listen */
    uint16_t port;            /* 3490 */
    const char *control_path; /* unix socket for the CLI; NULL = none */
    const char *state_dir;    /* persistence; NULL = RAM only */
    const char *hooks_dir;    /* <dir>/<type>/<executable>; NULL = none */
    const char *key_file;     /* community key (file contents, trailing newline dropped) */
    /* discovery */
    const char *ifaces[SS_MAX_LIST]; /* link-local multicast hellos on these */
    size_t nifaces;
    const char *peers[SS_MAX_LIST]; /* static peers "addr" / "fe80::1%eth0" */
    size_t npeers;
    struct lime_babel *babel;  /* a babeld client the caller runs (limed's), shared; or NULL: */
    uint16_t babeld_port;      /* babeld local-port on ::1 (0 = do not ask babeld) */
    const char *babeld_socket; /* babeld local-path unix socket (NULL = none) */
    struct lime_batman *batman; /* a batman-adv client the caller runs (limed's); or NULL: */
    const char *batd_ctl;      /* batd ctl socket path (NULL = do not ask batd) */
    const char *batadv_if;     /* kernel batman-adv interface, e.g. "bat0" (without batd) */
    unsigned hello_ms;         /* multicast hello period (default 2000) */
    /* timing */
    unsigned timeout_ms;       /* per connection, whole exchange (default 10000) */
    unsigned change_delay_ms;  /* sync this long after a change (default 100) */
    bool no_change_sync;       /* only periodic syncs, as upstream (benchmark baseline) */
    unsigned max_conns;        /* concurrent incoming connections (default 64) */
    unsigned full_every;       /* every Nth sync with a peer sends the full table (10) */
    double interval_scale;     /* multiplies every type's update_interval (tests; 1.0) */
    struct ss_limits limits;
    bool no_default_types;     /* do not register upstream's types */
    const char *uci_types;     /* UCI file with `config dataType` sections (/etc/config/shared-state) */
    /* dnsmasq integration (built-in hooks); NULL = off */
    const char *dhcp_hostsfile; /* remote leases as "mac,ip" reservations */
    const char *addn_hosts;     /* dnsmasq-hosts as an addn-hosts file */
    const char *dnsmasq_pidfile;/* SIGHUP target after either file changed */
    const char *servers_file;   /* dnsmasq-servers as "server=/domain/ip" lines (servers-file) */
    /* built-in publishers; NULL = off */
    const char *leasefile;      /* dnsmasq lease file to publish (dnsmasq-leases/-hosts) */
    bool publish_node_info;     /* node_info + bat-hosts, babeld-hosts, *_links_info, nodes_and_links */
    /* node_info's "uptime": the node's own, in seconds (limed: the system's on a router,
     * its world's where nodes share a kernel's /proc/uptime); NULL = /proc/uptime */
    int64_t (*uptime)(void *arg);
    void *uptime_arg;
    const char *ap_ssid;        /* node_info's "ap_ssid" (LiMe-C): the cloud's SSID; NULL = none */
    const char *local_domain;   /* with local_dns_ip: publish dnsmasq-servers {domain: ip} */
    const char *local_dns_ip;   /*   (this cloud's DNS domain and the anycast gateway's IPv6) */
};

void ss_config_defaults(struct ss_config *cfg);

struct ss_service;

struct ss_service *ss_service_start(struct lime_loop *loop, const struct ss_config *cfg);
/* Saves the tables, closes every socket, frees everything. NULL is ignored. */
void ss_service_stop(struct ss_service *ss);

struct ss_store *ss_service_store(struct ss_service *ss);

/* Every function below accepts ss == NULL (the service did not start): reads then
 * report SS_ERR_TYPE / nothing, writes SS_ERR_TYPE. */

/* Error codes of the API and the CLI's exit statuses. */
enum ss_err {
    SS_OK = 0,
    SS_ERR_USAGE = 1,     /* bad arguments */
    SS_ERR_TYPE = 2,      /* unknown type */
    SS_ERR_INPUT = 3,     /* input is not what was expected (not a JSON object, ...) */
    SS_ERR_DAEMON = 4,    /* CLI: the service is not reachable */
    SS_ERR_PEER = 5,      /* sync: at least one peer failed */
    SS_ERR_INTERNAL = 6,
};

/* {key: data} of a type (new reference), or NULL with *err = SS_ERR_TYPE. */
struct json_object *ss_service_get(struct ss_service *ss, const char *type, int *err);
/* upstream's dump shape: [{key, value:{mAuthor, mTtl{xint64,xstr64}, mData}}]. */
struct json_object *ss_service_dump(struct ss_service *ss, const char *type, int *err);
/* obj must be a JSON object {key: data}; every member becomes an entry authored by this
 * node. Schedules a sync soon. Returns an ss_err. */
int ss_service_insert(struct ss_service *ss, const char *type, struct json_object *obj);
int ss_service_register(struct ss_service *ss, const char *type, const char *scope,
                        uint32_t interval_s, uint32_t ttl_s);

/* The node's hostname changed (lime-config applied a new one): the entries this node
 * published under its old name as key (node_info, babel_links_info, ...) are deleted
 * (null copies, authored by the old name, sent as any change), later inserts are
 * authored by the new name, and the built-in publishers publish again under it. A map
 * then shows the node once, by its new name, instead of also the old one until its TTL
 * ran out. 0, SS_ERR_INPUT for an empty name. */
int ss_service_rename(struct ss_service *ss, const char *hostname);

/* The node's community SSID changed (lime-config applied a new ap_ssid: the node moved to
 * another cloud): node_info carries the new ap_ssid, published now, so maps draw the node
 * in its new cloud. NULL or "" = none. 0 (also when unchanged), SS_ERR_INPUT without ss. */
int ss_service_set_ap_ssid(struct ss_service *ss, const char *ap_ssid);

/* Runs every built-in publisher now (upstream's publish_all); they re-insert their
 * data even if unchanged, refreshing its TTL. */
void ss_service_publish_all(struct ss_service *ss);

typedef void (*ss_sync_done_cb)(void *arg, int failed, int total);
/* Syncs a type now with the given peers (NULL/0: the current neighbours). */
int ss_service_sync(struct ss_service *ss, const char *type, const char **peers, size_t npeers,
                    ss_sync_done_cb done, void *arg);
/* Current neighbours as "addr%iface" strings (JSON array, new reference). */
struct json_object *ss_service_neighbours(struct ss_service *ss);

/* Counters as name/value pairs (for /metrics: ss_<name>). */
void ss_service_counters_foreach(struct ss_service *ss,
                                 void (*cb)(const char *name, uint64_t value, void *arg),
                                 void *arg);

#endif
