/* The Wi-Fi part of the in-memory kernel (nl_mock.h): phys declared by the test, Wi-Fi
 * interfaces that are links of nl_mock.c's model, their joins, the country. */
#include "nl80211.h"
#include "nl_mock.h"
#include "nl_mock_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MOCK_PHYS 8
#define MOCK_WIFI 32

struct lime_nl_wifi {
    int unused;
};

struct wifi_if {
    int ifindex;
    uint32_t phy;
    uint32_t iftype;
    char join;               /* 0, 'm' mesh, 'i' IBSS */
    struct lime_nl_wifi_join j;
};

static struct {
    struct lime_nl_wifi_phy phys[MOCK_PHYS];
    size_t n_phys;
    struct wifi_if ifs[MOCK_WIFI];
    size_t n_ifs;
    char reg[3];
    char sta_if[16];
    struct lime_nl_wifi_station sta[16];
    int n_sta;
} w;

void nlm_wifi_reset(void)
{
    memset(&w, 0, sizeof(w));
    snprintf(w.reg, sizeof(w.reg), "00");
}

static struct wifi_if *wif(int ifindex)
{
    for (size_t i = 0; i < w.n_ifs; i++)
        if (w.ifs[i].ifindex == ifindex)
            return &w.ifs[i];
    return NULL;
}

void nlm_wifi_forget(int ifindex)
{
    struct wifi_if *f = wif(ifindex);
    if (f)
        *f = w.ifs[--w.n_ifs];
}

bool nlm_wifi_is(int ifindex)
{
    return wif(ifindex) != NULL;
}

static const struct lime_nl_wifi_phy *phy_of(uint32_t index)
{
    for (size_t i = 0; i < w.n_phys; i++)
        if (w.phys[i].index == index)
            return &w.phys[i];
    return NULL;
}

int lime_nl_mock_phy(const struct lime_nl_wifi_phy *phy)
{
    nlm_link_find(0, "lo"); /* makes sure the model is initialised */
    if (phy_of(phy->index))
        return -EEXIST;
    if (w.n_phys == MOCK_PHYS)
        return -ENOSPC;
    w.phys[w.n_phys++] = *phy;
    return 0;
}

void lime_nl_mock_phy_std(struct lime_nl_wifi_phy *p, uint32_t index, const char *name, uint32_t iftypes)
{
    memset(p, 0, sizeof(*p));
    p->index = index;
    snprintf(p->name, sizeof(p->name), "%s", name);
    p->iftypes = iftypes;
    p->user_mpm = true;
    p->n_bands = 2;
    p->bands[0].band = 0;
    p->bands[0].ht = p->bands[0].ht40 = true;
    for (int c = 1; c <= 13; c++)
        p->bands[0].chans[p->bands[0].n_chans++] = (struct lime_nl_wifi_chan){.freq = 2407 + 5 * (uint32_t)c};
    p->bands[1].band = 1;
    p->bands[1].ht = p->bands[1].ht40 = p->bands[1].vht = true;
    for (int c = 36; c <= 64; c += 4)
        p->bands[1].chans[p->bands[1].n_chans++] =
            (struct lime_nl_wifi_chan){.freq = 5000 + 5 * (uint32_t)c, .radar = c > 48};
    p->n_combs = 1;
    p->combs[0].n_limits = 1;
    p->combs[0].types[0] = iftypes;
    p->combs[0].max[0] = 8;
    p->combs[0].max_ifaces = 8;
    p->combs[0].num_channels = 1;
}

void lime_nl_mock_stations(const char *ifname, const struct lime_nl_wifi_station *st, int n)
{
    snprintf(w.sta_if, sizeof(w.sta_if), "%s", ifname);
    w.n_sta = n < 16 ? n : 16;
    memcpy(w.sta, st, (size_t)w.n_sta * sizeof(*st));
}

char *nlm_wifi_snapshot(void)
{
    if (!w.n_phys)
        return calloc(1, 1);
    size_t cap = 256 + w.n_ifs * 256;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t len = (size_t)snprintf(out, cap, "wifi reg %s\n", w.reg);
    /* by name, so re-created interfaces compare equal */
    const struct wifi_if *order[MOCK_WIFI];
    size_t n = 0;
    for (size_t i = 0; i < w.n_ifs; i++) {
        const struct lime_nl_link *l = nlm_link_find(w.ifs[i].ifindex, NULL);
        size_t k = n++;
        while (k > 0 && strcmp(nlm_link_find(order[k - 1]->ifindex, NULL)->name, l->name) > 0) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = &w.ifs[i];
    }
    for (size_t i = 0; i < n; i++) {
        const struct wifi_if *f = order[i];
        const struct lime_nl_link *l = nlm_link_find(f->ifindex, NULL);
        len += (size_t)snprintf(out + len, cap - len,
                                "wifi %s phy=%u type=%u join=%c id=%.*s freq=%u width=%u center=%u "
                                "mcast=%u beacon=%u fwd=%d nolearn=%d\n",
                                l->name, f->phy, f->iftype, f->join ? f->join : '-',
                                (int)f->j.ssid_len, f->j.ssid, f->j.freq, f->j.width, f->j.center1,
                                f->j.mcast_rate, f->j.beacon_interval, f->j.forwarding, f->j.nolearn);
    }
    return out;
}

