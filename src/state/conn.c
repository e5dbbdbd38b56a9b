/* TCP 3490 exchange state machine (see conn.h and wire.h). Reads are sized to what the
 * current step still needs, so a connection never buffers more than one frame. */
#include "conn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "store.h"
#include "wire.h"

enum step {
    /* server */
    SV_VERSION,
    SV_ECHO,
    SV_MSG,
    SV_ACK,
    /* client */
    CL_CONNECTING,
    CL_VERSION,
    CL_ACK,
    CL_MSG,
    /* both: flush what is queued, then finish */
    FLUSH,
};

struct ss_conn {
    struct ss_conn_params p;
    int fd;
    bool server;
    enum step step;
    struct sockaddr_in6 peer;
    struct lime_timer *deadline;
    uint8_t *rbuf;
    size_t rlen, rcap;
    uint8_t *wbuf;
    size_t wlen, woff, wcap;
    uint32_t sent_frame; /* size of the frame we sent; the peer's ack must match */
    char type[SS_TYPE_NAME_MAX + 1];
    uint8_t *request; /* client: frame to send after the version */
    size_t request_len;
    int result;       /* error to report once flushed (0 = success) */
    uint64_t bytes_in, bytes_out;
    void *user;
};

static void finish(struct ss_conn *c, int err)
{
    lime_timer_cancel(c->p.loop, c->deadline);
    c->deadline = NULL;
    if (c->fd >= 0) {
        lime_loop_del_fd(c->p.loop, c->fd);
        close(c->fd);
        c->fd = -1;
    }
    c->p.ops->on_done(c->p.ctx, c, err);
    free(c->rbuf);
    free(c->wbuf);
    free(c->request);
    free(c);
}

static void on_deadline(void *arg)
{
    struct ss_conn *c = arg;
    c->deadline = NULL;
    finish(c, -ETIMEDOUT);
}

static int queue(struct ss_conn *c, const void *data, size_t len)
{
    if (c->wlen + len > c->wcap) {
        size_t nc = c->wcap ? c->wcap : 64;
        while (nc < c->wlen + len)
            nc *= 2;
        uint8_t *nb = realloc(c->wbuf, nc);
        if (!nb)
            return -ENOMEM;
        c->wbuf = nb;
        c->wcap = nc;
    }
    memcpy(c->wbuf + c->wlen, data, len);
    c->wlen += len;
    return 0;
}

static int queue_u32(struct ss_conn *c, uint32_t v)
{
    uint8_t b[4];
    ss_put_u32(b, v);
    return queue(c, b, 4);
}

static void update_events(struct ss_conn *c)
{
    unsigned ev = 0;
    if (c->woff < c->wlen || c->step == CL_CONNECTING)
        ev |= LIME_EV_WRITE;
    if (c->step != FLUSH && c->step != CL_CONNECTING)
        ev |= LIME_EV_READ;
    lime_loop_mod_fd(c->p.loop, c->fd, ev);
}

/* Makes sure rbuf holds at least `need` bytes; returns 1 when it does, 0 if more must be
 * read later, -errno on error or EOF. */
static int fill(struct ss_conn *c, size_t need)
{
    if (c->rlen >= need)
        return 1;
    if (need > c->rcap) {
        uint8_t *nb = realloc(c->rbuf, need);
        if (!nb)
            return -ENOMEM;
        c->rbuf = nb;
        c->rcap = need;
    }
    ssize_t n = recv(c->fd, c->rbuf + c->rlen, need - c->rlen, 0);
    if (n == 0)
        return -ECONNRESET;
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -errno;
    c->rlen += (size_t)n;
    c->bytes_in += (uint64_t)n;
    return c->rlen >= need ? 1 : 0;
}

static void consume(struct ss_conn *c, size_t n)
{
    memmove(c->rbuf, c->rbuf + n, c->rlen - n);
    c->rlen -= n;
}

/* Reads one frame; 1 = complete (frame filled, rbuf still holds it), 0 = wait, <0 error. */
static int read_frame(struct ss_conn *c, struct ss_frame *f)
{
    for (;;) {
        size_t need;
        enum ss_frame_status s = ss_frame_parse(c->rbuf, c->rlen, c->p.max_json, f, &need);
        if (s == SS_FRAME_OK)
            return 1;
        if (s == SS_FRAME_BAD)
            return -EBADMSG;
        int r = fill(c, need);
        if (r <= 0)
            return r;
    }
}

static int queue_frame(struct ss_conn *c, const char *json, size_t len)
{
    size_t flen;
    uint8_t *fr = ss_frame_encode(c->type, json, len, &flen);
    if (!fr)
        return -EMSGSIZE;
    int r = queue(c, fr, flen);
    free(fr);
    c->sent_frame = (uint32_t)flen;
    return r;
}

