/* Control socket (see control.h). Requests are small; each client gets 5 s. */
#include "control.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "log.h"
#include "loop.h"
#include "service.h"

#define CTL_MAX_REQUEST (2u * 1024 * 1024)
#define CTL_TIMEOUT_MS 15000

struct ctl_client;

struct ss_control {
    struct lime_loop *loop;
    struct ss_service *ss;
    int fd;
    char *path;
    struct ctl_client *clients;
};

struct ctl_client {
    struct ss_control *ctl;
    int fd;
    char *in;
    size_t inlen;
    char *out;
    size_t outlen, outoff;
    bool waiting; /* a sync is running for it */
    struct lime_timer *deadline;
    struct ctl_client *next;
};

static void client_free(struct ctl_client *c)
{
    struct ss_control *ctl = c->ctl;
    for (struct ctl_client **p = &ctl->clients; *p; p = &(*p)->next)
        if (*p == c) {
            *p = c->next;
            break;
        }
    lime_timer_cancel(ctl->loop, c->deadline);
    if (c->fd >= 0) {
        lime_loop_del_fd(ctl->loop, c->fd);
        close(c->fd);
    }
    free(c->in);
    free(c->out);
    free(c);
}

static void client_io(int fd, unsigned events, void *arg);

static void reply(struct ctl_client *c, struct json_object *o)
{
    const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
                                                          JSON_C_TO_STRING_NOSLASHESCAPE);
    size_t n = strlen(s);
    c->out = malloc(n + 1);
    if (c->out) {
        memcpy(c->out, s, n);
        c->out[n] = '\n';
        c->outlen = n + 1;
    }
    json_object_put(o);
    c->waiting = false;
    lime_loop_mod_fd(c->ctl->loop, c->fd, LIME_EV_WRITE);
}

static struct json_object *result(int err, const char *msg)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "error", json_object_new_int(err));
    if (msg)
        json_object_object_add(o, "message", json_object_new_string(msg));
    return o;
}

struct pending_sync {
    ss_control_reply_cb cb;
    void *arg;
};

static void sync_done(void *arg, int failed, int total)
{
    struct pending_sync *p = arg;
    struct json_object *o = result(failed ? SS_ERR_PEER : SS_OK, NULL);
    json_object_object_add(o, "failed", json_object_new_int(failed));
    json_object_object_add(o, "total", json_object_new_int(total));
    p->cb(p->arg, o);
    free(p);
}

static void add_counter(const char *name, uint64_t v, void *arg)
{
    json_object_object_add(arg, name, json_object_new_int64((int64_t)v));
}

void ss_control_eval(struct ss_service *ss, const char *text, ss_control_reply_cb done, void *arg)
{
    struct json_object *req = json_tokener_parse(text);
    struct json_object *op, *type = NULL, *o;
    if (!req || !json_object_object_get_ex(req, "op", &op)) {
        json_object_put(req);
        done(arg, result(SS_ERR_USAGE, "expected a JSON object with an \"op\" member"));
        return;
    }
    const char *ops = json_object_is_type(op, json_type_string) ? json_object_get_string(op) : "";
    json_object_object_get_ex(req, "type", &type);
    const char *ts = type && json_object_is_type(type, json_type_string) ? json_object_get_string(type) : "";
    int err = SS_OK;
    if (!strcmp(ops, "get") || !strcmp(ops, "dump")) {
        struct json_object *d = !strcmp(ops, "get") ? ss_service_get(ss, ts, &err)
                                                    : ss_service_dump(ss, ts, &err);
        o = result(err, err ? "unknown type" : NULL);
        if (d)
            json_object_object_add(o, "data", d);
        done(arg, o);
    } else if (!strcmp(ops, "insert")) {
        struct json_object *data = NULL;
        json_object_object_get_ex(req, "data", &data);
        err = ss_service_insert(ss, ts, data);
        done(arg, result(err, err == SS_ERR_TYPE    ? "unknown type"
                              : err == SS_ERR_INPUT ? "expected a JSON object {key: data} within the caps"
                                                    : NULL));
    } else if (!strcmp(ops, "register")) {
        struct json_object *sc = NULL, *iv = NULL, *ttl = NULL;
        json_object_object_get_ex(req, "scope", &sc);
        json_object_object_get_ex(req, "interval", &iv);
        json_object_object_get_ex(req, "ttl", &ttl);
        int64_t i = iv ? json_object_get_int64(iv) : 0, t = ttl ? json_object_get_int64(ttl) : 0;
        const char *scope = sc && json_object_is_type(sc, json_type_string) ? json_object_get_string(sc) : "community";
        err = (i <= 0 || t <= 0 || i > UINT32_MAX || t > UINT32_MAX)
                  ? SS_ERR_USAGE
                  : ss_service_register(ss, ts, scope, (uint32_t)i, (uint32_t)t);
        done(arg, result(err, err ? "expected TYPE (1-128 chars), positive interval and ttl" : NULL));
    } else if (!strcmp(ops, "sync")) {
        struct json_object *pl = NULL;
        const char *peers[64];
        size_t n = 0;
        if (json_object_object_get_ex(req, "peers", &pl) && json_object_is_type(pl, json_type_array))
            for (size_t i = 0; i < json_object_array_length(pl) && n < 64; i++) {
                struct json_object *p = json_object_array_get_idx(pl, i);
                if (json_object_is_type(p, json_type_string))
                    peers[n++] = json_object_get_string(p);
            }
        struct pending_sync *p = malloc(sizeof *p);
        if (!p) {
            done(arg, result(SS_ERR_INTERNAL, "out of memory"));
        } else {
            p->cb = done;
            p->arg = arg;
            err = ss_service_sync(ss, ts, peers, n, sync_done, p);
            if (err) {
                free(p);
                done(arg, result(err, err == SS_ERR_TYPE ? "unknown type" : "bad peer address"));
            }
        }
    } else if (!strcmp(ops, "discover")) {
        o = result(SS_OK, NULL);
        json_object_object_add(o, "data", ss_service_neighbours(ss));
        done(arg, o);
    } else if (!strcmp(ops, "counters")) {
        o = result(SS_OK, NULL);
        struct json_object *d = json_object_new_object();
        ss_service_counters_foreach(ss, add_counter, d);
        json_object_object_add(o, "data", d);
        done(arg, o);
    } else {
        done(arg, result(SS_ERR_USAGE, "unknown op"));
    }
    json_object_put(req);
}

