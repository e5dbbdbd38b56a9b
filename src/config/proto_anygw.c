/* lime-proto anygw (spec §2.4): the anycast gateway. Every node of a cloud carries the
 * same MAC and first-host IPs on a macvlan over br-lan, answers DHCP/RA/DNS for its own
 * clients, and keeps anygw frames out of bat0 with nftables bridge rules. */
#include "ctx.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

#define ANYGW_TABLE 170u /* 0xaa */
#define ANYGW_METRIC 2147483647u
#define SAFE_CLIENT_MTU 1350u

static const char *const anygw_fqdn[] = {"thisnode.info", "minodo.info", "meuno.info"};

/* The nftables rules (§2.4): idempotent (each chain is added, deleted, then defined),
 * anygw MACs matched on the first 3 bytes. */
static char *nft_rules(void)
{
    static const char text[] =
        "#!/usr/sbin/nft -f\n"
        "# LiMe-C lime-config: anycast gateway isolation (lime-proto-anygw)\n"
        "\n"
        "define anygw_macs = aa:aa:aa:00:00:00/24\n"
        "\n"
        "add table bridge filter\n"
        "add chain bridge filter forward_anygw\n"
        "delete chain bridge filter forward_anygw\n"
        "\n"
        "table bridge filter {\n"
        "\tchain forward_anygw {\n"
        "\t\ttype filter hook forward priority filter; policy accept;\n"
        "\t\t# frames addressed to an anycast gateway are never bridged between ports\n"
        "\t\tether daddr $anygw_macs counter drop\n"
        "\t}\n"
        "}\n"
        "\n"
        "add table bridge nat\n"
        "add chain bridge nat postrouting_anygw\n"
        "delete chain bridge nat postrouting_anygw\n"
        "\n"
        "table bridge nat {\n"
        "\tchain postrouting_anygw {\n"
        "\t\ttype filter hook postrouting priority srcnat; policy accept;\n"
        "\t\t# replies from an anycast gateway stay in their node\n"
        "\t\toifname \"bat0\" ether saddr $anygw_macs counter drop\n"
        "\t\t# router solicitations and advertisements stay local too\n"
        "\t\toifname \"bat0\" ether type ip6 icmpv6 type nd-router-solicit counter drop\n"
        "\t\toifname \"bat0\" ether type ip6 icmpv6 type nd-router-advert counter drop\n"
        "\t}\n"
        "}\n";
    return strdup(text);
}

