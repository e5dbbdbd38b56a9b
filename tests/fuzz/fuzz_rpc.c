/* libFuzzer harness for limed's JSON-RPC intake (ld_rpc_handle): the envelope, batches,
 * sessions/ACLs and every method's argument handling. The node root is a private temp
 * directory with a root account without password, so inputs can reach admin methods;
 * lime-config is a path that does not exist, so an apply fails fast and restores.
 * The tokens @root@ and @pub@ in an input are replaced by the ids of a root and a public
 * (lime-app) session the harness keeps logged in, so inputs get past the ACL check. */
#include "limed.h"
#include "rpc.h"
#include "session.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/run.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ld_ctx ctx;
static char root_sid[33], pub_sid[33];

static void ensure_sessions(void)
{
    struct ld_session *s;
    if (!root_sid[0] || !ld_session_get(ctx.sessions, root_sid)) {
        char path[512];
        lime_write_file_atomic(ld_path(&ctx, "/etc/shadow", path, sizeof(path)),
                      "root::19000:0:99999:7:::\n", 25, 0600);
        if (ld_session_login(ctx.sessions, "root", "", 86400, NULL, &s) == 0)
            memcpy(root_sid, s->sid, 33);
    }
    if (!pub_sid[0] || !ld_session_get(ctx.sessions, pub_sid))
        if (ld_session_login(ctx.sessions, "lime-app", "generic", 86400, NULL, &s) == 0)
            memcpy(pub_sid, s->sid, 33);
}

/* Copies data with @root@/@pub@ replaced by the session ids (NUL-terminated). */
static char *substitute(const uint8_t *data, size_t size, size_t *outlen)
{
    char *out = malloc(size * 7 + 1); /* "@pub@" (5 bytes) becomes 32: < 7x growth */
    size_t k = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i < size;) {
        if (size - i >= 6 && !memcmp(data + i, "@root@", 6)) {
            memcpy(out + k, root_sid, 32);
            k += 32;
            i += 6;
        } else if (size - i >= 5 && !memcmp(data + i, "@pub@", 5)) {
            memcpy(out + k, pub_sid, 32);
            k += 32;
            i += 5;
        } else {
            out[k++] = (char)data[i++];
        }
    }
    out[k] = 0;
    *outlen = k;
    return out;
}

/* The node root lives in /dev/shm when there is one: apply backs up and restores every
 * config file with fsync, which on a disk costs more than the rest of an input. */
static char root[64];

/* lime-config never exists here, so every apply ends in "could not be started". The real
 * runner finds that out only after a fork of this (large, sanitized) process, which was
 * a third of the fuzzer's time: the link wraps lime_run_start (tests/fuzz/limed.cmake)
 * and answers as the runner does for a missing program, without the fork. */
struct lime_run_job *__wrap_lime_run_start(struct lime_loop *loop, char *const argv[],
                                           const struct lime_run_opts *opts,
                                           lime_run_done_cb done, void *arg);
struct lime_run_job *__wrap_lime_run_start(struct lime_loop *loop, char *const argv[],
                                           const struct lime_run_opts *opts,
                                           lime_run_done_cb done, void *arg)
{
    (void)loop;
    (void)argv;
    (void)opts;
    (void)done;
    (void)arg;
    errno = ENOENT;
    return NULL;
}

/* Sessions an input logged into are destroyed after it (all but the two kept ones), so an
 * input frees what it allocates: libFuzzer re-runs every input whose mallocs and frees
 * differ under LeakSanitizer, a heap scan that was two thirds of the harness's time. */
static void forget_new_sessions(const char *reply)
{
    static const char key[] = "\"ubus_rpc_session\":\"";
    for (const char *p = strstr(reply, key); p; p = strstr(p, key)) {
        p += sizeof(key) - 1;
        char sid[33];
        if (strspn(p, "0123456789abcdef") != 32)
            continue;
        memcpy(sid, p, 32);
        sid[32] = 0;
        if (strcmp(sid, root_sid) && strcmp(sid, pub_sid))
            ld_session_destroy(ctx.sessions, sid);
    }
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void remove_root(void)
{
    nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup(void)
{
    snprintf(root, sizeof(root), "%s/ld-fuzz-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(root))
        abort();
    atexit(remove_root);
    char path[512];
    snprintf(path, sizeof(path), "%s/etc", root);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/etc/config", root);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/etc/shadow", root);
    lime_write_file_atomic(path, "root::19000:0:99999:7:::\n", 25, 0600);
    lime_log_init("fuzz_rpc", LIME_LOG_ERR);
    ctx.root = root;
    ctx.www = NULL;
    ctx.listen_addr = "127.0.0.1:1";
    ctx.lime_config = "/nonexistent/lime-config";
    ctx.peer_port = 1;
    ctx.loop = lime_loop_new();
    ctx.sessions = ld_sessions_new(&ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ctx.loop)
        setup();
    if (size > 64 * 1024)
        return 0;
    ensure_sessions();
    /* http.c hands over a NUL-terminated copy; do the same. */
    size_t len;
    char *body = substitute(data, size, &len);
    if (!body)
        return 0;
    char *reply = ld_rpc_handle(&ctx, body, len, ""); /* no peer: no login throttling */
    if (!reply || (reply[0] != '{' && reply[0] != '['))
        abort();
    forget_new_sessions(reply);
    free(reply);
    free(body);
    /* Let timers that methods started (apply reaping) run. */
    lime_loop_run_once(ctx.loop, 0);
    return 0;
}
