/* Bandwidth and packet-loss tests toward another node; see linktest.h. */
#include "linktest.h"

#include "limed.h"
#include "core/log.h"
#include "core/loop.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#define PING_INTERVAL_MS 100
#define PING_GRACE_MS 1000
#define CONNECT_MS 2000

static struct test {
    bool running;
    struct ld_ctx *ctx;
    ld_linktest_cb cb;
    void *arg;
    struct sockaddr_storage to;
    socklen_t tolen;
    int family;
    /* ping */
    int icmp_fd;
    bool dgram; /* ping socket: the kernel owns the id */
    uint16_t ident;
    int sent;
    bool got[LD_LINKTEST_PINGS];
    struct lime_timer *ping_timer;
    bool ping_done;
    /* bandwidth */
    int tcp_fd;
    bool connected, header_done, bw_done;
    uint64_t first_ms, bytes;
    struct lime_timer *bw_timer;
    char hdr[512];
    size_t hdr_len;
    struct ld_linktest_result res;
} t = {.icmp_fd = -1, .tcp_fd = -1};

static uint16_t csum(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        sum += (uint32_t)(p[len - 1] << 8);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return htons((uint16_t)~sum);
}

static void maybe_finish(void)
{
    if (!t.running || !t.ping_done || !t.bw_done)
        return;
    t.running = false;
    struct ld_linktest_result r = t.res;
    ld_linktest_cb cb = t.cb;
    void *arg = t.arg;
    cb(&r, arg);
}

/* ---- loss ---- */

static void ping_close(void)
{
    if (t.ping_timer)
        lime_timer_cancel(t.ctx->loop, t.ping_timer);
    t.ping_timer = NULL;
    if (t.icmp_fd >= 0) {
        lime_loop_del_fd(t.ctx->loop, t.icmp_fd);
        close(t.icmp_fd);
        t.icmp_fd = -1;
    }
}

static void ping_end(int err)
{
    ping_close();
    int got = 0;
    for (int i = 0; i < LD_LINKTEST_PINGS; i++)
        got += t.got[i];
    t.res.ping_err = err;
    t.res.loss_pct = err ? 100 : 100.0 * (LD_LINKTEST_PINGS - got) / LD_LINKTEST_PINGS;
    t.ping_done = true;
    maybe_finish();
}

static void ping_timeout(void *arg)
{
    t.ping_timer = NULL;
    ping_end(0);
}

static void ping_send(void *arg)
{
    t.ping_timer = NULL;
    uint8_t pkt[64] = {0};
    /* echo request: type, code, checksum, id, seq, then a payload */
    pkt[0] = t.family == AF_INET ? ICMP_ECHO : ICMP6_ECHO_REQUEST;
    pkt[4] = (uint8_t)(t.ident >> 8);
    pkt[5] = (uint8_t)t.ident;
    pkt[6] = 0;
    pkt[7] = (uint8_t)t.sent;
    memcpy(pkt + 8, "LiMe-C link test", 16);
    if (t.family == AF_INET) { /* ICMPv6's checksum is the kernel's */
        uint16_t c = csum(pkt, sizeof(pkt));
        memcpy(pkt + 2, &c, 2);
    }
    if (sendto(t.icmp_fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&t.to, t.tolen) < 0)
        log_debug("link test: ping: %s", strerror(errno));
    t.sent++;
    t.ping_timer = t.sent < LD_LINKTEST_PINGS
                       ? lime_timer_add(t.ctx->loop, PING_INTERVAL_MS, ping_send, NULL)
                       : lime_timer_add(t.ctx->loop, PING_GRACE_MS, ping_timeout, NULL);
}

