/* Shared-state module; see sharedstate.h. A service that cannot start (port busy, bad
 * state dir) is logged and limed runs on without it: the UI then shows empty tables. */
#include "sharedstate.h"

#include "limecfg.h"
#include "limed.h"
#include "rpc.h"
#include "supervise.h"
#include "core/log.h"
#include "core/loop.h"

#include <json-c/json.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "service.h"

static struct ss_service *service;
static char state_dir[512], control_path[512], hooks_dir[512], hostname[128];
static char hostsfile[512], dnsmasq_pid[512], leasefile[512], uci_types[512];
static char ap_ssid[64];

static int64_t node_uptime(void *arg)
{
    return (int64_t)ld_uptime(arg);
}

void ld_state_check_node(struct ld_ctx *ctx)
{
    if (!service)
        return;
    char now[128];
    ld_rpc_hostname(ctx, now, sizeof(now));
    if (now[0] && strcmp(now, hostname)) {
        if (ss_service_rename(service, now) == SS_OK)
            snprintf(hostname, sizeof(hostname), "%s", now);
        else
            log_warn("shared-state: cannot rename %s to %s", hostname, now);
    }
    char ssid[sizeof(ap_ssid)];
    ld_lime_get(ctx, "wifi", "ap_ssid", false, ssid, sizeof(ssid));
    if (strcmp(ssid, ap_ssid)) {
        log_info("shared-state: node_info's cloud %s -> %s", ap_ssid[0] ? ap_ssid : "(none)",
                 ssid[0] ? ssid : "(none)");
        snprintf(ap_ssid, sizeof(ap_ssid), "%s", ssid);
        ss_service_set_ap_ssid(service, ap_ssid);
    }
}

static void on_reload(void *arg)
{
    ld_state_check_node(arg);
}

int ld_state_watch_node(struct ld_ctx *ctx)
{
    if (service && ld_supervisor_current())
        ld_supervisor_on_reload(ld_supervisor_current(), on_reload, ctx);
    return 0;
}

int ld_state_init(struct ld_ctx *ctx)
{
    if (ctx->state_port < 0)
        return 0;
    char path[512];
    static const char *const dirs[] = {"/var", "/var/lib", "/var/run"};
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
        mkdir(ld_path(ctx, dirs[i], path, sizeof(path)), 0755);
    struct ss_config cfg;
    ss_config_defaults(&cfg);
    cfg.state_dir = ld_path(ctx, "/var/lib/shared-state", state_dir, sizeof(state_dir));
    mkdir(state_dir, 0755);
    cfg.control_path = ld_path(ctx, "/var/run/shared-state-async.sock", control_path,
                               sizeof(control_path));
    cfg.hooks_dir = ld_path(ctx, "/usr/share/shared-state/hooks", hooks_dir, sizeof(hooks_dir));
    cfg.babel = ctx->babel; /* limed's babeld client, shared */
    cfg.batman = ctx->batman; /* limed's batman-adv client, shared */
    /* Lease sharing on the anycast gateway: the paths lime-config/lime-apply give dnsmasq. */
    cfg.dhcp_hostsfile = ld_path(ctx, "/tmp/dhcp.hosts_remote", hostsfile, sizeof(hostsfile));
    cfg.dnsmasq_pidfile = ld_path(ctx, "/var/run/dnsmasq.pid", dnsmasq_pid, sizeof(dnsmasq_pid));
    cfg.leasefile = ld_path(ctx, "/var/lib/dnsmasq.leases", leasefile, sizeof(leasefile));
    cfg.publish_node_info = true;
    /* data types that packages declare (`config dataType` sections), as upstream's init */
    cfg.uci_types = ld_path(ctx, "/etc/config/shared-state", uci_types, sizeof(uci_types));
    cfg.hostname = ld_rpc_hostname(ctx, hostname, sizeof(hostname));
    /* node_info: the node's own uptime (limed.h) and its cloud (the community SSID) */
    cfg.uptime = node_uptime;
    cfg.uptime_arg = ctx;
    cfg.ap_ssid = ld_lime_get(ctx, "wifi", "ap_ssid", false, ap_ssid, sizeof(ap_ssid));
    if (ctx->state_port > 0)
        cfg.port = (uint16_t)ctx->state_port;
    service = ss_service_start(ctx->loop, &cfg);
    if (!service)
        log_warn("shared-state did not start (port %u busy?); running without it",
                 (unsigned)cfg.port);
    return 0;
}

void ld_state_stop(struct ld_ctx *ctx)
{
    ss_service_stop(service);
    service = NULL;
}

struct ss_service *ld_state_current(void)
{
    return service;
}

json_object *ld_state_table(const char *type, json_object **ages)
{
    int err = 0;
    json_object *t = service ? ss_service_get(service, type, &err) : NULL;
    if (t && !json_object_is_type(t, json_type_object)) {
        json_object_put(t);
        t = NULL;
    }
    if (ages) {
        *ages = json_object_new_object();
        struct ss_type *ty = t ? ss_store_type(ss_service_store(service), type) : NULL;
        uint64_t now = lime_now_ms();
        for (size_t i = 0; ty && i < ty->n; i++) {
            int64_t age = ss_type_max_ttl(ty) - ss_entry_ttl(&ty->entries[i], now);
            json_object_object_add(*ages, ty->entries[i].key, json_object_new_int64(age > 0 ? age : 0));
        }
    }
    return t;
}

const char *ld_state_self(void)
{
    return service ? ss_store_self(ss_service_store(service)) : NULL;
}
