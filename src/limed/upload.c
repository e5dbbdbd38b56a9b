/* cgi-io compatible upload; see upload.h. */
#include "upload.h"

#include "acl.h"
#include "limed.h"
#include "session.h"
#include "core/log.h"
#include "core/md5.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct ld_upload {
    struct ld_ctx *ctx;
    struct MHD_PostProcessor *pp;
    char sid[40];
    char filename[64];
    char dest[512], tmp[560];
    int fd;
    size_t size;
    struct lime_md5 md5;
    unsigned status; /* 0 while fine, else the HTTP status to answer */
    char why[160];
};

int ld_upload_path_allowed(const char *filename)
{
    return !strcmp(filename, "/tmp/firmware.bin") || !strcmp(filename, "/tmp/upgrade.sh");
}

static void fail(struct ld_upload *u, unsigned status, const char *why)
{
    if (u->status)
        return;
    u->status = status;
    snprintf(u->why, sizeof(u->why), "%s\n", why);
    if (u->fd >= 0) {
        close(u->fd);
        u->fd = -1;
        unlink(u->tmp);
    }
}

/* The first chunk of filedata: the session and the destination must be known and good. */
static void open_dest(struct ld_upload *u)
{
    struct ld_session *s = u->sid[0] ? ld_session_get(u->ctx->sessions, u->sid) : NULL;
    if (!s || !ld_acl_allowed(s->read_groups, s->write_groups, "cgi-io", "upload")) {
        fail(u, 403, "permission denied: log in as admin first");
        return;
    }
    if (!ld_upload_path_allowed(u->filename)) {
        fail(u, 403, "permission denied: only /tmp/firmware.bin and /tmp/upgrade.sh");
        return;
    }
    char dir[512];
    mkdir(ld_path(u->ctx, "/tmp", dir, sizeof(dir)), 01777);
    ld_path(u->ctx, u->filename, u->dest, sizeof(u->dest));
    snprintf(u->tmp, sizeof(u->tmp), "%.500s.upload-XXXXXX", u->dest);
    u->fd = mkstemp(u->tmp);
    if (u->fd < 0) {
        fail(u, 500, "cannot create the file");
        return;
    }
    lime_md5_init(&u->md5);
}

static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *filename, const char *content_type,
                                const char *transfer_encoding, const char *data, uint64_t off,
                                size_t size)
{
    struct ld_upload *u = cls;
    if (u->status)
        return MHD_YES; /* keep reading, answer at the end */
    if (!strcmp(key, "sessionid") || !strcmp(key, "filename")) {
        char *dst = key[0] == 's' ? u->sid : u->filename;
        size_t cap = key[0] == 's' ? sizeof(u->sid) : sizeof(u->filename);
        size_t have = strlen(dst);
        if (off != have || have + size >= cap) {
            fail(u, 400, "bad sessionid or filename field");
            return MHD_YES;
        }
        memcpy(dst + have, data, size);
        dst[have + size] = 0;
        return MHD_YES;
    }
    if (strcmp(key, "filedata"))
        return MHD_YES; /* cgi-io ignores other fields too */
    if (u->fd < 0 && !u->tmp[0])
        open_dest(u);
    if (u->status || !size)
        return MHD_YES;
    if (u->size + size > LD_UPLOAD_MAX) {
        fail(u, 413, "file too large");
        return MHD_YES;
    }
    for (size_t done = 0; done < size;) {
        ssize_t n = write(u->fd, data + done, size - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail(u, 500, "cannot write the file");
            return MHD_YES;
        }
        done += (size_t)n;
    }
    lime_md5_update(&u->md5, data, size);
    u->size += size;
    return MHD_YES;
}

struct ld_upload *ld_upload_new(struct ld_ctx *ctx, struct MHD_Connection *c)
{
    struct ld_upload *u = calloc(1, sizeof(*u));
    if (!u)
        return NULL;
    u->ctx = ctx;
    u->fd = -1;
    u->pp = MHD_create_post_processor(c, 64 * 1024, on_field, u);
    if (!u->pp)
        fail(u, 400, "expected a multipart/form-data body");
    return u;
}

void ld_upload_feed(struct ld_upload *u, const char *data, size_t len)
{
    if (!u || !u->pp || u->status == 400)
        return;
    if (MHD_post_process(u->pp, data, len) != MHD_YES)
        fail(u, 400, "malformed multipart body");
}

unsigned ld_upload_finish(struct ld_upload *u, char **text)
{
    if (!u) {
        *text = strdup("out of memory\n");
        return 500;
    }
    if (u->pp && MHD_destroy_post_processor(u->pp) != MHD_YES)
        fail(u, 400, "truncated multipart body");
    u->pp = NULL;
    if (!u->status && u->fd < 0)
        fail(u, 400, "no filedata field");
    if (!u->status && (fsync(u->fd) < 0 || close(u->fd) < 0)) {
        u->fd = -1;
        fail(u, 500, "cannot write the file");
    }
    if (!u->status) {
        u->fd = -1;
        chmod(u->tmp, 0600);
        if (rename(u->tmp, u->dest) < 0) {
            unlink(u->tmp);
            fail(u, 500, "cannot write the file");
        }
    }
    if (u->status) {
        *text = strdup(u->why);
        log_warn("upload refused: %s", u->why);
        return u->status;
    }
    uint8_t d[16];
    char hex[33];
    lime_md5_final(&u->md5, d);
    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    if (asprintf(text, "{\"size\":%zu,\"checksum\":\"%s\"}", u->size, hex) < 0)
        *text = NULL;
    log_info("upload: %s, %zu bytes", u->filename, u->size);
    return 200;
}

void ld_upload_free(struct ld_upload *u)
{
    if (!u)
        return;
    if (u->pp)
        MHD_destroy_post_processor(u->pp);
    if (u->fd >= 0) {
        close(u->fd);
        unlink(u->tmp);
    }
    free(u);
}
