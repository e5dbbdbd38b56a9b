/* Control socket server and client. */
#include "ctl.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"
#include "neigh.h"
#include "originator.h"
#include "tt.h"

#define MACF "%02x:%02x:%02x:%02x:%02x:%02x"
#define MACA(a) (a)[0], (a)[1], (a)[2], (a)[3], (a)[4], (a)[5]

static int vid_print(uint16_t vid)
{
    return (vid & BATADV_VLAN_HAS_TAG) ? (vid & 0x0fff) : -1;
}

static void header(struct batd *bat, FILE *out, const char *extra)
{
    struct hardif *p = batd_primary(bat);
    fprintf(out, "[B.A.T.M.A.N. adv batd-compat15, MainIF/MAC: %s/" MACF " (%s/" MACF " BATMAN_IV)%s]\n",
            bat->n_hardifs ? p->name : "none", MACA(p->mac), bat->cfg.soft_if, MACA(bat->soft_mac),
            extra);
}

static void originators(struct batd *bat, bool json, FILE *out)
{
    uint64_t now = batd_now(bat);
    bool first = true;
    if (json)
        fputc('[', out);
    else {
        header(bat, out, "");
        fprintf(out, "   Originator        last-seen (#/255) Nexthop           [outgoingIF]\n");
    }
    orig_for_each(bat, o) {
        for (struct neigh *n = o->neighs; n; n = n->next) {
            if (!o->router)
                continue; /* like batctl: only originators with a route */
            uint64_t age = now - o->last_seen;
            bool best = n == o->router;
            if (json) {
                fprintf(out,
                        "%s{\"orig_address\":\"" MACF "\",\"neigh_address\":\"" MACF
                        "\",\"hard_ifname\":\"%s\",\"hard_ifindex\":%d,\"last_seen_msecs\":%llu,"
                        "\"tq\":%u,\"best\":%s}",
                        first ? "" : ",", MACA(o->addr), MACA(n->addr), n->hif->name,
                        n->hif->ifindex, (unsigned long long)age, n->tq_avg, best ? "true" : "false");
                first = false;
            } else {
                fprintf(out, " %c " MACF " %4llu.%03llus   (%3u) " MACF " [%10s]\n", best ? '*' : ' ',
                        MACA(o->addr), (unsigned long long)(age / 1000),
                        (unsigned long long)(age % 1000), n->tq_avg, MACA(n->addr), n->hif->name);
            }
        }
    }
    if (json)
        fputs("]\n", out);
}

static void neighbors(struct batd *bat, bool json, FILE *out)
{
    uint64_t now = batd_now(bat);
    bool first = true;
    if (json)
        fputc('[', out);
    else {
        header(bat, out, "");
        fprintf(out, "IF             Neighbor              last-seen\n");
    }
    for (unsigned i = 0; i < bat->n_hardifs; i++) {
        struct hardif *h = &bat->hardifs[i];
        for (struct hardif_neigh *n = h->neighs; n; n = n->next) {
            uint64_t age = now - n->last_seen;
            if (json) {
                fprintf(out,
                        "%s{\"neigh_address\":\"" MACF "\",\"hard_ifname\":\"%s\",\"hard_ifindex\":%d,"
                        "\"last_seen_msecs\":%llu}",
                        first ? "" : ",", MACA(n->addr), h->name, h->ifindex, (unsigned long long)age);
                first = false;
            } else {
                fprintf(out, "%10s     " MACF " %4llu.%03llus\n", h->name, MACA(n->addr),
                        (unsigned long long)(age / 1000), (unsigned long long)(age % 1000));
            }
        }
    }
    if (json)
        fputs("]\n", out);
}

