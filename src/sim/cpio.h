/* Writing an initramfs: the "newc" cpio format the Linux kernel unpacks at boot
 * (Documentation/driver-api/early-userspace/buffer-format.rst). Writer only, and only
 * what an initramfs needs: directories, regular files, symlinks, owned by root.
 * lime-sim builds the qemu lab's initramfs with it (kcache.c), so the lab needs no cpio
 * tool on the host. */
#ifndef LIME_SIM_CPIO_H
#define LIME_SIM_CPIO_H

#include <stddef.h>
#include <sys/types.h>

struct sim_cpio {
    int fd;
    unsigned long ino; /* next inode number */
    int err;           /* first errno seen; later calls do nothing */
};

/* Starts an archive on fd (opened for writing, positioned where the archive begins). */
void sim_cpio_init(struct sim_cpio *c, int fd);
/* name is the path inside the archive without a leading "/" (e.g. "lib/modules"). */
void sim_cpio_dir(struct sim_cpio *c, const char *name, mode_t mode);
void sim_cpio_data(struct sim_cpio *c, const char *name, mode_t mode, const void *data, size_t len);
/* A regular file with the contents of host file src. */
void sim_cpio_file(struct sim_cpio *c, const char *name, mode_t mode, const char *src);
void sim_cpio_symlink(struct sim_cpio *c, const char *name, const char *target);
/* Writes the trailer. 0, or -errno of the first failure of any call. */
int sim_cpio_finish(struct sim_cpio *c);

#endif
