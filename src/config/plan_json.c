/* The plan as JSON (`lime-config --print-plan --json`), for humans, lime-sim and tests.
 * Field names follow plan.h; addresses are CIDR strings, MACs lowercase strings. */
#include "plan.h"

#include <json-c/json.h>
#include <string.h>

static void add_str(json_object *o, const char *k, const char *v)
{
    json_object_object_add(o, k, json_object_new_string(v));
}

static void add_opt_str(json_object *o, const char *k, const char *v)
{
    if (v && v[0])
        add_str(o, k, v);
}

static void add_int(json_object *o, const char *k, long long v)
{
    json_object_object_add(o, k, json_object_new_int64(v));
}

static void add_bool(json_object *o, const char *k, bool v)
{
    json_object_object_add(o, k, json_object_new_boolean(v));
}

static void add_addr(json_object *o, const char *k, const struct plan_addr *a)
{
    char buf[INET6_ADDRSTRLEN + 8];
    if (a->family)
        add_str(o, k, plan_addr_cidr(a, buf, sizeof buf));
}

static void add_mac(json_object *o, const char *k, const uint8_t mac[6])
{
    char buf[24];
    add_str(o, k, plan_mac_str(mac, buf, sizeof buf));
}

static json_object *str_array(const char *base, size_t stride, int n)
{
    json_object *a = json_object_new_array();
    for (int i = 0; i < n; i++)
        json_object_array_add(a, json_object_new_string(base + (size_t)i * stride));
    return a;
}

static const char *owner_name(enum plan_owner o)
{
    static const char *const names[] = {"none", "lan", "anygw", "batadv", "babeld",
                                        "wan", "static", "wifi"};
    return (unsigned)o < sizeof names / sizeof names[0] ? names[o] : "?";
}

static const char *dev_type_name(enum plan_device_type t)
{
    switch (t) {
    case PLAN_DEV_VLAN: return "vlan";
    case PLAN_DEV_MACVLAN: return "macvlan";
    case PLAN_DEV_BRIDGE: return "bridge";
    case PLAN_DEV_BATADV: return "batadv";
    }
    return "?";
}

static const char *proto_name(enum plan_if_proto p)
{
    switch (p) {
    case PLAN_PROTO_NONE: return "none";
    case PLAN_PROTO_STATIC: return "static";
    case PLAN_PROTO_DHCP: return "dhcp";
    case PLAN_PROTO_BATADV: return "batadv";
    case PLAN_PROTO_BATADV_HARDIF: return "batadv_hardif";
    }
    return "?";
}