static void ping_recv(int fd, unsigned events, void *arg)
{
    uint8_t buf[1500];
    struct sockaddr_storage from;
    socklen_t fl = sizeof(from);
    ssize_t n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
    if (n <= 0)
        return;
    const uint8_t *icmp = buf;
    size_t len = (size_t)n;
    if (t.family == AF_INET && !t.dgram) { /* raw IPv4 sockets see the IP header */
        size_t ihl = (size_t)(buf[0] & 0x0f) * 4;
        if (len < ihl + 8)
            return;
        icmp += ihl;
        len -= ihl;
        if (memcmp(&((struct sockaddr_in *)&from)->sin_addr,
                   &((struct sockaddr_in *)&t.to)->sin_addr, 4))
            return;
    } else if (t.family == AF_INET6 && !t.dgram &&
               memcmp(&((struct sockaddr_in6 *)&from)->sin6_addr,
                      &((struct sockaddr_in6 *)&t.to)->sin6_addr, 16)) {
        return;
    }
    if (len < 8)
        return;
    uint8_t reply = t.family == AF_INET ? ICMP_ECHOREPLY : ICMP6_ECHO_REPLY;
    uint16_t id = (uint16_t)(icmp[4] << 8 | icmp[5]);
    if (icmp[0] != reply || (!t.dgram && id != t.ident) || icmp[7] >= LD_LINKTEST_PINGS)
        return;
    t.got[icmp[7]] = true;
}

static int ping_start(void)
{
    int proto = t.family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
    t.dgram = false;
    t.icmp_fd = socket(t.family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
    if (t.icmp_fd < 0) {
        t.dgram = true;
        t.icmp_fd = socket(t.family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
    }
    if (t.icmp_fd < 0)
        return -errno;
    if (t.family == AF_INET6 && !t.dgram) {
        struct icmp6_filter f;
        ICMP6_FILTER_SETBLOCKALL(&f);
        ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
        setsockopt(t.icmp_fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
    }
    if (getrandom(&t.ident, sizeof(t.ident), 0) != sizeof(t.ident))
        t.ident = (uint16_t)getpid();
    int r = lime_loop_add_fd(t.ctx->loop, t.icmp_fd, LIME_EV_READ, ping_recv, NULL);
    if (r < 0) {
        close(t.icmp_fd);
        t.icmp_fd = -1;
        return r;
    }
    ping_send(NULL);
    return 0;
}

/* ---- bandwidth ---- */

static void bw_end(int err)
{
    if (t.bw_timer)
        lime_timer_cancel(t.ctx->loop, t.bw_timer);
    t.bw_timer = NULL;
    if (t.tcp_fd >= 0) {
        lime_loop_del_fd(t.ctx->loop, t.tcp_fd);
        close(t.tcp_fd);
        t.tcp_fd = -1;
    }
    uint64_t ms = t.first_ms ? lime_now_ms() - t.first_ms : 0;
    if (!err && (!t.bytes || !ms))
        err = -EPROTO;
    t.res.bw_err = err;
    t.res.mbps = err ? 0 : (double)t.bytes * 8 / 1000.0 / (double)ms;
    if (err)
        log_info("link test: no bandwidth figure (%s)", strerror(-err));
    t.bw_done = true;
    maybe_finish();
}

static void bw_timeout(void *arg)
{
    t.bw_timer = NULL;
    bw_end(t.first_ms ? 0 : -ETIMEDOUT);
}

static void bw_io(int fd, unsigned events, void *arg)
{
    if (!t.connected) {
        int err = 0;
        socklen_t l = sizeof(err);
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l);
        if (err) {
            bw_end(-err);
            return;
        }
        t.connected = true;
        char req[128];
        int n = snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: limed\r\n\r\n", LD_BWTEST_PATH);
        if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n) { /* fits an empty socket buffer */
            bw_end(-EIO);
            return;
        }
        lime_loop_mod_fd(t.ctx->loop, fd, LIME_EV_READ);
        return;
    }
    static char buf[64 * 1024];
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0) {
        if (errno != EAGAIN)
            bw_end(-errno);
        return;
    }
    if (n == 0) {
        bw_end(t.header_done ? 0 : -EPROTO);
        return;
    }
    size_t off = 0;
    if (!t.header_done) { /* "HTTP/1.x 200 ...\r\n\r\n", then the body */
        size_t take = (size_t)n < sizeof(t.hdr) - 1 - t.hdr_len ? (size_t)n
                                                                : sizeof(t.hdr) - 1 - t.hdr_len;
        memcpy(t.hdr + t.hdr_len, buf, take);
        t.hdr_len += take;
        t.hdr[t.hdr_len] = 0;
        char *end = strstr(t.hdr, "\r\n\r\n");
        if (!end) {
            if (t.hdr_len == sizeof(t.hdr) - 1)
                bw_end(-EPROTO);
            return;
        }
        if (strncmp(t.hdr, "HTTP/1.", 7) || atoi(t.hdr + 9) != 200) {
            bw_end(atoi(t.hdr + 9) == 503 ? -EBUSY : -EPROTO);
            return;
        }
        t.header_done = true;
        off = (size_t)(end + 4 - t.hdr) - (t.hdr_len - take);
        t.first_ms = lime_now_ms();
        if (t.bw_timer)
            lime_timer_cancel(t.ctx->loop, t.bw_timer);
        t.bw_timer = lime_timer_add(t.ctx->loop, LD_LINKTEST_BW_MS, bw_timeout, NULL);
    }
    t.bytes += (uint64_t)n - off;
}

