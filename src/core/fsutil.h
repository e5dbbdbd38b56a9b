/* Small file helpers every tool needs: whole-file read, atomic write, mkdir -p. */
#ifndef LIME_FSUTIL_H
#define LIME_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* Reads the whole file; the buffer is NUL-terminated (not counted in *len). At most
 * max bytes (0 = 64 MiB); a larger file fails with EFBIG. NULL with errno set. */
char *lime_read_file(const char *path, size_t max, size_t *len);

/* Writes data to path atomically: a temp file in the same directory, fsync, rename
 * over path, fsync of the directory. On failure path is unchanged and the temp file
 * is removed. mode applies to the new file (e.g. 0644). 0 or -errno. */
int lime_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode);

/* mkdir -p: creates path and missing parents (mode for each); an existing directory
 * is fine. 0 or -errno. */
int lime_mkdir_p(const char *path, mode_t mode);

/* The pid a daemon's pid file holds (its first line), or 0 when the file is missing or
 * holds no pid > 1. Whether that process still runs is the caller's question. */
pid_t lime_read_pid_file(const char *path);

#endif
