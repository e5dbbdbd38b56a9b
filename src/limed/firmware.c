/* Firmware upgrades; see firmware.h. */
#include "firmware.h"

#include "limed.h"
#include "upload.h"
#include "core/fsutil.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHECK_TIMEOUT_MS 60000
#define FLASH_DELAY_MS 3000 /* the answer reaches the phone first */

static struct {
    struct ld_ctx *ctx;
    struct lime_run_job *job;
    struct lime_timer *flash;
    char tool[512], path[512];
    bool preserve, upgrading;
    json_object *metadata;
    ld_firmware_cb cb;
    void *arg;
} fw;

/* $LIME_SYSUPGRADE, else sysupgrade when it is on PATH; NULL: this node has none. */
static const char *tool(char *buf, size_t len)
{
    const char *env = getenv("LIME_SYSUPGRADE");
    if (env && env[0])
        return env;
    const char *path = getenv("PATH");
    for (const char *p = path; p && *p;) {
        size_t n = strcspn(p, ":");
        snprintf(buf, len, "%.*s/sysupgrade", (int)n, p);
        if (n && access(buf, X_OK) == 0)
            return buf;
        p += n + (p[n] == ':');
    }
    return NULL;
}

static void flash(void *arg)
{
    fw.flash = NULL;
    char *argv[] = {fw.tool, fw.preserve ? fw.path : "-n", fw.preserve ? NULL : fw.path, NULL};
    struct lime_run_opts o = {.quiet = true};
    pid_t pid = lime_run_detached(argv, &o);
    log_info("firmware: %s %s%s started (pid %d)", fw.tool, fw.preserve ? "" : "-n ", fw.path,
             (int)pid);
    if (pid < 0)
        fw.upgrading = false;
}

static void checked(struct lime_run_result *res, void *arg)
{
    fw.job = NULL;
    ld_firmware_cb cb = fw.cb;
    void *cbarg = fw.arg;
    if (res->end != LIME_RUN_EXITED || res->code != 0) {
        char why[128];
        log_warn("firmware: %s --test %s: %s", fw.tool, fw.path,
                 lime_run_describe(res, why, sizeof(why)));
        fw.upgrading = false;
        cb(false, "Invalid firmware", NULL, cbarg);
        return;
    }
    /* remembered for after the upgrade, as upstream's /etc/upgrade_metadata */
    char path[512];
    const char *text = json_object_to_json_string_ext(fw.metadata, JSON_C_TO_STRING_PLAIN);
    if (lime_write_file_atomic(ld_path(fw.ctx, "/etc/upgrade_metadata", path, sizeof(path)), text,
                      strlen(text), 0644) < 0)
        log_warn("firmware: cannot write %s", path);
    fw.flash = lime_timer_add(fw.ctx->loop, FLASH_DELAY_MS, flash, NULL);
    cb(true, NULL, fw.metadata, cbarg);
}

int ld_firmware_upgrade(struct ld_ctx *ctx, const char *fw_path, bool preserve_config,
                        json_object *metadata, ld_firmware_cb cb, void *arg)
{
    const char *why = NULL;
    char buf[512], file[512];
    const char *t = tool(buf, sizeof(buf));
    if (fw.upgrading)
        why = "There is an upgrade in progress";
    else if (!fw_path || !ld_upload_path_allowed(fw_path))
        why = "Firmware file needed";
    else if (access(ld_path(ctx, fw_path, file, sizeof(file)), R_OK) != 0)
        why = "Firmware file not found";
    else if (strcmp(fw_path, "/tmp/firmware.bin") || !t)
        /* no sysupgrade image fits this machine; installer scripts are not run */
        why = "Invalid firmware";
    if (why) {
        cb(false, why, NULL, arg);
        return -EINVAL;
    }
    fw.ctx = ctx;
    ld_strlcpy(fw.tool, t, sizeof(fw.tool));
    ld_strlcpy(fw.path, file, sizeof(fw.path));
    fw.preserve = preserve_config;
    json_object_put(fw.metadata);
    fw.metadata = metadata && json_object_is_type(metadata, json_type_object)
                      ? json_object_get(metadata)
                      : json_object_new_object();
    json_object_object_add(fw.metadata, "config_preserved", json_object_new_boolean(preserve_config));
    json_object_object_add(fw.metadata, "old_release_description",
                           json_object_new_string("LiMe-C " LIMED_VERSION));
    json_object_object_add(fw.metadata, "local_timestamp", json_object_new_int64((int64_t)time(NULL)));
    fw.cb = cb;
    fw.arg = arg;
    char *argv[] = {fw.tool, "--test", fw.path, NULL};
    struct lime_run_opts o = {.quiet = true, .timeout_ms = CHECK_TIMEOUT_MS};
    fw.job = lime_run_start(ctx->loop, argv, &o, checked, NULL);
    if (!fw.job) {
        log_warn("firmware: %s cannot be started: %s", fw.tool, strerror(errno));
        cb(false, "Invalid firmware", NULL, arg);
        return -EIO;
    }
    fw.upgrading = true;
    log_info("firmware: checking %s with %s --test", fw.path, fw.tool);
    return 0;
}

void ld_firmware_stop(struct ld_ctx *ctx)
{
    if (fw.flash)
        lime_timer_cancel(ctx->loop, fw.flash);
    fw.flash = NULL;
    if (fw.job) {
        lime_run_job_kill(fw.job);
        fw.job = NULL;
        fw.cb(false, "the node is stopping", NULL, fw.arg);
    }
    json_object_put(fw.metadata);
    fw.metadata = NULL;
    fw.upgrading = false;
}
