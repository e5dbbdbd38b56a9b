/* Plan helpers shared by every backend: address formatting, lookups, freeing. */
#include "plan.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

const char *plan_addr_host(const struct plan_addr *a, char *buf, size_t len)
{
    if (len)
        buf[0] = '\0';
    if (a->family == AF_INET || a->family == AF_INET6)
        if (!inet_ntop(a->family, &a->u, buf, (socklen_t)len) && len)
            buf[0] = '\0';
    return buf;
}

const char *plan_addr_cidr(const struct plan_addr *a, char *buf, size_t len)
{
    char host[INET6_ADDRSTRLEN];
    plan_addr_host(a, host, sizeof host);
    if (!host[0]) {
        if (len)
            buf[0] = '\0';
        return buf;
    }
    snprintf(buf, len, "%s/%u", host, (unsigned)a->prefix);
    return buf;
}

const char *plan_addr_netmask(const struct plan_addr *a, char *buf, size_t len)
{
    struct in_addr m;
    unsigned p = a->prefix > 32 ? 32 : a->prefix;
    m.s_addr = htonl(p ? 0xffffffffu << (32 - p) : 0);
    if (!inet_ntop(AF_INET, &m, buf, (socklen_t)len) && len)
        buf[0] = '\0';
    return buf;
}

const char *plan_mac_str(const uint8_t mac[6], char *buf, size_t len)
{
    snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
             mac[4], mac[5]);
    return buf;
}

const struct plan_iface *plan_find_iface(const struct plan *plan, const char *section)
{
    for (int i = 0; i < plan->n_ifaces; i++)
        if (!strcmp(plan->ifaces[i].section, section))
            return &plan->ifaces[i];
    return NULL;
}

const struct plan_device *plan_find_device(const struct plan *plan, const char *name)
{
    for (int i = 0; i < plan->n_devices; i++)
        if (!strcmp(plan->devices[i].name, name))
            return &plan->devices[i];
    return NULL;
}

void plan_free(struct plan *plan)
{
    if (!plan)
        return;
    free(plan->anygw.nft_rules);
    free(plan->autogen);
    free(plan);
}