/* ---------------------------------------------------------------- the seam */

struct lime_nl_wifi *lime_nl_wifi_open(void)
{
    nlm_link_find(0, "lo");
    if (!w.n_phys) {
        errno = ENOENT;
        return NULL;
    }
    return calloc(1, sizeof(struct lime_nl_wifi));
}

void lime_nl_wifi_close(struct lime_nl_wifi *x)
{
    free(x);
}

int lime_nl_wifi_phys(struct lime_nl_wifi *x, struct lime_nl_wifi_phy **out, size_t *n)
{
    (void)x;
    *out = malloc((w.n_phys ? w.n_phys : 1) * sizeof(**out));
    if (!*out)
        return -ENOMEM;
    memcpy(*out, w.phys, w.n_phys * sizeof(**out));
    *n = w.n_phys;
    return 0;
}

int lime_nl_wifi_ifaces(struct lime_nl_wifi *x, struct lime_nl_wifi_iface **out, size_t *n)
{
    (void)x;
    *out = calloc(w.n_ifs ? w.n_ifs : 1, sizeof(**out));
    if (!*out)
        return -ENOMEM;
    for (size_t i = 0; i < w.n_ifs; i++) {
        const struct wifi_if *f = &w.ifs[i];
        const struct lime_nl_link *l = nlm_link_find(f->ifindex, NULL);
        struct lime_nl_wifi_iface *o = &(*out)[i];
        o->ifindex = f->ifindex;
        snprintf(o->name, sizeof(o->name), "%s", l->name);
        o->phy = f->phy;
        o->iftype = f->iftype;
        memcpy(o->mac, l->mac, 6);
        if (f->join) {
            o->freq = f->j.freq;
            o->width = f->j.width;
            o->center1 = f->j.center1;
            if (f->join == 'i') {
                memcpy(o->ssid, f->j.ssid, f->j.ssid_len);
                o->ssid_len = f->j.ssid_len;
            }
        }
    }
    *n = w.n_ifs;
    return 0;
}

