/* uci backend, network and wireless packages (spec §2.4-§2.10, §2.13). Options are set
 * in the order upstream sets them, so with libuci's ordering rules (a changed value
 * moves to the end of its section) the files come out as upstream writes them. */
#include "backend_uci.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static bool starts(const char *s, const char *p)
{
    return !strncmp(s, p, strlen(p));
}

/* network.clean (§2.10) */
static void network_clean(struct lime_uci_package *net)
{
    lime_uci_delete(net, "globals", "ula_prefix");
    if (lime_uci_section_get(net, "wan"))
        lime_uci_set(net, "wan", "proto", "none");
    if (lime_uci_section_get(net, "wan6"))
        lime_uci_set(net, "wan6", "proto", "none");
    /* bat0 is lime's too: recreating it in place keeps reruns byte-identical */
    const char *bat0_proto = lime_uci_get(net, "bat0", "proto");
    if (bat0_proto && !strcmp(bat0_proto, "batadv"))
        lime_uci_section_delete(net, "bat0");
    static const char *const types[] = {"interface", "device", "rule", "route", "rule6", "route6"};
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
        struct lime_uci_section *s = lime_uci_section_first(net, types[t]), *next;
        for (; s; s = next) {
            next = lime_uci_section_next(s, types[t]);
            if (starts(lime_uci_section_name(s), "lm_net_"))
                lime_uci_section_delete(net, lime_uci_section_name(s));
        }
    }
}

static struct lime_uci_section *find_device_named(struct lime_uci_package *net, const char *name)
{
    struct lime_uci_section *s;
    lime_uci_foreach_section(net, "device", s)
    {
        const char *n = lime_uci_get(net, lime_uci_section_name(s), "name");
        if (n && !strcmp(n, name))
            return s;
    }
    return NULL;
}

static int write_device(struct lime_uci_package *net, const struct plan_device *d)
{
    char buf[24];
    if (d->type == PLAN_DEV_BRIDGE) {
        struct lime_uci_section *s = find_device_named(net, d->name);
        if (!s) {
            TRY((s = lime_uci_section_add(net, "device")) ? 0 : -1);
            TRY(lime_uci_sec_set(s, "name", d->name));
            TRY(lime_uci_sec_set(s, "type", "bridge"));
        }
        const char *ports[PLAN_MAX_PORTS];
        for (int i = 0; i < d->n_ports; i++)
            ports[i] = d->ports[i];
        return plan_uci_set_list_keep(s, "ports", ports, (size_t)d->n_ports);
    }
    if (d->type == PLAN_DEV_BATADV)
        return 0;
    struct lime_uci_section *s = lime_uci_section_set(net, d->section, "device");
    TRY(s ? 0 : -1);
    if (d->type == PLAN_DEV_VLAN)
        TRY(lime_uci_sec_set(s, "type", d->vlan_proto == PLAN_VLAN_8021Q ? "8021q" : "8021ad"));
    else
        TRY(lime_uci_sec_set(s, "type", "macvlan"));
    TRY(lime_uci_sec_set(s, "name", d->name));
    TRY(lime_uci_sec_set(s, "ifname", d->uci_link));
    if (d->type == PLAN_DEV_VLAN)
        TRY(plan_uci_sec_set_num(s, "vid", d->vid));
    if (d->mtu)
        TRY(plan_uci_sec_set_num(s, "mtu", d->mtu));
    if (d->has_mac)
        TRY(lime_uci_sec_set(s, "macaddr", plan_mac_str(d->mac, buf, sizeof buf)));
    return 0;
}

static const char *proto_str(enum plan_if_proto p)
{
    switch (p) {
    case PLAN_PROTO_STATIC: return "static";
    case PLAN_PROTO_DHCP: return "dhcp";
    case PLAN_PROTO_BATADV: return "batadv";
    case PLAN_PROTO_BATADV_HARDIF: return "batadv_hardif";
    case PLAN_PROTO_NONE: break;
    }
    return "none";
}