static void interfaces(struct batd *bat, bool json, FILE *out)
{
    const struct batd_config *c = &bat->cfg;
    if (json) {
        char unsup[64];
        snprintf(unsup, sizeof unsup, "%s%s%s%s", c->bla ? ",\"bla\"" : "", c->dat ? ",\"dat\"" : "",
                 c->gw_mode ? ",\"gw_mode(partial)\"" : "", c->multicast_mode ? ",\"multicast_mode\"" : "");
        fputc('[', out);
        for (unsigned i = 0; i < bat->n_hardifs; i++) {
            struct hardif *h = &bat->hardifs[i];
            fprintf(out,
                    "%s{\"hard_ifname\":\"%s\",\"hard_ifindex\":%d,\"hard_address\":\"" MACF
                    "\",\"active\":true,\"primary\":%s,\"mtu\":%u,\"wireless\":%s,"
                    "\"unsupported_options\":[%s]}",
                    i ? "," : "", h->name, h->ifindex, MACA(h->mac), i == 0 ? "true" : "false",
                    h->mtu, h->wireless ? "true" : "false", unsup[0] ? unsup + 1 : "");
        }
        fprintf(out, "]\n");
        return;
    }
    for (unsigned i = 0; i < bat->n_hardifs; i++)
        fprintf(out, "%s: active\n", bat->hardifs[i].name);
    if (c->bla || c->dat || c->gw_mode || c->multicast_mode)
        fprintf(out, "# unsupported options accepted and ignored:%s%s%s%s\n", c->bla ? " bla" : "",
                c->dat ? " dat" : "", c->gw_mode ? " gw_mode(only DHCP kept local)" : "",
                c->multicast_mode ? " multicast_mode" : "");
}

static void flags_local(uint16_t f, char s[7])
{
    s[0] = f & BATADV_TT_CLIENT_ROAM ? 'R' : '.';
    s[1] = f & BATADV_TT_CLIENT_NOPURGE ? 'P' : '.';
    s[2] = f & BATADV_TT_CLIENT_NEW ? 'N' : '.';
    s[3] = f & BATADV_TT_CLIENT_PENDING ? 'X' : '.';
    s[4] = f & BATADV_TT_CLIENT_WIFI ? 'W' : '.';
    s[5] = f & BATADV_TT_CLIENT_ISOLA ? 'I' : '.';
    s[6] = 0;
}

static void translocal(struct batd *bat, bool json, FILE *out)
{
    uint64_t now = batd_now(bat);
    bool first = true;
    if (json)
        fputc('[', out);
    else {
        char extra[32];
        snprintf(extra, sizeof extra, ", TTVN: %u", bat->ttvn);
        header(bat, out, extra);
        fprintf(out, "Client             VID Flags    Last seen (CRC       )\n");
    }
    tt_local_for_each(bat, e) {
        uint64_t age = now - e->last_seen;
        uint32_t crc = batd_tt_local_crc(bat, e->vid);
        if (json) {
            fprintf(out,
                    "%s{\"client_address\":\"" MACF "\",\"vid\":%d,\"crc32\":%u,\"last_seen_msecs\":%llu,"
                    "\"flags\":%u,\"roam\":%s,\"nopurge\":%s,\"new\":%s,\"pending\":%s,\"wifi\":%s}",
                    first ? "" : ",", MACA(e->addr), vid_print(e->vid), crc,
                    (unsigned long long)age, e->flags,
                    e->flags & BATADV_TT_CLIENT_ROAM ? "true" : "false",
                    e->flags & BATADV_TT_CLIENT_NOPURGE ? "true" : "false",
                    e->flags & BATADV_TT_CLIENT_NEW ? "true" : "false",
                    e->flags & BATADV_TT_CLIENT_PENDING ? "true" : "false",
                    e->flags & BATADV_TT_CLIENT_WIFI ? "true" : "false");
            first = false;
        } else {
            char f[7];
            flags_local(e->flags, f);
            fprintf(out, " * " MACF " %4d [%s] %4llu.%03llu   (0x%08x)\n", MACA(e->addr),
                    vid_print(e->vid), f, (unsigned long long)(age / 1000),
                    (unsigned long long)(age % 1000), crc);
        }
    }
    if (json)
        fputs("]\n", out);
}

