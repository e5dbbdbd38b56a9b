/* LibreMesh templates: %Mn/%mn (MAC), %Nn (network id), %H (hostname), the hostname
 * sanitiser and the SSID rule (spec §2.1, §2.11). Upstream applies one gsub per
 * placeholder; since no replacement can contain '%', one left-to-right pass gives the
 * same result. */
#include "template.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static void put_byte(struct lime_strbuf *o, unsigned v, enum lime_tpl_base base)
{
    char buf[8];
    snprintf(buf, sizeof buf, base == LIME_TPL_HEX ? "%02x" : "%u", v & 0xffu);
    lime_strbuf_put(o, buf, strlen(buf));
}

/* Replaces "%<letter><1..6>" using values[letter index][n-1]; letters not listed are
 * copied unchanged. */
static char *substitute(const char *tmpl, const char *letters, const uint8_t *const values[],
                        enum lime_tpl_base base)
{
    struct lime_strbuf o = {0};
    const char *p = tmpl;
    while (*p) {
        const char *which = p[0] == '%' && p[1] ? strchr(letters, p[1]) : NULL;
        if (which && p[2] >= '1' && p[2] <= '6') {
            put_byte(&o, values[which - letters][p[2] - '1'], base);
            p += 3;
            continue;
        }
        lime_strbuf_put(&o, p, 1);
        p++;
    }
    return lime_strbuf_finish(&o, NULL);
}

char *lime_tpl_mac(const char *tmpl, const uint8_t mac[6], enum lime_tpl_base base)
{
    struct lime_id id;
    lime_id_of_mac(mac, &id);
    const uint8_t *values[] = {mac, id.byte};
    return substitute(tmpl, "Mm", values, base);
}

char *lime_tpl_net(const char *tmpl, const struct lime_id *net, enum lime_tpl_base base)
{
    const uint8_t *values[] = {net->byte};
    return substitute(tmpl, "N", values, base);
}

char *lime_tpl_hostname(const char *tmpl, const char *hostname)
{
    struct lime_strbuf o = {0};
    size_t hl = strlen(hostname);
    for (const char *p = tmpl; *p;) {
        if (p[0] == '%' && p[1] == 'H') {
            lime_strbuf_put(&o, hostname, hl);
            p += 2;
        } else {
            lime_strbuf_put(&o, p, 1);
            p++;
        }
    }
    return lime_strbuf_finish(&o, NULL);
}

static bool host_char(unsigned char c)
{
    return isascii(c) && (isalnum(c) || c == '-');
}

char *lime_hostname_sanitize(const char *name)
{
    size_t n = strlen(name);
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    size_t len = 0;
    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ')
            s[len++] = '-';
        else if (host_char(c))
            s[len++] = (char)c;
    }
    size_t start = 0;
    while (start < len && s[start] == '-')
        start++;
    while (len > start && s[len - 1] == '-')
        len--;
    len -= start;
    memmove(s, s + start, len);
    if (len > 32)
        len = 32;
    while (len && s[len - 1] == '-') /* upstream cuts after stripping and can end in '-' */
        len--;
    s[len] = 0;
    return s;
}

char *lime_hostname_from_template(const char *tmpl, const uint8_t mac[6])
{
    char *raw = lime_tpl_mac(tmpl, mac, LIME_TPL_HEX);
    if (!raw)
        return NULL;
    char *host = lime_hostname_sanitize(raw);
    free(raw);
    return host;
}

char *lime_ssid_resolve(const char *tmpl, const char *hostname, const uint8_t mac[6])
{
    char *with_host = lime_tpl_hostname(tmpl, hostname);
    if (!with_host)
        return NULL;
    char *ssid = lime_tpl_mac(with_host, mac, LIME_TPL_HEX);
    free(with_host);
    if (ssid && strlen(ssid) > 32)
        ssid[32] = 0;
    return ssid;
}

bool lime_hostname_valid(const char *name)
{
    size_t n = strlen(name);
    if (n < 2 || n >= 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!host_char(c))
            return false;
        if (c == '-' && (i == 0 || i == n - 1))
            return false;
    }
    return true;
}

char *lime_slugify(const char *s)
{
    char *out = strdup(s);
    if (!out)
        return NULL;
    for (char *p = out; *p; p++)
        if (!host_char((unsigned char)*p))
            *p = '-';
    return out;
}
