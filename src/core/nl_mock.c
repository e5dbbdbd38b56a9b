/* The kernel seam (nl.h) implemented on an in-memory model, for unit tests; see
 * nl_mock.h for what it models and how tests steer it. One file for rtnetlink's objects
 * (links, addresses, rules, routes, TAPs: ~800 lines) because they share one model and
 * one snapshot; batman-adv and nl80211 have files of their own (nl_mock_batadv.c,
 * nl80211_mock.c). */
#include "nl.h"
#include "nl_mock.h"
#include "nl_mock_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define MOCK_LINKS 128
#define MOCK_ADDRS 256
#define MOCK_RULES 64
#define MOCK_ROUTES 256
#define LOG_MAX 65536

struct lime_nl {
    int unused;
};

static struct {
    bool ready;
    struct lime_nl_link links[MOCK_LINKS];
    size_t n_links;
    struct lime_nl_addr addrs[MOCK_ADDRS];
    size_t n_addrs;
    struct lime_nl_rule rules[MOCK_RULES];
    size_t n_rules;
    struct lime_nl_route routes[MOCK_ROUTES];
    size_t n_routes;
    int next_ifindex;
    char unsupported[8][16];
    unsigned changes, fail_at;
    int fail_err;
    char log[LOG_MAX];
    size_t log_len;
} m;

static void unlink_at(size_t i);

/* ---------------------------------------------------------------- control */

static void add_link(const char *name, const char *kind, unsigned flags)
{
    struct lime_nl_link *l = &m.links[m.n_links++];
    memset(l, 0, sizeof(*l));
    l->ifindex = m.next_ifindex++;
    snprintf(l->name, sizeof(l->name), "%s", name);
    snprintf(l->kind, sizeof(l->kind), "%s", kind);
    l->flags = flags;
    l->mtu = 1500;
    /* the kernel picks a MAC: here a fresh one per ifindex, as random ones differ */
    static const uint8_t base[6] = {0x02, 0x6d, 0x6f, 0x63, 0x6b, 0x00};
    memcpy(l->mac, base, 6);
    l->mac[4] = (uint8_t)(l->ifindex >> 8);
    l->mac[5] = (uint8_t)l->ifindex;
    l->has_mac = true;
}

void lime_nl_mock_reset(void)
{
    memset(&m, 0, sizeof(m));
    m.ready = true;
    m.next_ifindex = 1;
    add_link("lo", "", IFF_UP | IFF_LOOPBACK);
    memset(m.links[0].mac, 0, 6);
    nlm_batadv_reset();
    nlm_wifi_reset();
}

static void ready(void)
{
    if (!m.ready)
        lime_nl_mock_reset();
}

static struct lime_nl_link *by_name(const char *name)
{
    for (size_t i = 0; i < m.n_links; i++)
        if (!strcmp(m.links[i].name, name))
            return &m.links[i];
    return NULL;
}

static struct lime_nl_link *by_index(int ifindex);
static const char *name_of(int ifindex);

struct lime_nl_link *nlm_link(int ifindex)
{
    return by_index(ifindex);
}

static struct lime_nl_link *by_index(int ifindex)
{
    for (size_t i = 0; i < m.n_links; i++)
        if (m.links[i].ifindex == ifindex)
            return &m.links[i];
    return NULL;
}

const char *nlm_name(int ifindex)
{
    return name_of(ifindex);
}

static const char *name_of(int ifindex)
{
    const struct lime_nl_link *l = ifindex ? by_index(ifindex) : NULL;
    return l ? l->name : ifindex ? "?" : "-";
}

int lime_nl_mock_device(const char *name)
{
    ready();
    if (by_name(name))
        return -EEXIST;
    if (m.n_links == MOCK_LINKS)
        return -ENOSPC;
    add_link(name, "", 0);
    return m.links[m.n_links - 1].ifindex;
}

