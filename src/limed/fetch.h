/* A tiny asynchronous HTTP/1.0 GET client on the lime_loop, for talking to neighbours'
 * limed (hostname, lime-community for the first-boot wizard). Numeric addresses only
 * (IPv6 link-local with %iface works); bodies up to 64 KiB; 3 s deadline. */
#ifndef LD_FETCH_H
#define LD_FETCH_H

#include <stddef.h>

struct ld_ctx;

/* status: HTTP status code, or -errno on failure (body NULL then). */
typedef void (*ld_fetch_cb)(int status, const char *body, size_t len, void *arg);

/* Starts a GET; cb is called exactly once (never from inside ld_fetch). 0 or -errno. */
int ld_fetch(struct ld_ctx *ctx, const char *host, int port, const char *path, ld_fetch_cb cb,
             void *arg);

/* limed stops: every request in flight ends with -ECANCELED (its cb runs, so its argument
 * is freed), and new ones are refused. */
void ld_fetch_stop_all(struct ld_ctx *ctx);

#endif
