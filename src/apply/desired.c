/* Plan → desired kernel state, and its text record. */
#include "desired.h"

#include "addr.h"
#include "log.h"
#include "nl.h"
#include "plan.h"
#include "wifi.h"

#include <arpa/inet.h>
#include <linux/batman_adv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void seterr(char *err, unsigned len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

int lr_addr_parse(const char *text, int *family, uint8_t out[16])
{
    memset(out, 0, 16);
    if (inet_pton(AF_INET, text, out) == 1) {
        *family = AF_INET;
        return 0;
    }
    if (inet_pton(AF_INET6, text, out) == 1) {
        *family = AF_INET6;
        return 0;
    }
    return -EINVAL;
}

const char *lr_addr_str(int family, const uint8_t *addr, char *buf, size_t len)
{
    if (!inet_ntop(family, addr, buf, (socklen_t)len))
        snprintf(buf, len, "?");
    return buf;
}

/* The record's MAC field (lenient as it always was: sscanf's %2x). */
static int mac_parse(const char *text, uint8_t mac[6])
{
    unsigned b[6];
    char tail;
    if (sscanf(text, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
               &tail) != 6)
        return -EINVAL;
    for (int i = 0; i < 6; i++)
        mac[i] = (uint8_t)b[i];
    return 0;
}

static struct lr_want_link *find_link(struct lr_desired *d, const char *name)
{
    for (unsigned i = 0; i < d->n_links; i++)
        if (!strcmp(d->links[i].name, name))
            return &d->links[i];
    return NULL;
}

/* The link entry for name, appended (as an existing device we only bring up) if new. */
static struct lr_want_link *want_link(struct lr_desired *d, const char *name)
{
    struct lr_want_link *l = find_link(d, name);
    if (l)
        return l;
    if (d->n_links == LR_MAX_LINKS || strlen(name) >= IFNAMSIZ)
        return NULL;
    l = &d->links[d->n_links++];
    memset(l, 0, sizeof(*l));
    snprintf(l->name, sizeof(l->name), "%.15s", name);
    l->up = true;
    return l;
}

/* In a kernel without VLANs a VLAN device name stands for its raw link. */
struct alias {
    const struct plan *p;
    bool kernel_vlans;
};

static const char *resolve(const struct alias *a, const char *name)
{
    if (a->kernel_vlans)
        return name;
    for (int i = 0; i < a->p->n_devices; i++) {
        const struct plan_device *dev = &a->p->devices[i];
        if (dev->type == PLAN_DEV_VLAN && !strcmp(dev->name, name))
            return dev->link;
    }
    return name;
}

static int add_addr(struct lr_desired *d, const char *ifname, const struct plan_addr *pa,
                    uint32_t prio)
{
    if (!pa->family)
        return 0;
    struct lr_want_addr a = {0};
    snprintf(a.ifname, sizeof(a.ifname), "%.15s", ifname);
    a.family = pa->family;
    a.prefixlen = pa->prefix;
    memcpy(a.addr, &pa->u, pa->family == AF_INET ? 4 : 16);
    a.rt_priority = prio;
    for (unsigned i = 0; i < d->n_addrs; i++)
        if (lr_addr_same(&d->addrs[i], &a))
            return 0;
    if (d->n_addrs == LR_MAX_ADDRS)
        return -1;
    d->addrs[d->n_addrs++] = a;
    return 0;
}

static uint16_t vproto(enum plan_vlan_proto p)
{
    return p == PLAN_VLAN_8021Q ? 0x8100 : 0x88a8;
}

static int add_batadv(struct lr_desired *d, const char *mesh, enum lime_batadv_setting s,
                      uint32_t value)
{
    if (d->n_batadv == LR_MAX_BATADV)
        return -1;
    struct lr_want_batadv *w = &d->batadv[d->n_batadv++];
    memset(w, 0, sizeof(*w));
    snprintf(w->mesh, sizeof(w->mesh), "%.15s", mesh);
    w->setting = s;
    w->value = value;
    return 0;
}