static void client_reply(void *arg, struct json_object *o)
{
    reply(arg, o);
}

static void handle(struct ctl_client *c)
{
    c->waiting = true; /* until the reply: a sync answers later */
    ss_control_eval(c->ctl->ss, c->in, client_reply, c);
}

static void client_timeout(void *arg)
{
    struct ctl_client *c = arg;
    c->deadline = NULL;
    if (c->waiting)
        return; /* the sync's own timeouts bound it; it replies then */
    client_free(c);
}

static void client_io(int fd, unsigned events, void *arg)
{
    struct ctl_client *c = arg;
    if (c->out) {
        while (c->outoff < c->outlen) {
            ssize_t n = send(fd, c->out + c->outoff, c->outlen - c->outoff, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EAGAIN || errno == EINTR)
                    return;
                break;
            }
            c->outoff += (size_t)n;
        }
        client_free(c);
        return;
    }
    if (c->waiting) {
        lime_loop_mod_fd(c->ctl->loop, fd, 0);
        return;
    }
    char buf[65536];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    bool eof = n <= 0;
    if (n > 0) {
        if (c->inlen + (size_t)n > CTL_MAX_REQUEST) {
            client_free(c);
            return;
        }
        char *ni = realloc(c->in, c->inlen + (size_t)n + 1);
        if (!ni) {
            client_free(c);
            return;
        }
        c->in = ni;
        memcpy(c->in + c->inlen, buf, (size_t)n);
        c->inlen += (size_t)n;
        c->in[c->inlen] = 0;
    }
    if (eof && c->inlen == 0) {
        client_free(c);
        return;
    }
    if (eof || memchr(c->in, '\n', c->inlen))
        handle(c);
}

static void on_accept(int fd, unsigned events, void *arg)
{
    struct ss_control *ctl = arg;
    int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (cfd < 0)
        return;
    struct ctl_client *c = calloc(1, sizeof *c);
    if (!c) {
        close(cfd);
        return;
    }
    c->ctl = ctl;
    c->fd = cfd;
    if (lime_loop_add_fd(ctl->loop, cfd, LIME_EV_READ, client_io, c) < 0) {
        close(cfd);
        free(c);
        return;
    }
    c->deadline = lime_timer_add(ctl->loop, CTL_TIMEOUT_MS, client_timeout, c);
    c->next = ctl->clients;
    ctl->clients = c;
}

struct ss_control *ss_control_start(struct lime_loop *loop, const char *path,
                                    struct ss_service *ss)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof a.sun_path) {
        log_err("control socket path too long: %s", path);
        return NULL;
    }
    strcpy(a.sun_path, path);
    struct ss_control *ctl = calloc(1, sizeof *ctl);
    if (!ctl)
        return NULL;
    ctl->loop = loop;
    ctl->ss = ss;
    ctl->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    ctl->path = strdup(path);
    unlink(path);
    if (ctl->fd < 0 || !ctl->path || bind(ctl->fd, (struct sockaddr *)&a, sizeof a) < 0 ||
        listen(ctl->fd, 16) < 0 ||
        lime_loop_add_fd(loop, ctl->fd, LIME_EV_READ, on_accept, ctl) < 0) {
        log_err("control socket %s: %s", path, strerror(errno));
        if (ctl->fd >= 0)
            close(ctl->fd);
        free(ctl->path);
        free(ctl);
        return NULL;
    }
    return ctl;
}

void ss_control_stop(struct ss_control *ctl)
{
    if (!ctl)
        return;
    while (ctl->clients) {
        ctl->clients->waiting = false;
        client_free(ctl->clients);
    }
    lime_loop_del_fd(ctl->loop, ctl->fd);
    close(ctl->fd);
    unlink(ctl->path);
    free(ctl->path);
    free(ctl);
}
