/* plan_build(): config.main of upstream (spec §1.4) minus the writing: find the primary
 * MAC, merge the lime-* files, then run the modules in upstream's order
 * (hardware_detection, wireless, network, firewall, system, generic_config). */
#include "ctx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "fsutil.h"
#include "log.h"
#include "template.h"

/* Previous lime-autogen's primary_interface, which upstream still reads when it names the
 * lime-<mac12> file; "eth0" on the first run. */
static void previous_primary(struct plan_ctx *ctx, char *out, size_t len)
{
    char path[PATH_MAX];
    struct lime_uci_package *prev =
        lime_uci_load(plan_ctx_path(ctx, "/etc/config/lime-autogen", path, sizeof path), NULL);
    const char *v = prev ? lime_uci_get(prev, "network", "primary_interface") : NULL;
    plan_copy_str(out, len, v ? v : "eth0");
    lime_uci_free(prev);
}

static int load_wireless(struct plan_ctx *ctx)
{
    char path[PATH_MAX];
    struct lime_uci_error uerr;
    plan_ctx_path(ctx, "/etc/config/wireless", path, sizeof path);
    size_t len;
    char *text = lime_read_file(path, LIME_UCI_MAX_INPUT, &len);
    if (!text) {
        if (errno == ENOENT)
            return 0; /* no wireless config: no radios */
        return plan_ctx_fail(ctx, "%s: %s", path, strerror(errno));
    }
    ctx->wireless_in = lime_uci_parse("wireless", text, len, path, &uerr);
    free(text);
    if (!ctx->wireless_in) {
        char buf[512];
        return plan_ctx_fail(ctx, "%s", lime_uci_error_format(&uerr, buf, sizeof buf));
    }
    return 0;
}

static int identity(struct plan_ctx *ctx)
{
    struct plan *p = ctx->plan;
    bool fell_back;
    const char *configured = plan_cfg_get(ctx, "network", "primary_interface", "eth0");
    if (plan_hw_primary_interface(ctx, configured, p->primary_if, sizeof p->primary_if, &fell_back) < 0)
        return -1;
    if (fell_back)
        lime_uci_set(ctx->conf, "network", "primary_interface", "auto");
    const struct plan_hw_netdev *nd = plan_hw_netdev(ctx, p->primary_if);
    if (nd && nd->has_mac)
        memcpy(p->primary_mac, nd->mac, 6);
    else if (strcmp(p->primary_if, "lo"))
        return plan_ctx_fail(ctx, "%s/class/net/%s/address: no MAC address", ctx->sysfs, p->primary_if);

    const char *ssid = plan_cfg_get(ctx, "wifi", "ap_ssid", "LibreMesh.org");
    COPY(p->ap_ssid, ssid);
    lime_id_of(ssid, &ctx->net_id);
    memcpy(p->network_id, ctx->net_id.byte, 16);

    const char *host_tmpl = plan_cfg_get(ctx, "system", "hostname", "LiMe-%M4%M5%M6");
    char *host = lime_hostname_from_template(host_tmpl, p->primary_mac);
    if (!host)
        return plan_ctx_fail(ctx, "out of memory");
    int too_long = COPY(p->hostname, host);
    free(host);
    if (too_long < 0 || !p->hostname[0])
        return plan_ctx_fail_opt(ctx, "system", "hostname", NULL,
                            "system.hostname: '%s' gives no usable hostname", host_tmpl);

    bool anygw = false;
    const char *const *protos;
    size_t n = plan_cfg_list(ctx, "network", "protocols", &protos);
    for (size_t i = 0; i < n; i++)
        anygw = anygw || !strcmp(protos[i], "anygw");
    const char *t4 = plan_cfg_get(ctx, "network", "main_ipv4_address", "10.%N1.0.0/16");
    const char *t6 = plan_cfg_get(ctx, "network", "main_ipv6_address", "fd%N1:%N2%N3:%N4%N5::/64");
    enum lime_addr_fix fix;
    if (lime_primary_address(t4, AF_INET, p->primary_mac, &ctx->net_id, anygw, &ctx->node4, &fix) < 0)
        return plan_ctx_fail_opt(ctx, "network", "main_ipv4_address", NULL,
                            "network.main_ipv4_address: '%s' is not an IPv4 prefix template", t4);
    if (fix != LIME_ADDR_OK) {
        char buf[LIME_ADDR_STRLEN];
        static const char *const why[] = {"", "NETWORK", "ANYGW", "BROADCAST"};
        log_info("main_ipv4_address is the reserved %s address, using %s", why[fix],
                 lime_addr_format(&ctx->node4, true, buf, sizeof buf));
    }
    if (lime_primary_address(t6, AF_INET6, p->primary_mac, &ctx->net_id, anygw, &ctx->node6, NULL) < 0)
        return plan_ctx_fail_opt(ctx, "network", "main_ipv6_address", NULL,
                            "network.main_ipv6_address: '%s' is not an IPv6 prefix template", t6);
    plan_addr_from_lime(&ctx->node4, &p->node4);
    plan_addr_from_lime(&ctx->node6, &p->node6);
    return 0;
}

