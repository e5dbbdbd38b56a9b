/* limed's heap on a small router: what glibc's malloc keeps after bursts is given back.
 * See memory.c. */
#ifndef LD_MEMORY_H
#define LD_MEMORY_H

struct ld_ctx;

int ld_memory_start(struct ld_ctx *ctx);
void ld_memory_stop(struct ld_ctx *ctx);

#endif
