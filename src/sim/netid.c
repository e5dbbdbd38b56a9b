/* SSID-derived numbers and node MACs/addresses through the core's hash and address rules
 * (see netid.h). */
#include "netid.h"

#include <stdio.h>
#include <string.h>

#include "addr.h"

/* lime-defaults' main_ipv4_address / main_ipv6_address (what lime-sim's nodes use). */
#define TMPL4 "10.%N1.0.0/16"
#define TMPL6 "fd%N1:%N2%N3:%N4%N5::/64"

static unsigned host_suffix(int index) { return 0x0100u + (unsigned)index + 1u; }

static void mac_bytes(enum sim_if_role role, int index, uint8_t mac[6])
{
    unsigned s = host_suffix(index);
    uint8_t m[6] = {0x02, 0x4c, (uint8_t)role, 0x00, (uint8_t)(s >> 8), (uint8_t)s};
    memcpy(mac, m, 6);
}

/* The node address lime-config computes (§2.3) from the node's radio MAC. */
static void node_addr(const struct sim_cloud *c, int family, int index, struct lime_addr *out)
{
    uint8_t mac[6];
    mac_bytes(SIM_IF_RADIO, index, mac);
    lime_primary_address(family == AF_INET ? TMPL4 : TMPL6, family, mac, &c->id, true, out, NULL);
}

void sim_cloud_of(const char *ssid, struct sim_cloud *c)
{
    memset(c, 0, sizeof(*c));
    lime_id_of(ssid, &c->id);
    c->vlan = lime_batadv_vlan(NULL, &c->id);
    char buf[LIME_ADDR_STRLEN];
    struct lime_addr node, net, gw;
    node_addr(c, AF_INET, 0, &node);
    lime_addr_network(&node, &net);
    snprintf(c->prefix4, sizeof(c->prefix4), "%s", lime_addr_format(&net, true, buf, sizeof(buf)));
    lime_anygw_ipv4(&node, &gw);
    snprintf(c->anygw4, sizeof(c->anygw4), "%s", lime_addr_format(&gw, false, buf, sizeof(buf)));
    node_addr(c, AF_INET6, 0, &node);
    lime_addr_network(&node, &net);
    snprintf(c->prefix6, sizeof(c->prefix6), "%s", lime_addr_format(&net, true, buf, sizeof(buf)));
    lime_anygw_ipv6(&node, &gw);
    snprintf(c->anygw6, sizeof(c->anygw6), "%s", lime_addr_format(&gw, false, buf, sizeof(buf)));
    uint8_t mac[6];
    lime_anygw_mac("aa:aa:aa:%N1:%N2:aa", &c->id, mac); /* lime-defaults' anygw_mac */
    lime_mac_format(mac, c->anygw_mac, sizeof(c->anygw_mac));
}

void sim_mac(enum sim_if_role role, int index, char out[18])
{
    uint8_t mac[6];
    mac_bytes(role, index, mac);
    lime_mac_format(mac, out, 18);
}

void sim_node_ipv4(const struct sim_cloud *c, int index, char out[16])
{
    struct lime_addr a;
    char buf[LIME_ADDR_STRLEN];
    node_addr(c, AF_INET, index, &a);
    snprintf(out, 16, "%s", lime_addr_format(&a, false, buf, sizeof(buf)));
}

void sim_node_ipv6(const struct sim_cloud *c, int index, char out[48])
{
    struct lime_addr a;
    char buf[LIME_ADDR_STRLEN];
    node_addr(c, AF_INET6, index, &a);
    snprintf(out, 48, "%s", lime_addr_format(&a, false, buf, sizeof(buf)));
}
