/* limed's shared context: command-line settings and the pieces every module reaches. */
#ifndef LD_LIMED_H
#define LD_LIMED_H

#include <stddef.h>
#include <stdint.h>

struct lime_babel;
struct lime_batman;
struct lime_loop;
struct ld_http;
struct ld_sessions;

/* Counters shown on /metrics. */
struct ld_stats {
    uint64_t http_requests;
    uint64_t http_too_large;
    uint64_t rpc_calls;
    uint64_t rpc_parse_errors;
    uint64_t rpc_invalid;
    uint64_t rpc_denied;
    uint64_t logins_ok;
    uint64_t logins_failed;
    uint64_t applies_ok;
    uint64_t applies_failed;
    uint64_t respondd_requests;  /* answered */
    uint64_t respondd_malformed; /* dropped: not a request */
    uint64_t respondd_limited;   /* dropped: over the rate limit */
};

struct ld_ctx {
    struct lime_loop *loop;
    const char *root;          /* node's filesystem root ("/" on a router, a fixture in tests) */
    const char *www;           /* static UI directory */
    const char *app;           /* upstream LiMe-App served at /app/ (NULL: WWW/app) */
    const char *listen_addr;   /* "ADDR:PORT" / "[ADDR6]:PORT" */
    const char *lime_config;   /* path of lime-config (argv[0] of apply) */
    const char *lime_apply;    /* linux backend: lime-apply run after lime-config, or NULL */
    const char *babeld_socket; /* babeld local-path socket */
    const char *batd_socket;   /* batd ctl socket */
    const char *batadv_if;     /* the kernel's batman-adv mesh interface ("" = none) */
    int state_port;            /* shared-state TCP port: 0 = its default (3490), -1 = off */
    int peer_port;             /* port other nodes' limed listen on (hostnames, first-boot wizard) */
    int respondd_port;         /* respondd's UDP port (1001), 0 = off */
    struct lime_babel *babel;  /* babeld's state (core/babel.h), shared with shared-state */
    struct lime_batman *batman; /* batman-adv's tables (core/batman.h), shared likewise */
    struct ld_http *http;
    struct ld_sessions *sessions;
    struct ld_stats stats;
};

/* ROOT + rel (rel starts with '/'), into buf. Returns buf. */
char *ld_path(const struct ld_ctx *ctx, const char *rel, char *buf, size_t len);

/* Files are read and written with the core's lime_read_file (a size cap that is an
 * error) and lime_write_file_atomic. */
#include "core/fsutil.h"

/* The node's uptime in seconds (1/100 s resolution): the time since the oldest process of
 * limed's UTS namespace started. On a router that is init, so this is the system's
 * uptime, /proc/uptime, as upstream publishes it. Where a node is a world of its own on a
 * shared kernel (a UTS namespace of its own: a lime-sim node, a container), /proc/uptime
 * is the host's for every node, and this is the time since the node's world was made
 * (lime-sim makes it when it switches the node on). */
double ld_uptime(const struct ld_ctx *ctx);

/* Copies src into dst (len bytes, always NUL-terminated); returns strlen(src). */
size_t ld_strlcpy(char *dst, const char *src, size_t len);

#endif
