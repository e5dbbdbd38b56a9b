/* Fuzzes the lab's check of an uncompressed kernel (from a downloaded package) for the
 * PVH entry note qemu boots: ELF header, program headers, notes. */
#include <stdint.h>
#include <stdlib.h>

#include "kimage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)sim_kimage_has_pvh(data, size);
    return 0;
}
