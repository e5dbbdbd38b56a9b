/* Internal to the nl80211 seam (nl80211.c, nl80211_parse.c): reading attributes the
 * kernel (or a fuzzer) sent, never past their length. */
#ifndef LIME_NL80211_ATTR_H
#define LIME_NL80211_ATTR_H

#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>


static inline bool a_u32(const struct nlattr *a, uint32_t *v)
{
    if (!a || mnl_attr_get_payload_len(a) < 4)
        return false;
    memcpy(v, mnl_attr_get_payload(a), 4);
    return true;
}

static inline bool a_u16(const struct nlattr *a, uint16_t *v)
{
    if (!a || mnl_attr_get_payload_len(a) < 2)
        return false;
    memcpy(v, mnl_attr_get_payload(a), 2);
    return true;
}

static inline bool a_u8(const struct nlattr *a, uint8_t *v)
{
    if (!a || mnl_attr_get_payload_len(a) < 1)
        return false;
    memcpy(v, mnl_attr_get_payload(a), 1);
    return true;
}

static inline bool a_u64(const struct nlattr *a, uint64_t *v)
{
    if (!a || mnl_attr_get_payload_len(a) < 8)
        return false;
    memcpy(v, mnl_attr_get_payload(a), 8);
    return true;
}

/* A string attribute into out (cut, always terminated). */
static inline void a_str(const struct nlattr *a, char *out, size_t len)
{
    size_t n = mnl_attr_get_payload_len(a);
    const char *s = mnl_attr_get_payload(a);
    size_t k = 0;
    while (k < n && k + 1 < len && s[k])
        k++;
    memcpy(out, s, k);
    out[k] = 0;
}


/* The attributes of buf into tb (by type; later ones win). -EINVAL when the bytes are not
 * a whole run of attributes (a cut or malformed one is not read past). */
static inline int parse_run(const void *buf, size_t len, const struct nlattr **tb, unsigned max)
{
    memset(tb, 0, (max + 1) * sizeof(*tb));
    const struct nlattr *a = buf;
    int left = (int)len;
    while (mnl_attr_ok(a, left)) {
        unsigned type = mnl_attr_get_type(a);
        if (type <= max)
            tb[type] = a;
        left -= (int)MNL_ALIGN(a->nla_len);
        a = mnl_attr_next(a);
    }
    return left > 0 ? -EINVAL : 0;
}

static inline int parse_nested(const struct nlattr *nest, const struct nlattr **tb, unsigned max)
{
    return parse_run(mnl_attr_get_payload(nest), mnl_attr_get_payload_len(nest), tb, max);
}

#endif
