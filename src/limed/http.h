/* limed's HTTP server: libmicrohttpd in external-epoll mode, driven by the lime_loop
 * (no MHD threads). Routes: POST /ubus (JSON-RPC, rpc.h), GET /metrics (metrics.h),
 * GET /cgi-bin/hostname, GET /cgi-bin/lime/lime-community (for neighbours' first-boot
 * wizards), and static files of the UI from --www. */
#ifndef LD_HTTP_H
#define LD_HTTP_H

#include <stddef.h>

struct ld_ctx;

/* Largest accepted request body (uhttpd's UH_UBUS_MAX_POST_SIZE default). */
#define LD_HTTP_MAX_BODY (64 * 1024)

/* Starts listening on ctx->listen_addr ("ADDR:PORT", "[ADDR6]:PORT" or "PORT").
 * 0 or -errno (an error is logged). */
int ld_http_start(struct ld_ctx *ctx);
void ld_http_stop(struct ld_ctx *ctx);

/* Parses "ADDR:PORT" into a sockaddr (sockaddr_storage); 0 or -EINVAL. */
struct sockaddr_storage;
int ld_http_parse_listen(const char *spec, struct sockaddr_storage *ss, int *family);

/* Content type for a file name by extension. */
const char *ld_http_mime(const char *name);

#endif