int lr_desired_batadv_settings(const struct plan *p, const char *mesh, struct lr_desired *d)
{
    const struct plan_batman *b = &p->batman;
    int r = 0;
    if (b->orig_interval)
        r |= add_batadv(d, mesh, LIME_BATADV_ORIG_INTERVAL, b->orig_interval);
    if (b->bridge_loop_avoidance >= 0)
        r |= add_batadv(d, mesh, LIME_BATADV_BLA, b->bridge_loop_avoidance != 0);
    /* upstream's multicast_mode (batctl's old name) is the kernel's multicast_forceflood
     * inverted: multicast_mode 0 = optimisations off = forceflood 1 */
    if (b->multicast_mode >= 0)
        r |= add_batadv(d, mesh, LIME_BATADV_MCAST_FORCEFLOOD, b->multicast_mode == 0);
    if (b->distributed_arp_table >= 0)
        r |= add_batadv(d, mesh, LIME_BATADV_DAT, b->distributed_arp_table != 0);
    if (b->gw_mode[0])
        r |= add_batadv(d, mesh, LIME_BATADV_GW_MODE,
                        !strcmp(b->gw_mode, "client")   ? BATADV_GW_MODE_CLIENT
                        : !strcmp(b->gw_mode, "server") ? BATADV_GW_MODE_SERVER
                                                        : BATADV_GW_MODE_OFF);
    return r ? -1 : 0;
}