static json_object *phys_json(const struct plan *p)
{
    json_object *a = json_object_new_array();
    for (int i = 0; i < p->n_phys; i++) {
        const struct plan_phys *d = &p->phys[i];
        json_object *o = json_object_new_object();
        add_str(o, "name", d->name);
        add_str(o, "kind", d->kind == PLAN_PHYS_WLAN ? "wlan" : "eth");
        add_bool(o, "dsa", d->dsa);
        add_bool(o, "specific", d->specific);
        add_opt_str(o, "net_section", d->net_section);
        if (d->has_mac)
            add_mac(o, "mac", d->mac);
        json_object_object_add(o, "protocols",
                               str_array(d->protocols[0], sizeof d->protocols[0], d->n_protocols));
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *devices_json(const struct plan *p)
{
    json_object *a = json_object_new_array();
    for (int i = 0; i < p->n_devices; i++) {
        const struct plan_device *d = &p->devices[i];
        json_object *o = json_object_new_object();
        add_opt_str(o, "section", d->section);
        add_str(o, "type", dev_type_name(d->type));
        add_str(o, "owner", owner_name(d->owner));
        add_str(o, "name", d->name);
        add_opt_str(o, "link", d->link);
        add_opt_str(o, "uci_link", d->uci_link);
        if (d->type == PLAN_DEV_VLAN) {
            add_int(o, "vid", d->vid);
            add_str(o, "vlan_proto", d->vlan_proto == PLAN_VLAN_8021Q ? "8021q" : "8021ad");
        }
        if (d->mtu)
            add_int(o, "mtu", d->mtu);
        if (d->has_mac)
            add_mac(o, "mac", d->mac);
        if (d->type == PLAN_DEV_BRIDGE)
            json_object_object_add(o, "ports",
                                   str_array(d->ports[0], sizeof d->ports[0], d->n_ports));
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *ifaces_json(const struct plan *p)
{
    json_object *a = json_object_new_array();
    for (int i = 0; i < p->n_ifaces; i++) {
        const struct plan_iface *f = &p->ifaces[i];
        json_object *o = json_object_new_object();
        add_str(o, "section", f->section);
        add_str(o, "owner", owner_name(f->owner));
        add_str(o, "proto", proto_name(f->proto));
        add_str(o, "device", f->device);
        add_bool(o, "uci_device", f->uci_device);
        add_opt_str(o, "master", f->master);
        add_addr(o, "ip4", &f->ip4);
        add_addr(o, "ip6", &f->ip6);
        add_addr(o, "gw4", &f->gw4);
        add_addr(o, "gw6", &f->gw6);
        if (f->mtu)
            add_int(o, "mtu", f->mtu);
        add_bool(o, "auto", f->auto_up);
        if (f->has_metric)
            add_int(o, "metric", f->metric);
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *rules_json(const struct plan_rule *r, int n)
{
    json_object *a = json_object_new_array();
    for (int i = 0; i < n; i++) {
        json_object *o = json_object_new_object();
        add_str(o, "section", r[i].section);
        add_addr(o, "src", &r[i].src);
        add_int(o, "table", r[i].table);
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *routes_json(const struct plan_route *r, int n)
{
    json_object *a = json_object_new_array();
    for (int i = 0; i < n; i++) {
        json_object *o = json_object_new_object();
        add_str(o, "section", r[i].section);
        add_str(o, "iface", r[i].iface);
        add_str(o, "device", r[i].device);
        add_addr(o, "target", &r[i].target);
        add_int(o, "table", r[i].table);
        json_object_array_add(a, o);
    }
    return a;
}

static json_object *batman_json(const struct plan_batman *b)
{
    json_object *o = json_object_new_object();
    add_bool(o, "enabled", b->enabled);
    if (!b->enabled)
        return o;
    add_str(o, "mesh_iface", b->mesh_iface);
    add_str(o, "routing_algo", b->routing_algo);
    add_int(o, "orig_interval", b->orig_interval);
    add_int(o, "bridge_loop_avoidance", b->bridge_loop_avoidance);
    add_int(o, "multicast_mode", b->multicast_mode);
    if (b->distributed_arp_table >= 0)
        add_int(o, "distributed_arp_table", b->distributed_arp_table);
    add_opt_str(o, "gw_mode", b->gw_mode);
    json_object_object_add(o, "hardifs", str_array(b->hardifs[0], sizeof b->hardifs[0],
                                                   b->n_hardifs));
    return o;
}

static json_object *babeld_json(const struct plan_babeld *b)
{
    json_object *o = json_object_new_object();
    add_bool(o, "enabled", b->enabled);
    if (!b->enabled)
        return o;
    add_int(o, "local_port", b->local_port);
    add_bool(o, "ubus_bindings", b->ubus_bindings);
    json_object *ifs = json_object_new_array();
    for (int i = 0; i < b->n_ifaces; i++) {
        json_object *e = json_object_new_object();
        add_str(e, "section", b->ifaces[i].section);
        add_str(e, "ifname", b->ifaces[i].ifname);
        add_str(e, "type", b->ifaces[i].type);
        json_object_array_add(ifs, e);
    }
    json_object_object_add(o, "interfaces", ifs);
    json_object *fs = json_object_new_array();
    for (int i = 0; i < b->n_filters; i++) {
        const struct plan_babel_filter *f = &b->filters[i];
        json_object *e = json_object_new_object();
        add_str(e, "section", f->section);
        add_opt_str(e, "ip", f->ip);
        if (f->le >= 0)
            add_int(e, "le", f->le);
        if (f->local)
            add_bool(e, "local", true);
        if (f->proto)
            add_int(e, "proto", f->proto);
        add_str(e, "action", f->action == PLAN_BABEL_ALLOW ? "allow" : "deny");
        json_object_array_add(fs, e);
    }
    json_object_object_add(o, "filters", fs);
    return o;
}

static json_object *dnsmasq_json(const struct plan_dnsmasq *d)
{
    json_object *o = json_object_new_object();
    add_str(o, "domain", d->domain);
    json_object_object_add(o, "servers", str_array(d->servers[0], sizeof d->servers[0],
                                                   d->n_servers));
    add_str(o, "confdir", d->confdir);
    add_bool(o, "anygw", d->anygw);
    if (!d->anygw)
        return o;
    add_opt_str(o, "dhcphostsfile", d->dhcphostsfile);
    add_str(o, "dhcp_section", d->dhcp_section);
    add_str(o, "dhcp_iface", d->dhcp_iface);
    add_str(o, "dhcp_device", d->dhcp_device);
    add_int(o, "dhcp_start", d->dhcp_start);
    add_int(o, "dhcp_limit", d->dhcp_limit);
    add_addr(o, "pool_first", &d->pool_first);
    add_addr(o, "pool_last", &d->pool_last);
    add_str(o, "leasetime", d->leasetime);
    add_int(o, "client_mtu", d->client_mtu);
    add_int(o, "ra_interval", d->ra_interval);
    add_addr(o, "range6", &d->range6);
    add_str(o, "range6_lease", d->range6_lease);
    add_str(o, "ipv6_conf_path", d->ipv6_conf_path);
    json_object *hr = json_object_new_array();
    for (int i = 0; i < d->n_hostrecords; i++) {
        const struct plan_hostrecord *h = &d->hostrecords[i];
        json_object *e = json_object_new_object();
        add_str(e, "section", h->section);
        json_object_object_add(e, "names", str_array(h->names[0], sizeof h->names[0],
                                                     h->n_names));
        add_addr(e, "ip4", &h->ip4);
        add_addr(e, "ip6", &h->ip6);
        json_object_array_add(hr, e);
    }
    json_object_object_add(o, "hostrecords", hr);
    return o;
}

static json_object *anygw_json(const struct plan_anygw *g)
{
    json_object *o = json_object_new_object();
    add_bool(o, "enabled", g->enabled);
    if (!g->enabled)
        return o;
    add_str(o, "ifname", g->ifname);
    add_str(o, "bridge", g->bridge);
    add_mac(o, "mac", g->mac);
    add_addr(o, "ip4", &g->ip4);
    add_addr(o, "ip6", &g->ip6);
    add_int(o, "table", g->table);
    add_int(o, "metric", g->metric);
    add_str(o, "nft_path", g->nft_path);
    add_opt_str(o, "nft_rules", g->nft_rules);
    return o;
}

static json_object *wifi_json(const struct plan *p)
{
    json_object *o = json_object_new_object();
    json_object *radios = json_object_new_array();
    for (int i = 0; i < p->n_radios; i++) {
        const struct plan_radio *r = &p->radios[i];
        json_object *e = json_object_new_object();
        add_str(e, "name", r->name);
        add_int(e, "index", r->index);
        add_int(e, "per_band_index", r->per_band_index);
        add_str(e, "band", r->is_5ghz ? "5g" : "2g");
        add_bool(e, "manual", r->manual);
        add_opt_str(e, "channel", r->channel);
        add_opt_str(e, "htmode", r->htmode);
        add_opt_str(e, "distance", r->distance);
        add_opt_str(e, "country", r->country);
        add_opt_str(e, "txpower", r->txpower);
        add_opt_str(e, "legacy_rates", r->legacy_rates);
        add_opt_str(e, "phy", r->phy);
        if (r->has_phy_mac)
            add_mac(e, "phy_mac", r->phy_mac);
        if (r->live) {
            add_int(e, "wiphy", (int)r->wiphy);
            json_object *t = json_object_new_array();
            for (unsigned k = 0; k < 32; k++)
                if (r->iftypes & (1u << k))
                    json_object_array_add(t, json_object_new_string(lime_wifi_iftype_name(k)));
            json_object_object_add(e, "iftypes", t);
            if (r->freq)
                add_int(e, "frequency", (int)r->freq);
        }
        json_object_array_add(radios, e);
    }
    json_object_object_add(o, "radios", radios);
    json_object *ifs = json_object_new_array();
    for (int i = 0; i < p->n_wifi_ifaces; i++) {
        const struct plan_wifi_iface *w = &p->wifi_ifaces[i];
        json_object *e = json_object_new_object();
        add_str(e, "section", w->section);
        add_str(e, "radio", w->radio);
        add_str(e, "lime_mode", w->lime_mode);
        add_str(e, "mode", w->mode);
        add_str(e, "ifname", w->ifname);
        add_str(e, "network", w->network);
        json_object *opts = json_object_new_object();
        for (int k = 0; k < w->n_opts; k++)
            add_str(opts, w->opts[k].key, w->opts[k].value);
        json_object_object_add(e, "options", opts);
        json_object_array_add(ifs, e);
    }
    json_object_object_add(o, "ifaces", ifs);
    if (p->n_radio_errors) {
        json_object *errs = json_object_new_array();
        for (int i = 0; i < p->n_radio_errors; i++)
            json_object_array_add(errs, json_object_new_string(p->radio_errors[i]));
        json_object_object_add(o, "radio_errors", errs);
    }
    return o;
}

static json_object *plan_json(const struct plan *p)
{
    json_object *o = json_object_new_object();
    add_str(o, "hostname", p->hostname);
    add_str(o, "primary_if", p->primary_if);
    add_mac(o, "primary_mac", p->primary_mac);
    add_str(o, "ap_ssid", p->ap_ssid);
    char id[33];
    for (int i = 0; i < 16; i++)
        snprintf(id + 2 * i, 3, "%02x", p->network_id[i]);
    add_str(o, "network_id", id);
    add_addr(o, "node4", &p->node4);
    add_addr(o, "node6", &p->node6);
    json_object_object_add(o, "phys", phys_json(p));
    json_object_object_add(o, "devices", devices_json(p));
    json_object_object_add(o, "ifaces", ifaces_json(p));
    json_object_object_add(o, "rules4", rules_json(p->rules4, p->n_rules4));
    json_object_object_add(o, "rules6", rules_json(p->rules6, p->n_rules6));
    json_object_object_add(o, "routes4", routes_json(p->routes4, p->n_routes4));
    json_object_object_add(o, "routes6", routes_json(p->routes6, p->n_routes6));
    json_object_object_add(o, "batman", batman_json(&p->batman));
    json_object_object_add(o, "babeld", babeld_json(&p->babeld));
    json_object_object_add(o, "anygw", anygw_json(&p->anygw));
    json_object_object_add(o, "dnsmasq", dnsmasq_json(&p->dnsmasq));
    json_object *wan = json_object_new_object();
    add_bool(wan, "enabled", p->wan.enabled);
    add_opt_str(wan, "device", p->wan.device);
    add_opt_str(wan, "proto", p->wan.proto);
    json_object_object_add(o, "wan", wan);
    json_object_object_add(o, "wifi", wifi_json(p));
    json_object *fw = json_object_new_object();
    add_bool(fw, "defaults_accept", p->firewall.defaults_accept);
    json_object_object_add(fw, "lan_zone_networks",
                           str_array(p->firewall.lan_zone_networks[0],
                                     sizeof p->firewall.lan_zone_networks[0],
                                     p->firewall.n_lan_zone_networks));
    add_bool(fw, "wan_link_local_rule", p->firewall.wan_link_local_rule);
    json_object_object_add(o, "firewall", fw);
    json_object_object_add(o, "uci_set", str_array(p->uci_set[0], sizeof p->uci_set[0],
                                                   p->n_uci_set));
    json_object *rt = json_object_new_object();
    add_str(rt, "preferred_gateway", p->runtime.preferred_gateway);
    add_str(rt, "internet_check_url", p->runtime.internet_check_url);
    add_int(rt, "internet_check_interval", p->runtime.internet_check_interval);
    add_int(rt, "babeld_hello_interval", p->runtime.babeld_hello_interval);
    add_int(rt, "babeld_update_interval", p->runtime.babeld_update_interval);
    add_str(rt, "batadv_backend", p->runtime.batadv_backend);
    json_object_object_add(o, "runtime", rt);
    add_bool(o, "rp_filter_loose", p->rp_filter_loose);
    add_bool(o, "use_odhcpd", p->use_odhcpd);
    return o;
}

int plan_print_json(const struct plan *plan, FILE *out)
{
    json_object *o = plan_json(plan);
    const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
                                                          JSON_C_TO_STRING_NOSLASHESCAPE);
    int rc = (fputs(s, out) < 0 || fputc('\n', out) == EOF) ? -1 : 0;
    json_object_put(o);
    return rc;
}
