/* Built-in publishers (see publish.h). */
#include "publish.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "discover.h"
#include "facts.h"
#include "fsutil.h"
#include "log.h"
#include "uplink.h"
#include "service_int.h"

#define REPUBLISH_MS (15u * 60 * 1000) /* well inside every type's TTL */
#define FACTS_CHECK_MS 10000            /* facts are re-read this often, sent when changed */

enum { F_BAT_HOSTS, F_BABELD_HOSTS, F_BABEL_LINKS, F_BAT_LINKS, F_NODES_AND_LINKS, F_COUNT };
static const char *const fact_types[F_COUNT] = {"bat-hosts", "babeld-hosts", "babel_links_info",
                                                "bat_links_info", "nodes_and_links"};

struct ss_publish {
    struct ss_service *ss;
    char *leasefile;
    bool node_info;
    char hostname[256];
    int64_t (*uptime)(void *arg);
    void *uptime_arg;
    char ap_ssid[64];
    char *last_node_info; /* node_info last published, without its uptime */
    struct timespec lease_mtime;
    off_t lease_size;
    uint64_t next_leases, next_node_info, next_facts;
    struct json_object *published_leases; /* {ip: true} we published last time */
    char *last_fact[F_COUNT];              /* JSON last published, to send only changes */
    uint64_t fact_sent_ms[F_COUNT];
    bool force;
    const char *domain, *dns_ip;
    uint64_t next_servers;
};

struct ss_publish *ss_publish_new(struct ss_service *ss, const struct ss_config *cfg)
{
    if (!cfg->leasefile && !cfg->publish_node_info && !(cfg->local_domain && cfg->local_dns_ip))
        return NULL;
    struct ss_publish *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->ss = ss;
    p->leasefile = cfg->leasefile ? strdup(cfg->leasefile) : NULL;
    p->node_info = cfg->publish_node_info;
    p->uptime = cfg->uptime;
    p->uptime_arg = cfg->uptime_arg;
    snprintf(p->ap_ssid, sizeof p->ap_ssid, "%s", cfg->ap_ssid ? cfg->ap_ssid : "");
    p->domain = cfg->local_domain;
    p->dns_ip = cfg->local_dns_ip;
    snprintf(p->hostname, sizeof p->hostname, "%s", ss_store_self(ss_service_store(ss)));
    p->published_leases = json_object_new_object();
    return p;
}

void ss_publish_free(struct ss_publish *p)
{
    if (!p)
        return;
    free(p->leasefile);
    free(p->last_node_info);
    json_object_put(p->published_leases);
    for (int i = 0; i < F_COUNT; i++)
        free(p->last_fact[i]);
    free(p);
}

struct json_object *ss_publish_parse_leases(const char *text)
{
    struct json_object *o = json_object_new_object();
    const char *line = text;
    while (line && *line) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char buf[512], mac[64], ip[64], name[256];
        long long expiry;
        if (len < sizeof buf) {
            memcpy(buf, line, len);
            buf[len] = 0;
            if (sscanf(buf, "%lld %63s %63s %255s", &expiry, mac, ip, name) == 4 &&
                strchr(ip, '.') && !strchr(ip, ':') && strlen(mac) == 17) {
                struct json_object *v = json_object_new_object();
                json_object_object_add(v, "hostname", json_object_new_string(name));
                json_object_object_add(v, "mac", json_object_new_string(mac));
                json_object_object_add(o, ip, v);
            }
        }
        line = end ? end + 1 : NULL;
    }
    return o;
}

static void publish_leases(struct ss_publish *p)
{
    char *text = lime_read_file(p->leasefile, 4u << 20, NULL);
    if (!text && errno != ENOENT) {
        /* too big or unreadable: publish nothing rather than a part or an empty table */
        log_warn("%s: %s; leases not published", p->leasefile, strerror(errno));
        return;
    }
    struct json_object *leases = ss_publish_parse_leases(text ? text : "");
    free(text);
    struct json_object *hosts = json_object_new_object(), *gone = json_object_new_object();
    json_object_object_foreach(leases, ip, v)
    {
        struct json_object *name;
        if (json_object_object_get_ex(v, "hostname", &name) &&
            strcmp(json_object_get_string(name), "*") != 0) {
            char line[400];
            snprintf(line, sizeof line, "%s %s", ip, json_object_get_string(name));
            json_object_object_add(hosts, line, json_object_new_boolean(1));
        }
    }
    json_object_object_foreach(p->published_leases, old, unused)
    {
        (void)unused;
        if (!json_object_object_get_ex(leases, old, NULL))
            json_object_object_add(gone, old, NULL);
    }
    json_object_object_foreach(gone, ip2, nul)
    {
        (void)nul;
        json_object_object_add(leases, ip2, NULL); /* delete by null */
    }
    json_object_put(gone);
    if (json_object_object_length(leases))
        ss_service_insert(p->ss, "dnsmasq-leases", leases);
    if (json_object_object_length(hosts))
        ss_service_insert(p->ss, "dnsmasq-hosts", hosts);
    json_object_put(p->published_leases);
    p->published_leases = json_object_new_object();
    json_object_object_foreach(leases, ip3, v3)
    {
        if (v3)
            json_object_object_add(p->published_leases, ip3, json_object_new_boolean(1));
    }
    json_object_put(leases);
    json_object_put(hosts);
}

