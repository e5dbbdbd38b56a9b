/* Other nodes' names from shared-state; see meshnames.h. */
#include "meshnames.h"

#include "core/babel.h"
#include "limed.h"
#include "rpc_bat_hosts.h"
#include "sharedstate.h"

#include <arpa/inet.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "service.h"

/* The live table `type` ({key: data}), or NULL. Caller puts it. */
static json_object *table(const char *type)
{
    struct ss_service *ss = ld_state_current();
    int err = 0;
    json_object *t = ss ? ss_service_get(ss, type, &err) : NULL;
    if (t && json_object_is_type(t, json_type_object))
        return t;
    json_object_put(t);
    return NULL;
}

static const char *str_of(json_object *o, const char *key)
{
    json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

/* hostname of the entry (its "hostname" field, else the table key). */
static const char *put_name(json_object *val, const char *key, char *buf, size_t len)
{
    const char *h = str_of(val, "hostname");
    ld_strlcpy(buf, h && h[0] ? h : key, len);
    return buf;
}

const char *ld_meshname_by_id(const char *router_id, char *buf, size_t len)
{
    json_object *t = router_id && router_id[0] ? table("babeld-hosts") : NULL;
    const char *found = NULL;
    if (t) {
        json_object_object_foreach(t, key, val) {
            if (!found && !strcasecmp(key, router_id) && json_object_is_type(val, json_type_string) &&
                json_object_get_string_len(val) > 0) {
                ld_strlcpy(buf, json_object_get_string(val), len);
                found = buf;
            }
        }
    }
    json_object_put(t);
    return found;
}

static bool array_has(json_object *o, const char *key, const char *want)
{
    json_object *a;
    if (!o || !json_object_object_get_ex(o, key, &a) || !json_object_is_type(a, json_type_array))
        return false;
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        const char *s = json_object_get_string(json_object_array_get_idx(a, i));
        if (s && !strcasecmp(s, want))
            return true;
    }
    return false;
}

const char *ld_meshname_by_mac(struct ld_ctx *ctx, const char *mac, char *buf, size_t len)
{
    if (!mac || !mac[0])
        return NULL;
    if (ld_bathost_name(ctx, mac, buf, len))
        return buf;
    static const char *const types[] = {"nodes_and_links", "node_info"};
    const char *found = NULL;
    for (size_t i = 0; i < 2 && !found; i++) {
        json_object *t = table(types[i]);
        if (t) {
            json_object_object_foreach(t, key, val) {
                if (!found && array_has(val, "macs", mac))
                    found = put_name(val, key, buf, len);
            }
        }
        json_object_put(t);
    }
    return found;
}

/* "a.b.c.d/16" matches "a.b.c.d". */
static bool addr_eq(const char *with_len, const char *addr)
{
    size_t n = strlen(addr);
    return with_len && !strncasecmp(with_len, addr, n) && (!with_len[n] || with_len[n] == '/');
}

/* The MAC inside an EUI-64 link-local address, "" if it is not one. */
static void eui64_mac(const char *addr, char *mac, size_t len)
{
    struct in6_addr a;
    mac[0] = 0;
    if (inet_pton(AF_INET6, addr, &a) != 1 || a.s6_addr[0] != 0xfe || (a.s6_addr[1] & 0xc0) != 0x80 ||
        a.s6_addr[11] != 0xff || a.s6_addr[12] != 0xfe)
        return;
    const uint8_t *w = a.s6_addr;
    snprintf(mac, len, "%02x:%02x:%02x:%02x:%02x:%02x", w[8] ^ 2, w[9], w[10], w[13], w[14], w[15]);
}

const char *ld_meshname_by_addr(struct ld_ctx *ctx, const char *addr, char *buf, size_t len)
{
    if (!addr || !addr[0])
        return NULL;
    const char *found = NULL;
    json_object *t = table("node_info");
    if (t) {
        json_object_object_foreach(t, key, val) {
            if (!found && (addr_eq(str_of(val, "ipv4"), addr) || addr_eq(str_of(val, "ipv6"), addr)))
                found = put_name(val, key, buf, len);
        }
    }
    json_object_put(t);
    if (!found && (t = table("babel_links_info"))) {
        json_object_object_foreach(t, key, val) {
            json_object *links;
            if (found || !json_object_object_get_ex(val, "links", &links) ||
                !json_object_is_type(links, json_type_object))
                continue;
            json_object_object_foreach(links, k, l) {
                (void)k;
                if (!found && addr_eq(str_of(l, "src_ip"), addr))
                    found = put_name(NULL, key, buf, len);
            }
        }
        json_object_put(t);
    }
    if (!found) {
        char mac[32];
        eui64_mac(addr, mac, sizeof(mac));
        if (mac[0])
            found = ld_meshname_by_mac(ctx, mac, buf, len);
    }
    return found;
}

const char *ld_meshaddr_by_name(const char *hostname, char *buf, size_t len)
{
    json_object *t = hostname && hostname[0] ? table("node_info") : NULL;
    const char *found = NULL;
    if (t) {
        json_object_object_foreach(t, key, val) {
            const char *h = str_of(val, "hostname");
            const char *ip = str_of(val, "ipv4");
            if (!found && ip && ip[0] && !strcmp(h && h[0] ? h : key, hostname)) {
                ld_strlcpy(buf, ip, len);
                buf[strcspn(buf, "/")] = 0;
                found = buf;
            }
        }
    }
    json_object_put(t);
    return found;
}

const char *ld_meshaddr_by_id(const char *router_id, char *buf, size_t len)
{
    char name[128];
    if (!ld_meshname_by_id(router_id, name, sizeof(name)))
        return NULL;
    return ld_meshaddr_by_name(name, buf, len);
}

void ld_node_ip(const struct lime_babel_state *b, const char *id, char *ip, size_t len)
{
    const struct lime_babel_route *hr = id && id[0] ? lime_babel_host_route(b, id) : NULL;
    ip[0] = 0;
    if (hr)
        snprintf(ip, len, "%.*s", (int)(strlen(hr->prefix) - 3), hr->prefix);
    else if (id && id[0] && !ld_meshaddr_by_id(id, ip, len))
        ip[0] = 0;
}