static const char *macs(const uint8_t *mac, char *buf)
{
    if (!mac)
        return "-";
    sprintf(buf, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    return buf;
}

int lime_nl_wifi_iface_add(struct lime_nl_wifi *x, uint32_t phy, const char *name, uint32_t iftype,
                           const uint8_t *mac)
{
    (void)x;
    char what[160], mb[18];
    snprintf(what, sizeof(what), "wifi_add %s phy=%u type=%s mac=%s", name, phy,
             lime_wifi_iftype_name(iftype), macs(mac, mb));
    int r = nlm_change(what);
    if (r)
        return r;
    const struct lime_nl_wifi_phy *p = phy_of(phy);
    if (!p)
        return nlm_done(-ENODEV);
    if (iftype >= 32 || !(p->iftypes & (1u << iftype)))
        return nlm_done(-EOPNOTSUPP);
    if (w.n_ifs == MOCK_WIFI)
        return nlm_done(-ENOSPC);
    int idx = nlm_link_new(name, mac);
    if (idx < 0)
        return nlm_done(idx == -EEXIST ? -ENFILE : idx); /* nl80211's answer */
    w.ifs[w.n_ifs++] = (struct wifi_if){.ifindex = idx, .phy = phy, .iftype = iftype};
    return nlm_done(0);
}

static const char *ifname(int ifindex)
{
    const struct lime_nl_link *l = nlm_link_find(ifindex, NULL);
    return l ? l->name : "?";
}

int lime_nl_wifi_iface_del(struct lime_nl_wifi *x, int ifindex)
{
    (void)x;
    char what[96];
    snprintf(what, sizeof(what), "wifi_del %s", ifname(ifindex));
    int r = nlm_change(what);
    if (r)
        return r;
    if (!wif(ifindex))
        return nlm_done(-ENODEV);
    nlm_link_remove(ifindex);
    return nlm_done(0);
}

/* The rules of joining (see nl_mock.h). */
static int can_join(const struct wifi_if *f, uint32_t type, const struct lime_nl_wifi_join *j)
{
    const struct lime_nl_link *l = nlm_link_find(f->ifindex, NULL);
    if (f->iftype != type)
        return -EOPNOTSUPP;
    if (!(l->flags & IFF_UP))
        return -ENETDOWN;
    if (f->join)
        return -EALREADY;
    const struct lime_nl_wifi_phy *p = phy_of(f->phy);
    bool found = false;
    for (int b = 0; p && b < p->n_bands; b++)
        for (int c = 0; c < p->bands[b].n_chans; c++)
            if (p->bands[b].chans[c].freq == j->freq && !p->bands[b].chans[c].disabled)
                found = true;
    if (!found || !j->ssid_len)
        return -EINVAL;
    for (size_t i = 0; i < w.n_ifs; i++)
        if (&w.ifs[i] != f && w.ifs[i].phy == f->phy && w.ifs[i].join && w.ifs[i].j.freq != j->freq)
            return -EBUSY;
    return 0;
}

static int join(int ifindex, char kind, const struct lime_nl_wifi_join *j)
{
    char what[200];
    snprintf(what, sizeof(what), "%s_join %s id=%.*s freq=%u width=%u fwd=%d", kind == 'm' ? "mesh" : "ibss",
             ifname(ifindex), (int)j->ssid_len, j->ssid, j->freq, j->width, j->forwarding);
    int r = nlm_change(what);
    if (r)
        return r;
    struct wifi_if *f = wif(ifindex);
    if (!f)
        return nlm_done(-ENODEV);
    r = can_join(f, kind == 'm' ? LIME_WIFI_MESH : LIME_WIFI_ADHOC, j);
    if (r)
        return nlm_done(r);
    f->join = kind;
    f->j = *j;
    if (kind == 'i') {
        f->j.forwarding = f->j.nolearn = -1;
    } else { /* what the kernel reports back: its defaults where we set nothing */
        if (f->j.forwarding < 0)
            f->j.forwarding = 1;
        if (f->j.nolearn < 0)
            f->j.nolearn = 0;
    }
    return nlm_done(0);
}

static int leave(int ifindex, char kind)
{
    char what[96];
    snprintf(what, sizeof(what), "%s_leave %s", kind == 'm' ? "mesh" : "ibss", ifname(ifindex));
    int r = nlm_change(what);
    if (r)
        return r;
    struct wifi_if *f = wif(ifindex);
    if (!f)
        return nlm_done(-ENODEV);
    if (f->join != kind)
        return nlm_done(-ENOTCONN);
    f->join = 0;
    memset(&f->j, 0, sizeof(f->j));
    return nlm_done(0);
}

int lime_nl_wifi_mesh_join(struct lime_nl_wifi *x, int ifindex, const struct lime_nl_wifi_join *j)
{
    (void)x;
    return join(ifindex, 'm', j);
}

int lime_nl_wifi_mesh_leave(struct lime_nl_wifi *x, int ifindex)
{
    (void)x;
    return leave(ifindex, 'm');
}

int lime_nl_wifi_ibss_join(struct lime_nl_wifi *x, int ifindex, const struct lime_nl_wifi_join *j)
{
    (void)x;
    return join(ifindex, 'i', j);
}

int lime_nl_wifi_ibss_leave(struct lime_nl_wifi *x, int ifindex)
{
    (void)x;
    return leave(ifindex, 'i');
}

int lime_nl_wifi_mesh_params(struct lime_nl_wifi *x, int ifindex, int *forwarding, int *nolearn)
{
    (void)x;
    const struct wifi_if *f = wif(ifindex);
    if (!f)
        return -ENODEV;
    *forwarding = f->join == 'm' ? f->j.forwarding : 1;
    *nolearn = f->join == 'm' ? f->j.nolearn : 0;
    return 0;
}

int lime_nl_wifi_reg_get(struct lime_nl_wifi *x, char alpha2[3])
{
    (void)x;
    memcpy(alpha2, w.reg, 3);
    return 0;
}

int lime_nl_wifi_reg_set(struct lime_nl_wifi *x, const char *alpha2)
{
    (void)x;
    char what[32];
    snprintf(what, sizeof(what), "reg_set %.2s", alpha2);
    int r = nlm_change(what);
    if (r)
        return r;
    if (strlen(alpha2) != 2)
        return nlm_done(-EINVAL);
    memcpy(w.reg, alpha2, 3);
    return nlm_done(0);
}

int lime_nl_wifi_stations(struct lime_nl_wifi *x, int ifindex, struct lime_nl_wifi_station **out,
                          size_t *n)
{
    (void)x;
    bool mine = wif(ifindex) && !strcmp(ifname(ifindex), w.sta_if);
    size_t k = mine ? (size_t)w.n_sta : 0;
    *out = malloc((k ? k : 1) * sizeof(**out));
    if (!*out)
        return -ENOMEM;
    memcpy(*out, w.sta, k * sizeof(**out));
    *n = k;
    return wif(ifindex) ? 0 : -ENODEV;
}

int lime_nl_wifi_phy_netns(struct lime_nl_wifi *x, uint32_t phy, int netns_fd)
{
    (void)x;
    (void)netns_fd;
    return phy_of(phy) ? 0 : -ENODEV;
}
