/* The WAN of a gateway node: rtnetlink events and an ICMP probe. See wan.h. */
#include "wan.h"

#include "log.h"
#include "loop.h"
#include "nl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/icmp.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define DEADLINE_MS 500   /* a probe unanswered this long is a miss */
#define FAST_MS 200       /* probe spacing after a miss */
#define SILENCE_MS 1000   /* fast probes unanswered this long after the miss: SILENT */
#define PROTO_OURS_LO 6   /* gateway.c's routes (6: withdrawing, 7: announced) are not the WAN's */
#define PROTO_OURS_HI 7
#define RTPROT_BABEL_ROUTES 42

struct ld_wan {
    struct lime_loop *loop;
    ld_wan_cb cb;
    void *arg;
    char wan[IFNAMSIZ];
    bool probe_fixed;             /* the target is the configured address, not the next hop */
    struct in_addr target;        /* 0 = none known */
    unsigned probe_ms;
    /* the kernel's view */
    struct lime_nl_events *ev;
    int ifindex;
    bool link_ok, has_default, nh_failed, usable;
    struct in_addr nexthop;
    /* the probe */
    int icmp;                     /* -1 while not probing */
    bool raw;                     /* raw socket (IP header on receive) or ping socket */
    uint16_t id, seq, last_sent_seq;
    bool outstanding;             /* the last probe has no answer yet */
    bool answered_ever, silent;
    uint64_t miss_at;             /* when the first unanswered probe was noticed, 0 = none */
    struct lime_timer *timer, *deadline;
    struct ld_wan_counts counts;
};

/* ---------------------------------------------------------------- the kernel's view */

static void read_state(struct ld_wan *u)
{
    struct lime_nl *nl = lime_nl_open();
    if (!nl)
        return;
    struct lime_nl_link l;
    if (lime_nl_link_get(nl, u->wan, &l) == 0) {
        u->ifindex = l.ifindex;
        u->link_ok = (l.flags & IFF_UP) && (l.flags & IFF_LOWER_UP);
    } else {
        u->ifindex = 0;
        u->link_ok = false;
    }
    struct lime_nl_route *v = NULL;
    size_t n = 0;
    bool found = false;
    struct in_addr nh = {0};
    if (u->ifindex && lime_nl_routes(nl, AF_INET, RT_TABLE_MAIN, &v, &n) == 0) {
        for (size_t i = 0; i < n && !found; i++)
            if (v[i].dst_len == 0 && v[i].oif == u->ifindex && v[i].type == RTN_UNICAST &&
                v[i].has_gw && (v[i].protocol < PROTO_OURS_LO || v[i].protocol > PROTO_OURS_HI) &&
                v[i].protocol != RTPROT_BABEL_ROUTES) {
                memcpy(&nh, v[i].gw, 4);
                found = true;
            }
        free(v);
    }
    if (nh.s_addr != u->nexthop.s_addr)
        u->nh_failed = false; /* a new next hop has no ARP history */
    u->has_default = found;
    u->nexthop = nh;
    if (!u->probe_fixed)
        u->target = nh;
    lime_nl_close(nl);
}

static void probe_start(struct ld_wan *u);
static void probe_stop(struct ld_wan *u);

/* Says DOWN/UP when the kernel's view changed. */
static void evaluate(struct ld_wan *u)
{
    bool usable = u->ifindex && u->link_ok && u->has_default && !u->nh_failed;
    if (usable == u->usable)
        return;
    u->usable = usable;
    char why[96];
    if (!usable) {
        u->counts.downs++;
        snprintf(why, sizeof(why), "%s %s", u->wan,
                 !u->ifindex     ? "is gone"
                 : !u->link_ok   ? "lost its carrier (or is down)"
                 : !u->has_default ? "has no default route"
                                   : "next hop does not answer ARP");
        probe_stop(u);
        u->cb(LD_WAN_DOWN, why, u->arg);
    } else {
        snprintf(why, sizeof(why), "%s is up with a default route", u->wan);
        probe_start(u);
        u->cb(LD_WAN_UP, why, u->arg);
    }
}