int lr_desired_from_plan(const struct plan *p, bool kernel_vlans, bool kernel_batman,
                         struct lr_desired *d, struct lr_daemon_links *dl, char *err,
                         unsigned errlen)
{
    memset(d, 0, sizeof(*d));
    memset(dl, 0, sizeof(*dl));
    struct alias al = {p, kernel_vlans};
    const char *bat = p->batman.mesh_iface[0] ? p->batman.mesh_iface : "bat0";
    if (kernel_batman && !kernel_vlans)
        for (int i = 0; i < p->batman.n_hardifs; i++) {
            const struct plan_device *dev = plan_find_device(p, p->batman.hardifs[i]);
            if (dev && dev->type == PLAN_DEV_VLAN) {
                seterr(err, errlen, "kernel batman-adv on %s needs kernel VLANs, which this "
                       "kernel lacks", dev->name);
                return -1;
            }
        }
    /* Wi-Fi interfaces first: what rests on a radio this host does not have is left out */
    if (lr_wifi_desired(p, d, err, errlen) < 0)
        return -1;
    for (int i = 0; i < p->n_radios; i++)
        if (!p->radios[i].live && !p->radios[i].manual)
            log_info("%s: no such radio here (its facts come from %s): its interfaces are left out",
                     p->radios[i].name, p->radios[i].phy[0] ? p->radios[i].phy : "the wireless config");

    /* Pass 1: bridges; 2: bat0 (the kernel's batman-adv, or a TAP batd attaches to);
     * 3: macvlan and VLANs. */
    for (int pass = 1; pass <= 3; pass++) {
        if (pass == 2 && p->batman.enabled) {
            struct lr_want_link *l = want_link(d, bat);
            if (!l)
                goto full;
            snprintf(l->kind, sizeof(l->kind), kernel_batman ? "batadv" : "tap");
            if (kernel_batman)
                snprintf(l->algo, sizeof(l->algo), "%.15s", p->batman.routing_algo);
            for (int k = 0; k < p->n_devices; k++) {
                const struct plan_device *br = &p->devices[k];
                if (br->type != PLAN_DEV_BRIDGE)
                    continue;
                for (int j = 0; j < br->n_ports; j++)
                    if (!strcmp(br->ports[j], bat))
                        snprintf(l->master, sizeof(l->master), "%.15s", br->name);
            }
        }
        for (int i = 0; i < p->n_devices; i++) {
            const struct plan_device *dev = &p->devices[i];
            struct lr_want_link *l;
            if (pass == 1 && dev->type == PLAN_DEV_BRIDGE) {
                if (!(l = want_link(d, dev->name)))
                    goto full;
                snprintf(l->kind, sizeof(l->kind), "bridge");
                if (dev->mtu)
                    l->mtu = dev->mtu;
                for (int j = 0; j < dev->n_ports; j++) {
                    const char *port = resolve(&al, dev->ports[j]);
                    if (!strcmp(port, p->batman.mesh_iface))
                        continue; /* enslaved in pass 2 */
                    struct lr_want_link *pl = want_link(d, port);
                    if (!pl)
                        goto full;
                    snprintf(pl->master, sizeof(pl->master), "%.15s", dev->name);
                }
            } else if (pass == 3 && dev->type == PLAN_DEV_MACVLAN) {
                if (!want_link(d, dev->link) || !(l = want_link(d, dev->name)))
                    goto full;
                snprintf(l->kind, sizeof(l->kind), "macvlan");
                snprintf(l->parent, sizeof(l->parent), "%.15s", dev->link);
                l->has_mac = dev->has_mac;
                memcpy(l->mac, dev->mac, 6);
                l->mtu = dev->mtu;
            } else if (pass == 3 && dev->type == PLAN_DEV_VLAN) {
                if (lr_wifi_absent(p, d, dev->link))
                    continue;
                if (!want_link(d, dev->link)) /* the raw link: up */
                    goto full;
                if (!kernel_vlans)
                    continue;
                if (!(l = want_link(d, dev->name)))
                    goto full;
                snprintf(l->kind, sizeof(l->kind), "vlan");
                snprintf(l->parent, sizeof(l->parent), "%.15s", dev->link);
                l->vlan_id = dev->vid;
                l->vlan_proto = vproto(dev->vlan_proto);
                l->has_mac = dev->has_mac;
                memcpy(l->mac, dev->mac, 6);
                l->mtu = dev->mtu;
            }
        }
    }

    for (int i = 0; i < p->n_ifaces; i++) {
        const struct plan_iface *f = &p->ifaces[i];
        if (f->owner == PLAN_OWNER_WAN || f->proto == PLAN_PROTO_DHCP ||
            f->proto == PLAN_PROTO_BATADV || f->proto == PLAN_PROTO_BATADV_HARDIF)
            continue;
        if (lr_wifi_absent(p, d, f->device))
            continue; /* a wifi network on a radio this host does not have */
        const char *dev = resolve(&al, f->device);
        struct lr_want_link *l = want_link(d, dev);
        if (!l)
            goto full;
        if (f->mtu && (kernel_vlans || !strcmp(dev, f->device)))
            l->mtu = f->mtu;
        uint32_t prio = f->has_metric ? f->metric : 0;
        if (add_addr(d, dev, &f->ip4, prio) || add_addr(d, dev, &f->ip6, prio))
            goto full;
    }

    const struct plan_rule *rules[2] = {p->rules4, p->rules6};
    const int nrules[2] = {p->n_rules4, p->n_rules6};
    for (int fam = 0; fam < 2; fam++)
        for (int i = 0; i < nrules[fam]; i++) {
            const struct plan_rule *r = &rules[fam][i];
            if (d->n_rules == LR_MAX_RULES)
                goto full;
            struct lr_want_rule *w = &d->rules[d->n_rules++];
            memset(w, 0, sizeof(*w));
            w->family = r->src.family;
            w->priority = LR_RULE_PRIORITY;
            w->table = r->table;
            memcpy(w->src, &r->src.u, w->family == AF_INET ? 4 : 16);
            w->src_len = r->src.prefix;
        }
    const struct plan_route *routes[2] = {p->routes4, p->routes6};
    const int nroutes[2] = {p->n_routes4, p->n_routes6};
    for (int fam = 0; fam < 2; fam++)
        for (int i = 0; i < nroutes[fam]; i++) {
            const struct plan_route *r = &routes[fam][i];
            if (d->n_routes == LR_MAX_ROUTES)
                goto full;
            struct lr_want_route *w = &d->routes[d->n_routes++];
            memset(w, 0, sizeof(*w));
            w->family = r->target.family;
            w->table = r->table;
            memcpy(w->dst, &r->target.u, w->family == AF_INET ? 4 : 16);
            w->dst_len = r->target.prefix;
            snprintf(w->oif, sizeof(w->oif), "%.15s", resolve(&al, r->device));
            w->metric = w->family == AF_INET6 ? 1024 : 0; /* the kernel's v6 default */
        }

    /* Without kernel VLANs a link that is both a bridge port and a mesh link cannot
     * carry babel untagged (the bridge takes its frames). */
    if (!kernel_vlans)
        for (int i = 0; i < p->n_devices; i++) {
            const struct plan_device *dev = &p->devices[i];
            const struct lr_want_link *raw = dev->type == PLAN_DEV_VLAN ? find_link(d, dev->link) : NULL;
            if (raw && raw->master[0])
                log_warn("%s is a port of %s and a mesh link (%s): without kernel VLANs "
                         "babel/batman on it share the bridge; give mesh and lan separate links",
                         dev->link, raw->master, dev->name);
        }

    /* Kernel batman-adv: its hard interfaces join bat0, and it gets upstream's settings. */
    if (p->batman.enabled && kernel_batman) {
        for (int i = 0; i < p->batman.n_hardifs; i++) {
            struct lr_want_link *l = want_link(d, resolve(&al, p->batman.hardifs[i]));
            if (!l)
                goto full;
            if (l->master[0] && strcmp(l->master, bat))
                log_warn("%s is a port of %s: it cannot also be a batman-adv hard interface",
                         l->name, l->master);
            else
                snprintf(l->master, sizeof(l->master), "%.15s", bat);
        }
        if (lr_desired_batadv_settings(p, bat, d))
            goto full;
    }

    /* Daemon links. */
    if (p->batman.enabled && !kernel_batman) {
        for (int i = 0; i < p->batman.n_hardifs && dl->n_bat_ifs < 16; i++) {
            const char *hard = p->batman.hardifs[i];
            if (lr_wifi_absent(p, d, hard))
                continue;
            const char *raw = resolve(&al, hard);
            if (!kernel_vlans) {
                const struct plan_device *dev = plan_find_device(p, hard);
                if (dev && dev->type == PLAN_DEV_VLAN) {
                    if (dl->bat_vid && dl->bat_vid != dev->vid) {
                        seterr(err, errlen, "batman VLANs %u and %u on one node: batd tags "
                               "with one id only", dl->bat_vid, dev->vid);
                        return -1;
                    }
                    dl->bat_vid = dev->vid;
                    dl->bat_vproto = vproto(dev->vlan_proto);
                }
            }
            bool dup = false;
            for (unsigned j = 0; j < dl->n_bat_ifs; j++)
                dup |= !strcmp(dl->bat_ifs[j], raw);
            if (!dup)
                snprintf(dl->bat_ifs[dl->n_bat_ifs++], IFNAMSIZ, "%.15s", raw);
        }
    }
    if (p->babeld.enabled) {
        for (int i = 0; i < p->babeld.n_ifaces && dl->n_babel_ifs < 32; i++) {
            if (lr_wifi_absent(p, d, p->babeld.ifaces[i].ifname))
                continue;
            const char *raw = resolve(&al, p->babeld.ifaces[i].ifname);
            bool dup = false;
            for (unsigned j = 0; j < dl->n_babel_ifs; j++)
                dup |= !strcmp(dl->babel_ifs[j], raw);
            if (dup)
                continue;
            snprintf(dl->babel_ifs[dl->n_babel_ifs], IFNAMSIZ, "%.15s", raw);
            snprintf(dl->babel_types[dl->n_babel_ifs], 16, "%.15s",
                     p->babeld.ifaces[i].type[0] ? p->babeld.ifaces[i].type : "wireless");
            dl->n_babel_ifs++;
        }
    }
    return 0;
full:
    seterr(err, errlen, "the plan has more links/addresses/rules/routes than lime-apply holds "
           "(or an interface name longer than %d)", IFNAMSIZ - 1);
    return -1;
}

