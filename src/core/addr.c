/* stub: implementation follows */
#include "addr.h"
#include <errno.h>
#include <stddef.h>
int lime_addr_parse(const char *s, struct lime_addr *out)
{
    return -ENOSYS;
}

char *lime_addr_format(const struct lime_addr *addr, bool with_prefix, char *buf, size_t len)
{
    return NULL;
}

int lime_addr_bits(const struct lime_addr *addr)
{
    return -ENOSYS;
}

bool lime_addr_equal(const struct lime_addr *a, const struct lime_addr *b)
{
    return false;
}

void lime_addr_network(const struct lime_addr *in, struct lime_addr *out)
{
    
}

void lime_addr_broadcast(const struct lime_addr *in, struct lime_addr *out)
{
    
}

void lime_addr_minhost(const struct lime_addr *in, struct lime_addr *out)
{
    
}

void lime_addr_maxhost(const struct lime_addr *in, struct lime_addr *out)
{
    
}

void lime_addr_add(struct lime_addr *addr, uint64_t n)
{
    
}

char *lime_addr_netmask(const struct lime_addr *addr, char *buf, size_t len)
{
    return NULL;
}

void lime_generate_host(const struct lime_addr *tmpl, uint64_t suffix, struct lime_addr *out)
{
    
}

int lime_primary_address(const char *tmpl, int family, const uint8_t mac[6], const struct lime_id *net, bool anygw_enabled, struct lime_addr *out, enum lime_addr_fix *fix)
{
    return -ENOSYS;
}

int lime_mac_parse(const char *s, uint8_t mac[6])
{
    return -ENOSYS;
}

char *lime_mac_format(const uint8_t mac[6], char *buf, size_t len)
{
    return NULL;
}

int lime_anygw_mac(const char *tmpl, const struct lime_id *net, uint8_t mac[6])
{
    return -ENOSYS;
}

void lime_anygw_ipv4(const struct lime_addr *node4, struct lime_addr *out)
{
    
}

void lime_anygw_ipv6(const struct lime_addr *node6, struct lime_addr *out)
{
    
}

void lime_mac_to_ipv6ll(const uint8_t mac[6], struct lime_addr *out)
{
    
}

char *lime_mac2ipv6ll(const char *text)
{
    return NULL;
}

int lime_batadv_vlan(const char *arg, const struct lime_id *net)
{
    return -ENOSYS;
}

void lime_batadv_vlan_mac(const uint8_t primary[6], const char *ifname, uint8_t out[6])
{
    
}

char *lime_iface_sanitize(const char *x)
{
    return NULL;
}

char *lime_vlan_devname(const char *base, unsigned vid)
{
    return NULL;
}

