/* The in-memory kernel's batman-adv (nl_mock.h): mesh interfaces (links of kind "batadv")
 * with their routing algorithm and settings at the kernel's defaults, hard interfaces
 * (links whose master is a mesh) with theirs, and tables a test fills in. The module is
 * "loaded" while the link kind "batadv" is supported (lime_nl_mock_kind). */
#include "nl.h"
#include "nl_mock.h"
#include "nl_mock_int.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MOCK_MESHES 8
#define MOCK_HARDIFS 64

static struct {
    struct mesh {
        int ifindex; /* 0 = free */
        char algo[16];
        int64_t v[LIME_BATADV_N];
        struct lime_nl_batadv_entry *table[LIME_BATADV_TABLES];
        size_t n_table[LIME_BATADV_TABLES];
    } mesh[MOCK_MESHES];
    struct hard {
        int ifindex; /* 0 = free */
        int64_t v[LIME_BATADV_N];
    } hard[MOCK_HARDIFS];
} b;

static void defaults(int64_t v[LIME_BATADV_N], bool hardif)
{
    for (int i = 0; i < LIME_BATADV_N; i++) {
        const struct lime_batadv_setting_info *si = lime_nl_batadv_setting_info(i);
        v[i] = si->hardif == hardif ? (int64_t)si->kernel_default : -1;
    }
}

void nlm_batadv_reset(void)
{
    for (int i = 0; i < MOCK_MESHES; i++)
        for (int t = 0; t < LIME_BATADV_TABLES; t++)
            free(b.mesh[i].table[t]);
    memset(&b, 0, sizeof(b));
}

const char *nlm_batadv_algo(const char *requested)
{
    if (!requested[0] || !strcmp(requested, "BATMAN_IV"))
        return "BATMAN_IV";
    return !strcmp(requested, "BATMAN_V") ? "BATMAN_V" : NULL;
}

static struct mesh *mesh_of(int ifindex)
{
    for (int i = 0; ifindex && i < MOCK_MESHES; i++)
        if (b.mesh[i].ifindex == ifindex)
            return &b.mesh[i];
    return NULL;
}

void nlm_batadv_created(int ifindex, const char *algo)
{
    for (int i = 0; i < MOCK_MESHES; i++)
        if (!b.mesh[i].ifindex) {
            memset(&b.mesh[i], 0, sizeof(b.mesh[i]));
            b.mesh[i].ifindex = ifindex;
            snprintf(b.mesh[i].algo, sizeof(b.mesh[i].algo), "%s", algo);
            defaults(b.mesh[i].v, false);
            return;
        }
}

void nlm_batadv_forget(int ifindex)
{
    struct mesh *me = mesh_of(ifindex);
    if (me) {
        for (int t = 0; t < LIME_BATADV_TABLES; t++)
            free(me->table[t]);
        memset(me, 0, sizeof(*me));
    }
    for (int i = 0; i < MOCK_HARDIFS; i++)
        if (b.hard[i].ifindex == ifindex)
            b.hard[i].ifindex = 0;
}

/* The hard interface's settings (created at their defaults), NULL if the table is full. */
static struct hard *hard_of(int ifindex, bool create)
{
    for (int i = 0; i < MOCK_HARDIFS; i++)
        if (b.hard[i].ifindex == ifindex)
            return &b.hard[i];
    if (!create)
        return NULL;
    for (int i = 0; i < MOCK_HARDIFS; i++)
        if (!b.hard[i].ifindex) {
            b.hard[i].ifindex = ifindex;
            defaults(b.hard[i].v, true);
            return &b.hard[i];
        }
    return NULL;
}

/* ---------------------------------------------------------------- the seam */

int lime_nl_batadv_available(struct lime_nl *nl)
{
    return lime_nl_kind_supported(nl, "batadv") ? 0 : -ENOENT;
}

int lime_nl_batadv_mesh_get(struct lime_nl *nl, int mesh_ifindex, struct lime_nl_batadv_info *out)
{
    memset(out, 0, sizeof(*out));
    if (lime_nl_batadv_available(nl))
        return -ENOENT;
    const struct mesh *me = mesh_of(mesh_ifindex);
    if (!me)
        return -ENODEV;
    snprintf(out->algo, sizeof(out->algo), "%s", me->algo);
    snprintf(out->version, sizeof(out->version), "mock");
    memcpy(out->addr, nlm_link(mesh_ifindex)->mac, 6);
    memcpy(out->v, me->v, sizeof(out->v));
    return 0;
}

int lime_nl_batadv_hardif_get(struct lime_nl *nl, int mesh_ifindex, int hard_ifindex,
                              struct lime_nl_batadv_info *out)
{
    memset(out, 0, sizeof(*out));
    if (lime_nl_batadv_available(nl))
        return -ENOENT;
    const struct lime_nl_link *l = nlm_link(hard_ifindex);
    if (!mesh_of(mesh_ifindex) || !l || l->master != mesh_ifindex)
        return -ENODEV;
    const struct hard *h = hard_of(hard_ifindex, true);
    if (!h)
        return -ENOMEM;
    memcpy(out->addr, l->mac, 6);
    out->active = (l->flags & IFF_UP) != 0;
    memcpy(out->v, h->v, sizeof(out->v));
    return 0;
}