/* ---------------------------------------------------------------- equality */

bool lr_link_same(const struct lr_want_link *a, const struct lr_want_link *b)
{
    return !strcmp(a->name, b->name);
}

bool lr_addr_same(const struct lr_want_addr *a, const struct lr_want_addr *b)
{
    return a->family == b->family && a->prefixlen == b->prefixlen &&
           !strcmp(a->ifname, b->ifname) &&
           !memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16);
}

bool lr_rule_same(const struct lr_want_rule *a, const struct lr_want_rule *b)
{
    return a->family == b->family && a->priority == b->priority && a->table == b->table &&
           a->src_len == b->src_len && !memcmp(a->src, b->src, a->family == AF_INET ? 4 : 16);
}

bool lr_batadv_same(const struct lr_want_batadv *a, const struct lr_want_batadv *b)
{
    return a->setting == b->setting && !strcmp(a->mesh, b->mesh) && !strcmp(a->hard, b->hard);
}

bool lr_route_same(const struct lr_want_route *a, const struct lr_want_route *b)
{
    return a->family == b->family && a->table == b->table && a->dst_len == b->dst_len &&
           !memcmp(a->dst, b->dst, a->family == AF_INET ? 4 : 16) && !strcmp(a->oif, b->oif) &&
           a->metric == b->metric;
}

