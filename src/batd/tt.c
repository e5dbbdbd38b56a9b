/* Translation table: local/global tables, commit, CRCs, OGM TVLV, requests/responses,
 * roaming advertisements. See tt.h for the chosen simplifications. */
#include "tt.h"

#include <stdlib.h>

#include "log.h"
#include "originator.h"
#include "route.h"

static unsigned tt_hash(const uint8_t *mac, uint16_t vid)
{
    return (batd_mac_hash(mac) ^ (vid * 2654435761u)) % BATD_TT_HASH;
}

static struct tt_local *local_find(struct batd *bat, const uint8_t *mac, uint16_t vid)
{
    for (struct tt_local *e = bat->tt_local[tt_hash(mac, vid)]; e; e = e->next)
        if (e->vid == vid && mac_eq(e->addr, mac))
            return e;
    return NULL;
}

static void local_unlink(struct batd *bat, struct tt_local *victim)
{
    struct tt_local **pe = &bat->tt_local[tt_hash(victim->addr, victim->vid)];
    while (*pe && *pe != victim)
        pe = &(*pe)->next;
    if (*pe)
        *pe = victim->next;
    free(victim);
}

static struct tt_local *local_add(struct batd *bat, const uint8_t *mac, uint16_t vid, uint16_t flags)
{
    struct tt_local *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    memcpy(e->addr, mac, 6);
    e->vid = vid;
    e->flags = flags | BATADV_TT_CLIENT_NEW;
    e->last_seen = batd_now(bat);
    unsigned h = tt_hash(mac, vid);
    e->next = bat->tt_local[h];
    bat->tt_local[h] = e;
    bat->tt_local_changes++;
    return e;
}

void batd_tt_init(struct batd *bat)
{
    local_add(bat, bat->soft_mac, 0, BATADV_TT_CLIENT_NOPURGE);
}

void batd_tt_free_all(struct batd *bat)
{
    for (unsigned b = 0; b < BATD_TT_HASH; b++) {
        while (bat->tt_local[b]) {
            struct tt_local *e = bat->tt_local[b];
            bat->tt_local[b] = e->next;
            free(e);
        }
        while (bat->tt_global[b]) {
            struct tt_global *g = bat->tt_global[b];
            bat->tt_global[b] = g->next;
            free(g);
        }
    }
    free(bat->tt_diff);
    bat->tt_diff = NULL;
}

/* --- global table --- */

static struct tt_global *global_find(struct batd *bat, const uint8_t *mac, uint16_t vid,
                                     const struct orig *o)
{
    for (struct tt_global *g = bat->tt_global[tt_hash(mac, vid)]; g; g = g->next)
        if (g->vid == vid && g->orig == o && mac_eq(g->addr, mac))
            return g;
    return NULL;
}

static void global_del_where(struct batd *bat, const uint8_t *mac, uint16_t vid, const struct orig *o)
{
    struct tt_global **pg = &bat->tt_global[tt_hash(mac, vid)];
    while (*pg) {
        struct tt_global *g = *pg;
        if (g->vid == vid && mac_eq(g->addr, mac) && (!o || g->orig == o)) {
            *pg = g->next;
            free(g);
            continue;
        }
        pg = &g->next;
    }
}

/* Our local copy of a client that another originator now announces goes away
 * (spec §5.4: a global add removes the local entry; roaming marks it ROAM). */
static void local_remove(struct batd *bat, const uint8_t *mac, uint16_t vid, bool roaming)
{
    struct tt_local *e = local_find(bat, mac, vid);
    if (!e || (e->flags & BATADV_TT_CLIENT_NOPURGE) || (e->flags & BATADV_TT_CLIENT_PENDING))
        return;
    log_debug("local client %02x:%02x:%02x:%02x:%02x:%02x moved away%s", mac[0], mac[1], mac[2],
              mac[3], mac[4], mac[5], roaming ? " (roaming)" : "");
    if (e->flags & BATADV_TT_CLIENT_NEW) {
        local_unlink(bat, e);
        return;
    }
    e->flags |= BATADV_TT_CLIENT_PENDING | (roaming ? BATADV_TT_CLIENT_ROAM : 0);
    bat->tt_local_changes++;
}

