/* See apply_fixture.h. Values from lime-spec.md §8 (worked example). */
#include "apply_fixture.h"

#include "plan.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void addr(struct plan_addr *a, const char *text, int prefix)
{
    memset(a, 0, sizeof(*a));
    if (inet_pton(AF_INET, text, &a->u.v4) == 1)
        a->family = AF_INET;
    else if (inet_pton(AF_INET6, text, &a->u.v6) == 1)
        a->family = AF_INET6;
    a->prefix = (uint8_t)prefix;
}

static void mac(uint8_t m[6], unsigned a, unsigned b, unsigned c, unsigned d, unsigned e, unsigned f)
{
    m[0] = (uint8_t)a; m[1] = (uint8_t)b; m[2] = (uint8_t)c;
    m[3] = (uint8_t)d; m[4] = (uint8_t)e; m[5] = (uint8_t)f;
}

static void filter(struct plan *p, const char *sec, const char *ip, int le, bool local, int proto,
                   enum plan_babel_action act)
{
    struct plan_babel_filter *f = &p->babeld.filters[p->babeld.n_filters++];
    snprintf(f->section, sizeof(f->section), "%s", sec);
    snprintf(f->ip, sizeof(f->ip), "%s", ip);
    f->le = le;
    f->local = local;
    f->proto = proto;
    f->action = act;
}

struct plan *lr_fixture_plan(const struct lr_fixture *fx)
{
    static const struct lr_fixture defaults = {"eth0", "eth1", "", {10, 13, 132, 209}, 1, "", ""};
    if (!fx)
        fx = &defaults;
    struct plan *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    const char *mesh = fx->mesh_if ? fx->mesh_if : "eth0";
    char n4[32];
    snprintf(n4, sizeof(n4), "%u.%u.%u.%u", fx->node4[0], fx->node4[1], fx->node4[2], fx->node4[3]);
    if (!fx->node4[0])
        snprintf(n4, sizeof(n4), "10.13.132.209");

    snprintf(p->hostname, sizeof(p->hostname), "LiMe-1c84d1");
    snprintf(p->primary_if, sizeof(p->primary_if), "%s", mesh);
    mac(p->primary_mac, 0xa8, 0x40, 0x41, 0x1c, 0x84, 0xd1);
    snprintf(p->ap_ssid, sizeof(p->ap_ssid), "LibreMesh.org");
    addr(&p->node4, n4, 16);
    addr(&p->node6, "fd0d:fe46:8ce8::1c:84d1", 64);

    /* devices */
    struct plan_device *d = &p->devices[p->n_devices++];
    d->type = PLAN_DEV_BRIDGE;
    snprintf(d->name, sizeof(d->name), "br-lan");
    snprintf(d->ports[d->n_ports++], PLAN_IFNAME_MAX, "bat0");
    if (fx->lan_port && fx->lan_port[0])
        snprintf(d->ports[d->n_ports++], PLAN_IFNAME_MAX, "%s", fx->lan_port);
    d = &p->devices[p->n_devices++];
    d->type = PLAN_DEV_BATADV;
    snprintf(d->name, sizeof(d->name), "bat0");
    d = &p->devices[p->n_devices++];
    d->type = PLAN_DEV_MACVLAN;
    d->owner = PLAN_OWNER_ANYGW;
    snprintf(d->section, sizeof(d->section), "lm_net_br_lan_anygw_dev");
    snprintf(d->name, sizeof(d->name), "anygw");
    snprintf(d->link, sizeof(d->link), "br-lan");
    d->has_mac = true;
    mac(d->mac, 0xaa, 0xaa, 0xaa, 0x0d, 0xfe, 0xaa);
    d = &p->devices[p->n_devices++];
    d->type = PLAN_DEV_VLAN;
    d->owner = PLAN_OWNER_BATADV;
    snprintf(d->name, sizeof(d->name), "%s_29", mesh);
    snprintf(d->link, sizeof(d->link), "%s", mesh);
    d->vid = 29;
    d->mtu = 1496;
    d->has_mac = true;
    mac(d->mac, 0x02, 0x95, 0x39, 0x1c, 0x84, 0xd1);
    d = &p->devices[p->n_devices++];
    d->type = PLAN_DEV_VLAN;
    d->owner = PLAN_OWNER_BABELD;
    snprintf(d->name, sizeof(d->name), "%s_17", mesh);
    snprintf(d->link, sizeof(d->link), "%s", mesh);
    d->vid = 17;
    d->mtu = 1496;

