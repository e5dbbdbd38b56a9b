/* lime.network (spec §2.10): device scan, DNS settings, and running the protocol modules
 * over every device; plus the plan constructors the protocols share (createVlanIface,
 * br-lan ports). */
#include "ctx.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "log.h"

static const char *const proto_names[PROTO_COUNT] = {
    [PROTO_LAN] = "lan",       [PROTO_ANYGW] = "anygw",   [PROTO_BATADV] = "batadv",
    [PROTO_BABELD] = "babeld", [PROTO_WAN] = "wan",       [PROTO_STATIC] = "static",
    [PROTO_IEEE80211S] = "ieee80211s", [PROTO_ADHOC] = "adhoc", [PROTO_APBB] = "apbb",
    [PROTO_CLIENT] = "client",
};

enum plan_proto_id plan_proto_lookup(const char *name)
{
    for (int i = 0; i < PROTO_COUNT; i++)
        if (!strcmp(name, proto_names[i]))
            return (enum plan_proto_id)i;
    return PROTO_UNKNOWN;
}

void plan_proto_parse(const char *entry, struct plan_proto_args *a)
{
    memset(a, 0, sizeof *a);
    COPY(a->raw, entry);
    char *fields[4] = {a->name, a->vlan, a->type, a->suffix};
    size_t sizes[4] = {sizeof a->name, sizeof a->vlan, sizeof a->type, sizeof a->suffix};
    const char *p = entry;
    while (*p && a->argc < 4) {
        size_t n = strcspn(p, ":");
        if (n) { /* empty fields are dropped, as utils.split does */
            size_t m = n < sizes[a->argc] - 1 ? n : sizes[a->argc] - 1;
            memcpy(fields[a->argc], p, m);
            fields[a->argc][m] = '\0';
            a->argc++;
        }
        p += n;
        if (*p == ':')
            p++;
    }
}

int plan_parse_vlan_proto(const char *s, enum plan_vlan_proto def, enum plan_vlan_proto *out)
{
    if (!s || !s[0])
        *out = def;
    else if (!strcmp(s, "8021ad"))
        *out = PLAN_VLAN_8021AD;
    else if (!strcmp(s, "8021q"))
        *out = PLAN_VLAN_8021Q;
    else
        return -1;
    return 0;
}

struct plan_device *plan_add_device(struct plan_ctx *ctx)
{
    struct plan *p = ctx->plan;
    if (p->n_devices >= PLAN_MAX_DEVICES) {
        plan_ctx_fail(ctx, "too many network devices (max %d)", PLAN_MAX_DEVICES);
        return NULL;
    }
    struct plan_device *d = &p->devices[p->n_devices++];
    memset(d, 0, sizeof *d);
    d->seq = ++ctx->seq;
    return d;
}

struct plan_iface *plan_iface_get(struct plan_ctx *ctx, const char *section)
{
    for (int i = 0; i < ctx->plan->n_ifaces; i++)
        if (!strcmp(ctx->plan->ifaces[i].section, section))
            return &ctx->plan->ifaces[i];
    return NULL;
}

struct plan_iface *plan_add_iface(struct plan_ctx *ctx)
{
    struct plan *p = ctx->plan;
    if (p->n_ifaces >= PLAN_MAX_IFACES) {
        plan_ctx_fail(ctx, "too many network interfaces (max %d)", PLAN_MAX_IFACES);
        return NULL;
    }
    struct plan_iface *f = &p->ifaces[p->n_ifaces++];
    memset(f, 0, sizeof *f);
    f->seq = ++ctx->seq;
    return f;
}

struct plan_device *plan_network_bridge(struct plan_ctx *ctx)
{
    for (int i = 0; i < ctx->plan->n_devices; i++)
        if (ctx->plan->devices[i].type == PLAN_DEV_BRIDGE)
            return &ctx->plan->devices[i];
    struct plan_device *d = plan_add_device(ctx);
    if (!d)
        return NULL;
    d->type = PLAN_DEV_BRIDGE;
    d->owner = PLAN_OWNER_LAN;
    COPY(d->name, "br-lan");
    return d;
}

int plan_network_bridge_add_port(struct plan_ctx *ctx, const char *port)
{
    struct plan_device *br = plan_network_bridge(ctx);
    if (!br)
        return -1;
    for (int i = 0; i < br->n_ports; i++)
        if (!strcmp(br->ports[i], port))
            return 0;
    if (br->n_ports >= PLAN_MAX_PORTS)
        return plan_ctx_fail(ctx, "too many br-lan ports (max %d)", PLAN_MAX_PORTS);
    COPY(br->ports[br->n_ports++], port);
    return 0;
}

