/* One TCP 3490 exchange (wire.h), as server or client, as a non-blocking state machine
 * on the lime_loop. Every connection has its own deadline, so an idle or slow peer only
 * ever costs one fd and a little memory; nothing else waits for it. */
#ifndef SS_CONN_H
#define SS_CONN_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lime_loop;
struct ss_conn;

struct ss_conn_ops {
    /* Server: the client's message arrived (json is writable, NUL-terminated at len).
     * Return the reply JSON (malloc'ed, owned by the connection) or NULL to ack and
     * close without a reply (unknown type, rejected message), as upstream does. */
    char *(*on_request)(void *ctx, struct ss_conn *c, const char *type, char *json,
                        size_t len, size_t *reply_len);
    /* Client: the server's message arrived. */
    void (*on_reply)(void *ctx, struct ss_conn *c, const char *type, char *json, size_t len);
    /* The exchange ended (err 0: complete) and the socket is closed; the connection is
     * freed right after this returns. */
    void (*on_done)(void *ctx, struct ss_conn *c, int err);
};

struct ss_conn_params {
    struct lime_loop *loop;
    const struct ss_conn_ops *ops;
    void *ctx;
    unsigned timeout_ms; /* whole exchange, connect included */
    size_t max_json;
};

/* Serves an accepted socket (made non-blocking here). NULL on failure (fd closed). */
struct ss_conn *ss_conn_serve(const struct ss_conn_params *p, int fd,
                              const struct sockaddr_in6 *peer);
/* Starts a sync of one type with a peer; request JSON is copied. NULL on failure. */
struct ss_conn *ss_conn_sync(const struct ss_conn_params *p, const struct sockaddr_in6 *peer,
                             const char *type, const char *json, size_t len);
/* Aborts (on_done is called with -ECANCELED). */
void ss_conn_abort(struct ss_conn *c);

const struct sockaddr_in6 *ss_conn_peer(const struct ss_conn *c);
bool ss_conn_is_server(const struct ss_conn *c);
/* Free-form pointer for the owner. */
void ss_conn_set_user(struct ss_conn *c, void *user);
void *ss_conn_user(const struct ss_conn *c);
/* Bytes read / written on this connection. */
uint64_t ss_conn_bytes_in(const struct ss_conn *c);
uint64_t ss_conn_bytes_out(const struct ss_conn *c);

/* "addr", "addr%iface" or "[addr]:port" (IPv4 becomes IPv4-mapped) -> sockaddr; 0 or -1. */
int ss_parse_addr(const char *s, uint16_t port, struct sockaddr_in6 *out);
/* Address as text ("fe80::1%eth0", "10.0.0.1" for mapped IPv4), without port. */
void ss_format_addr(const struct sockaddr_in6 *a, char *buf, size_t len);
bool ss_addr_is_loopback(const struct sockaddr_in6 *a);

#endif