static void transglobal(struct batd *bat, bool json, FILE *out)
{
    bool first = true;
    if (json)
        fputc('[', out);
    else {
        header(bat, out, "");
        fprintf(out, "   Client             VID Flags Last ttvn     Via        ttvn  (CRC       )\n");
    }
    tt_global_for_each(bat, g) {
        struct orig *best = batd_tt_global_lookup(bat, g->addr, g->vid);
        uint32_t crc = 0;
        for (unsigned i = 0; i < g->orig->tt_num_vlans; i++)
            if (g->orig->tt_vlans[i].vid == g->vid)
                crc = g->orig->tt_vlans[i].crc;
        bool is_best = best == g->orig;
        if (json) {
            fprintf(out,
                    "%s{\"client_address\":\"" MACF "\",\"orig_address\":\"" MACF "\",\"vid\":%d,"
                    "\"ttvn\":%u,\"last_ttvn\":%u,\"crc32\":%u,\"best\":%s,\"flags\":%u,\"roam\":%s}",
                    first ? "" : ",", MACA(g->addr), MACA(g->orig->addr), vid_print(g->vid), g->ttvn,
                    g->orig->ttvn, crc, is_best ? "true" : "false", g->flags & 0xff,
                    g->flags & BATADV_TT_CLIENT_ROAM ? "true" : "false");
            first = false;
        } else {
            fprintf(out, " %c " MACF " %4d [%c%c%c%c] (%3u) " MACF " (%3u) (0x%08x)\n",
                    is_best ? '*' : ' ', MACA(g->addr), vid_print(g->vid),
                    g->flags & BATADV_TT_CLIENT_ROAM ? 'R' : '.',
                    g->flags & BATADV_TT_CLIENT_WIFI ? 'W' : '.',
                    g->flags & BATADV_TT_CLIENT_ISOLA ? 'I' : '.', '.', g->ttvn, MACA(g->orig->addr),
                    g->orig->ttvn, crc);
        }
    }
    if (json)
        fputs("]\n", out);
}

static void statistics(struct batd *bat, bool json, FILE *out)
{
    if (json)
        fputc('{', out);
    for (int i = 0; i < STAT_COUNT; i++) {
        if (json)
            fprintf(out, "%s\"%s\":%llu", i ? "," : "", batd_stat_names[i],
                    (unsigned long long)bat->stats[i]);
        else
            fprintf(out, "\t%s: %llu\n", batd_stat_names[i], (unsigned long long)bat->stats[i]);
    }
    if (json)
        fputs("}\n", out);
}

int batd_ctl_reply(struct batd *bat, const char *cmd, bool json, FILE *out)
{
    if (!strcmp(cmd, "originators") || !strcmp(cmd, "o"))
        originators(bat, json, out);
    else if (!strcmp(cmd, "neighbors") || !strcmp(cmd, "n"))
        neighbors(bat, json, out);
    else if (!strcmp(cmd, "interfaces") || !strcmp(cmd, "if"))
        interfaces(bat, json, out);
    else if (!strcmp(cmd, "translocal") || !strcmp(cmd, "tl"))
        translocal(bat, json, out);
    else if (!strcmp(cmd, "transglobal") || !strcmp(cmd, "tg"))
        transglobal(bat, json, out);
    else if (!strcmp(cmd, "statistics") || !strcmp(cmd, "s"))
        statistics(bat, json, out);
    else
        return -1;
    return 0;
}

/* One client connection: read a request line, then write the reply; never blocks the
 * loop (a silent client is dropped after 5 s). */
struct ctl_conn {
    struct ctl_conn *next;
    struct batd *bat;
    int fd;
    char req[128];
    size_t got;
    char *out;
    size_t out_len, out_off;
    struct lime_timer *timeout;
};

static struct ctl_conn *conns; /* open connections, freed at batd_ctl_close */

static void conn_close(struct ctl_conn *c)
{
    for (struct ctl_conn **pc = &conns; *pc; pc = &(*pc)->next) {
        if (*pc == c) {
            *pc = c->next;
            break;
        }
    }
    lime_loop_del_fd(c->bat->loop, c->fd);
    close(c->fd);
    if (c->timeout)
        lime_timer_cancel(c->bat->loop, c->timeout);
    free(c->out);
    free(c);
}

static void conn_timeout(void *arg)
{
    struct ctl_conn *c = arg;
    c->timeout = NULL;
    conn_close(c);
}

