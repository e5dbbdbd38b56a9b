/* Receive offload for the soft interface (userspace GRO): consecutive in-order TCP
 * segments of one flow, delivered in one receive burst, are merged into a single GSO
 * frame and written to the TAP with a virtio_net_hdr (IFF_VNET_HDR), so the local TCP
 * stack handles up to 64 KB at once instead of 1500-byte frames (as a NIC with GRO
 * would give it). Anything not mergeable passes through unchanged. */
#ifndef BATD_GRO_H
#define BATD_GRO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* struct virtio_net_hdr (10 bytes, host byte order for TAP devices) */
struct gro_vnet_hdr {
    uint8_t flags;
    uint8_t gso_type;
    uint16_t hdr_len;
    uint16_t gso_size;
    uint16_t csum_start;
    uint16_t csum_offset;
};
#define GRO_VNET_F_NEEDS_CSUM 1
#define GRO_VNET_GSO_NONE 0
#define GRO_VNET_GSO_TCPV4 1
#define GRO_VNET_GSO_TCPV6 4

#define GRO_MAX 65535

typedef void (*gro_out_fn)(void *ctx, const struct gro_vnet_hdr *vh, const uint8_t *frame,
                           size_t len);

struct gro {
    size_t len;        /* bytes in buf (0 = nothing pending) */
    unsigned segs;
    unsigned l3, l4, hdrlen; /* offsets: IP header, TCP header, payload */
    bool v6;
    uint16_t mss;
    uint32_t next_seq;
    bool closed;       /* a short or PSH segment ended the run */
    uint8_t buf[GRO_MAX + 64]; /* last: batd_init zeroes the state, not the buffer */
};

/* Offers one Ethernet frame for the soft interface; writes through out() whatever can
 * no longer be merged. */
void batd_gro_push(struct gro *g, const uint8_t *frame, size_t len, gro_out_fn out, void *ctx);
/* Writes the pending merged frame, if any. */
void batd_gro_flush(struct gro *g, gro_out_fn out, void *ctx);
/* Completes a partial checksum (virtio NEEDS_CSUM) in frame: ones' complement sum from
 * start to the end, stored at start + offset. */
void batd_gro_complete_csum(uint8_t *frame, size_t len, uint16_t start, uint16_t offset);

#endif
