/* HTTP server on libmicrohttpd; see http.h. MHD runs with MHD_USE_EPOLL and no thread:
 * its epoll fd sits in limed's loop, and MHD_run() is called when it is readable or when
 * MHD's own timeout expires. */
#include "http.h"

#include "limed.h"
#include "gwpath.h"
#include "linktest.h"
#include "metrics.h"
#include "rpc.h"
#include "upload.h"
#include "core/log.h"
#include "core/loop.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

struct req;

struct ld_http {
    struct ld_ctx *ctx;
    struct MHD_Daemon *mhd;
    int epfd;
    struct lime_timer *timer;
    struct req *suspended; /* /ubus requests waiting for a deferred answer */
    int bwtest_streams;    /* bandwidth-test downloads being served */
    uint64_t bwtest_window; /* start of the current minute of bandwidth tests */
    int bwtest_in_window;
};

/* Per-request state: the body collected so far, or an upload in progress; for a /ubus
 * call answered later, the pending request and then its reply. */
struct req {
    char *body;
    size_t len;
    bool too_large;
    struct ld_upload *upload;
    struct ld_http *h;
    struct MHD_Connection *conn;
    struct ld_rpc_request *pending;
    char *reply;          /* the deferred reply, once done */
    struct req *next;     /* in h->suspended */
};

static void schedule(struct ld_http *h);

static void on_timer(void *arg)
{
    struct ld_http *h = arg;
    h->timer = NULL;
    MHD_run(h->mhd);
    schedule(h);
}

static void schedule(struct ld_http *h)
{
    if (h->timer) {
        lime_timer_cancel(h->ctx->loop, h->timer);
        h->timer = NULL;
    }
    MHD_UNSIGNED_LONG_LONG to = 0;
    if (MHD_get_timeout(h->mhd, &to) == MHD_YES)
        h->timer = lime_timer_add(h->ctx->loop, to > 1000 ? 1000 : to, on_timer, h);
}

static void on_epoll(int fd, unsigned events, void *arg)
{
    struct ld_http *h = arg;
    MHD_run(h->mhd);
    schedule(h);
}

const char *ld_http_mime(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"}, {".json", "application/json"},
        {".svg", "image/svg+xml"}, {".png", "image/png"}, {".ico", "image/x-icon"},
        {".txt", "text/plain; charset=utf-8"}, {".webmanifest", "application/manifest+json"},
    };
    const char *dot = strrchr(name, '.');
    if (dot)
        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
            if (!strcmp(dot, types[i].ext))
                return types[i].type;
    return "application/octet-stream";
}

static enum MHD_Result send_buf(struct MHD_Connection *c, unsigned status, const char *type,
                                char *buf, size_t len, bool cors)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(buf);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (cors) {
        const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
        MHD_add_response_header(r, "Access-Control-Allow-Origin", origin ? origin : "*");
        MHD_add_response_header(r, "Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        MHD_add_response_header(r, "Access-Control-Allow-Headers", "Content-Type");
    }
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *text)
{
    char *b = strdup(text);
    return b ? send_buf(c, status, "text/plain; charset=utf-8", b, strlen(b), false) : MHD_NO;
}

/* The upstream LiMe-App (/app/, as its OpenWrt package installs it) needs more than
 * LiMe-C's own UI: its stylesheet is switched on by an inline onload handler (allowed by
 * that handler's hash only), its map page loads Leaflet from unpkg.com and tiles from
 * OpenStreetMap and Google, and its first-boot wizard asks http://thisnode.info for the
 * node's new name. LiMe-C's UI keeps the strict policy. */
#define CSP_OWN_UI                                                                          \
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "        \
    "frame-ancestors 'none'"
#define CSP_LIME_APP                                                                        \
    "default-src 'self'; "                                                                  \
    "script-src 'self' 'unsafe-hashes' 'sha256-MhtPZXr7+LpJUY5qtMutB+qWfQtMaPccfe7QXtCcEYc=' " \
    "https://unpkg.com; "                                                                   \
    "style-src 'self' 'unsafe-inline' https://unpkg.com; "                                  \
    "img-src 'self' data: blob: https://unpkg.com http://*.tile.osm.org "                   \
    "https://*.tile.osm.org https://*.tile.openstreetmap.org https://*.google.com; "        \
    "connect-src 'self' http://thisnode.info; frame-src 'self' https:; "                    \
    "frame-ancestors 'self'"

static enum MHD_Result redirect(struct MHD_Connection *c, const char *location)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Location", location);
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    enum MHD_Result ret = MHD_queue_response(c, 301, r);
    MHD_destroy_response(r);
    return ret;
}