static void on_event(const struct lime_nl_event *e, void *arg)
{
    struct ld_wan *u = arg;
    switch (e->type) {
    case LIME_NL_EV_LINK:
        if (e->u.link.ifindex == u->ifindex || !strcmp(e->u.link.name, u->wan)) {
            if (e->u.link.ifindex != u->ifindex) {
                read_state(u); /* the WAN (re)appeared: its routes too */
                break;
            }
            u->link_ok = (e->u.link.flags & IFF_UP) && (e->u.link.flags & IFF_LOWER_UP);
        }
        break;
    case LIME_NL_EV_LINK_DEL:
        if (e->u.link.ifindex == u->ifindex) {
            u->ifindex = 0;
            u->link_ok = u->has_default = false;
        }
        break;
    case LIME_NL_EV_ROUTE:
    case LIME_NL_EV_ROUTE_DEL:
        if (e->u.route.family == AF_INET && e->u.route.dst_len == 0 &&
            e->u.route.table == RT_TABLE_MAIN && e->u.route.protocol != RTPROT_BABEL_ROUTES &&
            (e->u.route.protocol < PROTO_OURS_LO || e->u.route.protocol > PROTO_OURS_HI))
            read_state(u);
        break;
    case LIME_NL_EV_NEIGH:
    case LIME_NL_EV_NEIGH_DEL:
        if (e->u.neigh.family == AF_INET && e->u.neigh.ifindex == u->ifindex &&
            u->nexthop.s_addr && !memcmp(e->u.neigh.addr, &u->nexthop, 4))
            u->nh_failed = e->type == LIME_NL_EV_NEIGH && (e->u.neigh.state & NUD_FAILED);
        break;
    case LIME_NL_EV_LOST:
        read_state(u);
        break;
    }
}

static void on_nl(int fd, unsigned events, void *arg)
{
    (void)fd;
    (void)events;
    struct ld_wan *u = arg;
    int r = lime_nl_events_read(u->ev, on_event, u);
    if (r < 0)
        log_warn("wan: reading kernel events: %s", strerror(-r));
    evaluate(u);
}

/* ---------------------------------------------------------------- the probe */

static uint16_t csum(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint32_t s = 0;
    for (size_t i = 0; i + 1 < len; i += 2)
        s += (uint32_t)(b[i] << 8 | b[i + 1]);
    if (len & 1)
        s += (uint32_t)b[len - 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static void send_probe(struct ld_wan *u)
{
    if (u->icmp < 0 || !u->target.s_addr)
        return;
    uint8_t pkt[16] = {ICMP_ECHO, 0};
    u->seq++;
    pkt[4] = (uint8_t)(u->id >> 8);
    pkt[5] = (uint8_t)u->id;
    pkt[6] = (uint8_t)(u->seq >> 8);
    pkt[7] = (uint8_t)u->seq;
    memcpy(pkt + 8, "lime-gw\0", 8);
    uint16_t c = csum(pkt, sizeof(pkt));
    pkt[2] = (uint8_t)(c >> 8);
    pkt[3] = (uint8_t)c;
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr = u->target};
    if (sendto(u->icmp, pkt, sizeof(pkt), MSG_DONTWAIT, (struct sockaddr *)&to, sizeof(to)) > 0) {
        u->counts.probes++;
        u->last_sent_seq = u->seq;
        u->outstanding = true;
    }
}

static void tick(void *arg);
static void on_deadline(void *arg);

static void arm(struct ld_wan *u, unsigned ms)
{
    if (u->timer)
        lime_timer_cancel(u->loop, u->timer);
    u->timer = lime_timer_add(u->loop, ms, tick, u);
}

static void disarm_deadline(struct ld_wan *u)
{
    if (u->deadline)
        lime_timer_cancel(u->loop, u->deadline);
    u->deadline = NULL;
}

/* A probe is due: in normal mode one every probe_ms, each watched by a deadline; after
 * a miss, one every FAST_MS until an answer, or SILENCE_MS without one: SILENT. */
static void tick(void *arg)
{
    struct ld_wan *u = arg;
    u->timer = NULL;
    if (u->miss_at && lime_now_ms() - u->miss_at >= SILENCE_MS) {
        u->silent = true;
        u->miss_at = 0;
        u->counts.silences++;
        char why[96], a[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &u->target, a, sizeof(a));
        snprintf(why, sizeof(why), "%s does not answer through %s", a, u->wan);
        u->cb(LD_WAN_SILENT, why, u->arg);
        if (u->icmp < 0) /* the callback may have stopped us */
            return;
    }
    send_probe(u);
    if (u->miss_at) {
        arm(u, FAST_MS);
    } else {
        arm(u, u->probe_ms);
        disarm_deadline(u);
        if (u->answered_ever && !u->silent && u->outstanding)
            u->deadline = lime_timer_add(u->loop, DEADLINE_MS < u->probe_ms ? DEADLINE_MS
                                                                            : u->probe_ms / 2,
                                         on_deadline, u);
    }
}

static void on_deadline(void *arg)
{
    struct ld_wan *u = arg;
    u->deadline = NULL;
    if (!u->outstanding || u->miss_at)
        return;
    u->miss_at = lime_now_ms();
    arm(u, 0); /* fast probes from now */
}

static void on_icmp(int fd, unsigned events, void *arg)
{
    (void)events;
    struct ld_wan *u = arg;
    for (;;) {
        uint8_t buf[256];
        struct sockaddr_in from;
        socklen_t fl = sizeof(from);
        ssize_t n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
        if (n < 0)
            return;
        const uint8_t *icmp = buf;
        size_t len = (size_t)n;
        if (u->raw) {
            size_t ihl = len ? (size_t)(buf[0] & 0x0f) * 4 : 0;
            if (ihl < 20 || len < ihl + 8)
                continue;
            icmp += ihl;
            len -= ihl;
        }
        if (len < 8 || icmp[0] != ICMP_ECHOREPLY || from.sin_addr.s_addr != u->target.s_addr)
            continue;
        uint16_t id = (uint16_t)(icmp[4] << 8 | icmp[5]), seq = (uint16_t)(icmp[6] << 8 | icmp[7]);
        if ((u->raw && id != u->id) || (uint16_t)(u->seq - seq) > 16)
            continue; /* not ours, or far too old */
        u->counts.replies++;
        if (seq == u->last_sent_seq)
            u->outstanding = false;
        bool news = u->silent || !u->answered_ever;
        u->answered_ever = true;
        u->silent = false;
        disarm_deadline(u);
        if (u->miss_at) {
            u->miss_at = 0;
            arm(u, u->probe_ms);
        }
        if (news) {
            char why[96], a[INET_ADDRSTRLEN];
            inet_ntop(AF_INET, &u->target, a, sizeof(a));
            snprintf(why, sizeof(why), "%s answers through %s", a, u->wan);
            u->cb(LD_WAN_ANSWERS, why, u->arg);
            if (u->icmp != fd)
                return; /* stopped from the callback */
        }
    }
}

static void probe_start(struct ld_wan *u)
{
    if (u->icmp >= 0)
        return;
    int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
    u->raw = fd >= 0;
    if (fd < 0) /* not allowed raw sockets: an unprivileged ping socket, if the system lets us */
        fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
    if (fd < 0) {
        log_warn("wan: no ICMP socket (%s): %s is judged by the kernel and the check only",
                 strerror(errno), u->wan);
        return;
    }
    if (u->raw) {
        struct icmp_filter f = {.data = ~(1u << ICMP_ECHOREPLY)};
        setsockopt(fd, SOL_RAW, ICMP_FILTER, &f, sizeof(f));
    }
    if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, u->wan, (socklen_t)strlen(u->wan)) < 0 ||
        lime_loop_add_fd(u->loop, fd, LIME_EV_READ, on_icmp, u) < 0) {
        log_warn("wan: probing through %s: %s", u->wan, strerror(errno));
        close(fd);
        return;
    }
    u->icmp = fd;
    u->outstanding = false;
    u->miss_at = 0;
    arm(u, 0);
}

