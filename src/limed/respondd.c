/* respondd: the protocol, the socket and its multicast memberships; see respondd.h. */
#include "respondd.h"

#include "limed.h"
#include "core/log.h"
#include "core/loop.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#define REJOIN_MS 30000    /* interfaces come and go: memberships are refreshed */
#define RATE_PER_S 20      /* answers per second at most (a flood costs little) */
#define MAX_JOINED 32

static const char *const type_names[LD_RD_COUNT] = {"nodeinfo", "statistics", "neighbours"};

const char *ld_respondd_type_name(enum ld_respondd_type t)
{
    return t < LD_RD_COUNT ? type_names[t] : "?";
}

static int type_of(const char *w, size_t n)
{
    for (int t = 0; t < LD_RD_COUNT; t++)
        if (strlen(type_names[t]) == n && !memcmp(type_names[t], w, n))
            return t;
    return -1;
}

static void add_type(struct ld_respondd_request *req, int t)
{
    for (int i = 0; i < req->n; i++)
        if (req->types[i] == (enum ld_respondd_type)t)
            return;
    req->types[req->n++] = (enum ld_respondd_type)t;
}

int ld_respondd_parse(const void *buf, size_t len, struct ld_respondd_request *req)
{
    const char *s = buf;
    memset(req, 0, sizeof(*req));
    /* a trailing newline (a request typed into socat/nc) is tolerated */
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    if (len == 0 || len > LD_RESPONDD_MAXREQ)
        return -EINVAL;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
            return -EINVAL;
    if (len > 4 && !memcmp(s, "GET ", 4)) {
        req->multi = true;
        for (size_t i = 4; i < len;) {
            while (i < len && s[i] == ' ')
                i++;
            size_t start = i;
            while (i < len && s[i] != ' ')
                i++;
            int t = i > start ? type_of(s + start, i - start) : -1;
            if (t >= 0)
                add_type(req, t);
        }
        return req->n ? 0 : -EINVAL;
    }
    int t = type_of(s, len);
    if (t < 0)
        return -EINVAL;
    add_type(req, t);
    return 0;
}

unsigned char *ld_respondd_deflate(const char *in, size_t len, size_t *outlen)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    /* windowBits -15: raw DEFLATE, no zlib header or checksum */
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    uLong cap = deflateBound(&z, (uLong)len);
    unsigned char *out = malloc(cap ? cap : 1);
    if (!out) {
        deflateEnd(&z);
        return NULL;
    }
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int r = deflate(&z, Z_FINISH);
    *outlen = z.total_out;
    deflateEnd(&z);
    if (r != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

static json_object *provider(struct ld_ctx *ctx, enum ld_respondd_type t)
{
    switch (t) {
    case LD_RD_NODEINFO: return ld_respondd_nodeinfo(ctx);
    case LD_RD_STATISTICS: return ld_respondd_statistics(ctx);
    case LD_RD_NEIGHBOURS: return ld_respondd_neighbours(ctx);
    default: return NULL;
    }
}

unsigned char *ld_respondd_reply(struct ld_ctx *ctx, const struct ld_respondd_request *req,
                                 size_t *len)
{
    json_object *o;
    if (req->multi) {
        o = json_object_new_object();
        for (int i = 0; i < req->n; i++)
            json_object_object_add(o, type_names[req->types[i]], provider(ctx, req->types[i]));
    } else {
        o = provider(ctx, req->types[0]);
    }
    const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                                             JSON_C_TO_STRING_NOSLASHESCAPE);
    unsigned char *out = NULL;
    if (text && req->multi) {
        out = ld_respondd_deflate(text, strlen(text), len);
    } else if (text) {
        *len = strlen(text);
        out = malloc(*len + 1);
        if (out)
            memcpy(out, text, *len + 1);
    }
    json_object_put(o);
    return out;
}

/* ---- the socket ---- */

static struct {
    struct ld_ctx *ctx;
    int fd;
    struct lime_timer *rejoin;
    unsigned joined[MAX_JOINED][2]; /* ifindex, group (0 link, 1 site) */
    int n_joined;
    uint64_t window_start;
    int in_window;
} rd = {.fd = -1};

