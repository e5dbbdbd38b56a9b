/* Built-in publishers (see publish.h). */
#include "publish.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "log.h"
#include "service.h"

#define REPUBLISH_MS (15u * 60 * 1000) /* well inside every type's TTL */

struct ss_publish {
    struct ss_service *ss;
    char *leasefile;
    bool node_info;
    char hostname[256];
    struct timespec lease_mtime;
    off_t lease_size;
    uint64_t next_leases, next_node_info;
    struct json_object *published_leases; /* {ip: true} we published last time */
};

struct ss_publish *ss_publish_new(struct ss_service *ss, const struct ss_config *cfg)
{
    if (!cfg->leasefile && !cfg->publish_node_info)
        return NULL;
    struct ss_publish *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->ss = ss;
    p->leasefile = cfg->leasefile ? strdup(cfg->leasefile) : NULL;
    p->node_info = cfg->publish_node_info;
    snprintf(p->hostname, sizeof p->hostname, "%s", ss_store_self(ss_service_store(ss)));
    p->published_leases = json_object_new_object();
    return p;
}

void ss_publish_free(struct ss_publish *p)
{
    if (!p)
        return;
    free(p->leasefile);
    json_object_put(p->published_leases);
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

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && len < (4u << 20)) {
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        memcpy(buf + len, chunk, n);
        len += n;
    }
    fclose(f);
    if (!buf)
        buf = calloc(1, 1);
    else
        buf[len] = 0;
    return buf;
}

static void publish_leases(struct ss_publish *p)
{
    char *text = slurp(p->leasefile);
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

static void publish_node_info(struct ss_publish *p)
{
    double up = 0;
    FILE *f = fopen("/proc/uptime", "r");
    if (f) {
        if (fscanf(f, "%lf", &up) != 1)
            up = 0;
        fclose(f);
    }
    struct json_object *v = json_object_new_object(), *o = json_object_new_object();
    json_object_object_add(v, "hostname", json_object_new_string(p->hostname));
    json_object_object_add(v, "firmware_version", json_object_new_string("LiMe-C"));
    json_object_object_add(v, "uptime", json_object_new_int64((int64_t)up));
    json_object_object_add(v, "device", json_object_new_string("Router"));
    json_object_object_add(o, p->hostname, v);
    ss_service_insert(p->ss, "node_info", o);
    json_object_put(o);
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
        publish_node_info(p);
        p->next_node_info = now_ms + REPUBLISH_MS;
    }
}