int plan_network_create_vlan(struct plan_ctx *ctx, const char *base, unsigned vid, const char *suffix,
                        enum plan_vlan_proto proto, enum plan_owner owner,
                        struct plan_iface **out_if, struct plan_device **out_dev)
{
    char *san = lime_iface_sanitize(base);
    if (!san)
        return plan_ctx_fail(ctx, "out of memory");
    char ifsec[PLAN_SECTION_MAX * 2], devsec[PLAN_SECTION_MAX * 2];
    snprintf(ifsec, sizeof ifsec, "%s%s_if", san, suffix);
    snprintf(devsec, sizeof devsec, "%s%s_dev", san, suffix);
    char linux_name[PLAN_IFNAME_MAX];
    COPY(linux_name, base);
    struct plan_device *dev = NULL;
    int rc = 0;
    if (strlen(ifsec) >= PLAN_SECTION_MAX || strlen(devsec) >= PLAN_SECTION_MAX) {
        rc = plan_ctx_fail(ctx, "interface section name too long: %s", devsec);
        goto out;
    }
    if (vid) {
        char *vname = lime_vlan_devname(base, vid);
        if (!vname) {
            rc = plan_ctx_fail(ctx, "out of memory");
            goto out;
        }
        if (strlen(vname) > 15)
            log_warn("VLAN device name %s is longer than 15 characters", vname);
        COPY(linux_name, vname);
        free(vname);
        if (!(dev = plan_add_device(ctx))) {
            rc = -1;
            goto out;
        }
        dev->type = PLAN_DEV_VLAN;
        dev->owner = owner;
        COPY(dev->section, devsec);
        COPY(dev->name, linux_name);
        COPY(dev->link, base);
        if (!strncmp(base, "wlan", 4)) /* netifd resolves @iface to the wifi device */
            snprintf(dev->uci_link, sizeof dev->uci_link, "@%s", san);
        else
            COPY(dev->uci_link, base);
        dev->vid = (uint16_t)vid;
        dev->vlan_proto = proto;
    }
    struct plan_iface *f = plan_add_iface(ctx);
    if (!f) {
        rc = -1;
        goto out;
    }
    COPY(f->section, ifsec);
    f->owner = owner;
    f->proto = vid ? PLAN_PROTO_NONE : PLAN_PROTO_STATIC;
    f->auto_up = true;
    COPY(f->device, linux_name);
    /* vid 0 on wifi: wireless already sets the device (netifd race otherwise) */
    f->uci_device = vid || strncmp(linux_name, "wlan", 4);
    *out_if = f;
    if (out_dev)
        *out_dev = dev;
out:
    free(san);
    return rc;
}

/* --- scandevices (§2.10 step 2) --- */

static bool is_cpu_port(const struct plan_ctx *ctx, const char *dev)
{
    for (int i = 0; i < ctx->hw.n_cpu_ports; i++)
        if (!strcmp(ctx->hw.cpu_ports[i], dev))
            return true;
    return false;
}

static const struct lime_uci_section *specific_section(const struct plan_ctx *ctx, const char *dev)
{
    /* config.foreach("net"): a later section with the same linux_name wins */
    const struct lime_uci_section *found = NULL;
    struct lime_uci_section *s;
    lime_uci_foreach_section(ctx->conf, "net", s)
    {
        const struct lime_uci_option *o = lime_uci_option_get(s, "linux_name");
        const char *v = o ? lime_uci_option_value(o) : NULL;
        if (v && !strcmp(v, dev))
            found = s;
    }
    return found;
}

static int add_phys(struct plan_ctx *ctx, const char *name, enum plan_phys_kind kind)
{
    struct plan *p = ctx->plan;
    for (int i = 0; i < p->n_phys; i++)
        if (!strcmp(p->phys[i].name, name))
            return 0;
    if (p->n_phys >= PLAN_MAX_PHYS)
        return plan_ctx_fail(ctx, "too many devices (max %d)", PLAN_MAX_PHYS);
    struct plan_phys *d = &p->phys[p->n_phys];
    memset(d, 0, sizeof *d);
    if (COPY(d->name, name) < 0)
        return plan_ctx_fail(ctx, "device name too long: %s", name);
    p->n_phys++;
    d->kind = kind;
    const struct plan_hw_netdev *nd = plan_hw_netdev(ctx, name);
    if (nd) {
        d->dsa = nd->dsa;
        d->has_mac = nd->has_mac;
        memcpy(d->mac, nd->mac, 6);
    }
    const struct lime_uci_section *s = specific_section(ctx, name);
    if (s) {
        d->specific = true;
        COPY(d->net_section, lime_uci_section_name(s));
    }
    return 0;
}