static void join(unsigned ifindex, int group)
{
    for (int i = 0; i < rd.n_joined; i++)
        if (rd.joined[i][0] == ifindex && rd.joined[i][1] == (unsigned)group)
            return;
    if (rd.n_joined == MAX_JOINED)
        return;
    struct ipv6_mreq m;
    memset(&m, 0, sizeof(m));
    inet_pton(AF_INET6, group ? LD_RESPONDD_GROUP_SITE : LD_RESPONDD_GROUP_LINK,
              &m.ipv6mr_multiaddr);
    m.ipv6mr_interface = ifindex;
    if (setsockopt(rd.fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &m, sizeof(m)) < 0 &&
        errno != EADDRINUSE) {
        log_debug("respondd: cannot join %s on ifindex %u: %s",
                  group ? LD_RESPONDD_GROUP_SITE : LD_RESPONDD_GROUP_LINK, ifindex,
                  strerror(errno));
        return;
    }
    rd.joined[rd.n_joined][0] = ifindex;
    rd.joined[rd.n_joined][1] = (unsigned)group;
    rd.n_joined++;
}

/* Memberships: ff02::2:1001 and ff05::2:1001 on each mesh interface, ff05::2:1001 on
 * br-lan. Interfaces that went away are forgotten (their memberships went with them). */
static void rejoin(void *arg)
{
    rd.rejoin = lime_timer_add(rd.ctx->loop, REJOIN_MS, rejoin, NULL);
    for (int i = 0; i < rd.n_joined;) {
        char name[IF_NAMESIZE];
        if (!if_indextoname(rd.joined[i][0], name)) {
            rd.joined[i][0] = rd.joined[rd.n_joined - 1][0];
            rd.joined[i][1] = rd.joined[rd.n_joined - 1][1];
            rd.n_joined--;
        } else {
            i++;
        }
    }
    char ifs[MAX_JOINED][16];
    int n = ld_respondd_mesh_ifaces(rd.ctx, ifs, MAX_JOINED / 2);
    for (int i = 0; i < n; i++) {
        unsigned idx = if_nametoindex(ifs[i]);
        if (idx) {
            join(idx, 0);
            join(idx, 1);
        }
    }
    unsigned lan = if_nametoindex("br-lan");
    if (lan)
        join(lan, 1);
}

static void on_request(int fd, unsigned events, void *arg)
{
    for (int budget = 64; budget > 0; budget--) {
        char buf[LD_RESPONDD_MAXREQ + 64];
        struct sockaddr_storage from;
        socklen_t fl = sizeof(from);
        ssize_t n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC,
                             (struct sockaddr *)&from, &fl);
        if (n < 0)
            return;
        struct ld_respondd_request req;
        if ((size_t)n > sizeof(buf) || ld_respondd_parse(buf, (size_t)n, &req) < 0) {
            rd.ctx->stats.respondd_malformed++;
            continue;
        }
        uint64_t now = lime_now_ms();
        if (now - rd.window_start >= 1000) {
            rd.window_start = now;
            rd.in_window = 0;
        }
        if (++rd.in_window > RATE_PER_S) {
            rd.ctx->stats.respondd_limited++;
            continue;
        }
        rd.ctx->stats.respondd_requests++;
        size_t len = 0;
        unsigned char *out = ld_respondd_reply(rd.ctx, &req, &len);
        if (out && sendto(fd, out, len, 0, (struct sockaddr *)&from, fl) < 0)
            log_debug("respondd: reply: %s", strerror(errno));
        free(out);
    }
}

int ld_respondd_start(struct ld_ctx *ctx)
{
    rd.ctx = ctx;
    if (ctx->respondd_port <= 0)
        return 0;
    rd.fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (rd.fd < 0) {
        log_warn("respondd: socket: %s (community maps will not see this node)", strerror(errno));
        return 0;
    }
    int off = 0;
    setsockopt(rd.fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_ANY_INIT,
                             .sin6_port = htons((uint16_t)ctx->respondd_port)};
    if (bind(rd.fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
        lime_loop_add_fd(ctx->loop, rd.fd, LIME_EV_READ, on_request, NULL) < 0) {
        log_warn("respondd: cannot listen on UDP port %d: %s (community maps will not see this "
                 "node)", ctx->respondd_port, strerror(errno));
        close(rd.fd);
        rd.fd = -1;
        return 0;
    }
    rd.n_joined = 0;
    rd.rejoin = lime_timer_add(ctx->loop, 0, rejoin, NULL);
    log_info("respondd on UDP port %d", ctx->respondd_port);
    return 0;
}

void ld_respondd_stop(struct ld_ctx *ctx)
{
    if (rd.rejoin)
        lime_timer_cancel(ctx->loop, rd.rejoin);
    rd.rejoin = NULL;
    if (rd.fd >= 0) {
        lime_loop_del_fd(ctx->loop, rd.fd);
        close(rd.fd);
        rd.fd = -1;
    }
}
