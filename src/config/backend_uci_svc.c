/* uci backend, service packages: dhcp (dnsmasq, §2.4 + setup_dns), babeld (§2.6),
 * firewall and system, §2.11, uhttpd, alfred (batmanif, §2.5/§2.10). */
#include "backend_uci.h"

#include <stdlib.h>
#include <string.h>

static int set_strs(struct lime_uci_section *s, const char *k, const char *base, size_t stride,
                    int n)
{
    const char *items[32];
    if (n > 32)
        n = 32;
    for (int i = 0; i < n; i++)
        items[i] = base + (size_t)i * stride;
    return plan_uci_set_list_keep(s, k, items, (size_t)n);
}

int plan_uci_apply_dhcp(struct lime_uci_package *dhcp, const struct plan *plan)
{
    const struct plan_dnsmasq *d = &plan->dnsmasq;
    char buf[256], a4[INET6_ADDRSTRLEN], a6[INET6_ADDRSTRLEN];
    struct lime_uci_section *s;
    if (!lime_uci_section_first(dhcp, "dnsmasq")) /* a bare root: give dnsmasq a section */
        TRY(lime_uci_section_add(dhcp, "dnsmasq") ? 0 : -1);
    lime_uci_foreach_section(dhcp, "dnsmasq", s)
    {
        /* network.clean deletes `server` first; setting the same list in place instead
         * keeps reruns byte-identical */
        TRY(lime_uci_sec_set(s, "domain", d->domain));
        snprintf(buf, sizeof buf, "/%s/", d->domain);
        TRY(lime_uci_sec_set(s, "local", buf));
        TRY(lime_uci_sec_set(s, "expandhosts", d->expandhosts ? "1" : "0"));
        TRY(lime_uci_sec_set(s, "domainneeded", d->domainneeded ? "1" : "0"));
        TRY(lime_uci_sec_set(s, "localservice", d->localservice ? "1" : "0"));
        TRY(set_strs(s, "server", d->servers[0], sizeof d->servers[0], d->n_servers));
        TRY(lime_uci_sec_set(s, "confdir", d->confdir));
    }
    if (!d->anygw)
        return 0;
    if (d->lan_ignore && lime_uci_section_get(dhcp, "lan"))
        TRY(lime_uci_set(dhcp, "lan", "ignore", "1"));
    TRY((s = lime_uci_section_set(dhcp, d->dhcp_section, "dhcp")) ? 0 : -1);
    TRY(lime_uci_sec_set(s, "interface", d->dhcp_iface));
    TRY(plan_uci_sec_set_num(s, "start", d->dhcp_start));
    TRY(plan_uci_sec_set_num(s, "limit", d->dhcp_limit));
    TRY(lime_uci_sec_set(s, "leasetime", d->leasetime));
    TRY(lime_uci_sec_set(s, "force", d->dhcp_force ? "1" : "0"));
    TRY((s = lime_uci_section_set(dhcp, d->dhcp_iface, "tag")) ? 0 : -1);
    snprintf(buf, sizeof buf, "option:mtu,%u", d->client_mtu);
    const char *opt[] = {buf};
    TRY(plan_uci_set_list_keep(s, "dhcp_option", opt, 1));
    TRY(lime_uci_sec_set(s, "force", "1"));
    lime_uci_foreach_section(dhcp, "dnsmasq", s)
    {
        TRY(lime_uci_sec_set(s, "add_local_fqdn", d->add_local_fqdn ? "1" : "0"));
        TRY(lime_uci_sec_set(s, "add_local_hostname", d->add_local_hostname ? "1" : "0"));
        if (d->dhcphostsfile[0]) /* shared-state-dnsmasq_leases */
            TRY(lime_uci_sec_set(s, "dhcphostsfile", d->dhcphostsfile));
    }
    for (int i = 0; i < d->n_hostrecords; i++) {
        const struct plan_hostrecord *h = &d->hostrecords[i];
        TRY((s = lime_uci_section_set(dhcp, h->section, "hostrecord")) ? 0 : -1);
        TRY(set_strs(s, "name", h->names[0], sizeof h->names[0], h->n_names));
        snprintf(buf, sizeof buf, "%s,%s", plan_addr_host(&h->ip4, a4, sizeof a4),
                 plan_addr_host(&h->ip6, a6, sizeof a6));
        TRY(lime_uci_sec_set(s, "ip", buf));
    }
    return 0;
}

char *plan_uci_dnsmasq_ipv6_conf(const struct plan *plan)
{
    const struct plan_dnsmasq *d = &plan->dnsmasq;
    char net6[INET6_ADDRSTRLEN], *text = NULL;
    plan_addr_host(&d->range6, net6, sizeof net6);
    if (asprintf(&text,
                 "enable-ra\n"
                 "ra-param=%s,mtu:%u,%u\n"
                 "dhcp-range=tag:%s,%s,ra-names,%s\n"
                 "dhcp-option=tag:%s,option6:domain-search,%s\n",
                 d->dhcp_device, d->client_mtu, d->ra_interval, d->dhcp_device, net6,
                 d->range6_lease, d->dhcp_device, d->domain) < 0)
        return NULL;
    return text;
}