static void global_add(struct batd *bat, struct orig *o, const uint8_t *mac, uint16_t vid,
                       uint16_t flags, uint8_t ttvn)
{
    bool roamed = false;
    for (struct tt_global *g = bat->tt_global[tt_hash(mac, vid)]; g; g = g->next)
        if (g->vid == vid && mac_eq(g->addr, mac) && g->orig != o &&
            (g->flags & (BATD_TT_GLOBAL_ROAMED_AWAY | BATADV_TT_CLIENT_ROAM)))
            roamed = true;
    if (roamed && !(flags & BATADV_TT_CLIENT_ROAM))
        global_del_where(bat, mac, vid, NULL); /* the client settled: forget old announcers */
    struct tt_global *g = global_find(bat, mac, vid, o);
    bool fresh = !g;
    if (!g) {
        g = calloc(1, sizeof *g);
        if (!g)
            return;
        memcpy(g->addr, mac, 6);
        g->vid = vid;
        g->orig = o;
        g->added = batd_now(bat);
        unsigned h = tt_hash(mac, vid);
        g->next = bat->tt_global[h];
        bat->tt_global[h] = g;
    }
    g->flags = (uint16_t)(flags & 0xff & ~BATADV_TT_CLIENT_DEL);
    g->ttvn = ttvn;
    if (fresh && !mac_is_multicast(mac))
        local_remove(bat, mac, vid, flags & BATADV_TT_CLIENT_ROAM);
}

void batd_tt_global_del_orig(struct batd *bat, struct orig *o)
{
    for (unsigned b = 0; b < BATD_TT_HASH; b++) {
        struct tt_global **pg = &bat->tt_global[b];
        while (*pg) {
            struct tt_global *g = *pg;
            if (g->orig == o) {
                *pg = g->next;
                free(g);
                continue;
            }
            pg = &g->next;
        }
    }
    o->tt_initialised = false;
    o->tt_num_vlans = 0;
    o->ttvn = 0;
}

struct orig *batd_tt_global_lookup(struct batd *bat, const uint8_t *mac, uint16_t vid)
{
    struct orig *best = NULL;
    unsigned best_tq = 0;
    for (struct tt_global *g = bat->tt_global[tt_hash(mac, vid)]; g; g = g->next) {
        if (g->vid != vid || !mac_eq(g->addr, mac) || !g->orig->router)
            continue;
        unsigned tq = g->orig->router->tq_avg + 1;
        if (tq > best_tq) {
            best = g->orig;
            best_tq = tq;
        }
    }
    return best;
}

static void vlan_acc(struct tt_orig_vlan *v, unsigned *n, uint16_t vid, uint32_t crc)
{
    for (unsigned i = 0; i < *n; i++) {
        if (v[i].vid == vid) {
            v[i].crc ^= crc;
            v[i].count++;
            return;
        }
    }
    if (*n >= BATD_TT_MAX_VLANS)
        return;
    v[*n].vid = vid;
    v[*n].crc = crc;
    v[*n].count = 1;
    (*n)++;
}

/* Recomputes the per-VLAN CRCs of o's entries (ROAM entries excluded). */
static void orig_crc_update(struct batd *bat, struct orig *o)
{
    o->tt_num_vlans = 0;
    tt_global_for_each(bat, g) {
        if (g->orig != o || (g->flags & BATADV_TT_CLIENT_ROAM))
            continue;
        vlan_acc(o->tt_vlans, &o->tt_num_vlans, g->vid,
                 batd_tt_entry_crc(g->addr, g->vid, (uint8_t)g->flags));
    }
}