/* node_info without its uptime, to tell a change from the clock going on. */
static char *node_info_text(struct json_object *o, const char *host)
{
    struct json_object *v, *copy = NULL;
    if (!json_object_object_get_ex(o, host, &v) || json_object_deep_copy(v, &copy, NULL) < 0)
        return NULL;
    json_object_object_del(copy, "uptime");
    char *text = strdup(json_object_to_json_string_ext(copy, JSON_C_TO_STRING_PLAIN));
    json_object_put(copy);
    return text;
}

/* Publishes node_info when `always` or when it changed other than its uptime (the node
 * became a gateway, or stopped being one). */
static void publish_node_info(struct ss_publish *p, bool always)
{
    long long up = p->uptime ? (long long)p->uptime(p->uptime_arg) : -1;
    /* a gateway: core/uplink.h's answer, given while babeld answers (as before) */
    const struct lime_babel_state *babeld = ss_discover_babeld(p->ss->disc);
    int gateway = babeld ? lime_uplink_gateway(babeld) : -1;
    struct json_object *o = ss_facts_node_info("/sys/class/net", p->hostname, up, p->ap_ssid,
                                               gateway);
    char *text = node_info_text(o, p->hostname);
    if (always || !text || !p->last_node_info || strcmp(text, p->last_node_info)) {
        ss_service_insert(p->ss, "node_info", o);
        free(p->last_node_info);
        p->last_node_info = text;
    } else {
        free(text);
    }
    json_object_put(o);
}

/* Re-reads every fact; inserts those that changed or were last sent long ago. Empty
 * facts (no babeld, no batd) are not published. */
static void publish_facts(struct ss_publish *p, uint64_t now)
{
    const char *sys = "/sys/class/net";
    const struct lime_babel_state *babeld = ss_discover_babeld(p->ss->disc);
    const char *batd = ss_discover_batd_neighbours(p->ss->disc);
    for (int i = 0; i < F_COUNT; i++) {
        struct json_object *o = NULL;
        switch (i) {
        case F_BAT_HOSTS: o = ss_facts_bat_hosts(sys, p->hostname); break;
        case F_BABELD_HOSTS: o = babeld ? ss_facts_babeld_hosts(babeld, p->hostname) : NULL; break;
        case F_BABEL_LINKS: o = babeld ? ss_facts_babel_links(babeld, p->hostname) : NULL; break;
        case F_BAT_LINKS: o = batd ? ss_facts_bat_links(sys, batd, p->hostname) : NULL; break;
        case F_NODES_AND_LINKS: o = ss_facts_nodes_and_links(sys, batd, p->hostname); break;
        }
        if (!o)
            continue;
        const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
        bool changed = !p->last_fact[i] || strcmp(p->last_fact[i], text) != 0;
        if (json_object_object_length(o) &&
            (changed || p->force || now >= p->fact_sent_ms[i] + REPUBLISH_MS)) {
            ss_service_insert(p->ss, fact_types[i], o);
            free(p->last_fact[i]);
            p->last_fact[i] = strdup(text);
            p->fact_sent_ms[i] = now;
        }
        json_object_put(o);
    }
    p->force = false;
}

void ss_publish_force(struct ss_publish *p)
{
    if (!p)
        return;
    p->next_leases = p->next_node_info = p->next_facts = p->next_servers = 0;
    p->force = true;
}

void ss_publish_renamed(struct ss_publish *p)
{
    if (!p)
        return;
    snprintf(p->hostname, sizeof p->hostname, "%s", ss_store_self(ss_service_store(p->ss)));
    free(p->last_node_info);
    p->last_node_info = NULL;
    for (int i = 0; i < F_COUNT; i++) {
        free(p->last_fact[i]);
        p->last_fact[i] = NULL;
    }
    ss_publish_force(p);
}

void ss_publish_set_ap_ssid(struct ss_publish *p, const char *ap_ssid)
{
    if (!p || !strcmp(p->ap_ssid, ap_ssid ? ap_ssid : ""))
        return;
    snprintf(p->ap_ssid, sizeof p->ap_ssid, "%s", ap_ssid ? ap_ssid : "");
    p->next_facts = 0; /* node_info changed: publish_node_info sends it */
}

void ss_publish_tick(struct ss_publish *p, uint64_t now_ms)
{
    if (p->leasefile) {
        struct stat st;
        bool changed = false;
        if (stat(p->leasefile, &st) == 0) {
            changed = st.st_mtim.tv_sec != p->lease_mtime.tv_sec ||
                      st.st_mtim.tv_nsec != p->lease_mtime.tv_nsec || st.st_size != p->lease_size;
            p->lease_mtime = st.st_mtim;
            p->lease_size = st.st_size;
        }
        if (changed || now_ms >= p->next_leases) {
            publish_leases(p);
            p->next_leases = now_ms + REPUBLISH_MS;
        }
    }
    if (p->node_info && now_ms >= p->next_node_info) {
        publish_node_info(p, true);
        p->next_node_info = now_ms + REPUBLISH_MS;
    }
    if (p->domain && p->dns_ip && now_ms >= p->next_servers) {
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, p->domain, json_object_new_string(p->dns_ip));
        ss_service_insert(p->ss, "dnsmasq-servers", o);
        json_object_put(o);
        p->next_servers = now_ms + REPUBLISH_MS;
    }
    if (p->node_info && now_ms >= p->next_facts) {
        publish_node_info(p, false);
        publish_facts(p, now_ms);
        p->next_facts = now_ms + FACTS_CHECK_MS;
    }
}
