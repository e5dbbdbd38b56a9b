/* The kernel image the lab boots. Debian ships a bzImage whose kernel is xz-compressed;
 * under TCG the guest spends seconds decompressing it at every boot (4-7 s of a 15 s boot
 * on this host). Built with CONFIG_PVH, the uncompressed kernel is an ELF file with a PVH
 * entry note that qemu boots directly. kcache.c extracts it once into the cache; a kernel
 * without that note (or compressed otherwise) boots from its bzImage as before. */
#ifndef LIME_SIM_KIMAGE_H
#define LIME_SIM_KIMAGE_H

#include <stddef.h>

/* 1 if elf is a 64-bit ELF executable with a PT_NOTE holding the Xen PVH entry note
 * (name "Xen", type 18), 0 otherwise (also for anything malformed). */
int sim_kimage_has_pvh(const unsigned char *elf, size_t len);
/* Decompresses the kernel inside bzimage (xz or gzip; found by magic) and writes it to
 * out if it has a PVH entry. 0, or -1 (nothing written; the reason is logged at debug). */
int sim_kimage_extract(const char *bzimage, const char *out);

#endif
