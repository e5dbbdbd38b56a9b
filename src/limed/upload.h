/* POST /cgi-bin/cgi-upload, as OpenWrt's cgi-io serves it to LiMe-App's firmware page:
 * a multipart/form-data body with the fields `sessionid`, `filename` and `filedata`
 * (in that order, as the app's FormData sends them). The session must be allowed
 * cgi-io.upload (the root group) and filename must be one of the paths the app uses for
 * firmware (/tmp/firmware.bin, /tmp/upgrade.sh); the data is streamed into
 * ROOT/<filename> through a temporary file, renamed when complete. Answer as cgi-io:
 * 200 {"size": N, "checksum": "<md5>"}; 400/403/413 with a plain-text reason, nothing
 * written. */
#ifndef LD_UPLOAD_H
#define LD_UPLOAD_H

#include <stddef.h>

struct ld_ctx;
struct MHD_Connection;
struct ld_upload;

/* Largest file accepted (a router's sysupgrade image is a few MiB to ~30 MiB). */
#define LD_UPLOAD_MAX (64u << 20)

/* The paths LiMe-App uploads to (firmwareApi.js FW_PATH). */
int ld_upload_path_allowed(const char *filename);

/* Starts an upload for connection c (never NULL unless out of memory: errors are kept
 * and reported by finish). */
struct ld_upload *ld_upload_new(struct ld_ctx *ctx, struct MHD_Connection *c);
/* Feeds a chunk of the request body. */
void ld_upload_feed(struct ld_upload *u, const char *data, size_t len);
/* Ends the upload: the HTTP status and a malloc'd body in *text. */
unsigned ld_upload_finish(struct ld_upload *u, char **text);
void ld_upload_free(struct ld_upload *u);

#endif
