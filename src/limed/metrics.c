/* Prometheus exposition; see metrics.h. */
#include "metrics.h"

#include "core/babel.h"
#include "core/batman.h"
#include "limed.h"
#include "nodes.h"
#include "sharedstate.h"
#include "gateway.h"
#include "supervise.h"
#include "wifi.h"
#include "core/strbuf.h"

#include "service.h"

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct out {
    char *buf;
    size_t len, cap;
};

static void emit(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(struct out *o, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < o->cap - o->len) {
            o->len += (size_t)n;
            return;
        }
        char *nb = realloc(o->buf, o->cap * 2);
        if (!nb)
            abort();
        o->buf = nb;
        o->cap *= 2;
    }
}

static void help(struct out *o, const char *name, const char *type, const char *text)
{
    emit(o, "# HELP %s %s\n# TYPE %s %s\n", name, text, name, type);
}

/* Label values: escape backslash, quote and newline. */
static const char *esc(const char *s, char *buf, size_t len)
{
    size_t k = 0;
    for (; *s && k + 3 < len; s++) {
        if (*s == '\\' || *s == '"') {
            buf[k++] = '\\';
            buf[k++] = *s;
        } else if (*s == '\n') {
            buf[k++] = '\\';
            buf[k++] = 'n';
        } else {
            buf[k++] = *s;
        }
    }
    buf[k] = 0;
    return buf;
}

static unsigned long long read_counter(const char *iface, const char *name)
{
    char path[256];
    snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", iface, name);
    char *t = lime_read_file(path, 64, NULL);
    unsigned long long v = t ? strtoull(t, NULL, 10) : 0;
    free(t);
    return v;
}

int ld_metrics_clients(struct ld_ctx *ctx)
{
    char path[512];
    /* lime-apply's dnsmasq lease file, else upstream's */
    char *t = lime_read_file(ld_path(ctx, "/var/lib/dnsmasq.leases", path, sizeof(path)), 1 << 20, NULL);
    if (!t)
        t = lime_read_file(ld_path(ctx, "/tmp/dhcp.leases", path, sizeof(path)), 1 << 20, NULL);
    if (!t)
        return -1;
    int n = 0;
    for (char *p = t; *p; p++)
        n += *p == '\n';
    free(t);
    return n;
}

/* shared-state's own counters, exported as ss_<name>. */
static void state_counter(const char *name, uint64_t value, void *arg)
{
    struct out *o = arg;
    char clean[96];
    size_t k = 0;
    for (; *name && k + 1 < sizeof(clean); name++)
        clean[k++] = (isalnum((unsigned char)*name) || *name == '_') ? *name : '_';
    clean[k] = 0;
    emit(o, "# TYPE ss_%s untyped\nss_%s %llu\n", clean, clean, (unsigned long long)value);
}

/* Daemons run by the supervisor (runtime's supervise.c). */
static void daemon_up(const char *name, pid_t pid, unsigned restarts, void *arg)
{
    char n[64];
    emit(arg, "lime_daemon_up{name=\"%s\"} %d\n", esc(name, n, sizeof(n)), pid > 0);
}

static void daemon_restarts(const char *name, pid_t pid, unsigned restarts, void *arg)
{
    char n[64];
    emit(arg, "lime_daemon_restarts_total{name=\"%s\"} %u\n", esc(name, n, sizeof(n)), restarts);
}