void lime_nl_mock_kind(const char *kind, bool supported)
{
    ready();
    for (size_t i = 0; i < 8; i++)
        if (!strcmp(m.unsupported[i], kind)) {
            if (supported)
                m.unsupported[i][0] = 0;
            return;
        }
    if (supported)
        return;
    for (size_t i = 0; i < 8; i++)
        if (!m.unsupported[i][0]) {
            snprintf(m.unsupported[i], sizeof(m.unsupported[i]), "%s", kind);
            return;
        }
}

void lime_nl_mock_fail_at(unsigned nth, int err)
{
    ready();
    m.fail_at = nth ? m.changes + nth : 0;
    m.fail_err = err ? err : -EIO;
}

unsigned lime_nl_mock_changes(void)
{
    return m.changes;
}

const char *lime_nl_mock_log(void)
{
    return m.log;
}

void nlm_link_remove(int ifindex)
{
    for (size_t i = 0; i < m.n_links; i++)
        if (m.links[i].ifindex == ifindex) {
            unlink_at(i);
            return;
        }
}

void lime_nl_mock_log_clear(void)
{
    m.log[0] = 0;
    m.log_len = 0;
    m.changes = 0;
    m.fail_at = 0;
}

/* ---------------------------------------------------------------- text */

static const char *ip(int family, const uint8_t *a, char *buf, size_t len)
{
    if (!inet_ntop(family, a, buf, (socklen_t)len))
        snprintf(buf, len, "?");
    return buf;
}

static size_t alen(int family)
{
    return family == AF_INET ? 4 : 16;
}

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(m.log + m.log_len, LOG_MAX - m.log_len, fmt, ap);
    va_end(ap);
    if (n > 0)
        m.log_len = m.log_len + (size_t)n < LOG_MAX ? m.log_len + (size_t)n : LOG_MAX - 1;
}