/* Static files: LiMe-C's UI from --www, the upstream app under /app/ from --app (default
 * WWW/app). No "..", no hidden files. A directory is served by its index.html; a
 * directory URL without its final '/' is redirected there (so relative links resolve). */
static enum MHD_Result serve_static(struct ld_http *h, struct MHD_Connection *c, const char *url)
{
    const char *base = h->ctx->www, *rel = url;
    bool app = !strcmp(url, "/app") || !strncmp(url, "/app/", 5);
    char appdir[300];
    if (app) {
        if (h->ctx->app)
            base = h->ctx->app;
        else if (h->ctx->www && snprintf(appdir, sizeof(appdir), "%s/app", h->ctx->www) <
                                    (int)sizeof(appdir))
            base = appdir;
        else
            base = NULL;
        rel = url + 4; /* "" or "/..." */
    }
    if (!base || strstr(url, "..") || strstr(url, "/.") || strlen(url) > 200)
        return send_text(c, 404, "not found\n");
    char path[512];
    struct stat st;
    snprintf(path, sizeof(path), "%s%s", base, rel);
    if (stat(path, &st) < 0)
        return send_text(c, 404, "not found\n");
    if (S_ISDIR(st.st_mode)) {
        size_t n = strlen(url);
        if (n == 0 || url[n - 1] != '/') {
            char loc[256];
            snprintf(loc, sizeof(loc), "%s/", url);
            return redirect(c, loc);
        }
        if (strlen(path) + sizeof("index.html") > sizeof(path))
            return send_text(c, 404, "not found\n");
        strcat(path, "index.html");
        if (stat(path, &st) < 0)
            return send_text(c, 404, "not found\n");
    }
    if (!S_ISREG(st.st_mode))
        return send_text(c, 404, "not found\n");
    size_t len;
    char *data = lime_read_file(path, 4u << 20, &len);
    if (!data)
        return send_text(c, 404, "not found\n");
    struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(data);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", ld_http_mime(path));
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Content-Security-Policy", app ? CSP_LIME_APP : CSP_OWN_UI);
    MHD_add_response_header(r, "X-Frame-Options", app ? "SAMEORIGIN" : "DENY");
    enum MHD_Result ret = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ret;
}

/* Wakes MHD up on the next loop turn (after a resumed connection). */
static void kick(struct ld_http *h)
{
    if (h->timer)
        lime_timer_cancel(h->ctx->loop, h->timer);
    h->timer = lime_timer_add(h->ctx->loop, 0, on_timer, h);
}

static void unlink_suspended(struct ld_http *h, struct req *rq)
{
    for (struct req **p = &h->suspended; *p; p = &(*p)->next)
        if (*p == rq) {
            *p = rq->next;
            break;
        }
    rq->next = NULL;
}

/* A deferred /ubus reply is ready: resume the connection; MHD calls handle() again. */
static void on_rpc_done(char *reply, void *arg)
{
    struct req *rq = arg;
    rq->pending = NULL;
    rq->reply = reply;
    unlink_suspended(rq->h, rq);
    MHD_resume_connection(rq->conn);
    kick(rq->h);
}

/* Bandwidth test source (linktest.h): zeros until the size or time cap. */
struct bwstream {
    struct ld_http *h;
    uint64_t sent, start_ms;
};

static ssize_t bw_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct bwstream *b = cls;
    if (b->sent >= LD_BWTEST_MAX_BYTES || lime_now_ms() - b->start_ms > LD_BWTEST_MAX_MS)
        return MHD_CONTENT_READER_END_OF_STREAM;
    if (max > LD_BWTEST_MAX_BYTES - b->sent)
        max = (size_t)(LD_BWTEST_MAX_BYTES - b->sent);
    memset(buf, 0, max);
    b->sent += max;
    return (ssize_t)max;
}

static void bw_free(void *cls)
{
    struct bwstream *b = cls;
    b->h->bwtest_streams--;
    free(b);
}