static bool orig_crc_matches(const struct orig *o, const struct bat_tt_tvlv *tt)
{
    for (unsigned i = 0; i < tt->num_vlan; i++) {
        uint16_t vid = tt_vlan_vid(tt, i);
        uint32_t crc = tt_vlan_crc(tt, i);
        bool found = false;
        for (unsigned k = 0; k < o->tt_num_vlans; k++) {
            if (o->tt_vlans[k].vid == vid) {
                if (o->tt_vlans[k].crc != crc)
                    return false;
                found = true;
            }
        }
        if (!found && crc != 0)
            return false;
    }
    for (unsigned k = 0; k < o->tt_num_vlans; k++) {
        bool found = false;
        for (unsigned i = 0; i < tt->num_vlan; i++)
            found |= tt_vlan_vid(tt, i) == o->tt_vlans[k].vid;
        if (!found)
            return false;
    }
    return true;
}

/* --- local table: learning, commit, TVLV --- */

void batd_tt_local_learn(struct batd *bat, const uint8_t *mac, uint16_t vid)
{
    if (mac_is_multicast(mac))
        return;
    struct tt_local *e = local_find(bat, mac, vid);
    if (e) {
        e->last_seen = batd_now(bat);
        if (e->flags & BATADV_TT_CLIENT_PENDING) {
            e->flags &= (uint16_t)~(BATADV_TT_CLIENT_PENDING | BATADV_TT_CLIENT_ROAM);
            bat->tt_local_changes++;
        }
        return;
    }
    if (!local_add(bat, mac, vid, 0))
        return;
    log_debug("new local client %02x:%02x:%02x:%02x:%02x:%02x vid %d", mac[0], mac[1], mac[2],
              mac[3], mac[4], mac[5], vid & BATADV_VLAN_HAS_TAG ? vid & 0xfff : -1);
    /* roaming: tell the originators that announced this client */
    for (struct tt_global *g = bat->tt_global[tt_hash(mac, vid)]; g; g = g->next) {
        if (g->vid != vid || !mac_eq(g->addr, mac) || (g->flags & BATD_TT_GLOBAL_ROAMED_AWAY))
            continue;
        g->flags |= BATD_TT_GLOBAL_ROAMED_AWAY;
        uint8_t *pkt = bat->tvlvbuf + BATD_HEADROOM;
        uint8_t *v = pkt + BATADV_UNICAST_TVLV_HLEN;
        batd_tvlv_put_hdr(v, BATADV_TVLV_ROAM, 1, 8);
        memcpy(v + 4, mac, 6);
        put_be16(v + 10, vid);
        if (batd_route_send_unicast_tvlv(bat, g->orig->addr, pkt, 12) == 0)
            batd_count(bat, STAT_TT_ROAM_ADV_TX);
    }
}

bool batd_tt_local_has(struct batd *bat, const uint8_t *mac, uint16_t vid)
{
    struct tt_local *e = local_find(bat, mac, vid);
    return e && !(e->flags & BATADV_TT_CLIENT_PENDING);
}

static void own_crc_update(struct batd *bat)
{
    bat->tt_num_vlans = 0;
    tt_local_for_each(bat, e) {
        if (e->flags & BATADV_TT_CLIENT_NEW)
            continue;
        vlan_acc(bat->tt_vlans, &bat->tt_num_vlans, e->vid,
                 batd_tt_entry_crc(e->addr, e->vid, (uint8_t)e->flags));
    }
}

