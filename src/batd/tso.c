/* TCP segmentation of virtio GSO frames (TCPv4/TCPv6). */
#include "tso.h"

#include <string.h>

#include "csum.h"
#include "packet.h"

/* Offsets of a GSO frame: IP header, TCP header, payload. */
struct layout {
    unsigned l3, l4, hdr;
    bool v6;
};

static bool layout_of(const struct gro_vnet_hdr *vh, const uint8_t *f, size_t len, struct layout *lo)
{
    unsigned type = vh->gso_type & 0x7f;
    if ((type != GRO_VNET_GSO_TCPV4 && type != GRO_VNET_GSO_TCPV6) || !vh->gso_size || len < 14)
        return false;
    lo->l3 = 14;
    if (get_be16(f + 12) == 0x8100)
        lo->l3 = 18;
    if (len < lo->l3 + 40)
        return false;
    lo->v6 = (f[lo->l3] >> 4) == 6;
    if (lo->v6 != (type == GRO_VNET_GSO_TCPV6))
        return false;
    if (!lo->v6 && (f[lo->l3] >> 4) != 4)
        return false;
    lo->l4 = vh->csum_start; /* the kernel points csum_start at the TCP header */
    unsigned min_l4 = lo->l3 + (lo->v6 ? 40 : (unsigned)(f[lo->l3] & 0x0f) * 4);
    if (lo->l4 < min_l4 || lo->l4 + 20 > len)
        return false;
    lo->hdr = lo->l4 + (unsigned)(f[lo->l4 + 12] >> 4) * 4;
    return lo->hdr >= lo->l4 + 20 && lo->hdr < len;
}

unsigned batd_tso_count(const struct gro_vnet_hdr *vh, const uint8_t *frame, size_t len)
{
    struct layout lo;
    if (!layout_of(vh, frame, len, &lo))
        return 0;
    size_t payload = len - lo.hdr;
    return (unsigned)((payload + vh->gso_size - 1) / vh->gso_size);
}

size_t batd_tso_segment(const struct gro_vnet_hdr *vh, const uint8_t *f, size_t len, unsigned i,
                   uint8_t *out)
{
    struct layout lo;
    if (!layout_of(vh, f, len, &lo))
        return 0;
    size_t payload = len - lo.hdr, mss = vh->gso_size;
    size_t off = (size_t)i * mss;
    if (off >= payload)
        return 0;
    size_t chunk = payload - off < mss ? payload - off : mss;
    bool last = off + chunk == payload;
    memcpy(out, f, lo.hdr);
    memcpy(out + lo.hdr, f + lo.hdr + off, chunk);
    size_t seglen = lo.hdr + chunk;
    uint8_t *ip = out + lo.l3, *th = out + lo.l4;
    uint32_t tcp_len = (uint32_t)(seglen - lo.l4), ps;
    if (!lo.v6) {
        put_be16(ip + 2, (uint16_t)(seglen - lo.l3));
        put_be16(ip + 4, (uint16_t)(get_be16(ip + 4) + i));
        put_be16(ip + 10, 0);
        unsigned ihl = (unsigned)(ip[0] & 0x0f) * 4;
        put_be16(ip + 10, (uint16_t)~csum_fold(batd_csum_add(0, ip, ihl)));
        ps = batd_csum_add(0, ip + 12, 8) + 6 + tcp_len;
    } else {
        put_be16(ip + 4, (uint16_t)(seglen - lo.l3 - 40));
        ps = batd_csum_add(0, ip + 8, 32) + 6 + (tcp_len >> 16) + (tcp_len & 0xffff);
    }
    put_be32(th + 4, get_be32(th + 4) + (uint32_t)off);
    if (i > 0)
        th[13] &= (uint8_t)~0x80; /* CWR only on the first */
    if (!last)
        th[13] &= (uint8_t)~0x09; /* FIN, PSH only on the last */
    put_be16(th + 16, 0);
    put_be16(th + 16, (uint16_t)~csum_fold(batd_csum_add(ps, th, tcp_len)));
    return seglen;
}
