/* Internet-gateway watcher: an HTTP check bound to the WAN device (fetch.h), and the
 * proto-7 default route babeld announces while the check passes. See gateway.h. */
#include "gateway.h"

#include "limed.h"
#include "log.h"
#include "loop.h"
#include "fetch.h"
#include "nl.h"
#include "supervise.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GW_PROTO 7          /* babeld-auto-gw-mode's mark */
#define GW_METRIC 10        /* metric of the announced route */
#define GW_DEMOTED 84831    /* metric the WAN default moves to while offline */

struct ld_gateway {
    struct lime_loop *loop;
    /* settings */
    char wan[IFNAMSIZ];
    char host[256];
    char port[8];
    char path[512];
    unsigned interval_ms, timeout_ms, fails_needed, oks_needed;
    /* check in progress */
    struct ld_fetch *check;
    struct lime_timer *tick, *poke;
    unsigned pokes_left;
    /* verdicts */
    unsigned checks, fails, oks;
    bool online;
    char wan_gw[INET_ADDRSTRLEN];
    uint32_t wan_metric;   /* the WAN default's own metric, restored when back online */
    bool demoted;
};

/* ---------------------------------------------------------------- routes */

/* The WAN's own IPv4 default route (not ours), in the main table. */
static int wan_default(struct lime_nl *nl, int oif, struct lime_nl_route *out)
{
    struct lime_nl_route *v;
    size_t n;
    if (lime_nl_routes(nl, AF_INET, RT_TABLE_MAIN, &v, &n))
        return -1;
    int found = -1;
    for (size_t i = 0; i < n && found; i++)
        if (v[i].dst_len == 0 && v[i].oif == oif && v[i].protocol != GW_PROTO &&
            v[i].type == RTN_UNICAST && v[i].has_gw) {
            *out = v[i];
            found = 0;
        }
    free(v);
    return found;
}

static bool have_ours(struct lime_nl *nl, int oif)
{
    struct lime_nl_route *v;
    size_t n;
    bool found = false;
    if (lime_nl_routes(nl, AF_INET, RT_TABLE_MAIN, &v, &n))
        return false;
    for (size_t i = 0; i < n; i++)
        found |= v[i].dst_len == 0 && v[i].protocol == GW_PROTO && v[i].oif == oif;
    free(v);
    return found;
}

static void delete_ours(struct lime_nl *nl, int oif)
{
    struct lime_nl_route *v;
    size_t n;
    if (lime_nl_routes(nl, AF_INET, RT_TABLE_MAIN, &v, &n))
        return;
    for (size_t i = 0; i < n; i++)
        if (v[i].dst_len == 0 && v[i].protocol == GW_PROTO && v[i].oif == oif) {
            v[i].table = RT_TABLE_MAIN;
            int r = lime_nl_route_del(nl, &v[i]);
            if (r)
                log_warn("gateway: deleting the proto %d default route: %s", GW_PROTO, strerror(-r));
        }
    free(v);
}

/* Moves the WAN default route to metric (re-add, then delete the old one). */
static int move_metric(struct lime_nl *nl, struct lime_nl_route *r, uint32_t metric)
{
    struct lime_nl_route moved = *r;
    moved.metric = metric;
    moved.table = RT_TABLE_MAIN;
    int e = lime_nl_route_add(nl, &moved);
    if (e && e != -EEXIST)
        return e;
    r->table = RT_TABLE_MAIN;
    lime_nl_route_del(nl, r);
    return 0;
}

static void schedule_pokes(struct ld_gateway *gw);

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
    if (gw->demoted && def.metric == GW_DEMOTED) {
        if (move_metric(nl, &def, gw->wan_metric) == 0)
            def.metric = gw->wan_metric;
        gw->demoted = false;
    }
    if (!have_ours(nl, oif)) {
        struct lime_nl_route r = def;
        r.protocol = GW_PROTO;
        r.metric = GW_METRIC;
        r.table = RT_TABLE_MAIN;
        int e = lime_nl_route_add(nl, &r);
        if (e && e != -EEXIST)
            log_err("gateway: adding default via %s dev %s proto %d: %s", gw->wan_gw, gw->wan,
                    GW_PROTO, strerror(-e));
        else {
            log_info("gateway: internet reachable through %s: announcing default via %s "
                     "(proto %d metric %d)", gw->wan, gw->wan_gw, GW_PROTO, GW_METRIC);
            schedule_pokes(gw);
        }
    }
    lime_nl_close(nl);
}

/* babeld 1.12 misses the deletion of a route whose device has no carrier (the usual case:
 * the WAN link died) and keeps announcing it until its next full kernel dump, ~20 s later.
 * Any other route change makes it re-read the table at once, so add and delete an
 * unreachable host route in TEST-NET-1 (never routed) right after our deletion. */