/* Counts a change, logs "what", and says whether it is the one that must fail. */
static int change(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int nlm_change(const char *what)
{
    return change("%s", what);
}

static int change(const char *fmt, ...)
{
    ready();
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    m.changes++;
    logf_("%s", what);
    if (m.fail_at && m.changes == m.fail_at) {
        logf_(" -> error %d\n", -m.fail_err);
        return m.fail_err;
    }
    return 0;
}

/* Ends a change's log line with its result; returns r. */
static int done(int r);
int nlm_done(int r)
{
    return done(r);
}

static int done(int r)
{
    if (r)
        logf_(" -> error %d", -r);
    logf_("\n");
    return r;
}

int nlm_link_new(const char *name, const uint8_t *mac)
{
    if (by_name(name))
        return -EEXIST;
    if (m.n_links == MOCK_LINKS)
        return -ENOSPC;
    add_link(name, "", 0);
    if (mac)
        memcpy(m.links[m.n_links - 1].mac, mac, 6);
    return m.links[m.n_links - 1].ifindex;
}

struct lime_nl_link *nlm_link_find(int ifindex, const char *name)
{
    ready();
    return name ? by_name(name) : by_index(ifindex);
}

static int line_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *lime_nl_mock_snapshot(void)
{
    ready();
    size_t n = m.n_links + m.n_addrs + m.n_rules + m.n_routes + nlm_batadv_lines(), k = 0;
    char **lines = calloc(n ? n : 1, sizeof(*lines));
    if (!lines)
        return NULL;
    char a[64], b[64];
    for (size_t i = 0; i < m.n_links; i++) {
        const struct lime_nl_link *l = &m.links[i];
        lines[k] = malloc(256);
        snprintf(lines[k++], 256,
                 "link %s kind=%s parent=%s master=%s up=%d mtu=%u mac=%02x:%02x:%02x:%02x:%02x:%02x"
                 " vlan=%u/%04x macvlan=%u",
                 l->name, l->kind[0] ? l->kind : "-", name_of(l->parent), name_of(l->master),
                 !!(l->flags & IFF_UP), l->mtu, l->mac[0], l->mac[1], l->mac[2], l->mac[3],
                 l->mac[4], l->mac[5], l->vlan_id, l->vlan_proto, l->macvlan_mode);
    }
    for (size_t i = 0; i < m.n_addrs; i++) {
        const struct lime_nl_addr *x = &m.addrs[i];
        lines[k] = malloc(256);
        snprintf(lines[k++], 256, "addr %s %s/%u flags=%x metric=%u", name_of(x->ifindex),
                 ip(x->family, x->addr, a, sizeof(a)), x->prefixlen, x->flags, x->rt_priority);
    }
    for (size_t i = 0; i < m.n_rules; i++) {
        const struct lime_nl_rule *x = &m.rules[i];
        lines[k] = malloc(256);
        snprintf(lines[k++], 256, "rule %d pref %u from %s/%u lookup %u", x->family, x->priority,
                 ip(x->family, x->src, a, sizeof(a)), x->src_len, x->table);
    }
    for (size_t i = 0; i < m.n_routes; i++) {
        const struct lime_nl_route *x = &m.routes[i];
        lines[k] = malloc(256);
        snprintf(lines[k++], 256, "route %s/%u type %u dev %s via %s table %u proto %u metric %u",
                 ip(x->family, x->dst, a, sizeof(a)), x->dst_len, x->type, name_of(x->oif),
                 x->has_gw ? ip(x->family, x->gw, b, sizeof(b)) : "-", x->table, x->protocol,
                 x->metric);
    }
    k += nlm_batadv_snapshot(lines + k);
    qsort(lines, k, sizeof(*lines), line_cmp);
    size_t total = 1;
    for (size_t i = 0; i < k; i++)
        total += strlen(lines[i]) + 1;
    char *out = malloc(total), *p = out;
    for (size_t i = 0; i < k; i++) {
        if (out)
            p += sprintf(p, "%s\n", lines[i]);
        free(lines[i]);
    }
    if (out)
        *p = 0;
    free(lines);
    /* Wi-Fi state (interface types, joins, country) after the links, when there is any */
    char *wifi = nlm_wifi_snapshot();
    if (out && wifi && *wifi) {
        char *both = malloc(strlen(out) + strlen(wifi) + 1);
        if (both)
            sprintf(both, "%s%s", out, wifi);
        free(out);
        out = both;
    }
    free(wifi);
    return out;
}

/* ---------------------------------------------------------------- the seam: handle */

struct lime_nl *lime_nl_open(void)
{
    ready();
    return calloc(1, sizeof(struct lime_nl));
}

void lime_nl_close(struct lime_nl *nl)
{
    free(nl);
}

static void *copy_out(const void *v, size_t n, size_t size, size_t *count)
{
    void *out = malloc(n ? n * size : 1);
    if (out && n)
        memcpy(out, v, n * size);
    *count = out ? n : 0;
    return out;
}

/* ---------------------------------------------------------------- links */

int lime_nl_links(struct lime_nl *nl, struct lime_nl_link **out, size_t *n)
{
    (void)nl;
    ready();
    *out = copy_out(m.links, m.n_links, sizeof(m.links[0]), n);
    return *out ? 0 : -ENOMEM;
}

int lime_nl_link_get(struct lime_nl *nl, const char *name, struct lime_nl_link *out)
{
    (void)nl;
    ready();
    const struct lime_nl_link *l = by_name(name);
    memset(out, 0, sizeof(*out));
    if (!l)
        return -ENODEV;
    *out = *l;
    return 0;
}

int lime_nl_ifindex(struct lime_nl *nl, const char *name)
{
    (void)nl;
    ready();
    const struct lime_nl_link *l = name[0] ? by_name(name) : NULL;
    return l ? l->ifindex : 0;
}

bool lime_nl_kind_supported(struct lime_nl *nl, const char *kind)
{
    (void)nl;
    ready();
    for (size_t i = 0; i < 8; i++)
        if (!strcmp(m.unsupported[i], kind))
            return false;
    return true;
}

int lime_nl_link_add(struct lime_nl *nl, const struct lime_nl_link_spec *s)
{
    int r = change("link_add %s %s parent=%s", s->name, s->kind, s->parent[0] ? s->parent : "-");
    if (r)
        return r;
    const struct lime_nl_link *parent = s->parent[0] ? by_name(s->parent) : NULL;
    if (!lime_nl_kind_supported(nl, s->kind))
        return done(-EOPNOTSUPP);
    if (by_name(s->name))
        return done(-EEXIST);
    if ((s->parent[0] && !parent) ||
        ((!strcmp(s->kind, "macvlan") || !strcmp(s->kind, "vlan")) && !parent))
        return done(-ENODEV);
    if (m.n_links == MOCK_LINKS)
        return done(-ENOSPC);
    const char *algo = "";
    if (!strcmp(s->kind, "batadv") && !(algo = nlm_batadv_algo(s->batadv_algo)))
        return done(-EINVAL);
    add_link(s->name, s->kind, 0);
    struct lime_nl_link *l = &m.links[m.n_links - 1];
    if (!strcmp(s->kind, "batadv"))
        nlm_batadv_created(l->ifindex, algo);
    if (parent) {
        l->parent = parent->ifindex;
        l->mtu = parent->mtu;
        if (!strcmp(s->kind, "vlan")) /* a VLAN device takes its lower device's address */
            memcpy(l->mac, parent->mac, 6);
    }
    if (s->mtu)
        l->mtu = s->mtu;
    if (s->has_mac)
        memcpy(l->mac, s->mac, 6);
    if (!strcmp(s->kind, "macvlan"))
        l->macvlan_mode = s->macvlan_mode ? s->macvlan_mode : MACVLAN_MODE_VEPA;
    if (!strcmp(s->kind, "vlan")) {
        l->vlan_id = s->vlan_id;
        l->vlan_proto = s->vlan_proto ? s->vlan_proto : 0x8100;
    }
    return done(0);
}

int lime_nl_tap_create(struct lime_nl *nl, const char *name)
{
    (void)nl;
    int r = change("tap_create %s", name);
    if (r)
        return r;
    const struct lime_nl_link *l = by_name(name);
    if (l) /* an existing persistent TAP is attached again; anything else is busy */
        return done(strcmp(l->kind, "tun") ? -EBUSY : 0);
    if (m.n_links == MOCK_LINKS)
        return done(-ENOSPC);
    add_link(name, "tun", 0);
    return done(0);
}

/* Removes link index i and everything the kernel removes with it. */
static void unlink_at(size_t i)
{
    int idx = m.links[i].ifindex;
    nlm_batadv_forget(idx);
    nlm_wifi_forget(idx);
    m.links[i] = m.links[--m.n_links];
    size_t w = 0;
    for (size_t k = 0; k < m.n_addrs; k++)
        if (m.addrs[k].ifindex != idx)
            m.addrs[w++] = m.addrs[k];
    m.n_addrs = w;
    w = 0;
    for (size_t k = 0; k < m.n_routes; k++)
        if (m.routes[k].oif != idx)
            m.routes[w++] = m.routes[k];
    m.n_routes = w;
    for (size_t k = 0; k < m.n_links; k++)
        if (m.links[k].master == idx)
            m.links[k].master = 0;
    for (size_t k = 0; k < m.n_links;) /* macvlan/VLAN devices die with their lower device */
        if (m.links[k].parent == idx)
            unlink_at(k);
        else
            k++;
}

int lime_nl_tap_delete(struct lime_nl *nl, const char *name)
{
    (void)nl;
    int r = change("tap_delete %s", name);
    if (r)
        return r;
    for (size_t i = 0; i < m.n_links; i++)
        if (!strcmp(m.links[i].name, name)) {
            if (strcmp(m.links[i].kind, "tun"))
                return done(-EBUSY);
            unlink_at(i);
            break;
        }
    return done(0); /* no such TAP: the kernel makes a transient one that vanishes */
}

int lime_nl_link_del(struct lime_nl *nl, int ifindex)
{
    (void)nl;
    int r = change("link_del %s", name_of(ifindex));
    if (r)
        return r;
    if (nlm_wifi_is(ifindex)) /* rtnetlink cannot delete a Wi-Fi interface */
        return done(-EOPNOTSUPP);
    for (size_t i = 0; i < m.n_links; i++)
        if (m.links[i].ifindex == ifindex) {
            unlink_at(i);
            return done(0);
        }
    return done(-ENODEV);
}

int lime_nl_link_set_up(struct lime_nl *nl, int ifindex, bool up)
{
    (void)nl;
    int r = change("link_set %s %s", name_of(ifindex), up ? "up" : "down");
    if (r)
        return r;
    struct lime_nl_link *l = by_index(ifindex);
    if (!l)
        return done(-ENODEV);
    l->flags = up ? l->flags | IFF_UP : l->flags & ~(unsigned)IFF_UP;
    return done(0);
}

int lime_nl_link_set_mtu(struct lime_nl *nl, int ifindex, unsigned mtu)
{
    (void)nl;
    int r = change("link_set %s mtu %u", name_of(ifindex), mtu);
    if (r)
        return r;
    struct lime_nl_link *l = by_index(ifindex);
    if (!l)
        return done(-ENODEV);
    if (mtu < 68)
        return done(-EINVAL);
    l->mtu = mtu;
    return done(0);
}

int lime_nl_link_set_mac(struct lime_nl *nl, int ifindex, const uint8_t mac[6])
{
    (void)nl;
    int r = change("link_set %s address %02x:%02x:%02x:%02x:%02x:%02x", name_of(ifindex), mac[0],
                   mac[1], mac[2], mac[3], mac[4], mac[5]);
    if (r)
        return r;
    struct lime_nl_link *l = by_index(ifindex);
    if (!l)
        return done(-ENODEV);
    memcpy(l->mac, mac, 6);
    return done(0);
}

int lime_nl_link_set_master(struct lime_nl *nl, int ifindex, int master)
{
    (void)nl;
    int r = change("link_set %s master %s", name_of(ifindex), master ? name_of(master) : "none");
    if (r)
        return r;
    struct lime_nl_link *l = by_index(ifindex);
    const struct lime_nl_link *b = master ? by_index(master) : NULL;
    if (!l || (master && !b))
        return done(-ENODEV);
    if (b && ((strcmp(b->kind, "bridge") && strcmp(b->kind, "batadv")) || b == l ||
              (!strcmp(b->kind, "batadv") && (!strcmp(l->kind, "batadv") || (l->flags & IFF_LOOPBACK)))))
        return done(-EINVAL);
    l->master = master;
    return done(0);
}

/* ---------------------------------------------------------------- addresses */

int lime_nl_addrs(struct lime_nl *nl, int family, struct lime_nl_addr **out, size_t *n)
{
    (void)nl;
    ready();
    struct lime_nl_addr v[MOCK_ADDRS];
    size_t k = 0;
    for (size_t i = 0; i < m.n_addrs; i++)
        if (family == AF_UNSPEC || m.addrs[i].family == family)
            v[k++] = m.addrs[i];
    *out = copy_out(v, k, sizeof(v[0]), n);
    return *out ? 0 : -ENOMEM;
}

/* The kernel's identity of an address: IPv4 (device, address, prefix length), IPv6
 * (device, address). */
static struct lime_nl_addr *find_addr(const struct lime_nl_addr *a)
{
    for (size_t i = 0; i < m.n_addrs; i++) {
        struct lime_nl_addr *x = &m.addrs[i];
        if (x->ifindex == a->ifindex && x->family == a->family &&
            !memcmp(x->addr, a->addr, alen(a->family)) &&
            (a->family == AF_INET6 || x->prefixlen == a->prefixlen))
            return x;
    }
    return NULL;
}

int lime_nl_addr_add(struct lime_nl *nl, const struct lime_nl_addr *a)
{
    (void)nl;
    char t[64];
    int r = change("addr_add %s/%u dev %s metric %u", ip(a->family, a->addr, t, sizeof(t)),
                   a->prefixlen, name_of(a->ifindex), a->rt_priority);
    if (r)
        return r;
    if (!by_index(a->ifindex))
        return done(-ENODEV);
    if (find_addr(a))
        return done(-EEXIST);
    if (m.n_addrs == MOCK_ADDRS)
        return done(-ENOSPC);
    struct lime_nl_addr *x = &m.addrs[m.n_addrs++];
    *x = *a;
    x->scope = RT_SCOPE_UNIVERSE;
    return done(0);
}

int lime_nl_addr_del(struct lime_nl *nl, const struct lime_nl_addr *a)
{
    (void)nl;
    char t[64];
    int r = change("addr_del %s/%u dev %s", ip(a->family, a->addr, t, sizeof(t)), a->prefixlen,
                   name_of(a->ifindex));
    if (r)
        return r;
    struct lime_nl_addr *x = find_addr(a);
    if (!x)
        return done(-EADDRNOTAVAIL);
    *x = m.addrs[--m.n_addrs];
    return done(0);
}

/* ---------------------------------------------------------------- rules */

int lime_nl_rules(struct lime_nl *nl, int family, struct lime_nl_rule **out, size_t *n)
{
    (void)nl;
    ready();
    struct lime_nl_rule v[MOCK_RULES];
    size_t k = 0;
    for (size_t i = 0; i < m.n_rules; i++)
        if (family == AF_UNSPEC || m.rules[i].family == family)
            v[k++] = m.rules[i];
    *out = copy_out(v, k, sizeof(v[0]), n);
    return *out ? 0 : -ENOMEM;
}

static struct lime_nl_rule *find_rule(const struct lime_nl_rule *r)
{
    for (size_t i = 0; i < m.n_rules; i++) {
        struct lime_nl_rule *x = &m.rules[i];
        if (x->family == r->family && x->priority == r->priority && x->table == r->table &&
            x->src_len == r->src_len && !memcmp(x->src, r->src, alen(r->family)))
            return x;
    }
    return NULL;
}

int lime_nl_rule_add(struct lime_nl *nl, const struct lime_nl_rule *r)
{
    (void)nl;
    char t[64];
    int e = change("rule_add from %s/%u lookup %u pref %u", ip(r->family, r->src, t, sizeof(t)),
                   r->src_len, r->table, r->priority);
    if (e)
        return e;
    if (find_rule(r))
        return done(-EEXIST);
    if (m.n_rules == MOCK_RULES)
        return done(-ENOSPC);
    struct lime_nl_rule *x = &m.rules[m.n_rules++];
    *x = *r;
    x->action = FR_ACT_TO_TBL;
    return done(0);
}

int lime_nl_rule_del(struct lime_nl *nl, const struct lime_nl_rule *r)
{
    (void)nl;
    char t[64];
    int e = change("rule_del from %s/%u lookup %u pref %u", ip(r->family, r->src, t, sizeof(t)),
                   r->src_len, r->table, r->priority);
    if (e)
        return e;
    struct lime_nl_rule *x = find_rule(r);
    if (!x)
        return done(-ENOENT);
    *x = m.rules[--m.n_rules];
    return done(0);
}

/* ---------------------------------------------------------------- routes */

int lime_nl_routes(struct lime_nl *nl, int family, uint32_t table, struct lime_nl_route **out,
                   size_t *n)
{
    (void)nl;
    ready();
    struct lime_nl_route v[MOCK_ROUTES];
    size_t k = 0;
    for (size_t i = 0; i < m.n_routes; i++)
        if ((family == AF_UNSPEC || m.routes[i].family == family) &&
            (!table || m.routes[i].table == table))
            v[k++] = m.routes[i];
    *out = copy_out(v, k, sizeof(v[0]), n);
    return *out ? 0 : -ENOMEM;
}

static uint32_t table_of(const struct lime_nl_route *r)
{
    return r->table ? r->table : RT_TABLE_MAIN;
}

/* Same destination, table and metric: the kernel's identity of a route (NLM_F_EXCL). */
static bool route_key(const struct lime_nl_route *x, const struct lime_nl_route *r)
{
    return x->family == r->family && x->table == table_of(r) && x->dst_len == r->dst_len &&
           !memcmp(x->dst, r->dst, alen(r->family)) && x->metric == r->metric;
}

static void route_text(const char *verb, const struct lime_nl_route *r, char *buf, size_t len)
{
    char d[64], g[64];
    snprintf(buf, len, "%s %s/%u dev %s via %s table %u metric %u proto %u type %u", verb,
             ip(r->family, r->dst, d, sizeof(d)), r->dst_len, name_of(r->oif),
             r->has_gw ? ip(r->family, r->gw, g, sizeof(g)) : "-", table_of(r), r->metric,
             r->protocol ? r->protocol : RTPROT_STATIC, r->type ? r->type : RTN_UNICAST);
}

int lime_nl_route_add(struct lime_nl *nl, const struct lime_nl_route *r)
{
    (void)nl;
    char what[200];
    route_text("route_add", r, what, sizeof(what));
    int e = change("%s", what);
    if (e)
        return e;
    if (r->oif && !by_index(r->oif))
        return done(-ENODEV);
    for (size_t i = 0; i < m.n_routes; i++)
        if (route_key(&m.routes[i], r))
            return done(-EEXIST);
    if (m.n_routes == MOCK_ROUTES)
        return done(-ENOSPC);
    struct lime_nl_route *x = &m.routes[m.n_routes++];
    *x = *r;
    x->table = table_of(r);
    x->protocol = r->protocol ? r->protocol : RTPROT_STATIC;
    x->type = r->type ? r->type : RTN_UNICAST;
    x->scope = r->has_gw || x->type != RTN_UNICAST ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
    return done(0);
}

int lime_nl_route_del(struct lime_nl *nl, const struct lime_nl_route *r)
{
    (void)nl;
    char what[200];
    route_text("route_del", r, what, sizeof(what));
    int e = change("%s", what);
    if (e)
        return e;
    /* as the kernel: what the request leaves out (metric 0 on IPv4, oif, gateway)
     * matches anything; nl.c always sends a protocol (0 = static) and a type */
    for (size_t i = 0; i < m.n_routes; i++) {
        const struct lime_nl_route *x = &m.routes[i];
        if (x->family != r->family || x->table != table_of(r) || x->dst_len != r->dst_len ||
            memcmp(x->dst, r->dst, alen(r->family)) ||
            ((r->metric || r->family == AF_INET6) && x->metric != r->metric) ||
            x->protocol != (r->protocol ? r->protocol : RTPROT_STATIC) ||
            x->type != (r->type ? r->type : RTN_UNICAST) || (r->oif && x->oif != r->oif) ||
            (r->has_gw && (!x->has_gw || memcmp(x->gw, r->gw, alen(r->family)))))
            continue;
        m.routes[i] = m.routes[--m.n_routes];
        return done(0);
    }
    return done(-ESRCH);
}

int lime_nl_route_replace(struct lime_nl *nl, const struct lime_nl_route *r)
{
    (void)nl;
    char what[200];
    route_text("route_replace", r, what, sizeof(what));
    int e = change("%s", what);
    if (e)
        return e;
    if (r->oif && !by_index(r->oif))
        return done(-ENODEV);
    struct lime_nl_route *x = NULL;
    for (size_t i = 0; i < m.n_routes && !x; i++)
        if (route_key(&m.routes[i], r))
            x = &m.routes[i];
    if (!x) {
        if (m.n_routes == MOCK_ROUTES)
            return done(-ENOSPC);
        x = &m.routes[m.n_routes++];
    }
    *x = *r;
    x->table = table_of(r);
    x->protocol = r->protocol ? r->protocol : RTPROT_STATIC;
    x->type = r->type ? r->type : RTN_UNICAST;
    x->scope = r->has_gw || x->type != RTN_UNICAST ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
    return done(0);
}
