/* Fuzz harness: lime-apply's ownership record (ROOT/var/run/lime/applied) loader.
 * Any bytes must load or be refused with a file:line message, never crash. */
#include "desired.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("applied", MFD_CLOEXEC);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64], err[512];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    struct lr_desired *d = malloc(sizeof(*d));
    if (d && lr_desired_load(d, path, err, sizeof(err)) == 0) {
        /* what loads must also save and load back; in /dev/shm when there is one: the
         * save's rename over a file on ext4 starts a disk write-back, which was most of
         * the harness's time */
        char out[64];
        snprintf(out, sizeof(out), "%s/lr-fuzz-applied.XXXXXX",
                 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
        int ofd = mkstemp(out);
        if (ofd >= 0) {
            close(ofd);
            struct lr_desired *e = malloc(sizeof(*e));
            if (e && lr_desired_save(d, out) == 0 && lr_desired_load(e, out, err, sizeof(err)) != 0)
                abort();
            free(e);
            unlink(out);
        }
    }
    free(d);
    close(fd);
    return 0;
}
