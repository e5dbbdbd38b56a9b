/* Link tests toward another node, for lime-metrics.get_metrics (LiMe-App's Metrics page:
 * bandwidth and packet loss per hop of the path to the gateway). Upstream runs netperf
 * for 10 s and ping; here, on limed's loop and without extra daemons:
 *   loss      LD_LINKTEST_PINGS ICMP echo requests, one every 100 ms, replies counted
 *             until 1 s after the last (raw ICMP socket; an unprivileged ping socket if
 *             that fails);
 *   bandwidth a download from the target's limed (GET LD_BWTEST_PATH, zeros it streams
 *             for at most LD_BWTEST_MAX_MS), the rate over LD_LINKTEST_BW_MS from the
 *             first byte.
 * Both run at once (~2 s). One test at a time per node. */
#ifndef LD_LINKTEST_H
#define LD_LINKTEST_H

#include <stdint.h>

struct ld_ctx;

#define LD_BWTEST_PATH "/cgi-bin/lime/bwtest"
#define LD_BWTEST_MAX_BYTES (1ull << 30)
#define LD_BWTEST_MAX_MS 4000
#define LD_BWTEST_MAX_STREAMS 2
#define LD_BWTEST_PER_MINUTE 30 /* a Metrics page measuring a 16-hop path twice */
#define LD_LINKTEST_PINGS 10
#define LD_LINKTEST_BW_MS 2000

struct ld_linktest_result {
    int ping_err;    /* 0, or -errno: no loss figure */
    int bw_err;      /* 0, or -errno: no bandwidth figure */
    double loss_pct; /* 0..100 */
    double mbps;     /* megabits per second */
};

typedef void (*ld_linktest_cb)(const struct ld_linktest_result *r, void *arg);

/* Starts a test toward target (numeric IPv4, or global IPv6). Returns 0, and cb is then
 * called exactly once, later, from the loop; or -EINVAL (not such an address), -EBUSY (a
 * test runs) or another -errno (nothing could start), and cb is never called. */
int ld_linktest_start(struct ld_ctx *ctx, const char *target, ld_linktest_cb cb, void *arg);
/* Module stop: ends a running test (its callback gets -ECANCELED errors). */
void ld_linktest_stop(struct ld_ctx *ctx);

#endif