static int make_autogen(struct plan_ctx *ctx)
{
    size_t len;
    char *body = lime_uci_write(ctx->conf, &len);
    if (!body)
        return plan_ctx_fail(ctx, "out of memory");
    size_t hl = strlen(LIME_AUTOGEN_HEADER);
    ctx->plan->autogen = malloc(hl + len + 1);
    if (!ctx->plan->autogen) {
        free(body);
        return plan_ctx_fail(ctx, "out of memory");
    }
    memcpy(ctx->plan->autogen, LIME_AUTOGEN_HEADER, hl);
    memcpy(ctx->plan->autogen + hl, body, len + 1);
    free(body);
    return 0;
}

int plan_build(const char *root, const struct plan_options *opt, struct plan **out,
               struct plan_error *err)
{
    *out = NULL;
    err->msg[0] = '\0';
    struct plan_ctx *ctx = calloc(1, sizeof *ctx);
    struct plan *plan = calloc(1, sizeof *plan);
    int rc = -1;
    if (!ctx || !plan) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        goto out;
    }
    ctx->err = err;
    ctx->plan = plan;
    static const struct plan_options none;
    ctx->opt = opt ? opt : &none;
    if (root && strcmp(root, "/"))
        plan_copy_str(ctx->root, sizeof ctx->root, root);
    size_t rl = strlen(ctx->root);
    while (rl && ctx->root[rl - 1] == '/')
        ctx->root[--rl] = '\0';
    if (opt && opt->sysfs)
        plan_copy_str(ctx->sysfs, sizeof ctx->sysfs, opt->sysfs);
    else if (rl + sizeof "/sys" <= sizeof ctx->sysfs) {
        memcpy(ctx->sysfs, ctx->root, rl);
        memcpy(ctx->sysfs + rl, "/sys", sizeof "/sys");
    }

    /* live radios come from the caller (nl80211), not from OpenWrt's wireless file */
    if (plan_hw_scan(ctx) < 0 || (!ctx->opt->live_radios && load_wireless(ctx) < 0))
        goto out;

    /* the lime-<mac12> file name comes from the previous run's primary interface */
    char prev_if[PLAN_IFNAME_MAX], primary[PLAN_IFNAME_MAX], mac12[16] = "";
    bool fb;
    previous_primary(ctx, prev_if, sizeof prev_if);
    struct plan_error scratch;
    ctx->err = &scratch;
    if (plan_hw_primary_interface(ctx, prev_if, primary, sizeof primary, &fb) == 0) {
        const struct plan_hw_netdev *nd = plan_hw_netdev(ctx, primary);
        if (nd && nd->has_mac)
            snprintf(mac12, sizeof mac12, "%02x%02x%02x%02x%02x%02x", nd->mac[0], nd->mac[1],
                     nd->mac[2], nd->mac[3], nd->mac[4], nd->mac[5]);
    }
    ctx->err = err;

    if (plan_conf_load(ctx, mac12[0] ? mac12 : NULL) < 0 || identity(ctx) < 0)
        goto out;
    if (plan_hwd_openwrt_wan(ctx) < 0 || plan_wireless_configure(ctx) < 0 || plan_network_configure(ctx) < 0 ||
        plan_firewall_configure(ctx) < 0 || plan_system_configure(ctx) < 0 ||
        plan_generic_config_configure(ctx) < 0)
        goto out;
    if (make_autogen(ctx) < 0)
        goto out;
    *out = plan;
    plan = NULL;
    rc = 0;
out:
    if (ctx) {
        lime_uci_free(ctx->conf);
        lime_uci_free(ctx->wireless_in);
        free(ctx);
    }
    plan_free(plan);
    return rc;
}