/* Advances the state machine as far as the buffered/readable data allows. */
static int advance(struct ss_conn *c)
{
    for (;;) {
        int r;
        struct ss_frame f;
        switch (c->step) {
        case SV_VERSION:
        case SV_ECHO:
        case CL_VERSION:
            if ((r = fill(c, 4)) <= 0)
                return r;
            if (ss_get_u32(c->rbuf) != SS_PROTO_VERSION)
                return -EPROTO;
            consume(c, 4);
            if (c->step == SV_VERSION) {
                if (queue_u32(c, SS_PROTO_VERSION) < 0)
                    return -ENOMEM;
                c->step = SV_ECHO;
            } else if (c->step == SV_ECHO) {
                c->step = SV_MSG;
            } else {
                if (queue_u32(c, SS_PROTO_VERSION) < 0 ||
                    queue(c, c->request, c->request_len) < 0)
                    return -ENOMEM;
                c->sent_frame = (uint32_t)c->request_len;
                free(c->request);
                c->request = NULL;
                c->step = CL_ACK;
            }
            break;
        case SV_ACK:
        case CL_ACK:
            if ((r = fill(c, 4)) <= 0)
                return r;
            if (ss_get_u32(c->rbuf) != c->sent_frame)
                return -EPROTO;
            consume(c, 4);
            if (c->step == SV_ACK) {
                c->result = 0;
                c->step = FLUSH;
                return 0;
            }
            c->step = CL_MSG;
            break;
        case SV_MSG:
        case CL_MSG: {
            if ((r = read_frame(c, &f)) <= 0)
                return r;
            size_t total = f.total;
            if (queue_u32(c, (uint32_t)total) < 0)
                return -ENOMEM;
            char type[SS_TYPE_NAME_MAX + 1];
            memcpy(type, f.name, f.name_len);
            type[f.name_len] = 0;
            /* NUL-terminate the JSON in place (the buffer has room: grow by one). */
            if (c->rcap < total + 1) {
                uint8_t *nb = realloc(c->rbuf, total + 1);
                if (!nb)
                    return -ENOMEM;
                c->rbuf = nb;
                c->rcap = total + 1;
            }
            char *json = (char *)c->rbuf + 1 + f.name_len + 4;
            json[f.json_len] = 0;
            if (c->step == SV_MSG) {
                snprintf(c->type, sizeof c->type, "%s", type);
                size_t rlen = 0;
                char *reply = c->p.ops->on_request(c->p.ctx, c, type, json, f.json_len, &rlen);
                c->rlen = 0;
                if (!reply) {
                    c->result = -ENOENT;
                    c->step = FLUSH;
                    return 0;
                }
                r = queue_frame(c, reply, rlen);
                free(reply);
                if (r < 0)
                    return r;
                c->step = SV_ACK;
            } else {
                if (strcmp(type, c->type) != 0)
                    return -EBADMSG;
                c->p.ops->on_reply(c->p.ctx, c, type, json, f.json_len);
                c->rlen = 0;
                c->result = 0;
                c->step = FLUSH;
                return 0;
            }
            break;
        }
        case CL_CONNECTING:
        case FLUSH:
            return 0;
        }
    }
}

static int flush(struct ss_conn *c)
{
    while (c->woff < c->wlen) {
        ssize_t n = send(c->fd, c->wbuf + c->woff, c->wlen - c->woff, MSG_NOSIGNAL);
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -errno;
        c->woff += (size_t)n;
        c->bytes_out += (uint64_t)n;
    }
    c->woff = c->wlen = 0;
    return 1;
}

static void on_io(int fd, unsigned events, void *arg)
{
    struct ss_conn *c = arg;
    int r;
    if (c->step == CL_CONNECTING) {
        if (!(events & (LIME_EV_WRITE | LIME_EV_ERROR)))
            return;
        int err = 0;
        socklen_t l = sizeof err;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l) < 0)
            err = errno;
        if (err) {
            finish(c, -err);
            return;
        }
        struct sockaddr_in6 pa;
        socklen_t pl = sizeof pa;
        if (getpeername(fd, (struct sockaddr *)&pa, &pl) < 0) {
            if (errno == ENOTCONN)
                return; /* a stale event (fd number reused): still connecting */
            finish(c, -errno);
            return;
        }
        if (queue_u32(c, SS_PROTO_VERSION) < 0) {
            finish(c, -ENOMEM);
            return;
        }
        c->step = CL_VERSION;
    }
    if (events & LIME_EV_READ) {
        r = advance(c);
        if (r < 0) {
            finish(c, r);
            return;
        }
    }
    r = flush(c);
    if (r < 0) {
        finish(c, r);
        return;
    }
    if (c->step == FLUSH && c->woff >= c->wlen) {
        finish(c, c->result);
        return;
    }
    if ((events & LIME_EV_ERROR) && !(events & LIME_EV_READ)) {
        finish(c, -ECONNRESET);
        return;
    }
    update_events(c);
}

static struct ss_conn *conn_new(const struct ss_conn_params *p, int fd,
                                const struct sockaddr_in6 *peer)
{
    struct ss_conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->p = *p;
    c->fd = fd;
    c->peer = *peer;
    c->result = -EPROTO;
    return c;
}