    /* interfaces */
    struct plan_iface *f = &p->ifaces[p->n_ifaces++];
    snprintf(f->section, sizeof(f->section), "lan");
    f->owner = PLAN_OWNER_LAN;
    f->proto = PLAN_PROTO_STATIC;
    snprintf(f->device, sizeof(f->device), "br-lan");
    f->ip4 = p->node4;
    f->ip6 = p->node6;
    f->mtu = 1500;
    f = &p->ifaces[p->n_ifaces++];
    snprintf(f->section, sizeof(f->section), "lm_net_br_lan_anygw_if");
    f->owner = PLAN_OWNER_ANYGW;
    f->proto = PLAN_PROTO_STATIC;
    snprintf(f->device, sizeof(f->device), "anygw");
    addr(&f->ip4, "10.13.0.1", 16);
    addr(&f->ip6, "fd0d:fe46:8ce8::1", 64);
    f->has_metric = true;
    f->metric = 2147483647u;
    f = &p->ifaces[p->n_ifaces++];
    f->owner = PLAN_OWNER_BATADV;
    f->proto = PLAN_PROTO_BATADV_HARDIF;
    snprintf(f->device, sizeof(f->device), "%s_29", mesh);
    snprintf(f->master, sizeof(f->master), "bat0");
    f = &p->ifaces[p->n_ifaces++];
    f->owner = PLAN_OWNER_BABELD;
    f->proto = PLAN_PROTO_STATIC;
    snprintf(f->device, sizeof(f->device), "%s_17", mesh);
    addr(&f->ip4, n4, 32);
    if (fx->wan_if && fx->wan_if[0]) {
        f = &p->ifaces[p->n_ifaces++];
        snprintf(f->section, sizeof(f->section), "wan");
        f->owner = PLAN_OWNER_WAN;
        f->proto = PLAN_PROTO_DHCP;
        snprintf(f->device, sizeof(f->device), "%s", fx->wan_if);
        p->wan.enabled = true;
        snprintf(p->wan.device, sizeof(p->wan.device), "%s", fx->wan_if);
        snprintf(p->wan.proto, sizeof(p->wan.proto), "dhcp");
    }

    /* policy routing */
    addr(&p->rules4[0].src, "10.13.0.1", 32);
    p->rules4[0].table = 170;
    p->n_rules4 = 1;
    addr(&p->rules6[0].src, "fd0d:fe46:8ce8::1", 128);
    p->rules6[0].table = 170;
    p->n_rules6 = 1;
    addr(&p->routes4[0].target, "10.13.0.0", 16);
    snprintf(p->routes4[0].device, PLAN_IFNAME_MAX, "anygw");
    p->routes4[0].table = 170;
    p->n_routes4 = 1;
    addr(&p->routes6[0].target, "fd0d:fe46:8ce8::", 64);
    snprintf(p->routes6[0].device, PLAN_IFNAME_MAX, "anygw");
    p->routes6[0].table = 170;
    p->n_routes6 = 1;

    /* daemons */
    p->batman.enabled = true;
    snprintf(p->batman.mesh_iface, sizeof(p->batman.mesh_iface), "bat0");
    p->batman.orig_interval = 2000;
    snprintf(p->batman.routing_algo, sizeof(p->batman.routing_algo), "BATMAN_IV");
    p->batman.bridge_loop_avoidance = 1;
    p->batman.multicast_mode = 0;
    p->batman.distributed_arp_table = 0; /* with anygw, as gw_mode client */
    snprintf(p->batman.gw_mode, sizeof(p->batman.gw_mode), "client");
    snprintf(p->batman.hardifs[p->batman.n_hardifs++], PLAN_IFNAME_MAX, "%s_29", mesh);
    p->babeld.enabled = true;
    p->babeld.local_port = 30003;
    struct plan_babel_iface *bi = &p->babeld.ifaces[p->babeld.n_ifaces++];
    snprintf(bi->ifname, sizeof(bi->ifname), "%s_17", mesh);
    snprintf(bi->type, sizeof(bi->type), "wireless");
    filter(p, "ula6", "fc00::/7", -1, false, 0, PLAN_BABEL_ALLOW);
    filter(p, "public6", "2000::/3", -1, false, 0, PLAN_BABEL_ALLOW);
    filter(p, "default6", "::/0", 0, false, 7, PLAN_BABEL_ALLOW);
    filter(p, "mesh4", "10.0.0.0/8", -1, false, 0, PLAN_BABEL_ALLOW);
    filter(p, "mptp4", "172.16.0.0/12", -1, false, 0, PLAN_BABEL_ALLOW);
    filter(p, "default4", "0.0.0.0/0", 0, false, 7, PLAN_BABEL_ALLOW);
    filter(p, "localdeny", "", -1, true, 0, PLAN_BABEL_DENY);
    filter(p, "denyany", "", -1, false, 0, PLAN_BABEL_DENY);

