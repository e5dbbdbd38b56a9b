/* Userspace GRO for TCP over IPv4/IPv6 (no IP options/extension headers), conservative:
 * same flow, same headers except sequence, exact sequence continuity, ACK(+PSH on the
 * last) only, equal TCP options, all segments full-sized but the last. */
#include "gro.h"

#include <string.h>

#include "csum.h"
#include "packet.h"

void batd_gro_complete_csum(uint8_t *frame, size_t len, uint16_t start, uint16_t offset)
{
    if ((size_t)start + offset + 2 > len)
        return;
    uint16_t c = (uint16_t)~csum_fold(batd_csum_add(0, frame + start, len - start));
    put_be16(frame + start + offset, c);
}

/* Parsed view of a candidate segment. */
struct seg {
    bool v6;
    unsigned l3, l4, hdrlen;
    uint32_t seq;
    uint8_t flags;
    size_t payload;
};

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10

static bool parse(const uint8_t *f, size_t len, struct seg *s)
{
    if (len < 14)
        return false;
    uint16_t type = get_be16(f + 12);
    const uint8_t *ip = f + 14;
    s->l3 = 14;
    if (type == 0x0800) {
        if (len < 14 + 20 + 20 || ip[0] != 0x45 || ip[9] != 6)
            return false;
        if (get_be16(ip + 2) != len - 14 || (get_be16(ip + 6) & 0x3fff) || (ip[1] & 3) == 3)
            return false;
        s->v6 = false;
        s->l4 = 34;
    } else if (type == 0x86dd) {
        if (len < 14 + 40 + 20 || (ip[0] >> 4) != 6 || ip[6] != 6)
            return false;
        if (get_be16(ip + 4) != len - 14 - 40 || ((get_be32(ip) >> 20) & 3) == 3)
            return false;
        s->v6 = true;
        s->l4 = 54;
    } else {
        return false;
    }
    const uint8_t *th = f + s->l4;
    unsigned doff = (unsigned)(th[12] >> 4) * 4;
    if (doff < 20 || s->l4 + doff >= len)
        return false;
    s->hdrlen = s->l4 + doff;
    s->flags = th[13];
    if (!(s->flags & TCP_ACK) || (s->flags & ~(TCP_ACK | TCP_PSH)))
        return false;
    s->seq = get_be32(th + 4);
    s->payload = len - s->hdrlen;
    return true;
}

static void out_plain(const uint8_t *frame, size_t len, gro_out_fn out, void *ctx)
{
    static const struct gro_vnet_hdr none = {0};
    out(ctx, &none, frame, len);
}

void batd_gro_flush(struct gro *g, gro_out_fn out, void *ctx)
{
    if (!g->len)
        return;
    uint8_t *f = g->buf;
    if (g->segs == 1) {
        out_plain(f, g->len, out, ctx);
        g->len = 0;
        return;
    }
    uint32_t tcp_len = (uint32_t)(g->len - g->l4);
    uint32_t ps;
    if (!g->v6) {
        uint8_t *ip = f + g->l3;
        put_be16(ip + 2, (uint16_t)(g->len - g->l3));
        put_be16(ip + 10, 0);
        put_be16(ip + 10, (uint16_t)~csum_fold(batd_csum_add(0, ip, 20)));
        ps = batd_csum_add(0, ip + 12, 8) + 6 + tcp_len;
    } else {
        uint8_t *ip = f + g->l3;
        put_be16(ip + 4, (uint16_t)(g->len - g->l3 - 40));
        ps = batd_csum_add(0, ip + 8, 32) + 6 + (tcp_len >> 16) + (tcp_len & 0xffff);
    }
    /* CHECKSUM_PARTIAL convention: the field holds the folded pseudo-header sum */
    put_be16(f + g->l4 + 16, csum_fold(ps));
    struct gro_vnet_hdr vh = {
        .flags = GRO_VNET_F_NEEDS_CSUM,
        .gso_type = g->v6 ? GRO_VNET_GSO_TCPV6 : GRO_VNET_GSO_TCPV4,
        .hdr_len = (uint16_t)g->hdrlen,
        .gso_size = g->mss,
        .csum_start = (uint16_t)g->l4,
        .csum_offset = 16,
    };
    out(ctx, &vh, f, g->len);
    g->len = 0;
}

/* Can segment s (frame f) extend the pending run? */
static bool mergeable(const struct gro *g, const uint8_t *f, const struct seg *s)
{
    if (!g->len || g->closed || s->v6 != g->v6 || s->hdrlen != g->hdrlen)
        return false;
    if (s->seq != g->next_seq || s->payload > g->mss)
        return false;
    if (g->len - 14 + s->payload > GRO_MAX)
        return false;
    const uint8_t *p = g->buf;
    if (memcmp(p, f, 14))
        return false;
    if (!g->v6) {
        /* version..tos, protocol/ttl, addresses equal; DF equal */
        if (p[15] != f[15] || p[22] != f[22] || p[23] != f[23] || memcmp(p + 26, f + 26, 8) ||
            (p[20] & 0x40) != (f[20] & 0x40))
            return false;
    } else {
        if (memcmp(p + 14, f + 14, 4) || p[21] != f[21] || memcmp(p + 22, f + 22, 32))
            return false;
    }
    const uint8_t *a = p + g->l4, *b = f + s->l4;
    /* ports, ack, doff, window equal; options byte-identical; sequence checked above */
    if (memcmp(a, b, 4) || memcmp(a + 8, b + 8, 5) || memcmp(a + 14, b + 14, 2) ||
        memcmp(a + 20, b + 20, g->hdrlen - g->l4 - 20))
        return false;
    return true;
}

void batd_gro_push(struct gro *g, const uint8_t *frame, size_t len, gro_out_fn out, void *ctx)
{
    struct seg s;
    if (!parse(frame, len, &s) || s.payload == 0) {
        batd_gro_flush(g, out, ctx);
        out_plain(frame, len, out, ctx);
        return;
    }
    if (mergeable(g, frame, &s)) {
        memcpy(g->buf + g->len, frame + s.hdrlen, s.payload);
        g->len += s.payload;
        g->segs++;
        g->next_seq += (uint32_t)s.payload;
        if (s.flags & TCP_PSH) {
            g->buf[g->l4 + 13] |= TCP_PSH;
            g->closed = true;
        }
        if (s.payload < g->mss)
            g->closed = true;
        return;
    }
    batd_gro_flush(g, out, ctx);
    if (s.flags & TCP_PSH) { /* would end a run at once */
        out_plain(frame, len, out, ctx);
        return;
    }
    memcpy(g->buf, frame, len);
    g->len = len;
    g->segs = 1;
    g->l3 = s.l3;
    g->l4 = s.l4;
    g->hdrlen = s.hdrlen;
    g->v6 = s.v6;
    g->mss = (uint16_t)s.payload;
    g->next_seq = s.seq + (uint32_t)s.payload;
    g->closed = false;
}
