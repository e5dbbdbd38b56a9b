/* hostapd/wpa_supplicant control interface client (wpactrl.h). */
#include "wpactrl.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct lime_wpactrl {
    int fd;
    struct sockaddr_un local;
};

struct lime_wpactrl *lime_wpactrl_open(const char *path)
{
    static unsigned counter;
    struct sockaddr_un dest = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof(dest.sun_path)) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    memcpy(dest.sun_path, path, strlen(path) + 1);
    struct lime_wpactrl *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (c->fd < 0) {
        free(c);
        return NULL;
    }
    c->local.sun_family = AF_UNIX;
    snprintf(c->local.sun_path, sizeof(c->local.sun_path), "/tmp/lime-wpactrl-%d-%u", (int)getpid(),
             counter++);
    unlink(c->local.sun_path);
    if (bind(c->fd, (struct sockaddr *)&c->local, sizeof(c->local)) < 0 ||
        connect(c->fd, (struct sockaddr *)&dest, sizeof(dest)) < 0) {
        int e = errno;
        close(c->fd);
        unlink(c->local.sun_path);
        free(c);
        errno = e;
        return NULL;
    }
    return c;
}

void lime_wpactrl_close(struct lime_wpactrl *c)
{
    if (!c)
        return;
    close(c->fd);
    unlink(c->local.sun_path);
    free(c);
}

int lime_wpactrl_fd(const struct lime_wpactrl *c)
{
    return c->fd;
}

int lime_wpactrl_recv(struct lime_wpactrl *c, char *buf, size_t len)
{
    if (len < 2)
        return -EINVAL;
    ssize_t n = recv(c->fd, buf, len - 1, 0);
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
    buf[n] = 0;
    return (int)n;
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int lime_wpactrl_request(struct lime_wpactrl *c, const char *cmd, char *buf, size_t len, int timeout_ms)
{
    if (len < 2)
        return -EINVAL;
    if (send(c->fd, cmd, strlen(cmd), 0) < 0)
        return -errno;
    long long end = now_ms() + timeout_ms;
    for (;;) {
        long long left = end - now_ms();
        if (left <= 0)
            return -ETIMEDOUT;
        struct pollfd p = {.fd = c->fd, .events = POLLIN};
        int r = poll(&p, 1, (int)left);
        if (r < 0 && errno != EINTR)
            return -errno;
        if (r <= 0)
            continue;
        int n = lime_wpactrl_recv(c, buf, len);
        if (n < 0)
            return n;
        if (n > 0 && buf[0] == '<') /* an event, not our reply */
            continue;
        if (n > 0)
            return n;
    }
}

int lime_wpactrl_send(struct lime_wpactrl *c, const char *cmd)
{
    return send(c->fd, cmd, strlen(cmd), 0) < 0 ? -errno : 0;
}

int lime_wpactrl_attach(struct lime_wpactrl *c)
{
    char buf[32];
    int n = lime_wpactrl_request(c, "ATTACH", buf, sizeof(buf), 2000);
    if (n < 0)
        return n;
    return strncmp(buf, "OK", 2) ? -EPROTO : 0;
}

/* ---------------------------------------------------------------- parsing */

int lime_wpactrl_mac(const char *s, size_t len, uint8_t mac[6])
{
    if (len < 17)
        return -EINVAL;
    for (int i = 0; i < 6; i++) {
        const char *p = s + 3 * i;
        if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]) || (i < 5 && p[2] != ':'))
            return -EINVAL;
        unsigned v;
        char two[3] = {p[0], p[1], 0};
        sscanf(two, "%x", &v);
        mac[i] = (uint8_t)v;
    }
    if (len > 17 && (isxdigit((unsigned char)s[17]) || s[17] == ':'))
        return -EINVAL;
    return 0;
}

int lime_wpactrl_parse_event(const char *msg, size_t len, struct lime_wpactrl_event *ev)
{
    memset(ev, 0, sizeof(*ev));
    ev->level = -1;
    size_t i = 0;
    if (len && msg[0] == '<') {
        int lvl = 0;
        for (i = 1; i < len && i < 4 && isdigit((unsigned char)msg[i]); i++)
            lvl = lvl * 10 + (msg[i] - '0');
        if (i == 1 || i >= len || msg[i] != '>')
            return -EINVAL;
        ev->level = lvl;
        i++;
    } else
        return -EINVAL;
    size_t start = i;
    while (i < len && (isupper((unsigned char)msg[i]) || isdigit((unsigned char)msg[i]) || msg[i] == '-' ||
                       msg[i] == '_'))
        i++;
    if (i == start || i - start >= sizeof(ev->name))
        return -EINVAL;
    memcpy(ev->name, msg + start, i - start);
    ev->name[i - start] = 0;
    ev->rest = msg + i;
    /* the first MAC address of the rest */
    for (size_t k = i; k + 17 <= len; k++)
        if ((k == i || msg[k - 1] == ' ' || msg[k - 1] == '=') &&
            lime_wpactrl_mac(msg + k, len - k, ev->mac) == 0) {
            ev->has_mac = true;
            break;
        }
    return 0;
}

bool lime_wpactrl_kv(const char *reply, const char *key, char *out, size_t len)
{
    size_t kl = strlen(key);
    for (const char *line = reply; line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t ll = nl ? (size_t)(nl - line) : strlen(line);
        if (ll > kl && !strncmp(line, key, kl) && line[kl] == '=') {
            size_t vl = ll - kl - 1;
            if (len) {
                if (vl >= len)
                    vl = len - 1;
                memcpy(out, line + kl + 1, vl);
                out[vl] = 0;
            }
            return true;
        }
        line = nl ? nl + 1 : NULL;
    }
    return false;
}