static void conn_build_reply(struct ctl_conn *c)
{
    char *nl = memchr(c->req, '\n', c->got);
    if (nl)
        *nl = 0;
    c->req[c->got < sizeof c->req ? c->got : sizeof c->req - 1] = 0;
    char cmd[64] = "", opt[64] = "";
    sscanf(c->req, "%63s %63s", cmd, opt);
    bool json = !strcmp(opt, "json") || !strcmp(opt, "--json");
    FILE *out = open_memstream(&c->out, &c->out_len);
    if (!out)
        return;
    if (batd_ctl_reply(c->bat, cmd, json, out) < 0)
        fprintf(out, "error: unknown command '%s' (originators|neighbors|interfaces|translocal|"
                     "transglobal|statistics)\n", cmd);
    fclose(out);
}

static void conn_event(int fd, unsigned events, void *arg)
{
    struct ctl_conn *c = arg;
    if (!c->out) {
        ssize_t r = read(fd, c->req + c->got, sizeof c->req - 1 - c->got);
        if (r < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        if (r > 0)
            c->got += (size_t)r;
        bool line = memchr(c->req, '\n', c->got) != NULL;
        if (r > 0 && !line && c->got < sizeof c->req - 1)
            return;
        if (r <= 0 && !c->got) {
            conn_close(c);
            return;
        }
        conn_build_reply(c);
        if (!c->out) {
            conn_close(c);
            return;
        }
        lime_loop_mod_fd(c->bat->loop, fd, LIME_EV_WRITE);
    }
    while (c->out_off < c->out_len) {
        ssize_t w = write(fd, c->out + c->out_off, c->out_len - c->out_off);
        if (w < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        if (w <= 0)
            break;
        c->out_off += (size_t)w;
    }
    conn_close(c);
}

static void ctl_accept(int lfd, unsigned events, void *arg)
{
    struct batd *bat = arg;
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0)
            return;
        struct ctl_conn *c = calloc(1, sizeof *c);
        if (!c || lime_loop_add_fd(bat->loop, fd, LIME_EV_READ, conn_event, c) < 0) {
            free(c);
            close(fd);
            continue;
        }
        c->bat = bat;
        c->fd = fd;
        c->next = conns;
        conns = c;
        c->timeout = lime_timer_add(bat->loop, 5000, conn_timeout, c);
    }
}

static void mkdir_parent(const char *path)
{
    char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        mkdir(dir, 0755);
        *p = '/';
    }
}

int batd_ctl_open(struct batd *bat, const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sa.sun_path)
        return -ENAMETOOLONG;
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    mkdir_parent(path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    unlink(path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 8) < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    bat->ctl_fd = fd;
    return lime_loop_add_fd(bat->loop, fd, LIME_EV_READ, ctl_accept, bat);
}

void batd_ctl_close(struct batd *bat, const char *path)
{
    while (conns)
        conn_close(conns);
    if (bat->ctl_fd < 0)
        return;
    lime_loop_del_fd(bat->loop, bat->ctl_fd);
    close(bat->ctl_fd);
    bat->ctl_fd = -1;
    unlink(path);
}

int batd_ctl_client(int argc, char **argv, const char *default_path)
{
    const char *path = default_path, *cmd = NULL;
    bool json = false;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--ctl") && i + 1 < argc)
            path = argv[++i];
        else if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "-j"))
            json = true;
        else if (!cmd)
            cmd = argv[i];
        else {
            fprintf(stderr, "batd ctl: unexpected argument '%s'\n", argv[i]);
            return 2;
        }
    }
    if (!cmd) {
        fprintf(stderr, "usage: batd ctl [--ctl PATH] originators|neighbors|interfaces|translocal|"
                        "transglobal|statistics [--json]\n");
        return 2;
    }
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        fprintf(stderr, "batd ctl: %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return 1;
    }
    char req[160];
    int n = snprintf(req, sizeof req, "%s%s\n", cmd, json ? " json" : "");
    if (write(fd, req, (size_t)n) != n) {
        close(fd);
        return 1;
    }
    char buf[4096];
    ssize_t r;
    bool error = false, firstchunk = true;
    while ((r = read(fd, buf, sizeof buf)) > 0) {
        if (firstchunk && r >= 6 && !memcmp(buf, "error:", 6))
            error = true;
        firstchunk = false;
        fwrite(buf, 1, (size_t)r, error ? stderr : stdout);
    }
    close(fd);
    return error ? 2 : 0;
}