static enum MHD_Result serve_bwtest(struct ld_http *h, struct MHD_Connection *c)
{
    /* a tiny request for up to 1 GiB: at most two at once and LD_BWTEST_PER_MINUTE a
     * minute, so the endpoint cannot be used to flood the node's links */
    uint64_t now = lime_now_ms();
    if (now - h->bwtest_window >= 60000) {
        h->bwtest_window = now;
        h->bwtest_in_window = 0;
    }
    if (h->bwtest_streams >= LD_BWTEST_MAX_STREAMS || h->bwtest_in_window >= LD_BWTEST_PER_MINUTE)
        return send_text(c, 503, "busy\n");
    h->bwtest_in_window++;
    struct bwstream *b = calloc(1, sizeof(*b));
    if (!b)
        return MHD_NO;
    b->h = h;
    b->start_ms = lime_now_ms();
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, bw_read, b, bw_free);
    if (!r) {
        free(b);
        return MHD_NO;
    }
    h->bwtest_streams++;
    MHD_add_response_header(r, "Content-Type", "application/octet-stream");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    enum MHD_Result ret = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    struct ld_http *h = cls;
    struct ld_ctx *ctx = h->ctx;
    struct req *rq = *con_cls;
    bool post = !strcmp(method, "POST");

    if (!rq) {
        rq = calloc(1, sizeof(*rq));
        if (!rq)
            return MHD_NO;
        *con_cls = rq;
        rq->h = h;
        rq->conn = c;
        ctx->stats.http_requests++;
        if (post && !strcmp(url, "/cgi-bin/cgi-upload"))
            rq->upload = ld_upload_new(ctx, c);
        if (post)
            return MHD_YES; /* body follows */
    }
    if (rq->upload) { /* cgi-io upload (firmware images): streamed to a file */
        if (*upload_size) {
            ld_upload_feed(rq->upload, upload, *upload_size);
            *upload_size = 0;
            return MHD_YES;
        }
        char *text = NULL;
        unsigned status = ld_upload_finish(rq->upload, &text);
        return send_buf(c, status, status == 200 ? "application/json" : "text/plain", text,
                        strlen(text), false);
    }
    if (rq->reply) { /* a deferred /ubus answer, after resume */
        char *reply = rq->reply;
        rq->reply = NULL;
        return send_buf(c, 200, "application/json", reply, strlen(reply), true);
    }
    if (post && *upload_size) {
        if (rq->len + *upload_size > LD_HTTP_MAX_BODY) {
            rq->too_large = true;
        } else if (!rq->too_large) {
            char *nb = realloc(rq->body, rq->len + *upload_size + 1);
            if (!nb)
                return MHD_NO;
            rq->body = nb;
            memcpy(rq->body + rq->len, upload, *upload_size);
            rq->len += *upload_size;
            rq->body[rq->len] = 0;
        }
        *upload_size = 0;
        return MHD_YES;
    }

    if (!strcmp(url, "/ubus")) {
        if (!strcmp(method, "OPTIONS"))
            return send_buf(c, 200, "text/plain", strdup(""), 0, true);
        if (!post)
            return send_text(c, 405, "use POST\n");
        if (rq->too_large) {
            ctx->stats.http_too_large++;
            return send_text(c, 413, "request body larger than 64 KiB\n");
        }
        char peer[INET6_ADDRSTRLEN] = "";
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (ci && ci->client_addr) {
            const struct sockaddr *sa = ci->client_addr;
            if (sa->sa_family == AF_INET)
                inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, peer, sizeof(peer));
            else if (sa->sa_family == AF_INET6)
                inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, peer,
                          sizeof(peer));
        }
        char *reply = ld_rpc_handle_async(ctx, rq->body ? rq->body : "", rq->len, peer,
                                          on_rpc_done, rq, &rq->pending);
        if (!reply) { /* a method answers later: wait without blocking the loop */
            rq->next = h->suspended;
            h->suspended = rq;
            MHD_suspend_connection(c);
            return MHD_YES;
        }
        return send_buf(c, 200, "application/json", reply, strlen(reply), true);
    }
    if (!strcmp(url, "/cgi-bin/cgi-upload"))
        return send_text(c, 405, "use POST (multipart/form-data)\n");
    if (strcmp(method, "GET") && strcmp(method, "HEAD"))
        return send_text(c, 405, "method not allowed\n");
    if (!strcmp(url, LD_BWTEST_PATH))
        return serve_bwtest(h, c);
    if (!strcmp(url, "/metrics")) {
        char *text = ld_metrics_render(ctx);
        return send_buf(c, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text),
                        false);
    }
    if (!strcmp(url, "/cgi-bin/hostname")) {
        char host[128], *b;
        ld_rpc_hostname(ctx, host, sizeof(host));
        if (asprintf(&b, "%s\n", host) < 0)
            return MHD_NO;
        struct MHD_Response *r = MHD_create_response_from_buffer(strlen(b), b,
                                                                 MHD_RESPMEM_MUST_FREE);
        MHD_add_response_header(r, "Content-Type", "text/plain");
        MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
        enum MHD_Result ret = MHD_queue_response(c, 200, r);
        MHD_destroy_response(r);
        return ret;
    }
    if (!strcmp(url, "/cgi-bin/lime/next-hop")) {
        char line[160], *b;
        ld_gwpath_local(ctx, line, sizeof(line));
        if (asprintf(&b, "%s\n", line) < 0)
            return MHD_NO;
        return send_buf(c, 200, "text/plain", b, strlen(b), false);
    }
    if (!strcmp(url, "/cgi-bin/lime/lime-community")) {
        char path[512];
        size_t len;
        char *data = lime_read_file(ld_path(ctx, "/etc/config/lime-community", path, sizeof(path)),
                                  64 * 1024, &len);
        if (!data)
            return send_text(c, 404, "no lime-community\n");
        return send_buf(c, 200, "text/plain; charset=utf-8", data, len, false);
    }
    return serve_static(h, c, url);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    struct req *rq = *con_cls;
    if (rq) {
        if (rq->pending)
            ld_rpc_request_cancel(rq->pending);
        unlink_suspended(rq->h, rq);
        if (rq->upload)
            ld_upload_free(rq->upload);
        free(rq->reply);
        free(rq->body);
        free(rq);
        *con_cls = NULL;
    }
}

