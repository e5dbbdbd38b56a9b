/* Address arithmetic and the LibreMesh address/naming rules (spec §2.3-§2.5, §2.8,
 * §5.1). Addresses are big-endian byte arrays; arithmetic works byte-wise with carry
 * so IPv4 and IPv6 share one code path. */
#include "addr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"

int lime_addr_bits(const struct lime_addr *addr)
{
    return addr->family == AF_INET ? 32 : 128;
}

static int nbytes(const struct lime_addr *addr)
{
    return lime_addr_bits(addr) / 8;
}

int lime_addr_parse(const char *s, struct lime_addr *out)
{
    char buf[LIME_ADDR_STRLEN];
    size_t n = strlen(s);
    if (n >= sizeof buf)
        return -EINVAL;
    memcpy(buf, s, n + 1);
    char *slash = strchr(buf, '/');
    if (slash)
        *slash = 0;
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, buf, out->a) == 1)
        out->family = AF_INET;
    else if (inet_pton(AF_INET6, buf, out->a) == 1)
        out->family = AF_INET6;
    else
        return -EINVAL;
    out->prefix = lime_addr_bits(out);
    if (slash) {
        const char *p = slash + 1;
        if (!*p || strlen(p) > 3)
            return -EINVAL;
        int v = 0;
        for (; *p; p++) {
            if (!isdigit((unsigned char)*p))
                return -EINVAL;
            v = v * 10 + (*p - '0');
        }
        if (v > lime_addr_bits(out))
            return -EINVAL;
        out->prefix = v;
    }
    return 0;
}

char *lime_addr_format(const struct lime_addr *addr, bool with_prefix, char *buf, size_t len)
{
    char tmp[INET6_ADDRSTRLEN];
    if (!inet_ntop(addr->family, addr->a, tmp, sizeof tmp))
        tmp[0] = 0;
    if (with_prefix)
        snprintf(buf, len, "%s/%d", tmp, addr->prefix);
    else
        snprintf(buf, len, "%s", tmp);
    return buf;
}

bool lime_addr_equal(const struct lime_addr *a, const struct lime_addr *b)
{
    return a->family == b->family && !memcmp(a->a, b->a, (size_t)nbytes(a));
}

/* Sets (fill=true) or clears the host bits. */
static void host_bits(const struct lime_addr *in, struct lime_addr *out, bool fill)
{
    *out = *in;
    int n = nbytes(in);
    for (int i = 0; i < n; i++) {
        int first_bit = i * 8;
        int net_bits = in->prefix - first_bit; /* network bits inside this byte */
        uint8_t net_mask = net_bits >= 8 ? 0xff : net_bits <= 0 ? 0 : (uint8_t)(0xff << (8 - net_bits));
        out->a[i] = fill ? (uint8_t)(in->a[i] | ~net_mask) : (uint8_t)(in->a[i] & net_mask);
    }
}

void lime_addr_network(const struct lime_addr *in, struct lime_addr *out)
{
    host_bits(in, out, false);
}

void lime_addr_broadcast(const struct lime_addr *in, struct lime_addr *out)
{
    host_bits(in, out, true);
}

void lime_addr_add(struct lime_addr *addr, uint64_t n)
{
    int i = nbytes(addr) - 1;
    unsigned carry = 0;
    for (; i >= 0 && (n || carry); i--) {
        unsigned sum = addr->a[i] + (unsigned)(n & 0xff) + carry;
        addr->a[i] = (uint8_t)sum;
        carry = sum >> 8;
        n >>= 8;
    }
}

static void addr_sub1(struct lime_addr *addr)
{
    for (int i = nbytes(addr) - 1; i >= 0; i--) {
        if (addr->a[i]--)
            break;
    }
}

void lime_addr_minhost(const struct lime_addr *in, struct lime_addr *out)
{
    lime_addr_network(in, out);
    if (lime_addr_bits(in) - in->prefix >= 2)
        lime_addr_add(out, 1);
}

void lime_addr_maxhost(const struct lime_addr *in, struct lime_addr *out)
{
    lime_addr_broadcast(in, out);
    if (lime_addr_bits(in) - in->prefix >= 2)
        addr_sub1(out);
}