int plan_uci_render_babeld(struct lime_uci_package *b, const struct plan *plan)
{
    const struct plan_babeld *bd = &plan->babeld;
    struct lime_uci_section *s;
    /* lime.proto.babeld truncates the file first */
    while ((s = lime_uci_section_first(b, NULL)))
        lime_uci_section_delete(b, lime_uci_section_name(s));
    if (!bd->enabled)
        return 0;
    int i = 0;
    for (; i < bd->n_ifaces && !strcmp(bd->ifaces[i].type, "tunnel"); i++) {
        TRY((s = lime_uci_section_set(b, bd->ifaces[i].section, "interface")) ? 0 : -1);
        TRY(lime_uci_sec_set(s, "ifname", bd->ifaces[i].ifname));
        TRY(lime_uci_sec_set(s, "type", bd->ifaces[i].type));
    }
    TRY((s = lime_uci_section_set(b, "general", "general")) ? 0 : -1);
    TRY(plan_uci_sec_set_num(s, "local_port", bd->local_port));
    TRY(lime_uci_sec_set(s, "ubus_bindings", bd->ubus_bindings ? "true" : "false"));
    for (int k = 0; k < bd->n_filters; k++) {
        const struct plan_babel_filter *f = &bd->filters[k];
        TRY((s = lime_uci_section_set(b, f->section, "filter")) ? 0 : -1);
        TRY(lime_uci_sec_set(s, "type", "redistribute"));
        if (f->ip[0])
            TRY(lime_uci_sec_set(s, "ip", f->ip));
        if (f->le >= 0)
            TRY(plan_uci_sec_set_num(s, "le", (unsigned long)f->le));
        if (f->local)
            TRY(lime_uci_sec_set(s, "local", "true"));
        TRY(lime_uci_sec_set(s, "action", f->action == PLAN_BABEL_ALLOW ? "allow" : "deny"));
    }
    /* babeld-auto-gw-mode's post hook adds proto afterwards */
    for (int k = 0; k < bd->n_filters; k++)
        if (bd->filters[k].proto)
            TRY(lime_uci_set(b, bd->filters[k].section, "proto", "7") < 0 ? -1 : 0);
    for (; i < bd->n_ifaces; i++) {
        TRY((s = lime_uci_section_set(b, bd->ifaces[i].section, "interface")) ? 0 : -1);
        TRY(lime_uci_sec_set(s, "ifname", bd->ifaces[i].ifname));
        TRY(lime_uci_sec_set(s, "type", bd->ifaces[i].type));
    }
    return 0;
}

int plan_uci_apply_firewall(struct lime_uci_package *fw, const struct plan *plan)
{
    const struct plan_firewall *f = &plan->firewall;
    struct lime_uci_section *s;
    if (f->defaults_accept)
        lime_uci_foreach_section(fw, "defaults", s)
        {
            TRY(lime_uci_sec_set(s, "input", "ACCEPT"));
            TRY(lime_uci_sec_set(s, "output", "ACCEPT"));
            TRY(lime_uci_sec_set(s, "forward", "ACCEPT"));
        }
    lime_uci_foreach_section(fw, "zone", s)
    {
        const char *name = lime_uci_get(fw, lime_uci_section_name(s), "name");
        if (!name || strcmp(name, "lan"))
            continue;
        TRY(lime_uci_sec_set(s, "input", "ACCEPT"));
        TRY(lime_uci_sec_set(s, "output", "ACCEPT"));
        TRY(lime_uci_sec_set(s, "forward", "ACCEPT"));
        TRY(lime_uci_sec_set(s, "mtu_fix", "1"));
        TRY(set_strs(s, "network", f->lan_zone_networks[0], sizeof f->lan_zone_networks[0],
                     f->n_lan_zone_networks));
    }
    if (f->wan_link_local_rule) {
        TRY((s = lime_uci_section_set(fw, "lime_allow_wan_all_link_local", "rule")) ? 0 : -1);
        TRY(lime_uci_sec_set(s, "name", "lime_allow_wan_all_link_local"));
        TRY(lime_uci_sec_set(s, "src", "wan"));
        TRY(lime_uci_sec_set(s, "family", "ipv6"));
        TRY(lime_uci_sec_set(s, "src_ip", "fe80::/10"));
        TRY(lime_uci_sec_set(s, "dest_ip", "fe80::/10"));
        TRY(lime_uci_sec_set(s, "target", "ACCEPT"));
    }
    return 0;
}

int plan_uci_apply_system(struct lime_uci_package *sys, const struct plan *plan)
{
    struct lime_uci_section *s;
    if (!lime_uci_section_first(sys, "system"))
        TRY(lime_uci_section_add(sys, "system") ? 0 : -1);
    lime_uci_foreach_section(sys, "system", s)
        TRY(lime_uci_sec_set(s, "hostname", plan->hostname));
    return 0;
}

int plan_uci_apply_uhttpd(struct lime_uci_package *uh, const struct plan *plan)
{
    (void)plan;
    struct lime_uci_section *s = lime_uci_section_get(uh, "main");
    if (!s)
        return 0; /* uhttpd not installed */
    TRY(lime_uci_sec_set(s, "listen_http", "80"));
    TRY(lime_uci_sec_set(s, "listen_https", "443"));
    TRY(lime_uci_sec_set(s, "max_requests", "6"));
    return lime_uci_sec_set(s, "script_timeout", "15");
}

int plan_uci_apply_alfred(struct lime_uci_package *al, const struct plan *plan)
{
    struct lime_uci_section *s = lime_uci_section_get(al, "alfred");
    if (!s)
        return 0; /* alfred not installed */
    if (plan->batman.enabled) /* batadv.configure */
        return lime_uci_sec_set(s, "batmanif", plan->batman.mesh_iface);
    for (int i = 0; i < plan->n_ifaces; i++) /* lan.configure without batadv */
        if (plan->ifaces[i].owner == PLAN_OWNER_LAN)
            return lime_uci_sec_set(s, "batmanif", "none");
    return 0;
}