void batd_tt_commit(struct batd *bat)
{
    if (!bat->tt_local_changes)
        return;
    unsigned n = 0, cap = 16;
    uint8_t *diff = malloc(cap * BATADV_TT_CHANGE_LEN);
    if (!diff)
        return;
    for (unsigned b = 0; b < BATD_TT_HASH; b++) {
        struct tt_local **pe = &bat->tt_local[b];
        while (*pe) {
            struct tt_local *e = *pe;
            struct tt_change c = {.vid = e->vid};
            memcpy(c.addr, e->addr, 6);
            bool emit = false, drop = false;
            if (e->flags & BATADV_TT_CLIENT_PENDING) {
                drop = true;
                emit = !(e->flags & BATADV_TT_CLIENT_NEW);
                c.flags = BATADV_TT_CLIENT_DEL | (e->flags & BATADV_TT_CLIENT_ROAM);
            } else if (e->flags & BATADV_TT_CLIENT_NEW) {
                e->flags &= (uint16_t)~BATADV_TT_CLIENT_NEW;
                emit = true;
                c.flags = (uint8_t)(e->flags & BATADV_TT_SYNC_MASK);
            }
            if (emit) {
                if (n == cap) {
                    uint8_t *nd = realloc(diff, (cap *= 2) * BATADV_TT_CHANGE_LEN);
                    if (!nd) {
                        free(diff);
                        return;
                    }
                    diff = nd;
                }
                batd_tt_change_put(diff + (size_t)n++ * BATADV_TT_CHANGE_LEN, &c);
            }
            if (drop) {
                *pe = e->next;
                free(e);
                continue;
            }
            pe = &e->next;
        }
    }
    free(bat->tt_diff);
    bat->tt_diff = diff;
    bat->tt_diff_num = n;
    bat->tt_diff_repeats = BATD_TT_DIFF_REPEATS;
    bat->tt_local_changes = 0;
    own_crc_update(bat);
    bat->ttvn++;
    log_debug("tt: committed ttvn %u with %u changes", bat->ttvn, n);
}

/* TT value: flags, ttvn, VLAN list, changes. Returns its length. */
static size_t put_tt_value(struct batd *bat, uint8_t *p, uint8_t flags)
{
    p[0] = flags;
    p[1] = bat->ttvn;
    put_be16(p + 2, (uint16_t)bat->tt_num_vlans);
    size_t off = 4;
    for (unsigned i = 0; i < bat->tt_num_vlans; i++) {
        put_be32(p + off, bat->tt_vlans[i].crc);
        put_be16(p + off + 4, bat->tt_vlans[i].vid);
        put_be16(p + off + 6, 0);
        off += BATADV_TT_VLAN_LEN;
    }
    return off;
}

size_t batd_tt_ogm_tvlv_build(struct batd *bat, uint8_t *p, size_t max)
{
    size_t base = BATADV_TVLV_HLEN + BATADV_TT_TVLV_HLEN + bat->tt_num_vlans * BATADV_TT_VLAN_LEN;
    if (base > max)
        return 0;
    size_t len = put_tt_value(bat, p + BATADV_TVLV_HLEN, BATADV_TT_OGM_DIFF);
    if (bat->tt_diff_repeats) {
        bat->tt_diff_repeats--;
        size_t dl = (size_t)bat->tt_diff_num * BATADV_TT_CHANGE_LEN;
        if (base + dl <= max) {
            memcpy(p + BATADV_TVLV_HLEN + len, bat->tt_diff, dl);
            len += dl;
        }
    }
    batd_tvlv_put_hdr(p, BATADV_TVLV_TT, 1, (uint16_t)len);
    return BATADV_TVLV_HLEN + len;
}

/* --- requests and responses --- */

static void send_request(struct batd *bat, struct orig *o, const struct bat_tt_tvlv *seen)
{
    uint64_t now = batd_now(bat);
    if (o->tt_req_sent && now - o->tt_req_sent < BATD_TT_REQUEST_TIMEOUT_MS)
        return;
    uint8_t *pkt = bat->tvlvbuf + BATD_HEADROOM;
    uint8_t *v = pkt + BATADV_UNICAST_TVLV_HLEN;
    size_t vl = (size_t)seen->num_vlan * BATADV_TT_VLAN_LEN;
    if (vl > 4096)
        return;
    v[4] = BATADV_TT_REQUEST | BATADV_TT_FULL_TABLE;
    v[5] = seen->ttvn;
    put_be16(v + 6, seen->num_vlan);
    memcpy(v + 8, seen->vlans, vl);
    batd_tvlv_put_hdr(v, BATADV_TVLV_TT, 1, (uint16_t)(4 + vl));
    if (batd_route_send_unicast_tvlv(bat, o->addr, pkt, 8 + vl) == 0) {
        o->tt_req_sent = now ? now : 1;
        batd_count(bat, STAT_TT_REQUEST_TX);
    }
    /* not sent (no route yet, e.g. the OGM that creates the route): not pending, so
     * the next OGM asks again instead of waiting out the 3 s request timeout */
}