static int phys_cmp(const void *a, const void *b)
{
    return strcmp(((const struct plan_phys *)a)->name, ((const struct plan_phys *)b)->name);
}

static bool is_plain_eth(const char *n)
{
    if (strncmp(n, "eth", 3) || !n[3])
        return false;
    for (const char *p = n + 3; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    return true;
}

static int scandevices(struct plan_ctx *ctx)
{
    for (int i = 0; i < ctx->hw.n_roles; i++) {
        const struct plan_hw_role *r = &ctx->hw.roles[i];
        if (strcmp(r->protocol, "dhcp") && strcmp(r->protocol, "static"))
            continue;
        if (r->n_ports) {
            for (int k = 0; k < r->n_ports; k++)
                if (add_phys(ctx, r->ports[k], PLAN_PHYS_ETH) < 0)
                    return -1;
        } else if (r->device[0] && add_phys(ctx, r->device, PLAN_PHYS_ETH) < 0) {
            return -1;
        }
    }
    for (int i = 0; i < ctx->plan->n_wifi_ifaces; i++)
        if (add_phys(ctx, ctx->plan->wifi_ifaces[i].ifname, PLAN_PHYS_WLAN) < 0)
            return -1;
    for (int i = 0; i < ctx->hw.n_netdevs; i++) {
        const struct plan_hw_netdev *nd = &ctx->hw.netdevs[i];
        if (nd->dsa_conduit) {
            log_info("ignoring DSA conduit %s", nd->name);
            continue;
        }
        if (is_cpu_port(ctx, nd->name)) {
            log_info("ignoring %s: connected to the internal switch", nd->name);
            continue;
        }
        if ((is_plain_eth(nd->name) || specific_section(ctx, nd->name)) &&
            add_phys(ctx, nd->name, PLAN_PHYS_ETH) < 0)
            return -1;
    }
    qsort(ctx->plan->phys, (size_t)ctx->plan->n_phys, sizeof ctx->plan->phys[0], phys_cmp);
    return 0;
}

/* --- setup_dns (§2.10 step 3) --- */

static int setup_dns(struct plan_ctx *ctx)
{
    struct plan_dnsmasq *d = &ctx->plan->dnsmasq;
    const char *domain = plan_cfg_get(ctx, "system", "domain", "thisnode.info");
    if (COPY(d->domain, domain) < 0)
        return plan_ctx_fail(ctx, "system.domain too long");
    const char *const *res;
    size_t n = plan_cfg_list(ctx, "network", "resolvers", &res);
    for (size_t i = 0; i < n && d->n_servers < PLAN_MAX_SERVERS; i++)
        COPY(d->servers[d->n_servers++], res[i]);
    COPY(d->confdir, "/etc/dnsmasq.d");
    d->expandhosts = true;
    d->domainneeded = true;
    d->localservice = false;
    return 0;
}

/* --- running the protocols --- */

static bool logged_unknown(struct plan_ctx *ctx, const char *name)
{
    for (int i = 0; i < ctx->n_unknown_logged; i++)
        if (!strcmp(ctx->unknown_logged[i], name))
            return true;
    if (ctx->n_unknown_logged < 16)
        COPY(ctx->unknown_logged[ctx->n_unknown_logged++], name);
    return false;
}

static int proto_configure(struct plan_ctx *ctx, enum plan_proto_id id, const struct plan_proto_args *a)
{
    if (ctx->proto_configured[id])
        return 0;
    ctx->proto_configured[id] = true;
    switch (id) {
    case PROTO_LAN: return plan_proto_lan_configure(ctx, a);
    case PROTO_ANYGW: return plan_proto_anygw_configure(ctx, a);
    case PROTO_BATADV: return plan_proto_batadv_configure(ctx, a);
    case PROTO_BABELD: return plan_proto_babeld_configure(ctx, a);
    case PROTO_WAN: return plan_proto_wan_configure(ctx, a);
    default: return 0;
    }
}

static int proto_setup(struct plan_ctx *ctx, enum plan_proto_id id, const char *dev,
                       const struct plan_proto_args *a)
{
    switch (id) {
    case PROTO_LAN: return plan_proto_lan_setup(ctx, dev, a);
    case PROTO_BATADV: return plan_proto_batadv_setup(ctx, dev, a);
    case PROTO_BABELD: return plan_proto_babeld_setup(ctx, dev, a);
    case PROTO_WAN: return plan_proto_wan_setup(ctx, dev, a);
    case PROTO_STATIC: return plan_proto_static_setup(ctx, dev, a);
    case PROTO_IEEE80211S:
    case PROTO_ADHOC:
    case PROTO_APBB:
    case PROTO_CLIENT: return plan_proto_wifi_setup(ctx, dev, a);
    default: return 0;
    }
}

static enum plan_proto_id known_proto(struct plan_ctx *ctx, const struct plan_proto_args *a)
{
    enum plan_proto_id id = plan_proto_lookup(a->name);
    if (id == PROTO_UNKNOWN && !logged_unknown(ctx, a->name))
        log_info("protocol %s: not available in LiMe-C, skipped", a->name);
    return id;
}

int plan_network_configure(struct plan_ctx *ctx)
{
    if (scandevices(ctx) < 0 || setup_dns(ctx) < 0)
        return -1;
    ctx->plan->rp_filter_loose = true;
    ctx->plan->use_odhcpd = lime_conf_get_bool(ctx->conf, "network", "use_odhcpd", false);

    const char *const *general;
    size_t n_general = plan_cfg_list(ctx, "network", "protocols", &general);
    for (size_t i = 0; i < n_general; i++) {
        struct plan_proto_args a;
        plan_proto_parse(general[i], &a);
        enum plan_proto_id id = known_proto(ctx, &a);
        if (id != PROTO_UNKNOWN && proto_configure(ctx, id, &a) < 0)
            return -1;
    }

    for (int d = 0; d < ctx->plan->n_phys; d++) {
        struct plan_phys *ph = &ctx->plan->phys[d];
        const struct lime_uci_section *spec = ph->specific ? specific_section(ctx, ph->name) : NULL;
        const char *const *protos = general;
        size_t n = n_general;
        static const char *const manual[] = {"manual"};
        if (spec) {
            const struct lime_uci_option *o = lime_uci_option_get(spec, "protocols");
            if (o)
                protos = lime_uci_option_items(o, &n);
            else
                protos = manual, n = 1;
        }
        for (size_t i = 0; i < n; i++) {
            struct plan_proto_args a;
            plan_proto_parse(protos[i], &a);
            if (!strcmp(a.name, "manual"))
                break;
            enum plan_proto_id id = known_proto(ctx, &a);
            if (id == PROTO_UNKNOWN)
                continue;
            /* issue 1121: on a DSA port without a net section only lan runs */
            if (!spec && ph->dsa && id != PROTO_LAN)
                continue;
            a.specific = spec != NULL;
            a.dsa = ph->dsa;
            a.section = spec;
            if (proto_configure(ctx, id, &a) < 0 || proto_setup(ctx, id, ph->name, &a) < 0)
                return -1;
            if (ph->n_protocols < PLAN_MAX_PROTOCOLS)
                COPY(ph->protocols[ph->n_protocols++], a.raw);
        }
    }
    return 0;
}

/* ^wlan%d+.ap: ap, apname, apbb, apup ifaces carry no mesh. */
bool plan_network_is_wifi_ap(const char *dev)
{
    if (strncmp(dev, "wlan", 4) || !isdigit((unsigned char)dev[4]))
        return false;
    const char *p = dev + 4;
    while (isdigit((unsigned char)*p))
        p++;
    return *p && !strncmp(p + 1, "ap", 2);
}

int plan_proto_arg_vid(struct plan_ctx *ctx, const struct plan_proto_args *a, unsigned def, unsigned *vid)
{
    *vid = def;
    if (!a->vlan[0])
        return 0;
    char *end;
    long v = strtol(a->vlan, &end, 10);
    if (*end || v < 0 || v > 4094)
        return plan_ctx_fail_opt(ctx, PROTO_SEC(a), "protocols", a->raw,
                            "protocol '%s': VLAN '%s' is not a number 0-4094", a->raw, a->vlan);
    *vid = (unsigned)v;
    return 0;
}

int plan_proto_arg_vlan_type(struct plan_ctx *ctx, const struct plan_proto_args *a, enum plan_vlan_proto def,
                        enum plan_vlan_proto *vp)
{
    if (plan_parse_vlan_proto(a->type, def, vp) < 0)
        return plan_ctx_fail_opt(ctx, PROTO_SEC(a), "protocols", a->raw,
                            "protocol '%s': VLAN type '%s' (expected 8021ad or 8021q)", a->raw,
                            a->type);
    return 0;
}
