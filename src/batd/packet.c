/* batman-adv v15 header encoders/decoders, TVLV walking, TT CRC, seqno windows. */
#include "packet.h"

int batd_check_version(const uint8_t *p, size_t len)
{
    if (len < 2)
        return -1;
    return p[1] == BATADV_COMPAT ? 0 : -1;
}

int batd_ogm_parse(const uint8_t *p, size_t len, struct bat_ogm *o)
{
    if (len < BATADV_OGM_HLEN || p[0] != BATADV_IV_OGM)
        return -1;
    o->ttl = p[2];
    o->flags = p[3];
    o->seqno = get_be32(p + 4);
    memcpy(o->orig, p + 8, 6);
    memcpy(o->prev_sender, p + 14, 6);
    o->tq = p[21];
    o->tvlv_len = get_be16(p + 22);
    return 0;
}

void batd_ogm_pack(uint8_t *p, const struct bat_ogm *o)
{
    p[0] = BATADV_IV_OGM;
    p[1] = BATADV_COMPAT;
    p[2] = o->ttl;
    p[3] = o->flags;
    put_be32(p + 4, o->seqno);
    memcpy(p + 8, o->orig, 6);
    memcpy(p + 14, o->prev_sender, 6);
    p[20] = 0;
    p[21] = o->tq;
    put_be16(p + 22, o->tvlv_len);
}

int batd_elp_parse(const uint8_t *p, size_t len, struct bat_elp *e)
{
    if (len < BATADV_ELP_HLEN || p[0] != BATADV_ELP)
        return -1;
    memcpy(e->orig, p + 2, 6);
    e->seqno = get_be32(p + 8);
    e->interval = get_be32(p + 12);
    return 0;
}

int batd_bcast_parse(const uint8_t *p, size_t len, struct bat_bcast *b)
{
    if (len < BATADV_BCAST_HLEN || p[0] != BATADV_BCAST)
        return -1;
    b->ttl = p[2];
    b->seqno = get_be32(p + 4);
    memcpy(b->orig, p + 8, 6);
    return 0;
}

void batd_bcast_pack(uint8_t *p, const struct bat_bcast *b)
{
    p[0] = BATADV_BCAST;
    p[1] = BATADV_COMPAT;
    p[2] = b->ttl;
    p[3] = 0;
    put_be32(p + 4, b->seqno);
    memcpy(p + 8, b->orig, 6);
}

int batd_unicast_parse(const uint8_t *p, size_t len, struct bat_unicast *u)
{
    if (len < BATADV_UNICAST_HLEN)
        return -1;
    if (p[0] != BATADV_UNICAST && p[0] != BATADV_UNICAST_4ADDR)
        return -1;
    u->type = p[0];
    u->ttl = p[2];
    u->ttvn = p[3];
    memcpy(u->dest, p + 4, 6);
    if (p[0] == BATADV_UNICAST_4ADDR) {
        if (len < BATADV_UNICAST_4ADDR_HLEN)
            return -1;
        memcpy(u->src, p + 10, 6);
        u->subtype = p[16];
    } else {
        memset(u->src, 0, 6);
        u->subtype = 0;
    }
    return 0;
}

size_t batd_unicast_pack(uint8_t *p, const struct bat_unicast *u)
{
    p[0] = u->type;
    p[1] = BATADV_COMPAT;
    p[2] = u->ttl;
    p[3] = u->ttvn;
    memcpy(p + 4, u->dest, 6);
    if (u->type != BATADV_UNICAST_4ADDR)
        return BATADV_UNICAST_HLEN;
    memcpy(p + 10, u->src, 6);
    p[16] = u->subtype;
    p[17] = 0;
    return BATADV_UNICAST_4ADDR_HLEN;
}

int batd_frag_parse(const uint8_t *p, size_t len, struct bat_frag *f)
{
    if (len < BATADV_FRAG_HLEN || p[0] != BATADV_UNICAST_FRAG)
        return -1;
    f->ttl = p[2];
    f->no = p[3] >> 4;
    f->priority = (p[3] >> 1) & 7;
    memcpy(f->dest, p + 4, 6);
    memcpy(f->orig, p + 10, 6);
    f->seqno = get_be16(p + 16);
    f->total_size = get_be16(p + 18);
    return 0;
}

void batd_frag_pack(uint8_t *p, const struct bat_frag *f)
{
    p[0] = BATADV_UNICAST_FRAG;
    p[1] = BATADV_COMPAT;
    p[2] = f->ttl;
    p[3] = (uint8_t)((f->no & 0x0f) << 4 | (f->priority & 7) << 1);
    memcpy(p + 4, f->dest, 6);
    memcpy(p + 10, f->orig, 6);
    put_be16(p + 16, f->seqno);
    put_be16(p + 18, f->total_size);
}

int batd_icmp_parse(const uint8_t *p, size_t len, struct bat_icmp *i)
{
    if (len < BATADV_ICMP_HLEN || p[0] != BATADV_ICMP)
        return -1;
    i->ttl = p[2];
    i->msg_type = p[3];
    memcpy(i->dst, p + 4, 6);
    memcpy(i->orig, p + 10, 6);
    i->uid = p[16];
    i->rr_cur = p[17];
    i->seqno = get_be16(p + 18);
    return 0;
}