static int write_addrs(struct lime_uci_section *s, const struct plan_iface *f)
{
    char buf[INET6_ADDRSTRLEN + 8];
    if (f->ip4.family) {
        TRY(lime_uci_sec_set(s, "ipaddr", plan_addr_host(&f->ip4, buf, sizeof buf)));
        TRY(lime_uci_sec_set(s, "netmask", plan_addr_netmask(&f->ip4, buf, sizeof buf)));
    }
    if (f->gw4.family)
        TRY(lime_uci_sec_set(s, "gateway", plan_addr_host(&f->gw4, buf, sizeof buf)));
    if (f->ip6.family)
        TRY(lime_uci_sec_set(s, "ip6addr", plan_addr_cidr(&f->ip6, buf, sizeof buf)));
    if (f->gw6.family)
        TRY(lime_uci_sec_set(s, "ip6gw", plan_addr_host(&f->gw6, buf, sizeof buf)));
    return 0;
}

static int write_iface(struct lime_uci_package *net, const struct plan *plan,
                       const struct plan_iface *f)
{
    struct lime_uci_section *s = lime_uci_section_get(net, f->section);
    switch (f->owner) {
    case PLAN_OWNER_LAN: /* OpenWrt's lan: keep its device and other options */
        if (!s) {
            TRY((s = lime_uci_section_set(net, f->section, "interface")) ? 0 : -1);
            TRY(lime_uci_sec_set(s, "device", f->device));
        }
        TRY(lime_uci_sec_set(s, "proto", proto_str(f->proto)));
        TRY(write_addrs(s, f));
        return f->mtu ? plan_uci_sec_set_num(s, "mtu", f->mtu) : 0;
    case PLAN_OWNER_WAN:
        if (!s)
            TRY((s = lime_uci_section_set(net, f->section, "interface")) ? 0 : -1);
        TRY(lime_uci_sec_set(s, "proto", proto_str(f->proto)));
        return f->uci_device && f->device[0] ? lime_uci_sec_set(s, "device", f->device) : 0;
    case PLAN_OWNER_STATIC: /* createStaticIface */
        TRY((s = lime_uci_section_set(net, f->section, "interface")) ? 0 : -1);
        TRY(lime_uci_sec_set(s, "proto", "static"));
        TRY(lime_uci_sec_set(s, "auto", "1"));
        TRY(lime_uci_sec_set(s, "ifname", f->device));
        return write_addrs(s, f);
    case PLAN_OWNER_WIFI: /* lime.proto.ieee80211s & co */
        TRY((s = lime_uci_section_set(net, f->section, "interface")) ? 0 : -1);
        TRY(lime_uci_sec_set(s, "proto", proto_str(f->proto)));
        if (f->mtu)
            TRY(plan_uci_sec_set_num(s, "mtu", f->mtu));
        return lime_uci_sec_set(s, "auto", f->auto_up ? "1" : "0");
    case PLAN_OWNER_ANYGW: /* createMacvlanIface, then its argsIf */
        TRY((s = lime_uci_section_set(net, f->section, "interface")) ? 0 : -1);
        TRY(lime_uci_sec_set(s, "proto", "none"));
        TRY(lime_uci_sec_set(s, "device", f->device));
        TRY(lime_uci_sec_set(s, "auto", "1"));
        TRY(lime_uci_sec_set(s, "proto", proto_str(f->proto)));
        if (f->has_metric)
            TRY(plan_uci_sec_set_num(s, "metric", f->metric));
        return write_addrs(s, f);
    default: /* createVlanIface, then the protocol's own options */
        TRY((s = lime_uci_section_set(net, f->section, "interface")) ? 0 : -1);
        /* createVlanIface: proto none on a VLAN, static on the raw device (vid 0) */
        TRY(lime_uci_sec_set(s, "proto", plan_find_device(plan, f->device) ? "none" : "static"));
        TRY(lime_uci_sec_set(s, "auto", "1"));
        if (f->uci_device)
            TRY(lime_uci_sec_set(s, "device", f->device));
        TRY(lime_uci_sec_set(s, "proto", proto_str(f->proto)));
        if (f->master[0])
            TRY(lime_uci_sec_set(s, "master", f->master));
        TRY(write_addrs(s, f));
        return f->mtu ? plan_uci_sec_set_num(s, "mtu", f->mtu) : 0;
    }
}

