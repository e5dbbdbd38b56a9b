/* stub: implementation follows */
#include "template.h"
#include <errno.h>
#include <stddef.h>
char *lime_tpl_mac(const char *tmpl, const uint8_t mac[6], enum lime_tpl_base base)
{
    return NULL;
}

char *lime_tpl_net(const char *tmpl, const struct lime_id *net, enum lime_tpl_base base)
{
    return NULL;
}

char *lime_tpl_hostname(const char *tmpl, const char *hostname)
{
    return NULL;
}

char *lime_hostname_sanitize(const char *name)
{
    return NULL;
}

char *lime_hostname_from_template(const char *tmpl, const uint8_t mac[6])
{
    return NULL;
}

char *lime_ssid_resolve(const char *tmpl, const char *hostname, const uint8_t mac[6])
{
    return NULL;
}

bool lime_hostname_valid(const char *name)
{
    return false;
}

char *lime_slugify(const char *s)
{
    return NULL;
}