char *ld_metrics_render(struct ld_ctx *ctx)
{
    struct out o = {malloc(8192), 0, 8192};
    if (!o.buf)
        abort();
    o.buf[0] = 0;
    char a[128], b[64];
    const struct lime_babel_state *bb = lime_babel_state(ctx->babel);

    help(&o, "lime_babeld_up", "gauge", "1 if babeld answered on its local socket");
    emit(&o, "lime_babeld_up %d\n", bb->ok);
    help(&o, "lime_neighbours", "gauge", "Babel neighbours of this node");
    emit(&o, "lime_neighbours{protocol=\"babel\"} %d\n", bb->n_neigh);
    json_object *bn = lime_batman_get(ctx->batman, LIME_BATMAN_NEIGHBOURS, 1000);
    if (bn && json_object_is_type(bn, json_type_array))
        emit(&o, "lime_neighbours{protocol=\"batman-adv\"} %zu\n", json_object_array_length(bn));
    json_object_put(bn);
    help(&o, "lime_link_cost", "gauge", "Babel link cost to each neighbour (96 = perfect wired)");
    help(&o, "lime_link_quality_percent", "gauge", "Hellos heard from the neighbour, scaled by cost");
    for (int i = 0; i < bb->n_neigh; i++) {
        const struct lime_babel_neigh *n = &bb->neigh[i];
        esc(n->address, a, sizeof(a));
        esc(n->iface, b, sizeof(b));
        emit(&o, "lime_link_cost{neighbour=\"%s\",iface=\"%s\"} %d\n", a, b, n->cost);
        emit(&o, "lime_link_quality_percent{neighbour=\"%s\",iface=\"%s\"} %d\n", a, b,
             lime_babel_quality(n));
    }
    int installed = 0, gws = 0;
    bool gw_in_use = false;
    for (int i = 0; i < bb->n_route; i++) {
        installed += bb->route[i].installed;
        if (!strcmp(bb->route[i].prefix, "0.0.0.0/0")) {
            gws++;
            gw_in_use |= bb->route[i].installed;
        }
    }
    help(&o, "lime_routes", "gauge", "Babel routes known / installed");
    emit(&o, "lime_routes{state=\"known\"} %d\nlime_routes{state=\"installed\"} %d\n",
         bb->n_route, installed);
    help(&o, "lime_gateways", "gauge", "IPv4 default routes announced in the mesh");
    emit(&o, "lime_gateways %d\n", gws);
    help(&o, "lime_gateway_reachable", "gauge", "1 if an IPv4 default route through the mesh is installed");
    emit(&o, "lime_gateway_reachable %d\n", gw_in_use);

    json_object *bo = lime_batman_get(ctx->batman, LIME_BATMAN_ORIGINATORS, 1000);
    if (bo && json_object_is_type(bo, json_type_array)) {
        int origs = 0;
        for (size_t i = 0; i < json_object_array_length(bo); i++) {
            json_object *best;
            if (json_object_object_get_ex(json_object_array_get_idx(bo, i), "best", &best) &&
                json_object_get_boolean(best))
                origs++;
        }
        help(&o, "lime_batman_originators", "gauge", "Other nodes of this node's cloud (batman-adv)");
        emit(&o, "lime_batman_originators %d\n", origs);
    }
    json_object_put(bo);
    json_object *tl = lime_batman_get(ctx->batman, LIME_BATMAN_TRANSLOCAL, 1000);
    if (tl && json_object_is_type(tl, json_type_array)) {
        help(&o, "lime_cloud_local_clients", "gauge", "Clients (MACs) attached to this node's cloud port");
        emit(&o, "lime_cloud_local_clients %zu\n", json_object_array_length(tl));
    }
    json_object_put(tl);

    const struct ld_gateway *gw = ld_gateway_current();
    if (gw && ld_gateway_wan(gw)[0]) {
        help(&o, "lime_internet_up", "gauge", "1 while this node's own WAN check succeeds (gateway watcher)");
        emit(&o, "lime_internet_up %d\n", ld_gateway_online(gw));
        help(&o, "lime_internet_checks_total", "counter", "Internet checks done by the gateway watcher");
        emit(&o, "lime_internet_checks_total %u\n", ld_gateway_checks(gw));
        struct ld_gateway_stats st;
        ld_gateway_stats(gw, &st);
        help(&o, "lime_gateway_withdrawals_total", "counter",
             "Times this gateway withdrew its announced default (check, carrier, route or probe)");
        emit(&o, "lime_gateway_withdrawals_total %u\n", st.withdrawals);
        help(&o, "lime_gateway_held_down", "gauge", "1 while flap dampening keeps the uplink withdrawn");
        emit(&o, "lime_gateway_held_down %d\n", st.suppressed);
        help(&o, "lime_gateway_held_down_total", "counter", "Times flap dampening held the uplink down");
        emit(&o, "lime_gateway_held_down_total %u\n", st.suppressions);
        help(&o, "lime_uplink_probes_total", "counter", "ICMP probes sent out of the WAN");
        emit(&o, "lime_uplink_probes_total %u\n", st.probes);
        help(&o, "lime_uplink_probe_replies_total", "counter", "Answers to those probes");
        emit(&o, "lime_uplink_probe_replies_total %u\n", st.probe_replies);
    }
    const struct ld_supervisor *sup = ld_supervisor_current();
    if (sup) {
        help(&o, "lime_daemon_up", "gauge", "1 while the supervised daemon runs");
        ld_supervisor_foreach(sup, daemon_up, &o);
        help(&o, "lime_daemon_restarts_total", "counter", "Restarts of each supervised daemon");
        ld_supervisor_foreach(sup, daemon_restarts, &o);
    }

    int total, online;
    ld_nodes_count(&total, &online);
    help(&o, "lime_nodes", "gauge", "Nodes of the mesh this node knows");
    emit(&o, "lime_nodes{state=\"online\"} %d\nlime_nodes{state=\"gone\"} %d\n", online,
         total - online);

    int leases = ld_metrics_clients(ctx);
    if (leases >= 0) {
        help(&o, "lime_clients", "gauge", "DHCP leases handed out by this node");
        emit(&o, "lime_clients %d\n", leases);
    }

    help(&o, "lime_interface_rx_bytes_total", "counter", "Bytes received per interface");
    help(&o, "lime_interface_tx_bytes_total", "counter", "Bytes sent per interface");
    DIR *d = opendir("/sys/class/net");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' || !strcmp(e->d_name, "lo"))
            continue;
        esc(e->d_name, a, sizeof(a));
        emit(&o, "lime_interface_rx_bytes_total{iface=\"%s\"} %llu\n", a,
             read_counter(e->d_name, "rx_bytes"));
        emit(&o, "lime_interface_tx_bytes_total{iface=\"%s\"} %llu\n", a,
             read_counter(e->d_name, "tx_bytes"));
    }
    if (d)
        closedir(d);

    struct ss_service *ss = ld_state_current();
    help(&o, "lime_shared_state_up", "gauge", "1 if the shared-state service runs in limed");
    emit(&o, "lime_shared_state_up %d\n", ss != NULL);
    if (ss)
        ss_service_counters_foreach(ss, state_counter, &o);

    const struct ld_stats *s = &ctx->stats;
    help(&o, "limed_http_requests_total", "counter", "HTTP requests received");
    emit(&o, "limed_http_requests_total %llu\n", (unsigned long long)s->http_requests);
    help(&o, "limed_http_too_large_total", "counter", "Requests refused for a body over 64 KiB");
    emit(&o, "limed_http_too_large_total %llu\n", (unsigned long long)s->http_too_large);
    help(&o, "limed_rpc_calls_total", "counter", "JSON-RPC calls");
    emit(&o, "limed_rpc_calls_total %llu\n", (unsigned long long)s->rpc_calls);
    help(&o, "limed_rpc_errors_total", "counter", "Malformed or refused JSON-RPC requests");
    emit(&o, "limed_rpc_errors_total{kind=\"parse\"} %llu\n", (unsigned long long)s->rpc_parse_errors);
    emit(&o, "limed_rpc_errors_total{kind=\"invalid\"} %llu\n", (unsigned long long)s->rpc_invalid);
    emit(&o, "limed_rpc_errors_total{kind=\"denied\"} %llu\n", (unsigned long long)s->rpc_denied);
    help(&o, "limed_logins_total", "counter", "Logins by result");
    emit(&o, "limed_logins_total{result=\"ok\"} %llu\n", (unsigned long long)s->logins_ok);
    emit(&o, "limed_logins_total{result=\"failed\"} %llu\n", (unsigned long long)s->logins_failed);
    help(&o, "limed_respondd_requests_total", "counter",
         "respondd datagrams: answered, malformed (dropped), over the rate limit (dropped)");
    emit(&o, "limed_respondd_requests_total{result=\"answered\"} %llu\n",
         (unsigned long long)s->respondd_requests);
    emit(&o, "limed_respondd_requests_total{result=\"malformed\"} %llu\n",
         (unsigned long long)s->respondd_malformed);
    emit(&o, "limed_respondd_requests_total{result=\"limited\"} %llu\n",
         (unsigned long long)s->respondd_limited);
    help(&o, "limed_applies_total", "counter", "Configuration applies by result");
    emit(&o, "limed_applies_total{result=\"ok\"} %llu\n", (unsigned long long)s->applies_ok);
    emit(&o, "limed_applies_total{result=\"failed\"} %llu\n", (unsigned long long)s->applies_failed);
    /* the radios: interfaces, stations, hostapd/wpa_supplicant events (wifi.c) */
    struct lime_strbuf wb = {0};
    ld_wifi_metrics(&wb);
    char *wt = lime_strbuf_finish(&wb, NULL);
    if (wt)
        emit(&o, "%s", wt);
    free(wt);
    return o.buf;
}
