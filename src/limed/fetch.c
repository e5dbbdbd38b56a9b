/* Asynchronous HTTP GET; see fetch.h. */
#include "fetch.h"

#include "limed.h"
#include "core/loop.h"

#include <errno.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define FETCH_MAX (64 * 1024)
#define FETCH_TIMEOUT_MS 3000

struct fetch {
    struct fetch *prev, *next; /* the requests in flight */
    struct ld_ctx *ctx;
    int fd;
    bool connected;
    char req[512];
    size_t req_len, req_off;
    char *buf;
    size_t len;
    struct lime_timer *timer;
    ld_fetch_cb cb;
    void *arg;
};

static struct fetch *live;
static bool stopping;

static void finish(struct fetch *f, int err)
{
    if (f->prev)
        f->prev->next = f->next;
    else
        live = f->next;
    if (f->next)
        f->next->prev = f->prev;
    if (f->timer)
        lime_timer_cancel(f->ctx->loop, f->timer);
    if (f->fd >= 0) {
        lime_loop_del_fd(f->ctx->loop, f->fd);
        close(f->fd);
    }
    if (err) {
        f->cb(err, NULL, 0, f->arg);
    } else {
        int status = -EPROTO;
        const char *body = NULL;
        size_t blen = 0;
        if (f->buf && f->len > 12 && !strncmp(f->buf, "HTTP/1.", 7)) {
            status = atoi(f->buf + 9);
            char *sep = strstr(f->buf, "\r\n\r\n");
            if (sep) {
                body = sep + 4;
                blen = f->len - (size_t)(body - f->buf);
            } else {
                status = -EPROTO;
            }
        }
        f->cb(status, body, blen, f->arg);
    }
    free(f->buf);
    free(f);
}

static void on_timeout(void *arg)
{
    struct fetch *f = arg;
    f->timer = NULL;
    finish(f, -ETIMEDOUT);
}

static void on_io(int fd, unsigned events, void *arg)
{
    struct fetch *f = arg;
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
            lime_loop_mod_fd(f->ctx->loop, fd, LIME_EV_READ);
        return;
    }
    if (!f->buf && !(f->buf = malloc(FETCH_MAX + 1))) {
        finish(f, -ENOMEM);
        return;
    }
    ssize_t n = read(fd, f->buf + f->len, FETCH_MAX - f->len);
    if (n < 0) {
        if (errno != EAGAIN)
            finish(f, -errno);
        return;
    }
    f->len += (size_t)n;
    f->buf[f->len] = 0;
    if (n == 0 || f->len == FETCH_MAX)
        finish(f, n == 0 ? 0 : -EFBIG);
}

int ld_fetch(struct ld_ctx *ctx, const char *host, int port, const char *path, ld_fetch_cb cb,
             void *arg)
{
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
                             .ai_socktype = SOCK_STREAM};
    struct addrinfo *ai;
    char portstr[16];
    snprintf(portstr, sizeof(portstr), "%d", port);
    if (stopping)
        return -ECANCELED;
    if (strlen(path) > 300 || path[0] != '/' || getaddrinfo(host, portstr, &hints, &ai) != 0)
        return -EINVAL;
    struct fetch *f = calloc(1, sizeof(*f));
    if (!f) {
        freeaddrinfo(ai);
        return -ENOMEM;
    }
    f->ctx = ctx;
    f->cb = cb;
    f->arg = arg;
    f->req_len = (size_t)snprintf(f->req, sizeof(f->req),
                                  "GET %s HTTP/1.0\r\nHost: limed\r\nConnection: close\r\n\r\n",
                                  path);
    f->fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int r = f->fd < 0 ? -errno : 0;
    if (!r && connect(f->fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS)
        r = -errno;
    freeaddrinfo(ai);
    if (!r)
        r = lime_loop_add_fd(ctx->loop, f->fd, LIME_EV_WRITE, on_io, f);
    if (!r && !(f->timer = lime_timer_add(ctx->loop, FETCH_TIMEOUT_MS, on_timeout, f))) {
        lime_loop_del_fd(ctx->loop, f->fd);
        r = -ENOMEM;
    }
    if (r) {
        if (f->fd >= 0)
            close(f->fd);
        free(f);
        return r;
    }
    f->next = live;
    if (live)
        live->prev = f;
    live = f;
    return 0;
}

void ld_fetch_stop_all(struct ld_ctx *ctx)
{
    stopping = true;
    while (live)
        finish(live, -ECANCELED);
}
