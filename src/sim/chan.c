/* Frame codec of the lab's control channel and its host side (see chan.h). */
#include "chan.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "strbuf.h"

static const char known_types[] = "HRTIK!OEAX";

void sim_chan_rx_init(struct sim_chan_rx *rx) { *rx = (struct sim_chan_rx){0}; }

void sim_chan_rx_free(struct sim_chan_rx *rx)
{
    free(rx->buf);
    *rx = (struct sim_chan_rx){0};
}

int sim_chan_feed(struct sim_chan_rx *rx, const void *p, size_t n)
{
    if (rx->off) { /* drop what was taken */
        memmove(rx->buf, rx->buf + rx->off, rx->len - rx->off);
        rx->len -= rx->off;
        rx->off = 0;
    }
    if (rx->len + n > rx->cap) {
        size_t cap = rx->cap ? rx->cap : 4096;
        while (cap < rx->len + n)
            cap *= 2;
        unsigned char *b = realloc(rx->buf, cap);
        if (!b)
            return -1;
        rx->buf = b;
        rx->cap = cap;
    }
    if (n)
        memcpy(rx->buf + rx->len, p, n);
    rx->len += n;
    return 0;
}

int sim_chan_next(struct sim_chan_rx *rx, struct sim_frame *f)
{
    size_t avail = rx->len - rx->off;
    if (avail < 1)
        return 0;
    const unsigned char *h = rx->buf + rx->off;
    if (!h[0] || !strchr(known_types, h[0])) {
        rx->malformed++;
        return -1;
    }
    if (avail < 5)
        return 0;
    uint32_t len = (uint32_t)h[1] << 24 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 8 | h[4];
    if (len > SIM_CHAN_MAX) {
        rx->malformed++;
        return -1;
    }
    if (avail < 5 + (size_t)len)
        return 0;
    f->type = h[0];
    f->data = h + 5;
    f->len = len;
    rx->off += 5 + (size_t)len;
    return 1;
}

size_t sim_chan_pending(const struct sim_chan_rx *rx, const unsigned char **p)
{
    *p = rx->buf ? rx->buf + rx->off : NULL;
    return rx->len - rx->off;
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *s = p;
    while (n) {
        ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int sim_chan_send(int fd, int type, const void *data, size_t len)
{
    if (len > SIM_CHAN_MAX)
        return -1;
    unsigned char h[5] = {(unsigned char)type, (unsigned char)(len >> 24), (unsigned char)(len >> 16),
                          (unsigned char)(len >> 8), (unsigned char)len};
    if (len && len <= 4096) { /* one segment for small frames */
        unsigned char b[5 + 4096];
        memcpy(b, h, 5);
        memcpy(b + 5, data, len);
        return write_all(fd, b, 5 + len);
    }
    return write_all(fd, h, 5) < 0 || (len && write_all(fd, data, len) < 0) ? -1 : 0;
}

int sim_chan_split(const unsigned char *p, size_t len, char **out, int max, char **store)
{
    *store = NULL;
    if (!len || p[len - 1] != 0 || max < 2)
        return -1;
    char *s = malloc(len);
    if (!s)
        return -1;
    memcpy(s, p, len);
    int n = 0;
    for (size_t i = 0; i < len; i += strlen(s + i) + 1) {
        if (n >= max - 1) {
            free(s);
            return -1;
        }
        out[n++] = s + i;
    }
    out[n] = NULL;
    *store = s;
    return n;
}

/* ---- host side ---- */

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Reads into rx until a frame is complete or the deadline passes. 1, 0 (timeout/EOF), -1. */
static int recv_frame(int fd, struct sim_chan_rx *rx, struct sim_frame *f, long long deadline)
{
    for (;;) {
        int r = sim_chan_next(rx, f);
        if (r != 0)
            return r;
        long long left = deadline - now_ms();
        if (left <= 0)
            return 0;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int pr = poll(&p, 1, (int)(left > 1000 ? 1000 : left));
        if (pr < 0 && errno != EINTR)
            return -1;
        if (pr <= 0)
            continue;
        unsigned char buf[65536];
        ssize_t n = recv(fd, buf, sizeof(buf), 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        if (sim_chan_feed(rx, buf, (size_t)n) < 0)
            return -1;
    }
}

int sim_chan_open(int port, const char *token, int timeout_ms, char *reply, size_t rlen, char *err,
                  size_t errlen)
{
    long long deadline = now_ms() + timeout_ms;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "socket: %s", strerror(errno));
        return -1;
    }
    struct timeval tv = {30, 0}; /* no write may block longer than this */
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    /* qemu listens on the host side, so connect() itself answers at once. */
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
        snprintf(err, errlen, "connect to 127.0.0.1:%d: %s", port, strerror(errno));
        close(fd);
        return -1;
    }
    struct sim_chan_rx rx;
    sim_chan_rx_init(&rx);
    struct sim_frame f;
    int r = -1;
    if (sim_chan_send(fd, SIM_F_HELLO, token, strlen(token)) == 0)
        r = recv_frame(fd, &rx, &f, deadline);
    if (r == 1 && f.type == SIM_F_OK) {
        snprintf(reply, rlen, "%.*s", (int)f.len, (const char *)f.data);
        sim_chan_rx_free(&rx);
        return fd;
    }
    if (r == 1 && f.type == SIM_F_ERROR)
        snprintf(err, errlen, "the guest's agent refused: %.*s", (int)(f.len > 200 ? 200 : f.len),
                 (const char *)f.data);
    else if (r == 1)
        snprintf(err, errlen, "the guest's agent answered with an unexpected frame '%c'", f.type);
    else
        snprintf(err, errlen, "no answer from the guest's agent within %d ms", timeout_ms);
    sim_chan_rx_free(&rx);
    close(fd);
    return -1;
}