static int bw_start(void)
{
    struct sockaddr_storage to = t.to;
    if (t.family == AF_INET)
        ((struct sockaddr_in *)&to)->sin_port = htons((uint16_t)t.ctx->peer_port);
    else
        ((struct sockaddr_in6 *)&to)->sin6_port = htons((uint16_t)t.ctx->peer_port);
    t.tcp_fd = socket(t.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (t.tcp_fd < 0)
        return -errno;
    if (connect(t.tcp_fd, (struct sockaddr *)&to, t.tolen) < 0 && errno != EINPROGRESS) {
        int e = -errno;
        close(t.tcp_fd);
        t.tcp_fd = -1;
        return e;
    }
    int r = lime_loop_add_fd(t.ctx->loop, t.tcp_fd, LIME_EV_WRITE, bw_io, NULL);
    if (r < 0) {
        close(t.tcp_fd);
        t.tcp_fd = -1;
        return r;
    }
    t.bw_timer = lime_timer_add(t.ctx->loop, CONNECT_MS, bw_timeout, NULL);
    return 0;
}

int ld_linktest_start(struct ld_ctx *ctx, const char *target, ld_linktest_cb cb, void *arg)
{
    if (t.running)
        return -EBUSY;
    struct sockaddr_storage to;
    memset(&to, 0, sizeof(to));
    socklen_t tolen;
    int family;
    struct sockaddr_in *s4 = (struct sockaddr_in *)&to;
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&to;
    if (inet_pton(AF_INET, target, &s4->sin_addr) == 1) {
        s4->sin_family = family = AF_INET;
        tolen = sizeof(*s4);
    } else if (inet_pton(AF_INET6, target, &s6->sin6_addr) == 1 &&
               !IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr)) {
        s6->sin6_family = family = AF_INET6;
        tolen = sizeof(*s6);
    } else {
        return -EINVAL;
    }
    memset(&t, 0, sizeof(t));
    t.icmp_fd = t.tcp_fd = -1;
    t.ctx = ctx;
    t.cb = cb;
    t.arg = arg;
    t.to = to;
    t.tolen = tolen;
    t.family = family;
    t.running = true;
    int r = ping_start();
    if (r < 0) {
        t.res.ping_err = r;
        t.res.loss_pct = 100;
        t.ping_done = true;
    }
    r = bw_start();
    if (r < 0) {
        t.res.bw_err = r;
        t.bw_done = true;
    }
    if (t.ping_done && t.bw_done) {
        t.running = false; /* nothing started: the caller answers at once */
        return r;
    }
    log_info("link test toward %s", target);
    return 0;
}

void ld_linktest_stop(struct ld_ctx *ctx)
{
    if (!t.running)
        return;
    if (!t.ping_done)
        ping_end(-ECANCELED);
    if (!t.bw_done)
        bw_end(-ECANCELED);
}