int plan_proto_anygw_configure(struct plan_ctx *ctx, const struct plan_proto_args *a)
{
    (void)a;
    struct plan *p = ctx->plan;
    struct plan_anygw *g = &p->anygw;
    const char *mac_tmpl = plan_cfg_get(ctx, "network", "anygw_mac", "aa:aa:aa:%N1:%N2:aa");
    if (lime_anygw_mac(mac_tmpl, &ctx->net_id, g->mac) < 0)
        return plan_ctx_fail_opt(ctx, "network", "anygw_mac", NULL,
                            "network.anygw_mac: '%s' is not a MAC address template", mac_tmpl);
    struct lime_addr gw4, gw6, net4, net6;
    lime_anygw_ipv4(&ctx->node4, &gw4);
    lime_anygw_ipv6(&ctx->node6, &gw6);
    lime_addr_network(&gw4, &net4);
    lime_addr_network(&gw6, &net6);

    g->enabled = true;
    COPY(g->ifname, "anygw");
    COPY(g->bridge, "br-lan");
    plan_addr_from_lime(&gw4, &g->ip4);
    plan_addr_from_lime(&gw6, &g->ip6);
    g->table = ANYGW_TABLE;
    g->metric = ANYGW_METRIC;
    COPY(g->nft_path, "/usr/share/nftables.d/ruleset-post/lime-proto-anygw_anycast-rules.nft");
    free(g->nft_rules);
    if (!(g->nft_rules = nft_rules()))
        return plan_ctx_fail(ctx, "out of memory");

    /* createMacvlanIface("br-lan", "anygw") */
    struct plan_device *dev = plan_add_device(ctx);
    if (!dev)
        return -1;
    dev->type = PLAN_DEV_MACVLAN;
    dev->owner = PLAN_OWNER_ANYGW;
    COPY(dev->section, "lm_net_br_lan_anygw_dev");
    COPY(dev->name, "anygw");
    COPY(dev->link, "br-lan");
    COPY(dev->uci_link, "br-lan");
    dev->has_mac = true;
    memcpy(dev->mac, g->mac, 6);
    struct plan_iface *f = plan_add_iface(ctx);
    if (!f)
        return -1;
    COPY(f->section, "lm_net_br_lan_anygw_if");
    f->owner = PLAN_OWNER_ANYGW;
    f->proto = PLAN_PROTO_STATIC;
    COPY(f->device, "anygw");
    f->uci_device = true;
    f->auto_up = true;
    plan_addr_from_lime(&gw4, &f->ip4);
    plan_addr_from_lime(&gw6, &f->ip6);
    f->has_metric = true;
    f->metric = ANYGW_METRIC;

    /* policy routing: traffic from the gateway address uses table 170 */
    if (p->n_rules6 >= PLAN_MAX_RULES || p->n_routes6 >= PLAN_MAX_ROUTES ||
        p->n_rules4 >= PLAN_MAX_RULES || p->n_routes4 >= PLAN_MAX_ROUTES)
        return plan_ctx_fail(ctx, "too many rules/routes");
    struct plan_rule *r6 = &p->rules6[p->n_rules6++];
    r6->seq = ++ctx->seq;
    COPY(r6->section, "lm_net_anygw_rule6");
    plan_addr_from_lime(&gw6, &r6->src);
    r6->src.prefix = 128;
    r6->table = ANYGW_TABLE;
    struct plan_route *t6 = &p->routes6[p->n_routes6++];
    t6->seq = ++ctx->seq;
    COPY(t6->section, "lm_net_anygw_route6");
    COPY(t6->iface, f->section);
    COPY(t6->device, "anygw");
    plan_addr_from_lime(&net6, &t6->target);
    t6->table = ANYGW_TABLE;
    struct plan_rule *r4 = &p->rules4[p->n_rules4++];
    r4->seq = ++ctx->seq;
    COPY(r4->section, "lm_net_anygw_rule4");
    plan_addr_from_lime(&gw4, &r4->src);
    r4->src.prefix = 32;
    r4->table = ANYGW_TABLE;
    struct plan_route *t4 = &p->routes4[p->n_routes4++];
    t4->seq = ++ctx->seq;
    COPY(t4->section, "lm_net_anygw_route4");
    COPY(t4->iface, f->section);
    COPY(t4->device, "anygw");
    plan_addr_from_lime(&net4, &t4->target);
    t4->table = ANYGW_TABLE;

    /* dnsmasq */
    struct plan_dnsmasq *d = &p->dnsmasq;
    d->anygw = true;
    d->lan_ignore = true;
    d->add_local_fqdn = false;
    d->add_local_hostname = false;
    COPY(d->dhcphostsfile, "/tmp/dhcp.hosts_remote");
    COPY(d->dhcp_section, "lm_net_br_lan_anygw_if_dhcp");
    COPY(d->dhcp_iface, f->section);
    COPY(d->dhcp_device, "anygw");
    const char *start_s = plan_cfg_get(ctx, "network", "anygw_dhcp_start", "2");
    const char *limit_s = plan_cfg_get(ctx, "network", "anygw_dhcp_limit", "0");
    char *end;
    long start = strtol(start_s, &end, 10);
    if (*end || start < 1)
        return plan_ctx_fail_opt(ctx, "network", "anygw_dhcp_start", NULL,
                            "network.anygw_dhcp_start: '%s' is not a positive number", start_s);
    long limit = strtol(limit_s, &end, 10);
    if (*end || limit < 0)
        return plan_ctx_fail_opt(ctx, "network", "anygw_dhcp_limit", NULL,
                            "network.anygw_dhcp_limit: '%s' is not a number >= 0", limit_s);
    uint64_t size = gw4.prefix >= 32 ? 1 : (uint64_t)1 << (32 - gw4.prefix);
    if (limit == 0) /* up to the end of the subnet (overlaps node addresses, §7 quirk 8) */
        limit = (long)size - start - 1;
    if (limit < 1 || (uint64_t)(start + limit) > size)
        return plan_ctx_fail(ctx, "anygw DHCP pool start %ld limit %ld does not fit a /%d", start,
                        limit, gw4.prefix);
    d->dhcp_start = (unsigned)start;
    d->dhcp_limit = (unsigned)limit;
    struct lime_addr first = net4, last = net4;
    lime_addr_add(&first, (uint64_t)start);
    lime_addr_add(&last, (uint64_t)(start + limit - 1));
    plan_addr_from_lime(&first, &d->pool_first);
    plan_addr_from_lime(&last, &d->pool_last);
    COPY(d->leasetime, "1h");
    d->dhcp_force = true;
    d->client_mtu = SAFE_CLIENT_MTU;
    d->ra_interval = 120;
    plan_addr_from_lime(&net6, &d->range6);
    COPY(d->range6_lease, "24h");
    COPY(d->ipv6_conf_path, "/etc/dnsmasq.d/lime-proto-anygw-20-ipv6.conf");

    /* host records: the node's own name, and the anycast names */
    struct plan_hostrecord *h = &d->hostrecords[0];
    memset(h, 0, sizeof *h);
    COPY(h->section, "node_name_dns");
    COPY(h->names[0], p->hostname);
    if (strlen(p->hostname) + 1 + strlen(d->domain) >= sizeof h->names[1])
        return plan_ctx_fail(ctx, "system.domain too long");
    strcpy(h->names[1], p->hostname);
    strcat(h->names[1], ".");
    strcat(h->names[1], d->domain);
    h->n_names = 2;
    plan_addr_from_lime(&ctx->node4, &h->ip4);
    plan_addr_from_lime(&ctx->node6, &h->ip6);
    h = &d->hostrecords[1];
    memset(h, 0, sizeof *h);
    COPY(h->section, "anygw_dns");
    COPY(h->names[h->n_names++], "anygw");
    bool domain_listed = false;
    for (size_t i = 0; i < sizeof anygw_fqdn / sizeof anygw_fqdn[0]; i++) {
        COPY(h->names[h->n_names++], anygw_fqdn[i]);
        domain_listed = domain_listed || !strcmp(anygw_fqdn[i], d->domain);
    }
    if (!domain_listed)
        COPY(h->names[h->n_names++], d->domain);
    plan_addr_from_lime(&gw4, &h->ip4);
    plan_addr_from_lime(&gw6, &h->ip6);
    d->n_hostrecords = 2;
    return 0;
}
