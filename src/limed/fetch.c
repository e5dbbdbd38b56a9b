/* Asynchronous HTTP GET; see fetch.h. */
#include "fetch.h"

#include "limed.h"
#include "core/loop.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define FETCH_MAX (64 * 1024)
#define FETCH_TIMEOUT_MS 3000

struct ld_fetch {
    struct ld_fetch *prev, *next; /* the requests in flight */
    struct lime_loop *loop;
    int fd;
    bool connected;
    char req[1024];
    size_t req_len, req_off;
    char *buf;
    size_t len;
    struct lime_timer *timer;
    ld_fetch_cb cb;
    void *arg;
};

static struct ld_fetch *live;
static bool stopping;

static void release(struct ld_fetch *f)
{
    if (f->prev)
        f->prev->next = f->next;
    else
        live = f->next;
    if (f->next)
        f->next->prev = f->prev;
    if (f->timer)
        lime_timer_cancel(f->loop, f->timer);
    if (f->fd >= 0) {
        lime_loop_del_fd(f->loop, f->fd);
        close(f->fd);
    }
    free(f->buf);
    free(f);
}

void ld_fetch_cancel(struct ld_fetch *f)
{
    if (f)
        release(f);
}

static void finish(struct ld_fetch *f, int err)
{
    int status = err;
    const char *body = NULL;
    size_t blen = 0;
    if (!err) {
        status = -EPROTO;
        if (f->buf && f->len > 12 && !strncmp(f->buf, "HTTP/1.", 7)) {
            char *sep = strstr(f->buf, "\r\n\r\n");
            if (sep) {
                status = atoi(f->buf + 9);
                body = sep + 4;
                blen = f->len - (size_t)(body - f->buf);
            }
        }
    }
    ld_fetch_cb cb = f->cb;
    void *arg = f->arg;
    char *buf = f->buf;
    f->buf = NULL;
    release(f);
    cb(status, body, blen, arg);
    free(buf);
}

static void on_timeout(void *arg)
{
    struct ld_fetch *f = arg;
    f->timer = NULL;
    finish(f, -ETIMEDOUT);
}

static void on_io(int fd, unsigned events, void *arg)
{
    struct ld_fetch *f = arg;
    (void)events;
    if (!f->connected) {
        int err = 0;
        socklen_t l = sizeof(err);
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l);
        if (err) {
            finish(f, -err);
            return;
        }
        f->connected = true;
    }
    if (f->req_off < f->req_len) {
        ssize_t n = send(fd, f->req + f->req_off, f->req_len - f->req_off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno != EAGAIN)
                finish(f, -errno);
            return;
        }
        f->req_off += (size_t)n;
        if (f->req_off == f->req_len)
            lime_loop_mod_fd(f->loop, fd, LIME_EV_READ);
        return;
    }
    if (!f->buf && !(f->buf = malloc(FETCH_MAX + 1))) {
        finish(f, -ENOMEM);
        return;
    }
    ssize_t n = read(fd, f->buf + f->len, FETCH_MAX - f->len);
    if (n < 0) {
        if (errno != EAGAIN && errno != EINTR)
            finish(f, -errno);
        return;
    }
    f->len += (size_t)n;
    f->buf[f->len] = 0;
    if (n == 0 || f->len == FETCH_MAX)
        finish(f, n == 0 ? 0 : -EFBIG);
}

/* The Host header: the host as in the URL, an IPv6 address in brackets without its zone. */
static void host_header(const char *host, char *out, size_t len)
{
    if (strchr(host, ':'))
        snprintf(out, len, "[%.*s]", (int)strcspn(host, "%"), host);
    else
        snprintf(out, len, "%s", host);
}

struct ld_fetch *ld_fetch_start(struct lime_loop *loop, const char *host, const char *port,
                                const char *path, const struct ld_fetch_opts *o,
                                ld_fetch_cb cb, void *arg)
{
    static const struct ld_fetch_opts defaults = {0};
    if (!o)
        o = &defaults;
    if (stopping) {
        errno = ECANCELED;
        return NULL;
    }
    if (strlen(path) > 512 || path[0] != '/' || strlen(host) > 255) {
        errno = EINVAL;
        return NULL;
    }
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
    if (!o->resolve)
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    int e = getaddrinfo(host, port, &hints, &ai);
    if (e || !ai) {
        if (ai)
            freeaddrinfo(ai);
        errno = e == EAI_SYSTEM ? errno : o->resolve ? EHOSTUNREACH : EINVAL;
        return NULL;
    }
    struct ld_fetch *f = calloc(1, sizeof(*f));
    if (!f) {
        freeaddrinfo(ai);
        errno = ENOMEM;
        return NULL;
    }
    f->loop = loop;
    f->cb = cb;
    f->arg = arg;
    char hh[300];
    host_header(host, hh, sizeof(hh));
    f->req_len = (size_t)snprintf(f->req, sizeof(f->req),
                                  "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: limed\r\n"
                                  "Connection: close\r\n\r\n",
                                  path, hh);
    f->fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int r = f->fd < 0 ? -errno : 0;
    if (!r && o->device && o->device[0] &&
        setsockopt(f->fd, SOL_SOCKET, SO_BINDTODEVICE, o->device, (socklen_t)strlen(o->device)) < 0)
        r = -errno;
    if (!r && connect(f->fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS)
        r = -errno;
    freeaddrinfo(ai);
    if (!r)
        r = lime_loop_add_fd(loop, f->fd, LIME_EV_WRITE, on_io, f);
    if (!r && !(f->timer = lime_timer_add(loop, o->timeout_ms ? o->timeout_ms : FETCH_TIMEOUT_MS,
                                          on_timeout, f))) {
        lime_loop_del_fd(loop, f->fd);
        r = -ENOMEM;
    }
    if (r) {
        if (f->fd >= 0)
            close(f->fd);
        free(f);
        errno = -r;
        return NULL;
    }
    f->next = live;
    if (live)
        live->prev = f;
    live = f;
    return f;
}

void ld_fetch_stop_all(struct ld_ctx *ctx)
{
    (void)ctx;
    stopping = true;
    while (live)
        finish(live, -ECANCELED);
}

int ld_fetch(struct ld_ctx *ctx, const char *host, int port, const char *path, ld_fetch_cb cb,
             void *arg)
{
    char portstr[16];
    snprintf(portstr, sizeof(portstr), "%d", port);
    return ld_fetch_start(ctx->loop, host, portstr, path, NULL, cb, arg) ? 0 : -errno;
}
