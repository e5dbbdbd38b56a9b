/* Internet-gateway watcher: an HTTP check bound to the WAN device (fetch.h), the WAN
 * watched at once through the kernel and a light probe (wan.h), the proto-7 default
 * route babeld announces while the uplink works, withdrawal at once, and flap dampening.
 * See gateway.h. */
#include "gateway.h"

#include "limed.h"
#include "log.h"
#include "loop.h"
#include "fetch.h"
#include "nl.h"
#include "supervise.h"
#include "wan.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <math.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GW_PROTO 7          /* babeld-auto-gw-mode's mark: babeld announces this default */
#define GW_PROTO_WITHDRAW 6 /* babeld announces it with metric 65534, i.e. unreachable
                             * (lime-apply's babeld.conf, LR_BABEL_WITHDRAW_PROTO) */
#define GW_METRIC 10        /* metric of the announced route */
#define GW_DEMOTED 84831    /* metric the WAN default moves to while offline */
#define GW_UNREACHABLE_MS 2000 /* a withdrawn default is announced unreachable this long */
#define RTPROT_BABEL_ROUTES 42 /* babeld installs its routes with protocol 42 */

/* Flap dampening, RFC 2439's figure of merit with a mesh's time scale: every withdrawal
 * adds DAMP_PENALTY to a penalty that halves every DAMP_HALF_LIFE_MS; once it reaches
 * DAMP_SUPPRESS the uplink is not announced again until it decayed below DAMP_REUSE. */
#define DAMP_PENALTY 1000.0
#define DAMP_SUPPRESS 2000.0
#define DAMP_REUSE 750.0
#define DAMP_MAX 4000.0
#define DAMP_HALF_LIFE_MS 60000.0

struct ld_gateway {
    struct lime_loop *loop;
    /* settings */
    char wan[IFNAMSIZ];
    char host[256];
    char port[8];
    char path[512];
    char probe[INET_ADDRSTRLEN];
    unsigned interval_ms, timeout_ms, fails_needed, oks_needed, probe_ms;
    /* the WAN, watched at once */
    struct ld_wan *up;
    /* check in progress */
    struct ld_fetch *check;
    struct lime_timer *tick, *unannounce;
    /* verdicts */
    unsigned checks, fails, oks, withdrawals, suppressions;
    bool online;
    char wan_gw[INET_ADDRSTRLEN];
    uint32_t wan_metric;   /* the WAN default's own metric, restored when back online */
    bool demoted;
    /* dampening */
    double penalty;
    uint64_t penalty_ms;   /* when penalty was last brought up to date */
    bool suppressed;
};

/* ---------------------------------------------------------------- routes */

/* The WAN's own IPv4 default route (not ours), in the main table: one not demoted when
 * there is one (the WAN's DHCP client may have added it since), else the demoted one. */
static int wan_default(struct lime_nl *nl, int oif, struct lime_nl_route *out)
{
    struct lime_nl_route *v;
    size_t n;
    if (lime_nl_routes(nl, AF_INET, RT_TABLE_MAIN, &v, &n))
        return -1;
    int found = -1;
    for (size_t i = 0; i < n; i++)
        if (v[i].dst_len == 0 && v[i].oif == oif && v[i].protocol != GW_PROTO &&
            v[i].protocol != GW_PROTO_WITHDRAW && v[i].type == RTN_UNICAST && v[i].has_gw &&
            (found || v[i].metric != GW_DEMOTED)) {
            *out = v[i];
            found = 0;
        }
    free(v);
    return found;
}

/* Our default route of protocol proto (7: on the WAN; 6: the unreachable one), if any. */
static bool find_ours(struct lime_nl *nl, int oif, uint8_t proto, struct lime_nl_route *out)
{
    struct lime_nl_route *v;
    size_t n;
    bool found = false;
    if (lime_nl_routes(nl, AF_INET, RT_TABLE_MAIN, &v, &n))
        return false;
    for (size_t i = 0; i < n && !found; i++)
        if (v[i].dst_len == 0 && v[i].protocol == proto &&
            (proto == GW_PROTO_WITHDRAW || v[i].oif == oif)) {
            *out = v[i];
            out->table = RT_TABLE_MAIN;
            found = true;
        }
    free(v);
    return found;
}

static bool have_ours(struct lime_nl *nl, int oif)
{
    struct lime_nl_route r;
    return find_ours(nl, oif, GW_PROTO, &r);
}

static void delete_ours(struct lime_nl *nl, int oif, uint8_t proto)
{
    struct lime_nl_route r;
    while (find_ours(nl, oif, proto, &r)) {
        int e = lime_nl_route_del(nl, &r);
        if (e) {
            log_warn("gateway: deleting the proto %d default route: %s", proto, strerror(-e));
            break;
        }
    }
}

/* Moves the WAN default route to metric (add there, then delete the old one). When the
 * metric is taken (babeld's default from another gateway has metric 0) nothing moves:
 * deleting the old one then would leave the WAN without a default. */
static int move_metric(struct lime_nl *nl, struct lime_nl_route *r, uint32_t metric)
{
    struct lime_nl_route moved = *r;
    moved.metric = metric;
    moved.table = RT_TABLE_MAIN;
    int e = lime_nl_route_add(nl, &moved);
    if (e)
        return e;
    r->table = RT_TABLE_MAIN;
    lime_nl_route_del(nl, r);
    return 0;
}

/* The WAN's own default moves out of the way (metric GW_DEMOTED) for as long as the
 * watcher runs: babeld installs a default from another gateway at metric 0 whenever ours
 * is withdrawn, and our own announced route (metric 10) carries this node's traffic while
 * it is announced. Put back when the watcher stops. */
static void demote(struct ld_gateway *gw, struct lime_nl *nl, int oif)
{
    struct lime_nl_route def;
    if (wan_default(nl, oif, &def) || def.metric == GW_DEMOTED)
        return;
    /* replace: a default demoted before (another next hop, an older lease) gives way */
    struct lime_nl_route moved = def;
    moved.metric = GW_DEMOTED;
    moved.table = def.table = RT_TABLE_MAIN;
    if (lime_nl_route_replace(nl, &moved) == 0 && lime_nl_route_del(nl, &def) == 0) {
        if (!gw->demoted)
            gw->wan_metric = def.metric;
        gw->demoted = true;
    }
}

static void cancel_unannounce(struct ld_gateway *gw)
{
    if (gw->unannounce)
        lime_timer_cancel(gw->loop, gw->unannounce);
    gw->unannounce = NULL;
}

static void announce(struct ld_gateway *gw)
{
    struct lime_nl *nl = lime_nl_open();
    int oif = nl ? lime_nl_ifindex(nl, gw->wan) : 0;
    struct lime_nl_route def;
    if (!nl || !oif || wan_default(nl, oif, &def)) {
        log_warn("gateway: internet reachable but %s has no default route to announce", gw->wan);
        gw->wan_gw[0] = 0;
        lime_nl_close(nl);
        return;
    }
    inet_ntop(AF_INET, def.gw, gw->wan_gw, sizeof(gw->wan_gw));
    demote(gw, nl, oif);
    if (!have_ours(nl, oif)) {
        struct lime_nl_route r = def;
        r.protocol = GW_PROTO;
        r.metric = GW_METRIC;
        r.table = RT_TABLE_MAIN;
        /* replaces the withdrawing route, if it is still there, in one step */
        int e = lime_nl_route_replace(nl, &r);
        if (e)
            log_err("gateway: adding default via %s dev %s proto %d: %s", gw->wan_gw, gw->wan,
                    GW_PROTO, strerror(-e));
        else
            log_info("gateway: internet reachable through %s: announcing default via %s "
                     "(proto %d metric %d)", gw->wan, gw->wan_gw, GW_PROTO, GW_METRIC);
    }
    delete_ours(nl, oif, GW_PROTO_WITHDRAW);
    cancel_unannounce(gw);
    lime_nl_close(nl);
}

static void on_unannounce(void *arg)
{
    struct ld_gateway *gw = arg;
    gw->unannounce = NULL;
    struct lime_nl *nl = lime_nl_open();
    if (nl)
        delete_ours(nl, 0, GW_PROTO_WITHDRAW);
    lime_nl_close(nl);
}

/* Withdraws our announcement and demotes the WAN default so a babel default via another
 * gateway wins on this node too (babeld installs its routes with metric 0).
 *
 * Deleting the proto-7 route is not enough with babeld 1.12.1 (Debian 12's): when a
 * redistributed route goes, its check_xroutes() reads the prefix to retract from the wrong
 * array slot (xroutes[i] for xroutes[j]; upstream's fix 0fea502, in 1.12.2), so no
 * retraction is sent and every other node keeps using this gateway until the route's
 * hold time runs out (6 update intervals: 24 s at update-interval 4). So the route
 * first becomes proto 6 in one replace, which babeld announces with metric 65534: the
 * next update makes it unreachable everywhere at once (any babeld version); GW_UNREACHABLE_MS
 * later it is deleted, so that this node can use another gateway too (babeld installs no
 * route over a prefix it exports). With `immediate` (limed stopping) it goes at once. */
static void withdraw(struct ld_gateway *gw, bool immediate)
{
    struct lime_nl *nl = lime_nl_open();
    if (!nl)
        return;
    int oif = lime_nl_ifindex(nl, gw->wan); /* 0: the WAN is gone, and our route with it */
    if (oif)
        demote(gw, nl, oif);
    struct lime_nl_route r;
    bool had = find_ours(nl, oif, GW_PROTO, &r);
    if (!immediate && (had || gw->online)) {
        /* unreachable: it needs no next hop (the WAN may have lost its address, and its
         * routes with it) and fails this node's own traffic at once meanwhile */
        struct lime_nl_route u = {.family = AF_INET, .table = RT_TABLE_MAIN,
                                  .protocol = GW_PROTO_WITHDRAW, .type = RTN_UNREACHABLE,
                                  .metric = GW_METRIC};
        if (lime_nl_route_replace(nl, &u) == 0) {
            cancel_unannounce(gw);
            gw->unannounce = lime_timer_add(gw->loop, GW_UNREACHABLE_MS, on_unannounce, gw);
        }
    }
    delete_ours(nl, oif, GW_PROTO);
    if (had)
        log_info("gateway: default route through %s withdrawn", gw->wan);
    if (immediate) {
        cancel_unannounce(gw);
        delete_ours(nl, oif, GW_PROTO_WITHDRAW);
    }
    lime_nl_close(nl);
}

/* ---------------------------------------------------------------- dampening */

static double penalty_now(struct ld_gateway *gw)
{
    uint64_t now = lime_now_ms();
    if (gw->penalty > 0 && now > gw->penalty_ms)
        gw->penalty *= exp2(-(double)(now - gw->penalty_ms) / DAMP_HALF_LIFE_MS);
    gw->penalty_ms = now;
    return gw->penalty;
}

/* ms until the penalty decays below the reuse limit (0 when it already has) */
static unsigned ms_to_reuse(struct ld_gateway *gw)
{
    double p = penalty_now(gw);
    return p <= DAMP_REUSE ? 0 : (unsigned)(log2(p / DAMP_REUSE) * DAMP_HALF_LIFE_MS) + 1;
}

/* Does babeld route this node to the internet through another gateway (its default,
 * protocol 42, in the kernel)? */
static bool other_gateway(void)
{
    struct lime_nl *nl = lime_nl_open();
    struct lime_nl_route *v = NULL;
    size_t n = 0;
    bool found = false;
    if (nl && lime_nl_routes(nl, AF_INET, RT_TABLE_MAIN, &v, &n) == 0) {
        for (size_t i = 0; i < n && !found; i++)
            found = v[i].dst_len == 0 && v[i].protocol == RTPROT_BABEL_ROUTES;
        free(v);
    }
    lime_nl_close(nl);
    return found;
}

/* Is the uplink held down for flapping? Never when the mesh has no other way out: a
 * flapping uplink is better than none. */
static bool damped(struct ld_gateway *gw)
{
    double p = penalty_now(gw);
    if (p >= DAMP_REUSE && !other_gateway()) {
        if (gw->suppressed)
            log_info("gateway: %s flaps but the mesh has no other gateway: announcing it",
                     gw->wan);
        gw->suppressed = false;
        return false;
    }
    if (gw->suppressed && p < DAMP_REUSE) {
        gw->suppressed = false;
        log_info("gateway: %s held down long enough, may be announced again", gw->wan);
    }
    if (!gw->suppressed && p >= DAMP_SUPPRESS) {
        gw->suppressed = true;
        gw->suppressions++;
        log_warn("gateway: %s flaps (penalty %.0f): not announced for the next %u s",
                 gw->wan, p, ms_to_reuse(gw) / 1000);
    }
    return gw->suppressed;
}

/* The uplink is judged dead (check, kernel or probe): tell the mesh at once. */
static void go_offline(struct ld_gateway *gw, const char *why)
{
    if (gw->online) {
        log_warn("gateway: %s: withdrawing the default route", why);
        gw->withdrawals++;
        double p = penalty_now(gw) + DAMP_PENALTY;
        gw->penalty = p > DAMP_MAX ? DAMP_MAX : p;
    }
    withdraw(gw, false);
    gw->online = false;
}

/* ---------------------------------------------------------------- the check */

static void schedule(struct ld_gateway *gw, unsigned delay_ms);

static void check_done(struct ld_gateway *gw, bool ok, const char *why)
{
    gw->check = NULL;
    gw->checks++;
    unsigned next = gw->interval_ms;
    if (ok) {
        gw->fails = 0;
        gw->oks++;
        if (gw->oks >= gw->oks_needed) {
            if (gw->online) {
                announce(gw); /* re-adds the route if someone removed it */
            } else if (damped(gw)) {
                unsigned wait = ms_to_reuse(gw) + 100;
                next = wait < next ? wait : next;
            } else {
                log_info("gateway: internet check through %s passed", gw->wan);
                gw->online = true;
                announce(gw);
            }
        }
    } else {
        gw->oks = 0;
        gw->fails++;
        log_debug("gateway: check through %s failed: %s", gw->wan, why);
        if (gw->fails >= gw->fails_needed && (gw->online || gw->checks <= gw->fails_needed)) {
            char reason[160];
            snprintf(reason, sizeof(reason), "internet check through %s failed %u times (%s)",
                     gw->wan, gw->fails, why);
            go_offline(gw, reason);
        }
        /* A first failure while online is confirmed quickly instead of a whole interval
         * later: failover then takes about one interval, not fails x interval. */
        if (gw->online && gw->fails < gw->fails_needed && next > 1000)
            next = 1000;
    }
    schedule(gw, next);
}

/* upstream's check-internet: a 200 whose body is "success" */
static void on_answer(int status, const char *body, size_t len, void *arg)
{
    struct ld_gateway *gw = arg;
    bool ok = status == 200 && body && len >= 7 && !strncmp(body, "success", 7);
    check_done(gw, ok, status < 0 ? strerror(-status) : ok ? "" : "unexpected answer");
}

static void start_check(void *arg)
{
    struct ld_gateway *gw = arg;
    gw->tick = NULL;
    if (gw->up && !ld_wan_usable(gw->up)) {
        /* the kernel says the WAN cannot carry it; its UP event brings the next check */
        gw->checks++;
        return;
    }
    /* Out of the WAN only, whatever the routing table says (it may hold a babel default
     * via another gateway while ours is withdrawn). A numeric host (the simulator's)
     * never blocks; a name uses the resolver. */
    struct ld_fetch_opts o = {.timeout_ms = gw->timeout_ms, .device = gw->wan, .resolve = true};
    gw->check = ld_fetch_start(gw->loop, gw->host, gw->port, gw->path, &o, on_answer, gw);
    if (!gw->check)
        check_done(gw, false, strerror(errno));
}

static void schedule(struct ld_gateway *gw, unsigned delay_ms)
{
    if (gw->tick)
        lime_timer_cancel(gw->loop, gw->tick);
    gw->tick = gw->wan[0] ? lime_timer_add(gw->loop, delay_ms, start_check, gw) : NULL;
}

/* ---------------------------------------------------------------- settings */

static int parse_url(struct ld_gateway *gw, const char *url)
{
    if (strncmp(url, "http://", 7))
        return -1;
    const char *h = url + 7, *end;
    const char *path = strchr(h, '/');
    if (!path)
        path = h + strlen(h);
    if (*h == '[') {
        end = memchr(h, ']', (size_t)(path - h));
        if (!end)
            return -1;
        snprintf(gw->host, sizeof(gw->host), "%.*s", (int)(end - h - 1), h + 1);
        end++;
    } else {
        end = memchr(h, ':', (size_t)(path - h));
        if (!end)
            end = path;
        snprintf(gw->host, sizeof(gw->host), "%.*s", (int)(end - h), h);
    }
    if (*end == ':')
        snprintf(gw->port, sizeof(gw->port), "%.*s", (int)(path - end - 1), end + 1);
    else
        snprintf(gw->port, sizeof(gw->port), "80");
    snprintf(gw->path, sizeof(gw->path), "%s", *path ? path : "/");
    return gw->host[0] ? 0 : -1;
}

static void stop_check(struct ld_gateway *gw)
{
    ld_fetch_cancel(gw->check);
    gw->check = NULL;
    if (gw->tick)
        lime_timer_cancel(gw->loop, gw->tick);
    gw->tick = NULL;
}

/* What the kernel and the probe say about the WAN (wan.h). */
static void on_wan(enum ld_wan_event ev, const char *why, void *arg)
{
    struct ld_gateway *gw = arg;
    switch (ev) {
    case LD_WAN_DOWN:
    case LD_WAN_SILENT:
        log_info("gateway: %s", why);
        if (gw->online)
            go_offline(gw, why);
        break;
    case LD_WAN_UP:
    case LD_WAN_ANSWERS:
        log_info("gateway: %s", why);
        if (!gw->online)
            schedule(gw, 0); /* check now rather than an interval later */
        break;
    }
}

static void stop_wan(struct ld_gateway *gw)
{
    ld_wan_free(gw->up);
    gw->up = NULL;
}

struct ld_gateway *ld_gateway_new(struct lime_loop *loop)
{
    struct ld_gateway *gw = calloc(1, sizeof(*gw));
    if (!gw)
        return NULL;
    gw->loop = loop;
    return gw;
}

void ld_gateway_free(struct ld_gateway *gw)
{
    if (!gw)
        return;
    stop_check(gw);
    stop_wan(gw);
    if (gw->wan[0])
        withdraw(gw, true);
    cancel_unannounce(gw);
    if (gw->demoted) { /* leave the WAN as we found it */
        struct lime_nl *nl = lime_nl_open();
        struct lime_nl_route def;
        int oif = nl ? lime_nl_ifindex(nl, gw->wan) : 0;
        if (nl && oif && wan_default(nl, oif, &def) == 0 && def.metric == GW_DEMOTED)
            move_metric(nl, &def, gw->wan_metric);
        lime_nl_close(nl);
    }
    free(gw);
}

int ld_gateway_load(struct ld_gateway *gw, const char *path)
{
    char wan[IFNAMSIZ] = "", url[512] = "http://detectportal.firefox.com/success.txt";
    char probe[INET_ADDRSTRLEN] = "";
    unsigned interval = 10000, timeout = 5000, fails = 2, oks = 1, probe_ms = 1000;
    FILE *f = fopen(path, "r");
    if (f) {
        char line[600];
        unsigned lineno = 0;
        while (fgets(line, sizeof(line), f)) {
            lineno++;
            line[strcspn(line, "\n")] = 0;
            if (!line[0] || line[0] == '#')
                continue;
            char *eq = strchr(line, '=');
            if (!eq) {
                log_err("%s:%u: expected key=value", path, lineno);
                fclose(f);
                return -1;
            }
            *eq = 0;
            const char *k = line, *v = eq + 1;
            if (!strcmp(k, "wan"))
                snprintf(wan, sizeof(wan), "%s", v);
            else if (!strcmp(k, "check_url"))
                snprintf(url, sizeof(url), "%s", v);
            else if (!strcmp(k, "interval_ms"))
                interval = (unsigned)strtoul(v, NULL, 10);
            else if (!strcmp(k, "timeout_ms"))
                timeout = (unsigned)strtoul(v, NULL, 10);
            else if (!strcmp(k, "fails"))
                fails = (unsigned)strtoul(v, NULL, 10);
            else if (!strcmp(k, "oks"))
                oks = (unsigned)strtoul(v, NULL, 10);
            else if (!strcmp(k, "probe"))
                snprintf(probe, sizeof(probe), "%s", v);
            else if (!strcmp(k, "probe_ms"))
                probe_ms = (unsigned)strtoul(v, NULL, 10);
        }
        fclose(f);
    }
    struct ld_gateway tmp = {0};
    if (wan[0] && parse_url(&tmp, url)) {
        log_err("%s: check_url '%s' is not http://HOST[:PORT]/PATH", path, url);
        return -1;
    }
    struct in_addr a;
    if (probe[0] && inet_pton(AF_INET, probe, &a) != 1) {
        log_err("%s: probe '%s' is not an IPv4 address", path, probe);
        return -1;
    }
    /* the probe target: as set, else the check's host when it is an IPv4 address, else
     * (empty) the WAN's next hop */
    if (!probe[0] && inet_pton(AF_INET, tmp.host, &a) == 1)
        inet_ntop(AF_INET, &a, probe, sizeof(probe));
    stop_check(gw);
    stop_wan(gw);
    if (gw->wan[0] && strcmp(gw->wan, wan)) {
        withdraw(gw, true); /* the WAN moved: nothing stays announced on the old one */
        gw->online = false;
    }
    snprintf(gw->wan, sizeof(gw->wan), "%s", wan);
    memcpy(gw->host, tmp.host, sizeof(gw->host));
    memcpy(gw->port, tmp.port, sizeof(gw->port));
    memcpy(gw->path, tmp.path, sizeof(gw->path));
    gw->interval_ms = interval ? interval : 10000;
    gw->timeout_ms = timeout ? timeout : 5000;
    gw->fails_needed = fails ? fails : 1;
    gw->oks_needed = oks ? oks : 1;
    gw->fails = gw->oks = 0;
    gw->probe_ms = probe_ms ? probe_ms : 1000;
    snprintf(gw->probe, sizeof(gw->probe), "%s", probe);
    if (wan[0]) {
        struct ld_wan_opts uo = {.wan = wan, .probe = probe, .probe_ms = gw->probe_ms};
        gw->up = ld_wan_new(gw->loop, &uo, on_wan, gw);
        if (!gw->up)
            log_warn("gateway: %s is not watched through the kernel (%s): the check alone "
                     "judges it", wan, strerror(errno));
        log_info("gateway: watching %s with %s every %u ms, probing %s every %u ms", wan, url,
                 gw->interval_ms, probe[0] ? probe : "its next hop", gw->probe_ms);
    }
    schedule(gw, 0);
    return 0;
}

bool ld_gateway_online(const struct ld_gateway *gw)
{
    return gw && gw->online;
}

unsigned ld_gateway_checks(const struct ld_gateway *gw)
{
    return gw ? gw->checks : 0;
}

const char *ld_gateway_wan_gateway(const struct ld_gateway *gw)
{
    return gw ? gw->wan_gw : "";
}

const char *ld_gateway_wan(const struct ld_gateway *gw)
{
    return gw ? gw->wan : "";
}

void ld_gateway_stats(const struct ld_gateway *gw, struct ld_gateway_stats *out)
{
    memset(out, 0, sizeof(*out));
    if (!gw)
        return;
    out->withdrawals = gw->withdrawals;
    out->suppressions = gw->suppressions;
    out->suppressed = gw->suppressed;
    struct ld_wan_counts c;
    ld_wan_counts(gw->up, &c);
    out->probes = c.probes;
    out->probe_replies = c.replies;
}

/* ---------------------------------------------------------------- limed's watcher */

static struct ld_gateway *running;
static char running_path[4200];

struct ld_gateway *ld_gateway_current(void)
{
    return running;
}

void ld_gateway_reload(void)
{
    if (running)
        ld_gateway_load(running, running_path);
}

static void reload_hook(void *arg)
{
    (void)arg;
    ld_gateway_reload();
}

int ld_gateway_init(struct ld_ctx *ctx)
{
    ld_path(ctx, "/var/run/lime/gateway", running_path, sizeof(running_path));
    running = ld_gateway_new(ctx->loop);
    if (!running)
        return -ENOMEM;
    if (ld_supervisor_current())
        ld_supervisor_on_reload(ld_supervisor_current(), reload_hook, NULL);
    if (ld_gateway_load(running, running_path) != 0)
        log_warn("gateway: %s not loaded; fix it and send SIGHUP", running_path);
    return 0;
}

void ld_gateway_stop(struct ld_ctx *ctx)
{
    (void)ctx;
    ld_gateway_free(running);
    running = NULL;
}