static int write_bat0(struct lime_uci_package *net, const struct plan_batman *b)
{
    struct lime_uci_section *s = lime_uci_section_set(net, b->mesh_iface, "interface");
    TRY(s ? 0 : -1);
    TRY(lime_uci_sec_set(s, "proto", "batadv"));
    TRY(lime_uci_sec_set(s, "routing_algo", b->routing_algo));
    TRY(plan_uci_sec_set_num(s, "bridge_loop_avoidance", (unsigned long)b->bridge_loop_avoidance));
    TRY(plan_uci_sec_set_num(s, "multicast_mode", (unsigned long)b->multicast_mode));
    TRY(plan_uci_sec_set_num(s, "orig_interval", b->orig_interval));
    if (b->distributed_arp_table >= 0)
        TRY(plan_uci_sec_set_num(s, "distributed_arp_table", (unsigned long)b->distributed_arp_table));
    else
        lime_uci_sec_delete(s, "distributed_arp_table");
    if (b->gw_mode[0])
        TRY(lime_uci_sec_set(s, "gw_mode", b->gw_mode));
    else
        lime_uci_sec_delete(s, "gw_mode");
    return 0;
}

static int write_rule(struct lime_uci_package *net, const struct plan_rule *r, const char *type)
{
    char buf[INET6_ADDRSTRLEN + 8];
    struct lime_uci_section *s = lime_uci_section_set(net, r->section, type);
    TRY(s ? 0 : -1);
    TRY(lime_uci_sec_set(s, "src", plan_addr_cidr(&r->src, buf, sizeof buf)));
    return plan_uci_sec_set_num(s, "lookup", r->table);
}

static int write_route(struct lime_uci_package *net, const struct plan_route *r, const char *type)
{
    char buf[INET6_ADDRSTRLEN + 8];
    struct lime_uci_section *s = lime_uci_section_set(net, r->section, type);
    TRY(s ? 0 : -1);
    TRY(lime_uci_sec_set(s, "interface", r->iface));
    if (r->target.family == AF_INET) {
        TRY(lime_uci_sec_set(s, "target", plan_addr_host(&r->target, buf, sizeof buf)));
        TRY(lime_uci_sec_set(s, "netmask", plan_addr_netmask(&r->target, buf, sizeof buf)));
    } else {
        TRY(lime_uci_sec_set(s, "target", plan_addr_cidr(&r->target, buf, sizeof buf)));
    }
    return plan_uci_sec_set_num(s, "table", r->table);
}

/* Every network object in creation order. */
struct net_obj {
    unsigned seq;
    int kind; /* 0 device, 1 iface, 2 rule4, 3 rule6, 4 route4, 5 route6 */
    const void *p;
};