int ld_http_parse_listen(const char *spec, struct sockaddr_storage *ss, int *family)
{
    char host[128] = "";
    const char *port;
    memset(ss, 0, sizeof(*ss));
    if (spec[0] == '[') {
        const char *end = strchr(spec, ']');
        if (!end || end[1] != ':' || (size_t)(end - spec - 1) >= sizeof(host))
            return -EINVAL;
        memcpy(host, spec + 1, (size_t)(end - spec - 1));
        port = end + 2;
    } else if ((port = strrchr(spec, ':'))) {
        if ((size_t)(port - spec) >= sizeof(host))
            return -EINVAL;
        memcpy(host, spec, (size_t)(port - spec));
        host[port - spec] = 0;
        port++;
    } else {
        port = spec;
    }
    char *end;
    long p = strtol(port, &end, 10);
    if (!*port || *end || p < 0 || p > 65535)
        return -EINVAL;
    if (strchr(host, ':')) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)p);
        if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
            return -EINVAL;
        *family = AF_INET6;
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)p);
        if (host[0] && inet_pton(AF_INET, host, &s4->sin_addr) != 1)
            return -EINVAL;
        if (!host[0])
            s4->sin_addr.s_addr = htonl(INADDR_ANY);
        *family = AF_INET;
    }
    return 0;
}

int ld_http_start(struct ld_ctx *ctx)
{
    struct sockaddr_storage ss;
    int family;
    if (ld_http_parse_listen(ctx->listen_addr, &ss, &family) < 0) {
        log_err("--listen %s: expected ADDR:PORT, [ADDR6]:PORT or PORT", ctx->listen_addr);
        return -EINVAL;
    }
    struct ld_http *h = calloc(1, sizeof(*h));
    if (!h)
        return -ENOMEM;
    h->ctx = ctx;
    unsigned flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    if (family == AF_INET6)
        flags |= MHD_USE_DUAL_STACK;
    uint16_t port = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                             : ((struct sockaddr_in *)&ss)->sin_port);
    h->mhd = MHD_start_daemon(flags, port, NULL, NULL, handle, h, MHD_OPTION_SOCK_ADDR,
                              (struct sockaddr *)&ss, MHD_OPTION_NOTIFY_COMPLETED, completed,
                              h, MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
                              MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                              MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
                              MHD_OPTION_END);
    if (!h->mhd) {
        log_err("cannot listen on %s", ctx->listen_addr);
        free(h);
        return -EADDRINUSE;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_EPOLL_FD);
    h->epfd = info ? info->epoll_fd : -1;
    if (h->epfd < 0 || lime_loop_add_fd(ctx->loop, h->epfd, LIME_EV_READ, on_epoll, h) < 0) {
        log_err("cannot watch libmicrohttpd's epoll fd");
        MHD_stop_daemon(h->mhd);
        free(h);
        return -EIO;
    }
    ctx->http = h;
    schedule(h);
    log_info("listening on %s", ctx->listen_addr);
    return 0;
}

void ld_http_stop(struct ld_ctx *ctx)
{
    struct ld_http *h = ctx->http;
    if (!h)
        return;
    /* MHD must not be stopped with suspended connections: answer them, let MHD run. */
    while (h->suspended) {
        struct req *rq = h->suspended;
        ld_rpc_request_cancel(rq->pending);
        rq->pending = NULL;
        on_rpc_done(strdup("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32003,"
                           "\"message\":\"ubus request timed out\"}}"),
                    rq);
    }
    MHD_run(h->mhd);
    if (h->timer)
        lime_timer_cancel(ctx->loop, h->timer);
    lime_loop_del_fd(ctx->loop, h->epfd);
    MHD_stop_daemon(h->mhd);
    free(h);
    ctx->http = NULL;
}