static void poke_babeld(struct lime_nl *nl)
{
    struct lime_nl_route r = {.family = AF_INET, .table = RT_TABLE_MAIN, .protocol = RTPROT_STATIC,
                         .type = RTN_UNREACHABLE, .dst = {192, 0, 2, 255}, .dst_len = 32,
                         .metric = 4294967295u};
    if (lime_nl_route_add(nl, &r) == 0)
        lime_nl_route_del(nl, &r);
}

/* The poke must reach babeld in a later netlink read than the deletion itself (in the
 * same batch it is lost with it), so it runs from a timer: 300 ms and 1.3 s after. */
static void poke_timer(void *arg)
{
    struct ld_gateway *gw = arg;
    gw->poke = NULL;
    struct lime_nl *nl = lime_nl_open();
    if (nl) {
        poke_babeld(nl);
        lime_nl_close(nl);
    }
    if (gw->pokes_left && --gw->pokes_left)
        gw->poke = lime_timer_add(gw->loop, 1000, poke_timer, gw);
}

static void schedule_pokes(struct ld_gateway *gw)
{
    if (gw->poke)
        lime_timer_cancel(gw->loop, gw->poke);
    gw->pokes_left = 2;
    gw->poke = lime_timer_add(gw->loop, 300, poke_timer, gw);
}

/* Withdraws our announcement and demotes the WAN default so a babel default via another
 * gateway wins on this node too (babeld installs its routes with metric 0). */
static void withdraw(struct ld_gateway *gw)
{
    struct lime_nl *nl = lime_nl_open();
    int oif = nl ? lime_nl_ifindex(nl, gw->wan) : 0;
    if (!nl || !oif) {
        lime_nl_close(nl);
        return;
    }
    struct lime_nl_route def;
    if (!gw->demoted && wan_default(nl, oif, &def) == 0 && def.metric != GW_DEMOTED) {
        gw->wan_metric = def.metric;
        if (move_metric(nl, &def, GW_DEMOTED) == 0)
            gw->demoted = true;
    }
    if (have_ours(nl, oif)) {
        delete_ours(nl, oif);
        poke_babeld(nl);
        schedule_pokes(gw);
        log_info("gateway: internet check failed through %s: default route withdrawn", gw->wan);
    }
    lime_nl_close(nl);
}

/* ---------------------------------------------------------------- the check */

static void schedule(struct ld_gateway *gw, unsigned delay_ms);

static void check_done(struct ld_gateway *gw, bool ok, const char *why)
{
    gw->check = NULL;
    gw->checks++;
    if (ok) {
        gw->fails = 0;
        gw->oks++;
        if (gw->oks >= gw->oks_needed) {
            if (!gw->online)
                log_info("gateway: internet check through %s passed", gw->wan);
            gw->online = true;
            announce(gw); /* also re-adds the route if someone removed it */
        }
    } else {
        gw->oks = 0;
        gw->fails++;
        log_debug("gateway: check through %s failed: %s", gw->wan, why);
        if (gw->fails >= gw->fails_needed && (gw->online || gw->checks <= gw->fails_needed)) {
            if (gw->online)
                log_warn("gateway: internet check through %s failed %u times (%s)", gw->wan,
                         gw->fails, why);
            gw->online = false;
            withdraw(gw);
        }
    }
    /* A first failure while online is confirmed quickly instead of a whole interval
     * later: failover then takes about one interval, not fails x interval. */
    bool confirming = !ok && gw->online && gw->fails < gw->fails_needed;
    schedule(gw, confirming && gw->interval_ms > 1000 ? 1000 : gw->interval_ms);
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

static void stop_pokes(struct ld_gateway *gw)
{
    if (gw->poke)
        lime_timer_cancel(gw->loop, gw->poke);
    gw->poke = NULL;
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
    if (gw->wan[0])
        withdraw(gw);
    stop_pokes(gw);
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
    unsigned interval = 10000, timeout = 5000, fails = 2, oks = 1;
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
        }
        fclose(f);
    }
    struct ld_gateway tmp = {0};
    if (wan[0] && parse_url(&tmp, url)) {
        log_err("%s: check_url '%s' is not http://HOST[:PORT]/PATH", path, url);
        return -1;
    }
    stop_check(gw);
    if (gw->wan[0] && strcmp(gw->wan, wan)) {
        withdraw(gw); /* the WAN moved: nothing stays announced on the old one */
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
    if (wan[0])
        log_info("gateway: watching %s with %s every %u ms", wan, url, gw->interval_ms);
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
