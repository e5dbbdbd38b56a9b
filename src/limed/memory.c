/* limed's heap on a small router (docs/performance.md, "Memory on a router").
 *
 * limed's work comes in bursts: a shared-state sync encodes and parses whole tables (JSON
 * objects, a frame per peer), every new node gets an HTTP request, the UI asks for pages
 * of JSON. glibc's malloc keeps what such a burst used: freed chunks in the middle of the
 * heap stay resident, and its mmap threshold grows with every large block freed, so later
 * large blocks come from the heap too.
 *
 * So: blocks from 32 KiB up are mmapped (a fixed threshold, not glibc's growing one) and
 * unmapped when freed; the top of the heap is trimmed from 64 KiB of free space; and
 * once a minute malloc_trim() hands back the free pages inside the heap too.
 * Measured on a node of a 50-node lime-sim grid (2026-12-06): 600 UI calls (7.6 MB of
 * JSON: get_mesh, shared-state tables, metrics) grew the heap by 0.24 MiB without these
 * settings and by nothing with them; between bursts the heap is the same either way
 * (1.2-1.3 MiB resident, ~0.65 MiB of it in use: malloc_info; the rest are free chunks
 * that stay). musl's allocator (OpenWrt) returns memory by itself; there this does nothing. */
#include "memory.h"

#include "limed.h"
#include "core/loop.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#define TRIM_EVERY_MS 60000

static struct lime_timer *trim_timer;
static struct lime_loop *trim_loop;

static void trim(void *arg)
{
    (void)arg;
#ifdef __GLIBC__
    malloc_trim(0);
#endif
    trim_timer = lime_timer_add(trim_loop, TRIM_EVERY_MS, trim, NULL);
}

int ld_memory_start(struct ld_ctx *ctx)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 32 * 1024);
    mallopt(M_TRIM_THRESHOLD, 64 * 1024);
    trim_loop = ctx->loop;
    trim_timer = lime_timer_add(trim_loop, TRIM_EVERY_MS, trim, NULL);
#else
    (void)ctx;
#endif
    return 0;
}

void ld_memory_stop(struct ld_ctx *ctx)
{
    (void)ctx;
    if (trim_timer)
        lime_timer_cancel(trim_loop, trim_timer);
    trim_timer = NULL;
}