    p->anygw.enabled = true;
    snprintf(p->anygw.ifname, sizeof(p->anygw.ifname), "anygw");
    snprintf(p->anygw.bridge, sizeof(p->anygw.bridge), "br-lan");
    mac(p->anygw.mac, 0xaa, 0xaa, 0xaa, 0x0d, 0xfe, 0xaa);
    addr(&p->anygw.ip4, "10.13.0.1", 16);
    addr(&p->anygw.ip6, "fd0d:fe46:8ce8::1", 64);
    p->anygw.table = 170;
    p->anygw.metric = 2147483647u;

    struct plan_dnsmasq *dn = &p->dnsmasq;
    snprintf(dn->domain, sizeof(dn->domain), "thisnode.info");
    snprintf(dn->servers[dn->n_servers++], 64, "4.2.2.2");
    snprintf(dn->servers[dn->n_servers++], 64, "141.1.1.1");
    snprintf(dn->servers[dn->n_servers++], 64, "2001:470:20::2");
    dn->expandhosts = dn->domainneeded = true;
    dn->anygw = true;
    snprintf(dn->dhcphostsfile, sizeof(dn->dhcphostsfile), "/tmp/dhcp.hosts_remote");
    snprintf(dn->dhcp_device, sizeof(dn->dhcp_device), "anygw");
    dn->dhcp_start = 2;
    dn->dhcp_limit = 65533;
    addr(&dn->pool_first, "10.13.0.2", 16);
    addr(&dn->pool_last, "10.13.255.254", 16);
    snprintf(dn->leasetime, sizeof(dn->leasetime), "1h");
    dn->client_mtu = 1350;
    dn->ra_interval = 120;
    addr(&dn->range6, "fd0d:fe46:8ce8::", 64);
    snprintf(dn->range6_lease, sizeof(dn->range6_lease), "24h");
    struct plan_hostrecord *h = &dn->hostrecords[dn->n_hostrecords++];
    snprintf(h->names[h->n_names++], PLAN_VALUE_MAX, "LiMe-1c84d1");
    snprintf(h->names[h->n_names++], PLAN_VALUE_MAX, "LiMe-1c84d1.thisnode.info");
    h->ip4 = p->node4;
    h->ip6 = p->node6;
    h = &dn->hostrecords[dn->n_hostrecords++];
    const char *names[] = {"anygw", "thisnode.info", "minodo.info", "meuno.info"};
    for (int i = 0; i < 4; i++)
        snprintf(h->names[h->n_names++], PLAN_VALUE_MAX, "%s", names[i]);
    addr(&h->ip4, "10.13.0.1", 16);
    addr(&h->ip6, "fd0d:fe46:8ce8::1", 64);

    p->runtime.babeld_hello_interval = fx->hello_s ? fx->hello_s : 1;
    p->runtime.babeld_update_interval = 4 * p->runtime.babeld_hello_interval;
    p->runtime.internet_check_interval = 1;
    if (fx->preferred_gateway)
        snprintf(p->runtime.preferred_gateway, sizeof(p->runtime.preferred_gateway), "%s",
                 fx->preferred_gateway);
    if (fx->check_url)
        snprintf(p->runtime.internet_check_url, sizeof(p->runtime.internet_check_url), "%s",
                 fx->check_url);
    p->rp_filter_loose = true;
    return p;
}