/* ---------------------------------------------------------------- text record */

static const char *dash(const char *s)
{
    return s[0] ? s : "-";
}

int lr_desired_save(const struct lr_desired *d, const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    char a[64], m[24];
    fprintf(f, "# lime-apply: what the linux backend applied and owns. Do not edit.\n");
    for (unsigned i = 0; i < d->n_links; i++) {
        const struct lr_want_link *l = &d->links[i];
        fprintf(f, "link %s %s %s %u %u %u %s %u %s %d", l->name, dash(l->kind),
                dash(l->parent), l->vlan_id, l->vlan_proto, l->macvlan_mode,
                l->has_mac ? lime_mac_format(l->mac, m, sizeof(m)) : "-", l->mtu, dash(l->master),
                l->up);
        fprintf(f, l->algo[0] ? " %s\n" : "\n", l->algo); /* a 12th field only for batadv */
    }
    for (unsigned i = 0; i < d->n_addrs; i++) {
        const struct lr_want_addr *x = &d->addrs[i];
        fprintf(f, "addr %s %s/%u %u\n", x->ifname, lr_addr_str(x->family, x->addr, a, sizeof(a)),
                x->prefixlen, x->rt_priority);
    }
    for (unsigned i = 0; i < d->n_rules; i++) {
        const struct lr_want_rule *x = &d->rules[i];
        fprintf(f, "rule %s/%u %u %u\n", lr_addr_str(x->family, x->src, a, sizeof(a)), x->src_len,
                x->priority, x->table);
    }
    for (unsigned i = 0; i < d->n_routes; i++) {
        const struct lr_want_route *x = &d->routes[i];
        fprintf(f, "route %s/%u %s %u %u\n", lr_addr_str(x->family, x->dst, a, sizeof(a)),
                x->dst_len, x->oif, x->table, x->metric);
    }
    for (unsigned i = 0; i < d->n_batadv; i++) {
        const struct lr_want_batadv *x = &d->batadv[i];
        const struct lime_batadv_setting_info *si = lime_nl_batadv_setting_info(x->setting);
        fprintf(f, "batadv %s %s %s %u\n", x->mesh, dash(x->hard), si ? si->name : "?", x->value);
    }
    for (unsigned i = 0; i < d->n_wifi; i++) {
        const struct lr_want_wifi *x = &d->wifi[i];
        const struct lime_nl_wifi_join *j = &x->j;
        char id[80] = "-", b[24];
        for (unsigned k = 0; k < j->ssid_len; k++)
            snprintf(id + 2 * k, 3, "%02x", (unsigned char)j->ssid[k]);
        fprintf(f, "wifi %s %s %u %s %d %c %s %u %u %u %u %u %d %d %s\n", x->name, x->phy, x->iftype,
                x->has_mac ? lime_mac_format(x->mac, m, sizeof(m)) : "-", x->daemon,
                x->join ? x->join : '-', id, j->freq, j->width, j->center1, j->mcast_rate,
                j->beacon_interval, j->forwarding, j->nolearn,
                j->has_bssid ? lime_mac_format(j->bssid, b, sizeof(b)) : "-");
    }
    if (d->country[0])
        fprintf(f, "country %s\n", d->country);
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

static int parse_cidr(const char *s, int *family, uint8_t addr[16], uint8_t *len)
{
    char buf[64];
    const char *slash = strchr(s, '/');
    if (!slash || (size_t)(slash - s) >= sizeof(buf))
        return -1;
    memcpy(buf, s, (size_t)(slash - s));
    buf[slash - s] = 0;
    if (lr_addr_parse(buf, family, addr))
        return -1;
    char *end;
    unsigned long l = strtoul(slash + 1, &end, 10);
    if (*end || l > (*family == AF_INET ? 32u : 128u))
        return -1;
    *len = (uint8_t)l;
    return 0;
}

static void undash(char *dst, size_t len, const char *s)
{
    snprintf(dst, len, "%.*s", (int)len - 1, strcmp(s, "-") ? s : "");
}

/* A "wifi" record line (16 words) into *x; false if a field is malformed. */
static bool wifi_record(struct lr_want_wifi *x, char w[][72])
{
    memset(x, 0, sizeof(*x));
    if (strlen(w[1]) >= IFNAMSIZ || strlen(w[2]) >= sizeof(x->phy) || strlen(w[6]) != 1)
        return false;
    snprintf(x->name, sizeof(x->name), "%s", w[1]);
    snprintf(x->phy, sizeof(x->phy), "%s", w[2]);
    x->iftype = (uint32_t)strtoul(w[3], NULL, 10);
    x->has_mac = strcmp(w[4], "-") != 0;
    if (x->has_mac && mac_parse(w[4], x->mac))
        return false;
    x->daemon = atoi(w[5]) != 0;
    x->join = w[6][0] == '-' ? 0 : w[6][0];
    if (x->join && x->join != 'm' && x->join != 'i')
        return false;
    struct lime_nl_wifi_join *j = &x->j;
    if (strcmp(w[7], "-")) {
        size_t hl = strlen(w[7]);
        if (hl % 2 || hl > 64)
            return false;
        for (size_t k = 0; k < hl; k += 2) {
            unsigned v;
            if (sscanf(w[7] + k, "%2x", &v) != 1)
                return false;
            j->ssid[k / 2] = (char)v;
        }
        j->ssid_len = (uint8_t)(hl / 2);
    }
    j->freq = (uint32_t)strtoul(w[8], NULL, 10);
    j->width = (uint32_t)strtoul(w[9], NULL, 10);
    j->center1 = (uint32_t)strtoul(w[10], NULL, 10);
    j->mcast_rate = (uint32_t)strtoul(w[11], NULL, 10);
    j->beacon_interval = (uint32_t)strtoul(w[12], NULL, 10);
    j->forwarding = atoi(w[13]);
    j->nolearn = atoi(w[14]);
    j->has_bssid = strcmp(w[15], "-") != 0;
    return !j->has_bssid || mac_parse(w[15], j->bssid) == 0;
}

int lr_desired_load(struct lr_desired *d, const char *path, char *err, unsigned errlen)
{
    memset(d, 0, sizeof(*d));
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? 0 : (seterr(err, errlen, "%s: %s", path, strerror(errno)), -1);
    char line[512];
    unsigned lineno = 0;
    int rc = 0;
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char w[16][72];
        int n = sscanf(line, "%71s %71s %71s %71s %71s %71s %71s %71s %71s %71s %71s %71s %71s %71s "
                       "%71s %71s", w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9],
                       w[10], w[11], w[12], w[13], w[14], w[15]);
        bool ok = false;
        if ((n == 11 || n == 12) && !strcmp(w[0], "link") && d->n_links < LR_MAX_LINKS &&
            strlen(w[1]) < IFNAMSIZ && strlen(w[3]) < IFNAMSIZ && strlen(w[9]) < IFNAMSIZ &&
            (n == 11 || strlen(w[11]) < sizeof(d->links[0].algo))) {
            struct lr_want_link *l = &d->links[d->n_links];
            memset(l, 0, sizeof(*l));
            snprintf(l->name, sizeof(l->name), "%.15s", w[1]);
            undash(l->kind, sizeof(l->kind), w[2]);
            undash(l->parent, sizeof(l->parent), w[3]);
            l->vlan_id = (uint16_t)atoi(w[4]);
            l->vlan_proto = (uint16_t)atoi(w[5]);
            l->macvlan_mode = (uint32_t)strtoul(w[6], NULL, 10);
            l->has_mac = strcmp(w[7], "-") && mac_parse(w[7], l->mac) == 0;
            l->mtu = (unsigned)strtoul(w[8], NULL, 10);
            undash(l->master, sizeof(l->master), w[9]);
            l->up = atoi(w[10]) != 0;
            if (n == 12)
                snprintf(l->algo, sizeof(l->algo), "%s", w[11]);
            ok = true;
            d->n_links++;
        } else if (n == 4 && !strcmp(w[0], "addr") && d->n_addrs < LR_MAX_ADDRS &&
                   strlen(w[1]) < IFNAMSIZ) {
            struct lr_want_addr *a = &d->addrs[d->n_addrs];
            memset(a, 0, sizeof(*a));
            snprintf(a->ifname, sizeof(a->ifname), "%.15s", w[1]);
            a->rt_priority = (uint32_t)strtoul(w[3], NULL, 10);
            ok = parse_cidr(w[2], &a->family, a->addr, &a->prefixlen) == 0;
            d->n_addrs += ok;
        } else if (n == 4 && !strcmp(w[0], "rule") && d->n_rules < LR_MAX_RULES) {
            struct lr_want_rule *r = &d->rules[d->n_rules];
            memset(r, 0, sizeof(*r));
            r->priority = (uint32_t)strtoul(w[2], NULL, 10);
            r->table = (uint32_t)strtoul(w[3], NULL, 10);
            ok = parse_cidr(w[1], &r->family, r->src, &r->src_len) == 0;
            d->n_rules += ok;
        } else if (n == 5 && !strcmp(w[0], "route") && d->n_routes < LR_MAX_ROUTES &&
                   strlen(w[2]) < IFNAMSIZ) {
            struct lr_want_route *r = &d->routes[d->n_routes];
            memset(r, 0, sizeof(*r));
            snprintf(r->oif, sizeof(r->oif), "%.15s", w[2]);
            r->table = (uint32_t)strtoul(w[3], NULL, 10);
            r->metric = (uint32_t)strtoul(w[4], NULL, 10);
            ok = parse_cidr(w[1], &r->family, r->dst, &r->dst_len) == 0;
            d->n_routes += ok;
        } else if (n == 5 && !strcmp(w[0], "batadv") && d->n_batadv < LR_MAX_BATADV &&
                   strlen(w[1]) < IFNAMSIZ && strlen(w[2]) < IFNAMSIZ) {
            struct lr_want_batadv *x = &d->batadv[d->n_batadv];
            memset(x, 0, sizeof(*x));
            snprintf(x->mesh, sizeof(x->mesh), "%.15s", w[1]);
            undash(x->hard, sizeof(x->hard), w[2]);
            x->setting = lime_nl_batadv_setting_by_name(w[3], x->hard[0] != 0);
            char *end;
            unsigned long v = strtoul(w[4], &end, 10);
            const struct lime_batadv_setting_info *si = lime_nl_batadv_setting_info(x->setting);
            ok = x->setting >= 0 && !*end && w[4][0] != '-' && si && v <= si->max;
            x->value = (uint32_t)v;
            d->n_batadv += ok;
        } else if (n == 16 && !strcmp(w[0], "wifi") && d->n_wifi < LR_MAX_WIFI) {
            ok = wifi_record(&d->wifi[d->n_wifi], w);
            d->n_wifi += ok;
        } else if (n == 2 && !strcmp(w[0], "country") && strlen(w[1]) == 2) {
            snprintf(d->country, sizeof(d->country), "%s", w[1]);
            ok = true;
        }
        if (!ok) {
            seterr(err, errlen, "%s:%u: expected a link/addr/rule/route/batadv/wifi/country record", path,
                   lineno);
            rc = -1;
            break;
        }
    }
    fclose(f);
    return rc;
}