static void send_full_response(struct batd *bat, const uint8_t *to)
{
    uint8_t *pkt = bat->tvlvbuf + BATD_HEADROOM;
    uint8_t *v = pkt + BATADV_UNICAST_TVLV_HLEN;
    size_t max = BATD_FRAG_MAX * (BATD_FRAG_MAX_SIZE - BATADV_FRAG_HLEN) - BATADV_UNICAST_TVLV_HLEN;
    size_t len = put_tt_value(bat, v + BATADV_TVLV_HLEN, BATADV_TT_RESPONSE | BATADV_TT_FULL_TABLE);
    tt_local_for_each(bat, e) {
        if (e->flags & BATADV_TT_CLIENT_NEW)
            continue;
        if (BATADV_TVLV_HLEN + len + BATADV_TT_CHANGE_LEN > max)
            return; /* too big to send even fragmented (kernel behaviour) */
        struct tt_change c = {.flags = (uint8_t)(e->flags & 0xfe), .vid = e->vid};
        memcpy(c.addr, e->addr, 6);
        batd_tt_change_put(v + BATADV_TVLV_HLEN + len, &c);
        len += BATADV_TT_CHANGE_LEN;
    }
    batd_tvlv_put_hdr(v, BATADV_TVLV_TT, 1, (uint16_t)len);
    if (batd_route_send_unicast_tvlv(bat, to, pkt, BATADV_TVLV_HLEN + len) == 0)
        batd_count(bat, STAT_TT_RESPONSE_TX);
}

static void apply_changes(struct batd *bat, struct orig *o, const struct bat_tt_tvlv *tt)
{
    for (unsigned i = 0; i < tt->num_changes; i++) {
        struct tt_change c;
        batd_tt_change_get(tt, i, &c);
        if (c.flags & BATADV_TT_CLIENT_DEL)
            global_del_where(bat, c.addr, c.vid, o);
        else
            global_add(bat, o, c.addr, c.vid, c.flags, tt->ttvn);
    }
    o->ttvn = tt->ttvn;
    o->tt_initialised = true;
    orig_crc_update(bat, o);
}

static void tt_update_orig(struct batd *bat, struct orig *o, const struct bat_tt_tvlv *tt)
{
    bool next = (!o->tt_initialised && tt->ttvn == 1) ||
                (o->tt_initialised && (uint8_t)(tt->ttvn - o->ttvn) == 1);
    if (next) {
        if (!tt->num_changes) {
            send_request(bat, o, tt);
            return;
        }
        apply_changes(bat, o, tt);
        if (!orig_crc_matches(o, tt))
            send_request(bat, o, tt);
        return;
    }
    if (!o->tt_initialised || tt->ttvn != o->ttvn || !orig_crc_matches(o, tt))
        send_request(bat, o, tt);
}

void batd_tt_ogm_tvlv_rx(struct batd *bat, struct orig *o, const uint8_t *tvlvs, size_t len)
{
    struct tvlv_iter it;
    struct tvlv t;
    int r;
    tvlv_iter_init(&it, tvlvs, len);
    while ((r = batd_tvlv_next(&it, &t)) > 0) {
        if (t.type != BATADV_TVLV_TT || t.version != 1)
            continue;
        struct bat_tt_tvlv tt;
        if (batd_tt_tvlv_parse(t.value, t.len, &tt) < 0) {
            batd_count(bat, STAT_DROP_TT_MALFORMED);
            continue;
        }
        tt_update_orig(bat, o, &tt);
    }
    if (r < 0)
        batd_count(bat, STAT_DROP_TVLV_MALFORMED);
}