void batd_icmp_pack(uint8_t *p, const struct bat_icmp *i)
{
    p[0] = BATADV_ICMP;
    p[1] = BATADV_COMPAT;
    p[2] = i->ttl;
    p[3] = i->msg_type;
    memcpy(p + 4, i->dst, 6);
    memcpy(p + 10, i->orig, 6);
    p[16] = i->uid;
    p[17] = i->rr_cur;
    put_be16(p + 18, i->seqno);
}

int batd_unicast_tvlv_parse(const uint8_t *p, size_t len, struct bat_unicast_tvlv *u)
{
    if (len < BATADV_UNICAST_TVLV_HLEN || p[0] != BATADV_UNICAST_TVLV)
        return -1;
    u->ttl = p[2];
    memcpy(u->dst, p + 4, 6);
    memcpy(u->src, p + 10, 6);
    u->tvlv_len = get_be16(p + 16);
    if ((size_t)u->tvlv_len > len - BATADV_UNICAST_TVLV_HLEN)
        return -1;
    return 0;
}

void batd_unicast_tvlv_pack(uint8_t *p, const struct bat_unicast_tvlv *u)
{
    p[0] = BATADV_UNICAST_TVLV;
    p[1] = BATADV_COMPAT;
    p[2] = u->ttl;
    p[3] = 0;
    memcpy(p + 4, u->dst, 6);
    memcpy(p + 10, u->src, 6);
    put_be16(p + 16, u->tvlv_len);
    p[18] = 0;
    p[19] = 0;
}

int batd_tvlv_next(struct tvlv_iter *it, struct tvlv *t)
{
    if (it->left < BATADV_TVLV_HLEN)
        return 0;
    t->type = it->p[0];
    t->version = it->p[1];
    t->len = get_be16(it->p + 2);
    if ((size_t)t->len > it->left - BATADV_TVLV_HLEN || (t->len & 1))
        return -1;
    t->value = it->p + BATADV_TVLV_HLEN;
    it->p += BATADV_TVLV_HLEN + t->len;
    it->left -= BATADV_TVLV_HLEN + t->len;
    return 1;
}

size_t batd_tvlv_put_hdr(uint8_t *p, uint8_t type, uint8_t version, uint16_t len)
{
    p[0] = type;
    p[1] = version;
    put_be16(p + 2, len);
    return BATADV_TVLV_HLEN;
}

int batd_tt_tvlv_parse(const uint8_t *v, size_t len, struct bat_tt_tvlv *t)
{
    if (len < BATADV_TT_TVLV_HLEN)
        return -1;
    t->flags = v[0];
    t->ttvn = v[1];
    t->num_vlan = get_be16(v + 2);
    size_t vlen = (size_t)t->num_vlan * BATADV_TT_VLAN_LEN;
    if (vlen > len - BATADV_TT_TVLV_HLEN)
        return -1;
    t->vlans = v + BATADV_TT_TVLV_HLEN;
    size_t rest = len - BATADV_TT_TVLV_HLEN - vlen;
    t->changes = t->vlans + vlen;
    t->num_changes = (uint16_t)(rest / BATADV_TT_CHANGE_LEN);
    return 0;
}

void batd_tt_change_get(const struct bat_tt_tvlv *t, unsigned i, struct tt_change *c)
{
    const uint8_t *p = t->changes + (size_t)i * BATADV_TT_CHANGE_LEN;
    c->flags = p[0];
    memcpy(c->addr, p + 4, 6);
    c->vid = get_be16(p + 10);
}

void batd_tt_change_put(uint8_t *p, const struct tt_change *c)
{
    p[0] = c->flags;
    p[1] = p[2] = p[3] = 0;
    memcpy(p + 4, c->addr, 6);
    put_be16(p + 10, c->vid);
}

static uint32_t crc32c_table[256];
static bool crc32c_ready;

static void crc32c_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        crc32c_table[i] = c;
    }
    crc32c_ready = true;
}

uint32_t batd_crc32c_raw(uint32_t crc, const uint8_t *p, size_t len)
{
    if (!crc32c_ready)
        crc32c_init();
    while (len--)
        crc = crc32c_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return crc;
}

uint32_t batd_tt_entry_crc(const uint8_t *mac, uint16_t vid, uint8_t flags)
{
    uint8_t rec[9];
    put_be16(rec, vid);
    rec[2] = flags & BATADV_TT_SYNC_MASK;
    memcpy(rec + 3, mac, 6);
    return batd_crc32c_raw(0, rec, sizeof rec);
}

bool batd_seqwin_test(uint64_t bits, uint32_t last, uint32_t seqno)
{
    int32_t diff = (int32_t)(last - seqno);
    if (diff < 0 || diff >= BATADV_WINDOW)
        return false;
    return (bits >> diff) & 1;
}

bool batd_seqwin_update(uint64_t *bits, int32_t diff, bool set_mark)
{
    if (diff <= 0 && diff > -BATADV_WINDOW) {
        if (set_mark)
            *bits |= (uint64_t)1 << -diff;
        return false;
    }
    if (diff > 0 && diff < BATADV_WINDOW) {
        *bits <<= diff;
        if (set_mark)
            *bits |= 1;
        return true;
    }
    /* far newer (lost many), or a restart/old packet: start over */
    *bits = set_mark ? 1 : 0;
    return true;
}