static void probe_stop(struct ld_wan *u)
{
    if (u->timer)
        lime_timer_cancel(u->loop, u->timer);
    u->timer = NULL;
    disarm_deadline(u);
    if (u->icmp >= 0) {
        lime_loop_del_fd(u->loop, u->icmp);
        close(u->icmp);
    }
    u->icmp = -1;
    u->outstanding = false;
    u->miss_at = 0;
}

/* ---------------------------------------------------------------- life */

struct ld_wan *ld_wan_new(struct lime_loop *loop, const struct ld_wan_opts *o,
                                ld_wan_cb cb, void *arg)
{
    struct ld_wan *u = calloc(1, sizeof(*u));
    if (!u)
        return NULL;
    u->loop = loop;
    u->cb = cb;
    u->arg = arg;
    u->icmp = -1;
    snprintf(u->wan, sizeof(u->wan), "%s", o->wan);
    u->probe_ms = o->probe_ms ? o->probe_ms : 1000;
    u->id = (uint16_t)(getpid() ^ (uintptr_t)u);
    if (o->probe && o->probe[0] && inet_pton(AF_INET, o->probe, &u->target) == 1)
        u->probe_fixed = true;
    u->ev = lime_nl_events_open(LIME_NL_EVENTS_LINK | LIME_NL_EVENTS_ROUTE4 | LIME_NL_EVENTS_NEIGH);
    if (!u->ev || lime_loop_add_fd(loop, lime_nl_events_fd(u->ev), LIME_EV_READ, on_nl, u) < 0) {
        int e = errno ? errno : EIO;
        lime_nl_events_close(u->ev);
        free(u);
        errno = e;
        return NULL;
    }
    read_state(u);
    u->usable = u->ifindex && u->link_ok && u->has_default && !u->nh_failed;
    if (u->usable)
        probe_start(u);
    return u;
}

void ld_wan_free(struct ld_wan *u)
{
    if (!u)
        return;
    probe_stop(u);
    lime_loop_del_fd(u->loop, lime_nl_events_fd(u->ev));
    lime_nl_events_close(u->ev);
    free(u);
}

bool ld_wan_usable(const struct ld_wan *u)
{
    return u && u->usable;
}

bool ld_wan_answering(const struct ld_wan *u)
{
    return u && u->answered_ever && !u->silent;
}

void ld_wan_counts(const struct ld_wan *u, struct ld_wan_counts *out)
{
    memset(out, 0, sizeof(*out));
    if (u)
        *out = u->counts;
}