static int obj_cmp(const void *a, const void *b)
{
    const struct net_obj *x = a, *y = b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int plan_uci_apply_network(struct lime_uci_package *net, const struct plan *plan)
{
    network_clean(net);
    size_t cap = (size_t)(plan->n_devices + plan->n_ifaces + 4 * PLAN_MAX_RULES);
    struct net_obj *objs = calloc(cap, sizeof *objs);
    if (!objs)
        return -1;
    size_t n = 0;
    for (int i = 0; i < plan->n_devices; i++)
        objs[n++] = (struct net_obj){plan->devices[i].seq, 0, &plan->devices[i]};
    for (int i = 0; i < plan->n_ifaces; i++)
        objs[n++] = (struct net_obj){plan->ifaces[i].seq, 1, &plan->ifaces[i]};
    for (int i = 0; i < plan->n_rules4; i++)
        objs[n++] = (struct net_obj){plan->rules4[i].seq, 2, &plan->rules4[i]};
    for (int i = 0; i < plan->n_rules6; i++)
        objs[n++] = (struct net_obj){plan->rules6[i].seq, 3, &plan->rules6[i]};
    for (int i = 0; i < plan->n_routes4; i++)
        objs[n++] = (struct net_obj){plan->routes4[i].seq, 4, &plan->routes4[i]};
    for (int i = 0; i < plan->n_routes6; i++)
        objs[n++] = (struct net_obj){plan->routes6[i].seq, 5, &plan->routes6[i]};
    qsort(objs, n, sizeof *objs, obj_cmp);
    int rc = 0;
    bool bat0_done = !plan->batman.enabled;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct net_obj *o = &objs[i];
        enum plan_owner owner = o->kind == 0 ? ((const struct plan_device *)o->p)->owner
                              : o->kind == 1 ? ((const struct plan_iface *)o->p)->owner
                                             : PLAN_OWNER_ANYGW;
        if (!bat0_done && owner == PLAN_OWNER_BATADV) {
            rc = write_bat0(net, &plan->batman);
            bat0_done = true;
            if (rc)
                break;
        }
        switch (o->kind) {
        case 0: rc = write_device(net, o->p); break;
        case 1: rc = write_iface(net, plan, o->p); break;
        case 2: rc = write_rule(net, o->p, "rule"); break;
        case 3: rc = write_rule(net, o->p, "rule6"); break;
        case 4: rc = write_route(net, o->p, "route"); break;
        case 5: rc = write_route(net, o->p, "route6"); break;
        }
    }
    if (rc == 0 && !bat0_done)
        rc = write_bat0(net, &plan->batman);
    free(objs);
    return rc;
}

int plan_uci_apply_wireless(struct lime_uci_package *wl, const struct plan *plan)
{
    struct lime_uci_section *s = lime_uci_section_first(wl, "wifi-iface"), *next;
    for (; s; s = next) { /* wireless.clean: every wifi-iface, OpenWrt's default_radioN too */
        next = lime_uci_section_next(s, "wifi-iface");
        lime_uci_section_delete(wl, lime_uci_section_name(s));
    }
    for (int i = 0; i < plan->n_radios; i++) {
        const struct plan_radio *r = &plan->radios[i];
        if (r->manual)
            continue;
        struct lime_uci_section *d = lime_uci_section_get(wl, r->name);
        if (!d)
            continue;
        TRY(lime_uci_sec_set(d, "disabled", "0"));
        TRY(lime_uci_sec_set(d, "noscan", "1"));
        if (r->channel[0])
            TRY(lime_uci_sec_set(d, "channel", r->channel));
        if (r->distance[0])
            TRY(lime_uci_sec_set(d, "distance", r->distance));
        if (r->country[0])
            TRY(lime_uci_sec_set(d, "country", r->country));
        if (r->txpower[0])
            TRY(lime_uci_sec_set(d, "txpower", r->txpower));
        if (r->htmode[0])
            TRY(lime_uci_sec_set(d, "htmode", r->htmode));
        if (r->legacy_rates[0])
            TRY(lime_uci_sec_set(d, "legacy_rates", r->legacy_rates));
    }
    for (int i = 0; i < plan->n_wifi_ifaces; i++) {
        const struct plan_wifi_iface *w = &plan->wifi_ifaces[i];
        struct lime_uci_section *f = lime_uci_section_set(wl, w->section, "wifi-iface");
        TRY(f ? 0 : -1);
        TRY(lime_uci_sec_set(f, "mode", w->mode));
        TRY(lime_uci_sec_set(f, "device", w->radio));
        TRY(lime_uci_sec_set(f, "ifname", w->ifname));
        TRY(lime_uci_sec_set(f, "network", w->network));
        for (int k = 0; k < w->n_opts; k++)
            TRY(lime_uci_sec_set(f, w->opts[k].key, w->opts[k].value));
    }
    return 0;
}
