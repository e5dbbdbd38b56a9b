/* babeld local-socket client; see babel.h. Protocol (babeld local.c): on connect babeld
 * sends "BABEL 1.0", version, host, my-id lines and "ok"; "dump" answers with
 * "add interface|neighbour|route|xroute ..." lines (key value pairs) and "ok". */
#include "babel.h"

#include "gateway.h"
#include "limed.h"
#include "core/loop.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static struct ld_babel cache;
static uint64_t cache_at;
static bool cache_valid;

static void copy(char *dst, size_t len, const char *src)
{
    ld_strlcpy(dst, src ? src : "", len);
}

void ld_babel_parse_line(struct ld_babel *b, const char *line)
{
    char buf[512];
    char *tok[40];
    int n = 0;
    copy(buf, sizeof(buf), line);
    for (char *save, *t = strtok_r(buf, " \t\r\n", &save); t && n < 40;
         t = strtok_r(NULL, " \t\r\n", &save))
        tok[n++] = t;
    if (n >= 2 && !strcmp(tok[0], "my-id")) {
        copy(b->my_id, sizeof(b->my_id), tok[1]);
        return;
    }
    if (n < 3 || strcmp(tok[0], "add"))
        return;
    if (!strcmp(tok[1], "neighbour") && b->n_neigh < LD_BABEL_MAX_NEIGH) {
        struct ld_babel_neigh *x = &b->neigh[b->n_neigh];
        memset(x, 0, sizeof(*x));
        for (int i = 3; i + 1 < n; i += 2) {
            const char *k = tok[i], *v = tok[i + 1];
            if (!strcmp(k, "address"))
                copy(x->address, sizeof(x->address), v);
            else if (!strcmp(k, "if"))
                copy(x->iface, sizeof(x->iface), v);
            else if (!strcmp(k, "reach"))
                x->reach = (unsigned)strtoul(v, NULL, 16) & 0xffff;
            else if (!strcmp(k, "rxcost"))
                x->rxcost = atoi(v);
            else if (!strcmp(k, "txcost"))
                x->txcost = atoi(v);
            else if (!strcmp(k, "cost"))
                x->cost = atoi(v);
        }
        if (x->address[0])
            b->n_neigh++;
    } else if (!strcmp(tok[1], "route") && b->n_route < LD_BABEL_MAX_ROUTES) {
        struct ld_babel_route *x = &b->route[b->n_route];
        memset(x, 0, sizeof(*x));
        for (int i = 3; i + 1 < n; i += 2) {
            const char *k = tok[i], *v = tok[i + 1];
            if (!strcmp(k, "prefix"))
                copy(x->prefix, sizeof(x->prefix), v);
            else if (!strcmp(k, "from"))
                copy(x->from, sizeof(x->from), v);
            else if (!strcmp(k, "installed"))
                x->installed = !strcmp(v, "yes");
            else if (!strcmp(k, "id"))
                copy(x->id, sizeof(x->id), v);
            else if (!strcmp(k, "metric"))
                x->metric = atoi(v);
            else if (!strcmp(k, "refmetric"))
                x->refmetric = atoi(v);
            else if (!strcmp(k, "via"))
                copy(x->via, sizeof(x->via), v);
            else if (!strcmp(k, "if"))
                copy(x->iface, sizeof(x->iface), v);
        }
        if (x->prefix[0])
            b->n_route++;
    } else if (!strcmp(tok[1], "xroute") && b->n_xroute < 64) {
        for (int i = 3; i + 1 < n; i += 2)
            if (!strcmp(tok[i], "prefix"))
                copy(b->xroute[b->n_xroute++], 64, tok[i + 1]);
    }
}

