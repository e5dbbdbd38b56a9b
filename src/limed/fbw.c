/* First-boot wizard scan; see fbw.h. */
#include "fbw.h"

#include "babel.h"
#include "fetch.h"
#include "limed.h"
#include "nodes.h"
#include "ucifile.h"
#include "core/log.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PEERS 16

struct peer {
    char address[64], iface[32], host[64], file[192];
    int quality;
    const char *code; /* downloading_config, downloaded_config, error_... */
    char *content;
    char ap_ssid[64], apname_ssid[64];
    unsigned gen;
};

static struct peer peers[MAX_PEERS];
static int n_peers, outstanding;
static unsigned generation;
static enum { IDLE, SCANNING, SCANNED } scan_state;

bool ld_fbw_locked(struct ld_ctx *ctx)
{
    char path[512], v[64];
    ld_path(ctx, "/etc/config/lime-node", path, sizeof(path));
    if (!strcmp(ld_uci_read_option(path, "system", "firstbootwizard_configured", v, sizeof(v)), "true") ||
        !strcmp(ld_uci_read_option(path, "system", "firstbootwizard_dismissed", v, sizeof(v)), "true"))
        return false;
    ld_path(ctx, "/etc/config/lime-community", path, sizeof(path));
    return !ld_uci_read_option(path, "wifi", "ap_ssid", v, sizeof(v))[0];
}

static void clear(void)
{
    for (int i = 0; i < n_peers; i++)
        free(peers[i].content);
    memset(peers, 0, sizeof(peers));
    n_peers = 0;
}

struct req {
    unsigned gen;
    int idx;
};

static void sanitize(char *dst, size_t len, const char *src)
{
    size_t k = 0;
    for (; *src && k + 1 < len; src++)
        dst[k++] = isalnum((unsigned char)*src) || *src == '-' ? *src : '_';
    dst[k] = 0;
}

static void on_config(int status, const char *body, size_t len, void *arg)
{
    struct req *r = arg;
    if (r->gen == generation && r->idx < n_peers) {
        struct peer *p = &peers[r->idx];
        struct ld_uci u;
        char *text = body ? strndup(body, len) : NULL;
        if (status != 200 || !text) {
            p->code = "error_download_lime_community";
        } else if (ld_uci_parse("lime-community", text, &u, NULL, 0) < 0) {
            ld_uci_free(&u);
            p->code = "error_download_lime_community";
        } else {
            const char *s = ld_uci_get(&u, "wifi", "ap_ssid");
            const char *n = ld_uci_get(&u, "wifi", "apname_ssid");
            if (!s) {
                p->code = "error_not_configured";
            } else {
                ld_strlcpy(p->ap_ssid, s, sizeof(p->ap_ssid));
                ld_strlcpy(p->apname_ssid, n ? n : "", sizeof(p->apname_ssid));
                p->code = "downloaded_config";
                p->content = text;
                text = NULL;
            }
            ld_uci_free(&u);
        }
        free(text);
        if (--outstanding == 0)
            scan_state = SCANNED;
    }
    free(r);
}

int ld_fbw_scan(struct ld_ctx *ctx)
{
    generation++;
    clear();
    outstanding = 0;
    const struct ld_babel *b = ld_babel_get(ctx);
    for (int i = 0; i < b->n_neigh && n_peers < MAX_PEERS; i++) {
        struct peer *p = &peers[n_peers];
        memset(p, 0, sizeof(*p));
        ld_strlcpy(p->address, b->neigh[i].address, sizeof(p->address));
        ld_strlcpy(p->iface, b->neigh[i].iface, sizeof(p->iface));
        p->quality = ld_babel_quality(&b->neigh[i]);
        const char *id = ld_babel_neigh_id(b, p->address);
        const struct ld_babel_route *hr = id[0] ? ld_babel_host_route(b, id) : NULL;
        char ip[64] = "";
        if (hr)
            snprintf(ip, sizeof(ip), "%.*s", (int)(strlen(hr->prefix) - 3), hr->prefix);
        const char *h = ip[0] ? ld_nodes_hostname(ctx, ip) : NULL;
        char hs[64], as[80];
        sanitize(hs, sizeof(hs), h ? h : (ip[0] ? ip : p->address));
        ld_strlcpy(p->host, h ? h : (ip[0] ? ip : p->address), sizeof(p->host));
        sanitize(as, sizeof(as), p->address);
        snprintf(p->file, sizeof(p->file), "lime-community__host__%s__%s", hs, as);
        p->code = "downloading_config";
        char host[112];
        snprintf(host, sizeof(host), "%s%%%s", p->address, p->iface);
        struct req *r = calloc(1, sizeof(*r));
        if (!r)
            break;
        r->gen = generation;
        r->idx = n_peers;
        n_peers++;
        if (ld_fetch(ctx, strchr(p->address, ':') ? host : p->address, ctx->peer_port,
                     "/cgi-bin/lime/lime-community", on_config, r) == 0) {
            outstanding++;
        } else {
            p->code = "error_download_lime_community";
            free(r);
        }
    }
    scan_state = outstanding ? SCANNING : SCANNED;
    log_info("first-boot wizard: asking %d neighbour(s) for their network", outstanding);
    return 0;
}

void ld_fbw_stop(struct ld_ctx *ctx)
{
    generation++;
    outstanding = 0;
    scan_state = IDLE;
    clear();
}

const char *ld_fbw_network(const char *file)
{
    for (int i = 0; i < n_peers; i++)
        if (peers[i].content && !strcmp(peers[i].file, file))
            return peers[i].content;
    return NULL;
}

json_object *ld_fbw_status(struct ld_ctx *ctx)
{
    static const char *const names[] = {"idle", "scanning", "scanned"};
    json_object *o = json_object_new_object();
    json_object_object_add(o, "lock", json_object_new_boolean(ld_fbw_locked(ctx)));
    json_object_object_add(o, "status", json_object_new_string(names[scan_state]));
    json_object *nets = json_object_new_array(), *scanned = json_object_new_array();
    for (int i = 0; i < n_peers; i++) {
        const struct peer *p = &peers[i];
        json_object *s = json_object_new_object(), *st = json_object_new_object();
        json_object_object_add(s, "bssid", json_object_new_string(p->address));
        json_object_object_add(s, "channel", json_object_new_string(p->iface));
        json_object_object_add(s, "signal", json_object_new_int(p->quality));
        json_object_object_add(st, "retval", json_object_new_boolean(p->content != NULL));
        json_object_object_add(st, "code", json_object_new_string(p->code));
        json_object_object_add(s, "status", st);
        json_object_array_add(scanned, s);
        if (!p->content)
            continue;
        json_object *n = json_object_new_object(), *cfg = json_object_new_object(),
                    *wifi = json_object_new_object();
        json_object_object_add(wifi, "ap_ssid", json_object_new_string(p->ap_ssid));
        json_object_object_add(wifi, "apname_ssid", json_object_new_string(p->apname_ssid));
        json_object_object_add(cfg, "wifi", wifi);
        json_object_object_add(n, "file", json_object_new_string(p->file));
        json_object_object_add(n, "host", json_object_new_string(p->host));
        json_object_object_add(n, "signal", json_object_new_int(p->quality));
        json_object_object_add(n, "config", cfg);
        json_object_array_add(nets, n);
    }
    json_object_object_add(o, "networks", nets);
    json_object_object_add(o, "scanned", scanned);
    return o;
}
