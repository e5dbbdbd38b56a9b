/* Transmit offload for the soft interface: with TSO enabled on the TAP the local TCP
 * stack hands batd up to 64 KB per read (virtio GSO frame); batd cuts it into
 * MSS-sized segments with their own IP/TCP headers and checksums before they enter the
 * mesh, as a NIC doing TSO would. */
#ifndef BATD_TSO_H
#define BATD_TSO_H

#include <stddef.h>
#include <stdint.h>

#include "gro.h"

/* Number of segments of a GSO frame (0 if it cannot be segmented: not TCP over
 * IPv4/IPv6, or inconsistent header fields). */
unsigned batd_tso_count(const struct gro_vnet_hdr *vh, const uint8_t *frame, size_t len);
/* Writes segment i of the GSO frame to out (room for the headers + gso_size); returns
 * its length. */
size_t batd_tso_segment(const struct gro_vnet_hdr *vh, const uint8_t *frame, size_t len, unsigned i,
                   uint8_t *out);

#endif
