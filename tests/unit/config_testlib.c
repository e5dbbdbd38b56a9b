#include "config_testlib.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "backend_uci.h"
#include "fsutil.h"
#include "run.h"

/* Runs argv through the core's runner: the exit status, 128 if it died of a signal, or
 * `not_started` if it could not be started. With out, stdout and stderr are captured
 * into *out (malloc'd); else they are shown, or not (quiet). */
static int run_wait(char *const argv[], char **out, int not_started, bool quiet)
{
    struct lime_run_opts o = {.capture = out != NULL, .capture_stderr = true, .quiet = quiet};
    struct lime_run_result r;
    int rc = lime_run(argv, &o, &r);
    if (rc < 0)
        rc = r.end == LIME_RUN_NOT_STARTED ? not_started : 128;
    if (out) {
        *out = r.out;
        r.out = NULL;
    }
    lime_run_result_free(&r);
    return rc;
}

static const char *env_or(const char *name, const char *fb)
{
    const char *v = getenv(name);
    return v && v[0] ? v : fb;
}

char *tl_root(const char *fixture)
{
    char tmpl[] = "/tmp/lime-config-test.XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    if (fixture) {
        char src[PATH_MAX];
        snprintf(src, sizeof src, "%s/tests/fixtures/%s/.", env_or("LIME_SOURCE_DIR", "."), fixture);
        char *argv[] = {"cp", "-a", src, dir, NULL};
        assert_int_equal(run_wait(argv, NULL, -1, false), 0);
    }
    return strdup(dir);
}

void tl_cleanup(char *root)
{
    if (!root)
        return;
    if (!strncmp(root, "/tmp/lime-config-test.", 22)) {
        char *argv[] = {"rm", "-rf", root, NULL};
        run_wait(argv, NULL, -1, false);
    }
    free(root);
}

void tl_write(const char *root, const char *rel, const char *text)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s%s", root, rel);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    assert_int_equal(lime_mkdir_p(path, 0755), 0);
    *slash = '/';
    assert_int_equal(lime_write_file_atomic(path, text, strlen(text), 0644), 0);
}

char *tl_read(const char *root, const char *rel, size_t *len)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s%s", root, rel);
    return lime_read_file(path, 0, len);
}

void tl_netdev(const char *root, const char *name, const char *mac, bool dsa)
{
    char rel[256], text[128];
    snprintf(rel, sizeof rel, "/sys/class/net/%s/address", name);
    snprintf(text, sizeof text, "%s\n", mac);
    tl_write(root, rel, text);
    snprintf(rel, sizeof rel, "/sys/class/net/%s/uevent", name);
    snprintf(text, sizeof text, "INTERFACE=%s\n%s", name, dsa ? "DEVTYPE=dsa\n" : "");
    tl_write(root, rel, text);
}

int tl_run(const char *const *args, char **err_out)
{
    char bin[PATH_MAX];
    snprintf(bin, sizeof bin, "%s/src/config/lime-config", env_or("LIME_BINARY_DIR", "."));
    char *argv[33];
    int n = 0;
    /* cross builds: run the target's lime-config through qemu-user (cmake/lime.cmake) */
    const char *emu = getenv("LIME_TEST_EMULATOR");
    if (emu && emu[0])
        argv[n++] = (char *)emu;
    argv[n++] = bin;
    for (int i = 0; args[i] && n < 32; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    return run_wait(argv, err_out, -1, true);
}

int tl_exec(const char *const *argv)
{
    return run_wait((char *const *)argv, NULL, 127, true);
}

struct lime_uci_package *tl_pkg(const char *root, const char *pkg)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/etc/config/%s", root, pkg);
    struct lime_uci_error err;
    struct lime_uci_package *p = lime_uci_load(path, &err);
    if (!p)
        fail_msg("%s: %s (line %d)", path, err.msg, err.line);
    return p;
}

const char *tl_get(const struct lime_uci_package *p, const char *sec, const char *opt)
{
    return lime_uci_get(p, sec, opt);
}

const char *tl_item(const struct lime_uci_package *p, const char *sec, const char *opt, size_t i)
{
    const struct lime_uci_section *s = lime_uci_section_get(p, sec);
    const struct lime_uci_option *o = s ? lime_uci_option_get(s, opt) : NULL;
    return o && i < lime_uci_option_count(o) ? lime_uci_option_item(o, i) : NULL;
}

size_t tl_count(const struct lime_uci_package *p, const char *sec, const char *opt)
{
    const struct lime_uci_section *s = lime_uci_section_get(p, sec);
    const struct lime_uci_option *o = s ? lime_uci_option_get(s, opt) : NULL;
    return o ? lime_uci_option_count(o) : 0;
}

struct plan *tl_plan(const char *root)
{
    struct plan *plan;
    struct plan_error err;
    if (plan_build(root, NULL, &plan, &err) < 0)
        fail_msg("plan_build(%s): %s", root, err.msg);
    return plan;
}

void tl_config(const char *root)
{
    struct plan *plan = tl_plan(root);
    struct plan_uci_outputs out;
    struct plan_error err;
    if (plan_uci_render(root, plan, &out, &err) < 0)
        fail_msg("render: %s", err.msg);
    if (plan_uci_commit(root, &out, &err) < 0)
        fail_msg("commit: %s", err.msg);
    plan_uci_outputs_free(&out);
    plan_free(plan);
}

static void snap_dir(const char *dir, char **buf, size_t *len, size_t *cap)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort);
    closedir(d);
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        struct stat st;
        if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]))) {
        } else if (!lstat(path, &st) && S_ISDIR(st.st_mode)) {
            snap_dir(path, buf, len, cap);
        } else if (S_ISREG(st.st_mode)) {
            size_t fl;
            char *data = lime_read_file(path, 0, &fl);
            size_t need = strlen(path) + 1 + fl + 1;
            while (*len + need > *cap) {
                *cap = *cap ? *cap * 2 : 65536;
                *buf = realloc(*buf, *cap);
            }
            memcpy(*buf + *len, path, strlen(path) + 1);
            *len += strlen(path) + 1;
            if (data)
                memcpy(*buf + *len, data, fl);
            *len += fl;
            (*buf)[(*len)++] = '\n';
            free(data);
        }
        free(list[i]);
    }
    free(list);
}

char *tl_snapshot(const char *root, size_t *len)
{
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    snap_dir(root, &buf, len, &cap);
    return buf;
}