static int out_all(int fd, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int sim_chan_run(int fd, const char *cwd, char *const argv[], int fwd_stdin, int idle_ms,
                 int (*guest_alive)(void), struct lime_strbuf *capture, char *err, size_t errlen)
{
    size_t len = strlen(cwd) + 1;
    for (int i = 0; argv[i]; i++)
        len += strlen(argv[i]) + 1;
    if (len > SIM_CHAN_MAX) {
        snprintf(err, errlen, "command line too long");
        return -1;
    }
    char *payload = malloc(len), *p = payload;
    if (!payload) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    p = stpcpy(p, cwd) + 1;
    for (int i = 0; argv[i]; i++)
        p = stpcpy(p, argv[i]) + 1;
    int rc = sim_chan_send(fd, SIM_F_RUN, payload, len);
    free(payload);
    if (rc < 0) {
        snprintf(err, errlen, "sending the command to the guest: %s", strerror(errno));
        return -1;
    }
    struct sim_chan_rx rx;
    sim_chan_rx_init(&rx);
    int in_open = fwd_stdin;
    if (!fwd_stdin)
        sim_chan_send(fd, SIM_F_STDIN, NULL, 0);
    long long last = now_ms();
    int status = -1;
    unsigned char buf[65536];
    while (status < 0) {
        struct pollfd pf[2] = {{.fd = fd, .events = POLLIN}, {.fd = 0, .events = POLLIN}};
        int pr = poll(pf, in_open ? 2 : 1, 1000);
        if (pr < 0 && errno != EINTR) {
            snprintf(err, errlen, "poll: %s", strerror(errno));
            break;
        }
        if (in_open && pr > 0 && (pf[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t n = read(0, buf, sizeof(buf));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                in_open = 0;
            if (sim_chan_send(fd, SIM_F_STDIN, buf, n > 0 ? (size_t)n : 0) < 0) {
                snprintf(err, errlen, "sending input to the guest: %s", strerror(errno));
                break;
            }
        }
        if (pr > 0 && (pf[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            ssize_t n = recv(fd, buf, sizeof(buf), 0);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                snprintf(err, errlen, "the guest closed the connection before the command ended");
                break;
            }
            last = now_ms();
            if (sim_chan_feed(&rx, buf, (size_t)n) < 0) {
                snprintf(err, errlen, "out of memory");
                break;
            }
            struct sim_frame f;
            int r;
            while (status < 0 && (r = sim_chan_next(&rx, &f)) == 1) {
                if (f.type == SIM_F_STDOUT && capture) {
                    lime_strbuf_put(capture, (const char *)f.data, f.len);
                } else if (f.type == SIM_F_STDOUT || f.type == SIM_F_STDERR) {
                    if (out_all(f.type == SIM_F_STDOUT ? 1 : 2, f.data, f.len) < 0 && errno == EPIPE)
                        status = 128 + SIGPIPE; /* our reader went away: so does the command */
                } else if (f.type == SIM_F_EXIT && f.len == 4) {
                    status = f.data[0] << 24 | f.data[1] << 16 | f.data[2] << 8 | f.data[3];
                } else if (f.type == SIM_F_ERROR) {
                    snprintf(err, errlen, "the guest refused the command: %.*s", (int)(f.len > 200 ? 200 : f.len),
                             (const char *)f.data);
                    goto out;
                }
            }
            if (status < 0 && r < 0) {
                snprintf(err, errlen, "malformed frame from the guest");
                break;
            }
            continue;
        }
        if (now_ms() - last > idle_ms) {
            snprintf(err, errlen, "the guest did not answer for %d s", idle_ms / 1000);
            break;
        }
        if (guest_alive && !guest_alive()) {
            snprintf(err, errlen, "the guest (qemu) exited while the command ran");
            break;
        }
    }
out:
    sim_chan_rx_free(&rx);
    return status;
}

int sim_chan_tunnel(int fd, const char *ns, int port, int timeout_ms, char *err, size_t errlen)
{
    char payload[160];
    int n = snprintf(payload, sizeof(payload), "%s%c%d", ns, 0, port);
    if (n < 0 || (size_t)n >= sizeof(payload) - 1) {
        snprintf(err, errlen, "namespace name too long");
        return -1;
    }
    if (sim_chan_send(fd, SIM_F_TUNNEL, payload, (size_t)n + 1) < 0) {
        snprintf(err, errlen, "sending the tunnel request: %s", strerror(errno));
        return -1;
    }
    /* Read exactly one frame: bytes after it belong to the tunnel. */
    long long deadline = now_ms() + timeout_ms;
    unsigned char h[5], msg[201];
    size_t got = 0, want = 5, len = 0;
    while (got < want) {
        long long left = deadline - now_ms();
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            break;
        ssize_t r = want == 5 ? recv(fd, h + got, want - got, 0) : recv(fd, msg + got - 5, want - got, 0);
        if (r <= 0)
            break;
        got += (size_t)r;
        if (want == 5 && got == 5) {
            len = (size_t)h[1] << 24 | (size_t)h[2] << 16 | (size_t)h[3] << 8 | h[4];
            if (len > 200)
                break;
            want = 5 + len;
        }
    }
    if (got == want && h[0] == SIM_F_OK)
        return 0;
    if (got == want && h[0] == SIM_F_ERROR)
        snprintf(err, errlen, "%.*s", (int)len, (const char *)msg);
    else
        snprintf(err, errlen, "no tunnel answer from the guest");
    return -1;
}