char *lime_addr_netmask(const struct lime_addr *addr, char *buf, size_t len)
{
    uint32_t mask = addr->prefix <= 0 ? 0 : addr->prefix >= 32 ? 0xffffffffu
                                                              : ~(0xffffffffu >> addr->prefix);
    snprintf(buf, len, "%u.%u.%u.%u", mask >> 24, (mask >> 16) & 0xff, (mask >> 8) & 0xff,
             mask & 0xff);
    return buf;
}

void lime_generate_host(const struct lime_addr *tmpl, uint64_t suffix, struct lime_addr *out)
{
    struct lime_addr net;
    lime_addr_network(tmpl, &net);
    *out = *tmpl;
    if (!lime_addr_equal(tmpl, &net))
        return; /* a fixed address is used as given */
    int host = lime_addr_bits(tmpl) - tmpl->prefix;
    if (host < 64)
        suffix &= (UINT64_C(1) << host) - 1;
    lime_addr_add(out, suffix);
}

int lime_primary_address(const char *tmpl, int family, const uint8_t mac[6],
                         const struct lime_id *net, bool anygw_enabled, struct lime_addr *out,
                         enum lime_addr_fix *fix)
{
    if (fix)
        *fix = LIME_ADDR_OK;
    enum lime_tpl_base base = family == AF_INET ? LIME_TPL_DEC : LIME_TPL_HEX;
    /* "A/len1/len2": the network is A/len1, the host part comes from A/len2 */
    char work[LIME_ADDR_STRLEN * 2];
    if (strlen(tmpl) >= sizeof work)
        return -EINVAL;
    strcpy(work, tmpl);
    int maskbits = -1;
    char *s1 = strchr(work, '/');
    if (s1) {
        maskbits = atoi(s1 + 1);
        char *s2 = strchr(s1 + 1, '/');
        if (s2)
            memmove(s1 + 1, s2 + 1, strlen(s2 + 1) + 1);
    }
    char *m = lime_tpl_mac(work, mac, base);
    if (!m)
        return -ENOMEM;
    char *full = lime_tpl_net(m, net, base);
    free(m);
    if (!full)
        return -ENOMEM;
    struct lime_addr t;
    int r = lime_addr_parse(full, &t);
    free(full);
    if (r < 0 || t.family != family)
        return -EINVAL;
    if (maskbits < 0)
        maskbits = t.prefix;
    if (maskbits > lime_addr_bits(&t))
        return -EINVAL;
    uint64_t suffix = (uint64_t)mac[3] << 16 | (uint64_t)mac[4] << 8 | mac[5];
    lime_generate_host(&t, suffix, out);
    out->prefix = maskbits;
    if (family != AF_INET)
        return 0; /* upstream checks IPv4 only */
    struct lime_addr netw, bcast, gw;
    lime_addr_network(out, &netw);
    lime_addr_broadcast(out, &bcast);
    gw = netw;
    lime_addr_add(&gw, 1);
    enum lime_addr_fix why = LIME_ADDR_OK;
    if (lime_addr_equal(out, &netw))
        why = LIME_ADDR_NETWORK;
    else if (anygw_enabled && lime_addr_equal(out, &gw))
        why = LIME_ADDR_ANYGW;
    else if (lime_addr_equal(out, &bcast))
        why = LIME_ADDR_BROADCAST;
    if (why != LIME_ADDR_OK)
        lime_addr_maxhost(out, out);
    if (fix)
        *fix = why;
    return 0;
}