static int conn_register(struct ss_conn *c, unsigned events)
{
    c->deadline = lime_timer_add(c->p.loop, c->p.timeout_ms, on_deadline, c);
    if (!c->deadline)
        return -ENOMEM;
    int r = lime_loop_add_fd(c->p.loop, c->fd, events, on_io, c);
    if (r < 0) {
        lime_timer_cancel(c->p.loop, c->deadline);
        return r;
    }
    return 0;
}

struct ss_conn *ss_conn_serve(const struct ss_conn_params *p, int fd,
                              const struct sockaddr_in6 *peer)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    struct ss_conn *c = conn_new(p, fd, peer);
    if (!c) {
        close(fd);
        return NULL;
    }
    c->server = true;
    c->step = SV_VERSION;
    if (conn_register(c, LIME_EV_READ) < 0) {
        close(fd);
        free(c);
        return NULL;
    }
    return c;
}

struct ss_conn *ss_conn_sync(const struct ss_conn_params *p, const struct sockaddr_in6 *peer,
                             const char *type, const char *json, size_t len)
{
    if (strlen(type) > SS_TYPE_NAME_MAX)
        return NULL;
    int fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return NULL;
    struct ss_conn *c = conn_new(p, fd, peer);
    if (!c) {
        close(fd);
        return NULL;
    }
    snprintf(c->type, sizeof c->type, "%s", type);
    c->request = ss_frame_encode(type, json, len, &c->request_len);
    if (!c->request) {
        close(fd);
        free(c);
        return NULL;
    }
    c->step = CL_CONNECTING;
    int r = connect(fd, (const struct sockaddr *)peer, sizeof *peer);
    if ((r < 0 && errno != EINPROGRESS) || conn_register(c, LIME_EV_WRITE) < 0) {
        close(fd);
        free(c->request);
        free(c);
        return NULL;
    }
    return c;
}

void ss_conn_abort(struct ss_conn *c) { finish(c, -ECANCELED); }
const struct sockaddr_in6 *ss_conn_peer(const struct ss_conn *c) { return &c->peer; }
bool ss_conn_is_server(const struct ss_conn *c) { return c->server; }
void ss_conn_set_user(struct ss_conn *c, void *user) { c->user = user; }
void *ss_conn_user(const struct ss_conn *c) { return c->user; }
uint64_t ss_conn_bytes_in(const struct ss_conn *c) { return c->bytes_in; }
uint64_t ss_conn_bytes_out(const struct ss_conn *c) { return c->bytes_out; }

int ss_parse_addr(const char *s, uint16_t port, struct sockaddr_in6 *out)
{
    memset(out, 0, sizeof *out);
    out->sin6_family = AF_INET6;
    out->sin6_port = htons(port);
    char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
    if (strlen(s) >= sizeof buf)
        return -1;
    if (s[0] == '[') { /* "[addr]:port" */
        const char *close = strchr(s, ']');
        char *end;
        if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof buf)
            return -1;
        unsigned long p = strtoul(close + 2, &end, 10);
        if (*end || p == 0 || p > 65535)
            return -1;
        memcpy(buf, s + 1, (size_t)(close - s - 1));
        buf[close - s - 1] = 0;
        out->sin6_port = htons((uint16_t)p);
    } else {
        snprintf(buf, sizeof buf, "%s", s);
    }
    char *pct = strchr(buf, '%');
    if (pct) {
        *pct++ = 0;
        unsigned idx = if_nametoindex(pct);
        if (!idx) {
            char *end;
            unsigned long v = strtoul(pct, &end, 10);
            if (*pct == 0 || *end || v == 0 || v > UINT32_MAX)
                return -1;
            idx = (unsigned)v;
        }
        out->sin6_scope_id = idx;
    }
    struct in_addr v4;
    if (inet_pton(AF_INET6, buf, &out->sin6_addr) == 1)
        return 0;
    if (!pct && inet_pton(AF_INET, buf, &v4) == 1) {
        out->sin6_addr.s6_addr[10] = 0xff;
        out->sin6_addr.s6_addr[11] = 0xff;
        memcpy(&out->sin6_addr.s6_addr[12], &v4, 4);
        return 0;
    }
    return -1;
}

void ss_format_addr(const struct sockaddr_in6 *a, char *buf, size_t len)
{
    char ip[INET6_ADDRSTRLEN] = "?";
    if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr))
        inet_ntop(AF_INET, &a->sin6_addr.s6_addr[12], ip, sizeof ip);
    else
        inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof ip);
    char ifn[IF_NAMESIZE] = "";
    if (a->sin6_scope_id && IN6_IS_ADDR_LINKLOCAL(&a->sin6_addr) &&
        !if_indextoname(a->sin6_scope_id, ifn))
        snprintf(ifn, sizeof ifn, "%u", a->sin6_scope_id);
    if (ifn[0])
        snprintf(buf, len, "%s%%%s", ip, ifn);
    else
        snprintf(buf, len, "%s", ip);
}

bool ss_addr_is_loopback(const struct sockaddr_in6 *a)
{
    if (IN6_IS_ADDR_LOOPBACK(&a->sin6_addr))
        return true;
    return IN6_IS_ADDR_V4MAPPED(&a->sin6_addr) && a->sin6_addr.s6_addr[12] == 127;
}
