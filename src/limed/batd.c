/* batd control-socket client; see batd.h. Synchronous with a 1 s deadline: batd answers
 * from memory, and an unresponsive batd must not stall the UI for long. */
#include "batd.h"

#include "limed.h"
#include "core/loop.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define BATD_MAX_REPLY (1u << 20)

/* One cached reply per command for a second, and a pause after a batd that did not
 * answer in time, so a stuck batd costs the UI one second per five, not per call. */
#define CACHE_MS 1000
#define BACKOFF_MS 5000
static struct {
    char command[24];
    uint64_t at;
    json_object *reply;
} cache[8];
static uint64_t quiet_until;

static json_object *query(struct ld_ctx *ctx, const char *command, bool *timed_out);

json_object *ld_batd_query(struct ld_ctx *ctx, const char *command)
{
    uint64_t now = lime_now_ms();
    int slot = -1, oldest = 0;
    for (int i = 0; i < 8; i++) {
        if (!strcmp(cache[i].command, command)) {
            slot = i;
            break;
        }
        if (cache[i].at < cache[oldest].at)
            oldest = i;
    }
    if (slot >= 0 && now - cache[slot].at < CACHE_MS)
        return cache[slot].reply ? json_object_get(cache[slot].reply) : NULL;
    if (now < quiet_until)
        return NULL;
    bool timed_out = false;
    json_object *r = query(ctx, command, &timed_out);
    if (timed_out)
        quiet_until = lime_now_ms() + BACKOFF_MS;
    if (slot < 0) {
        slot = oldest;
        ld_strlcpy(cache[slot].command, command, sizeof(cache[slot].command));
    }
    json_object_put(cache[slot].reply);
    cache[slot].reply = r ? json_object_get(r) : NULL;
    cache[slot].at = lime_now_ms();
    return r;
}

static json_object *query(struct ld_ctx *ctx, const char *command, bool *timed_out)
{
    char path[512];
    const char *sock = ctx->batd_socket ? ctx->batd_socket
                                        : ld_path(ctx, "/var/run/batd.sock", path, sizeof(path));
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(sock) >= sizeof(sa.sun_path))
        return NULL;
    strcpy(sa.sun_path, sock);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return NULL;
    json_object *result = NULL;
    char line[64];
    int n = snprintf(line, sizeof(line), "%s json\n", command);
    char *buf = NULL;
    size_t len = 0, cap = 0;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || n <= 0 ||
        (size_t)n >= sizeof(line) || write(fd, line, (size_t)n) != n)
        goto out;
    uint64_t deadline = lime_now_ms() + 1000;
    for (;;) {
        uint64_t now = lime_now_ms();
        struct pollfd p = {fd, POLLIN, 0};
        if (now >= deadline || poll(&p, 1, (int)(deadline - now)) <= 0) {
            *timed_out = true;
            goto out;
        }
        if (cap - len < 4096) {
            if (cap >= BATD_MAX_REPLY)
                goto out;
            char *nb = realloc(buf, cap = cap ? cap * 2 : 8192);
            if (!nb)
                goto out;
            buf = nb;
        }
        ssize_t r = read(fd, buf + len, cap - len - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            goto out;
        if (r == 0)
            break;
        len += (size_t)r;
    }
    if (buf && len && strncmp(buf, "error:", 6)) {
        buf[len] = 0;
        result = json_tokener_parse(buf);
    }
out:
    free(buf);
    close(fd);
    return result;
}
