/* Path to the gateway; see gwpath.h. */
#include "gwpath.h"

#include "core/babel.h"
#include "core/uplink.h"
#include "fetch.h"
#include "limed.h"
#include "meshnames.h"
#include "core/loop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GWPATH_PERIOD_MS 10000
#define GWPATH_STALE_MS 35000

static struct lime_timer *timer;
static struct ld_ctx *gctx;
static char cur[LD_GWPATH_MAX][64], done[LD_GWPATH_MAX][64];
static int n_cur, n_done;
static char gateway[64];
static uint64_t done_at;
static unsigned generation;

void ld_gwpath_local(struct ld_ctx *ctx, char *buf, size_t len)
{
    const struct lime_babel_state *b = lime_babel_state(ctx->babel);
    buf[0] = 0;
    if (lime_uplink_gateway(b)) {
        ld_strlcpy(buf, "self", len);
        return;
    }
    const struct lime_babel_route *def = lime_babel_installed(b, "0.0.0.0/0");
    if (!def)
        return;
    char next[64], gw[64];
    ld_node_ip(b, lime_babel_neigh_id(b, def->via), next, sizeof(next));
    ld_node_ip(b, def->id, gw, sizeof(gw));
    if (next[0] && gw[0])
        snprintf(buf, len, "%s %s", next, gw);
}

static void finish(void)
{
    memcpy(done, cur, sizeof(cur));
    n_done = n_cur;
    done_at = lime_now_ms();
}

static void ask(const char *ip);

static void on_reply(int status, const char *body, size_t len, void *arg)
{
    unsigned gen = (unsigned)(uintptr_t)arg;
    if (gen != generation)
        return;
    char next[64] = "", gw[64] = "";
    if (status == 200 && body && len < 200) {
        char line[200];
        snprintf(line, sizeof(line), "%.*s", (int)len, body);
        if (!strncmp(line, "self", 4)) {
            finish(); /* the last hop asked is the gateway */
            return;
        }
        if (sscanf(line, "%63s %63s", next, gw) != 2)
            next[0] = 0;
    }
    if (!next[0] || n_cur == LD_GWPATH_MAX)
        return; /* the chain broke: keep the previous complete path */
    for (int i = 0; i < n_cur; i++)
        if (!strcmp(cur[i], next))
            return; /* a loop (routes changing): try again next round */
    ld_strlcpy(cur[n_cur++], next, sizeof(cur[0]));
    if (!strcmp(next, gateway))
        finish();
    else
        ask(next);
}

static void ask(const char *ip)
{
    if (ld_fetch(gctx, ip, gctx->peer_port, "/cgi-bin/lime/next-hop", on_reply,
                 (void *)(uintptr_t)generation) < 0)
        n_cur = 0;
}

static void round_start(void *arg)
{
    timer = lime_timer_add(gctx->loop, GWPATH_PERIOD_MS, round_start, NULL);
    generation++;
    n_cur = 0;
    char local[160], next[64], gw[64];
    ld_gwpath_local(gctx, local, sizeof(local));
    if (sscanf(local, "%63s %63s", next, gw) != 2) {
        n_done = 0; /* no gateway, or we are it */
        return;
    }
    ld_strlcpy(gateway, gw, sizeof(gateway));
    ld_strlcpy(cur[n_cur++], next, sizeof(cur[0]));
    if (!strcmp(next, gw))
        finish();
    else
        ask(next);
}

int ld_gwpath_start(struct ld_ctx *ctx)
{
    gctx = ctx;
    timer = lime_timer_add(ctx->loop, 1000, round_start, NULL);
    return timer ? 0 : -1;
}

void ld_gwpath_stop(struct ld_ctx *ctx)
{
    if (timer)
        lime_timer_cancel(ctx->loop, timer);
    timer = NULL;
    generation++;
}

int ld_gwpath_get(char hops[][64])
{
    if (!n_done || lime_now_ms() - done_at > GWPATH_STALE_MS)
        return 0;
    memcpy(hops, done, sizeof(done));
    return n_done;
}
