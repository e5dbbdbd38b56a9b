#include "kimage.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "log.h"
#include "run.h"

#define PT_NOTE 4
#define XEN_ELFNOTE_PHYS32_ENTRY 18

static uint64_t le(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static int notes_have_pvh(const unsigned char *p, size_t len)
{
    size_t off = 0;
    while (len - off >= 12) {
        uint64_t namesz = le(p + off, 4), descsz = le(p + off + 4, 4), type = le(p + off + 8, 4);
        size_t name = off + 12;
        uint64_t nameend = name + ((namesz + 3) & ~(uint64_t)3);
        if (namesz > len || nameend > len)
            return 0;
        uint64_t next = nameend + ((descsz + 3) & ~(uint64_t)3);
        if (descsz > len || next > len)
            return 0;
        if (type == XEN_ELFNOTE_PHYS32_ENTRY && namesz == 4 && !memcmp(p + name, "Xen", 4))
            return 1;
        off = (size_t)next;
    }
    return 0;
}

int sim_kimage_has_pvh(const unsigned char *e, size_t len)
{
    /* ELF64, little-endian, executable */
    if (len < 64 || memcmp(e, "\x7f" "ELF", 4) || e[4] != 2 || e[5] != 1 || le(e + 16, 2) != 2)
        return 0;
    uint64_t phoff = le(e + 32, 8), phentsize = le(e + 54, 2), phnum = le(e + 56, 2);
    if (phentsize < 56 || phoff > len || phnum > (len - phoff) / phentsize)
        return 0;
    for (uint64_t i = 0; i < phnum; i++) {
        const unsigned char *ph = e + phoff + i * phentsize;
        if (le(ph, 4) != PT_NOTE)
            continue;
        uint64_t off = le(ph + 8, 8), filesz = le(ph + 32, 8);
        if (off > len || filesz > len - off)
            return 0;
        if (notes_have_pvh(e + off, (size_t)filesz))
            return 1;
    }
    return 0;
}

int sim_kimage_extract(const char *bzimage, const char *out)
{
    static const struct {
        const unsigned char magic[6];
        size_t n;
        const char *argv[4];
    } comp[] = {{{0xfd, '7', 'z', 'X', 'Z', 0}, 6, {"xz", "-dc", "--single-stream", NULL}},
                {{0x1f, 0x8b, 0x08, 0}, 3, {"gzip", "-dcq", NULL, NULL}}};
    size_t len;
    unsigned char *bz = (unsigned char *)lime_read_file(bzimage, 256u << 20, &len);
    int rc = -1;
    for (size_t c = 0; bz && rc < 0 && c < sizeof(comp) / sizeof(*comp); c++) {
        const unsigned char *at = memmem(bz, len, comp[c].magic, comp[c].n);
        if (!at)
            continue;
        struct lime_run_opts o = {.input = (const char *)at, .input_len = len - (size_t)(at - bz),
                                  .capture = true, .out_max = 512u << 20, .quiet = true};
        struct lime_run_result r;
        lime_run((char *const *)comp[c].argv, &o, &r); /* gzip warns of trailing data: exit 2 */
        if (r.out && sim_kimage_has_pvh((const unsigned char *)r.out, r.out_len) &&
            lime_write_file_atomic(out, r.out, r.out_len, 0644) == 0)
            rc = 0;
        else
            log_debug("kernel: no PVH-bootable ELF from %s in %s", comp[c].argv[0], bzimage);
        lime_run_result_free(&r);
    }
    free(bz);
    return rc;
}