/* ---- MAC ----------------------------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* "xx:xx:xx:xx:xx:xx" at s (17 chars, more may follow). */
static bool mac_at(const char *s, uint8_t mac[6])
{
    for (int i = 0; i < 6; i++) {
        const char *p = s + 3 * i;
        int hi = hexval(p[0]), lo = hi < 0 ? -1 : hexval(p[1]);
        if (lo < 0 || (i < 5 && p[2] != ':'))
            return false;
        mac[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

int lime_mac_parse(const char *s, uint8_t mac[6])
{
    return strlen(s) == 17 && mac_at(s, mac) ? 0 : -EINVAL;
}

char *lime_mac_format(const uint8_t mac[6], char *buf, size_t len)
{
    snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
             mac[5]);
    return buf;
}

/* ---- anycast gateway ----------------------------------------------------------- */

int lime_anygw_mac(const char *tmpl, const struct lime_id *net, uint8_t mac[6])
{
    char *s = lime_tpl_net(tmpl, net, LIME_TPL_HEX);
    if (!s)
        return -ENOMEM;
    int r = lime_mac_parse(s, mac);
    free(s);
    return r;
}

void lime_anygw_ipv4(const struct lime_addr *node4, struct lime_addr *out)
{
    lime_addr_minhost(node4, out);
}

void lime_anygw_ipv6(const struct lime_addr *node6, struct lime_addr *out)
{
    lime_addr_minhost(node6, out);
    out->prefix = 64;
}

void lime_mac_to_ipv6ll(const uint8_t mac[6], struct lime_addr *out)
{
    memset(out, 0, sizeof *out);
    out->family = AF_INET6;
    out->prefix = 128;
    out->a[0] = 0xfe;
    out->a[1] = 0x80;
    out->a[8] = mac[0] ^ 0x02;
    out->a[9] = mac[1];
    out->a[10] = mac[2];
    out->a[11] = 0xff;
    out->a[12] = 0xfe;
    out->a[13] = mac[3];
    out->a[14] = mac[4];
    out->a[15] = mac[5];
}

char *lime_mac2ipv6ll(const char *text)
{
    size_t n = strlen(text);
    /* each 17-char MAC becomes at most 39 chars */
    char *out = malloc(n / 17 * 39 + n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint8_t mac[6];
        if (n - i >= 17 && mac_at(text + i, mac)) {
            /* upstream prints fe80:: and the four groups, each without leading zeros */
            o += (size_t)sprintf(out + o, "fe80::%x:%x:%x:%x", (mac[0] ^ 0x02) << 8 | mac[1],
                                 mac[2] << 8 | 0xff, 0xfe00 | mac[3], mac[4] << 8 | mac[5]);
            i += 17;
        } else {
            out[o++] = text[i++];
        }
    }
    out[o] = 0;
    return out;
}

/* ---- batman-adv ---------------------------------------------------------------- */

static bool parse_int(const char *s, long *v)
{
    char *end;
    errno = 0;
    if (!*s)
        return false;
    *v = strtol(s, &end, 10);
    return !errno && !*end && *v >= -1000000 && *v <= 1000000;
}

int lime_batadv_vlan(const char *arg, const struct lime_id *net)
{
    long v;
    if (!arg)
        arg = "%N1";
    if (parse_int(arg, &v))
        return v < 0 || v > 4094 ? -EINVAL : (int)v;
    char *s = lime_tpl_net(arg, net, LIME_TPL_DEC);
    if (!s)
        return -ENOMEM;
    bool ok = parse_int(s, &v);
    free(s);
    if (!ok)
        return -EINVAL;
    long m = (v - 13) % 256;
    if (m < 0)
        m += 256; /* Lua's % is floored */
    return (int)(29 + m);
}

void lime_batadv_vlan_mac(const uint8_t primary[6], const char *ifname, uint8_t out[6])
{
    struct lime_id id;
    lime_id_of(ifname, &id);
    memcpy(out, primary, 6);
    out[0] = 0x02;
    out[1] = id.byte[1];
    out[2] = id.byte[2];
}

/* ---- interface naming ---------------------------------------------------------- */

char *lime_iface_sanitize(const char *x)
{
    size_t n = strlen(x);
    char *s = malloc(n + 8);
    if (!s)
        return NULL;
    memcpy(s, "lm_net_", 7);
    for (size_t i = 0; i <= n; i++) {
        unsigned char c = (unsigned char)x[i];
        s[7 + i] = (char)(c && !(isascii(c) && (isalnum(c) || c == '_')) ? '_' : c);
    }
    return s;
}

char *lime_vlan_devname(const char *base, unsigned vid)
{
    size_t n = strlen(base);
    char *s = malloc(n + 16);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)base[i];
        s[i] = (char)(isascii(c) && (isalnum(c) || c == '-') ? c : '-');
    }
    snprintf(s + n, 16, "_%u", vid);
    return s;
}