int lime_nl_batadv_set(struct lime_nl *nl, int mesh_ifindex, int hard_ifindex,
                       enum lime_batadv_setting s, uint32_t value)
{
    (void)nl;
    const struct lime_batadv_setting_info *si = lime_nl_batadv_setting_info(s);
    char what[160];
    snprintf(what, sizeof(what), "batadv_set %s%s%s %s %u", nlm_name(mesh_ifindex),
             si && si->hardif ? " " : "", si && si->hardif ? nlm_name(hard_ifindex) : "",
             si ? si->name : "?", value);
    int r = nlm_change(what);
    if (r)
        return r;
    if (!si || value > si->max || (s == LIME_BATADV_ORIG_INTERVAL && value < 40))
        return nlm_done(-EINVAL);
    if (lime_nl_batadv_available(nl))
        return nlm_done(-ENOENT);
    struct mesh *me = mesh_of(mesh_ifindex);
    if (!me)
        return nlm_done(-ENODEV);
    if (!si->hardif) {
        me->v[s] = value;
        return nlm_done(0);
    }
    const struct lime_nl_link *l = nlm_link(hard_ifindex);
    if (!l || l->master != mesh_ifindex)
        return nlm_done(-ENODEV);
    struct hard *h = hard_of(hard_ifindex, true);
    if (!h)
        return nlm_done(-ENOMEM);
    h->v[s] = value;
    return nlm_done(0);
}

int lime_nl_batadv_dump(struct lime_nl *nl, int mesh_ifindex, enum lime_batadv_table t,
                        struct lime_nl_batadv_entry **out, size_t *n)
{
    if ((unsigned)t >= LIME_BATADV_TABLES)
        return -EINVAL;
    if (lime_nl_batadv_available(nl))
        return -ENOENT;
    const struct mesh *me = mesh_of(mesh_ifindex);
    if (!me)
        return -ENODEV;
    size_t k = me->n_table[t];
    *out = malloc(k ? k * sizeof(**out) : 1);
    if (!*out)
        return -ENOMEM;
    if (k)
        memcpy(*out, me->table[t], k * sizeof(**out));
    *n = k;
    return 0;
}

/* ---------------------------------------------------------------- test control */

int lime_nl_mock_batadv_table(const char *mesh, enum lime_batadv_table t,
                              const struct lime_nl_batadv_entry *v, size_t n)
{
    struct lime_nl *nl = lime_nl_open();
    int idx = lime_nl_ifindex(nl, mesh);
    lime_nl_close(nl);
    struct mesh *me = mesh_of(idx);
    if (!me || (unsigned)t >= LIME_BATADV_TABLES)
        return -ENODEV;
    struct lime_nl_batadv_entry *copy = malloc(n ? n * sizeof(*v) : 1);
    if (!copy)
        return -ENOMEM;
    if (n)
        memcpy(copy, v, n * sizeof(*v));
    free(me->table[t]);
    me->table[t] = copy;
    me->n_table[t] = n;
    return 0;
}

/* ---------------------------------------------------------------- snapshot */

size_t nlm_batadv_lines(void)
{
    return MOCK_MESHES + MOCK_HARDIFS + 128;
}

static void settings_text(char *buf, size_t len, const int64_t v[LIME_BATADV_N], bool hardif)
{
    size_t off = strlen(buf);
    for (int i = 0; i < LIME_BATADV_N && off < len; i++) {
        const struct lime_batadv_setting_info *si = lime_nl_batadv_setting_info(i);
        if (si->hardif == hardif)
            off += (size_t)snprintf(buf + off, len - off, " %s=%lld", si->name, (long long)v[i]);
    }
}

size_t nlm_batadv_snapshot(char **lines)
{
    size_t k = 0;
    for (int i = 0; i < MOCK_MESHES; i++) {
        const struct mesh *me = &b.mesh[i];
        if (!me->ifindex || !(lines[k] = malloc(512)))
            continue;
        snprintf(lines[k], 512, "batadv %s algo=%s", nlm_name(me->ifindex), me->algo);
        settings_text(lines[k++], 512, me->v, false);
    }
    /* hard interfaces: those in a mesh, and any whose settings differ from the defaults */
    int64_t def[LIME_BATADV_N];
    defaults(def, true);
    for (int idx = 1; idx < 4096; idx++) {
        const struct lime_nl_link *l = nlm_link(idx);
        if (!l)
            continue;
        const struct hard *h = hard_of(idx, false);
        bool member = mesh_of(l->master) != NULL;
        if (!member && (!h || !memcmp(h->v, def, sizeof(def))))
            continue;
        if (!(lines[k] = malloc(512)))
            continue;
        snprintf(lines[k], 512, "batadv_hardif %s mesh=%s", l->name, nlm_name(l->master));
        settings_text(lines[k++], 512, h ? h->v : def, true);
        if (k == nlm_batadv_lines())
            break;
    }
    return k;
}
