/* limed's one HTTP client: an asynchronous HTTP/1.0 GET on the lime_loop. It talks to
 * neighbours' limed (hostname, next hop, lime-community for the first-boot wizard) and
 * makes the gateway watcher's internet check (bound to the WAN device). Bodies up to
 * 64 KiB; a deadline per request (3 s unless set). */
#ifndef LD_FETCH_H
#define LD_FETCH_H

#include <stdbool.h>
#include <stddef.h>

struct ld_ctx;
struct lime_loop;
struct ld_fetch;

/* status: HTTP status code, or -errno on failure (body NULL then). */
typedef void (*ld_fetch_cb)(int status, const char *body, size_t len, void *arg);

struct ld_fetch_opts {
    unsigned timeout_ms; /* 0 = 3000 */
    const char *device;  /* send out of this interface only (SO_BINDTODEVICE); NULL = any */
    bool resolve;        /* host may be a name (the blocking resolver); else numeric only */
};

/* Starts a GET of http://host:port/path (an IPv6 host may carry %iface). cb is called
 * exactly once, never from inside this call, unless ld_fetch_cancel() comes first.
 * NULL with errno set when the request cannot start. */
struct ld_fetch *ld_fetch_start(struct lime_loop *loop, const char *host, const char *port,
                                const char *path, const struct ld_fetch_opts *o,
                                ld_fetch_cb cb, void *arg);
/* Stops a request in flight; its cb is not called. */
void ld_fetch_cancel(struct ld_fetch *f);

/* A GET of another node's limed (numeric address, default options). 0 or -errno. */
int ld_fetch(struct ld_ctx *ctx, const char *host, int port, const char *path, ld_fetch_cb cb,
             void *arg);

/* limed stops: every request in flight ends with -ECANCELED (its cb runs, so its argument
 * is freed), and new ones are refused. */
void ld_fetch_stop_all(struct ld_ctx *ctx);

#endif