/* Reads from fd until a line "ok"/"bad"/"no" ends the reply; feeds complete lines. */
static int read_reply(int fd, struct ld_babel *b, uint64_t deadline)
{
    char buf[8192];
    size_t len = 0;
    for (;;) {
        uint64_t now = lime_now_ms();
        if (now >= deadline)
            return -ETIMEDOUT;
        struct pollfd p = {fd, POLLIN, 0};
        int r = poll(&p, 1, (int)(deadline - now));
        if (r <= 0)
            return r < 0 ? -errno : -ETIMEDOUT;
        ssize_t n = read(fd, buf + len, sizeof(buf) - len - 1);
        if (n <= 0)
            return -EPIPE;
        len += (size_t)n;
        buf[len] = 0;
        char *line = buf, *nl;
        while ((nl = strchr(line, '\n'))) {
            *nl = 0;
            if (!strcmp(line, "ok"))
                return 0;
            if (!strcmp(line, "bad") || !strcmp(line, "no"))
                return -EINVAL;
            if (b)
                ld_babel_parse_line(b, line);
            line = nl + 1;
        }
        len = strlen(line);
        memmove(buf, line, len + 1);
        if (len == sizeof(buf) - 1)
            len = 0; /* an absurdly long line: drop it */
    }
}

static int dump(const char *path, struct ld_babel *b)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof(sa.sun_path))
        return -ENAMETOOLONG;
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    uint64_t deadline = lime_now_ms() + 1000;
    int r = read_reply(fd, b, deadline); /* the banner, with my-id */
    if (r == 0 && write(fd, "dump\n", 5) != 5)
        r = -EPIPE;
    if (r == 0)
        r = read_reply(fd, b, deadline);
    close(fd);
    return r;
}

const struct ld_babel *ld_babel_get(struct ld_ctx *ctx)
{
    uint64_t now = lime_now_ms();
    if (cache_valid && now - cache_at < 1000)
        return &cache;
    memset(&cache, 0, sizeof(cache));
    char path[512];
    const char *sock = ctx->babeld_socket;
    if (!sock)
        sock = ld_path(ctx, "/var/run/babeld.sock", path, sizeof(path));
    cache.ok = dump(sock, &cache) == 0;
    if (!cache.ok) {
        memset(&cache, 0, sizeof(cache));
    }
    cache_at = now;
    cache_valid = true;
    return &cache;
}

/* From babeld's own link cost: a perfect link costs the interface's nominal cost (96 on
 * "wired" interfaces, 256 on "wireless" ones, where the cost is the ETX scaled by 256);
 * a worse link costs proportionally more; 0xFFFF is unreachable. The reach bits are not
 * used: they only say how long the neighbour has been heard. */
int ld_babel_quality(const struct ld_babel_neigh *n)
{
    if (n->cost <= 0 || n->cost >= 0xffff)
        return 0;
    int nominal = (n->rxcost >= 256 || n->cost >= 256) ? 256 : 96;
    int q = 100 * nominal / n->cost;
    return q > 100 ? 100 : q;
}

const struct ld_babel_route *ld_babel_installed(const struct ld_babel *b, const char *prefix)
{
    for (int i = 0; i < b->n_route; i++)
        if (b->route[i].installed && !strcmp(b->route[i].prefix, prefix))
            return &b->route[i];
    return NULL;
}

const struct ld_babel_route *ld_babel_host_route(const struct ld_babel *b, const char *id)
{
    const struct ld_babel_route *best = NULL;
    for (int i = 0; i < b->n_route; i++) {
        const struct ld_babel_route *r = &b->route[i];
        size_t pl = strlen(r->prefix);
        if (strcmp(r->id, id) || pl < 3 || strcmp(r->prefix + pl - 3, "/32") ||
            !strchr(r->prefix, '.'))
            continue;
        if (!best || (r->installed && !best->installed))
            best = r;
    }
    return best;
}

const char *ld_babel_neigh_id(const struct ld_babel *b, const char *addr)
{
    /* The neighbour's own announcements are the routes with refmetric 0 via it. */
    for (int i = 0; i < b->n_route; i++)
        if (!strcmp(b->route[i].via, addr) && b->route[i].refmetric == 0)
            return b->route[i].id;
    return "";
}

bool ld_babel_self_gateway(struct ld_ctx *ctx, const struct ld_babel *b)
{
    /* a default route babeld installed (proto 42) leads to another node: not ours */
    if (ld_gateway_own_default(false) || ld_gateway_own_default(true))
        return true;
    if (!b->ok)
        return false;
    for (int i = 0; i < b->n_xroute; i++)
        if (!strcmp(b->xroute[i], "0.0.0.0/0") || !strcmp(b->xroute[i], "::/0"))
            return true;
    return false;
}