static void tt_rx(struct batd *bat, const uint8_t *src, const struct tvlv *t)
{
    struct bat_tt_tvlv tt;
    if (batd_tt_tvlv_parse(t->value, t->len, &tt) < 0) {
        batd_count(bat, STAT_DROP_TT_MALFORMED);
        return;
    }
    switch (tt.flags & BATADV_TT_TYPE_MASK) {
    case BATADV_TT_REQUEST:
        batd_count(bat, STAT_TT_REQUEST_RX);
        send_full_response(bat, src);
        return;
    case BATADV_TT_RESPONSE: {
        batd_count(bat, STAT_TT_RESPONSE_RX);
        struct orig *o = batd_orig_find(bat, src);
        if (!o)
            return;
        if (tt.flags & BATADV_TT_FULL_TABLE) {
            batd_tt_global_del_orig(bat, o);
            apply_changes(bat, o, &tt);
        } else {
            apply_changes(bat, o, &tt); /* a diff answering our request */
        }
        o->tt_req_sent = 0;
        return;
    }
    default:
        batd_count(bat, STAT_DROP_TT_MALFORMED);
    }
}

static void roam_rx(struct batd *bat, const uint8_t *src, const struct tvlv *t)
{
    if (t->len < 8) {
        batd_count(bat, STAT_DROP_TT_MALFORMED);
        return;
    }
    batd_count(bat, STAT_TT_ROAM_ADV_RX);
    struct orig *o = batd_orig_find(bat, src);
    if (!o)
        return;
    uint16_t vid = get_be16(t->value + 6);
    global_add(bat, o, t->value, vid, BATADV_TT_CLIENT_ROAM, (uint8_t)(o->ttvn + 1));
}

void batd_tt_unicast_tvlv_rx(struct batd *bat, const uint8_t *src, const uint8_t *tvlvs, size_t len)
{
    struct tvlv_iter it;
    struct tvlv t;
    int r;
    tvlv_iter_init(&it, tvlvs, len);
    while ((r = batd_tvlv_next(&it, &t)) > 0) {
        if (t.type == BATADV_TVLV_TT && t.version == 1)
            tt_rx(bat, src, &t);
        else if (t.type == BATADV_TVLV_ROAM && t.version == 1)
            roam_rx(bat, src, &t);
    }
    if (r < 0)
        batd_count(bat, STAT_DROP_TVLV_MALFORMED);
}

void batd_tt_purge(struct batd *bat)
{
    uint64_t now = batd_now(bat);
    tt_local_for_each(bat, e) {
        if ((e->flags & (BATADV_TT_CLIENT_NOPURGE | BATADV_TT_CLIENT_PENDING)) ||
            now - e->last_seen < BATD_TT_LOCAL_TIMEOUT_MS)
            continue;
        e->flags |= BATADV_TT_CLIENT_PENDING;
        bat->tt_local_changes++;
    }
    /* roaming entries that were never confirmed expire */
    for (unsigned b = 0; b < BATD_TT_HASH; b++) {
        struct tt_global **pg = &bat->tt_global[b];
        while (*pg) {
            struct tt_global *g = *pg;
            if ((g->flags & BATADV_TT_CLIENT_ROAM) && now - g->added > BATD_TT_ROAM_TIMEOUT_MS) {
                *pg = g->next;
                free(g);
                continue;
            }
            pg = &g->next;
        }
    }
}

uint32_t batd_tt_local_crc(struct batd *bat, uint16_t vid)
{
    for (unsigned i = 0; i < bat->tt_num_vlans; i++)
        if (bat->tt_vlans[i].vid == vid)
            return bat->tt_vlans[i].crc;
    return 0;
}
