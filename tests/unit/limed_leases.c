/* Lease sharing pieces of the linux backend: dnsmasq.conf's dhcp-script line (accepted by
 * the real dnsmasq), and the supervisor's NAME=VALUE argv prefix reaching the child's
 * environment (how dnsmasq, and so its script, gets SS_SOCKET). */
#include "dnsmasq_conf.h"
#include "loop.h"
#include "paths.h"
#include "plan.h"
#include "run.h"
#include "supervise.h"
#include "apply_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

static void test_dhcp_script_line(void **state)
{
    (void)state;
    struct plan *p = lr_fixture_plan(NULL);
    struct lr_paths paths;
    lr_paths_init(&paths, "/tmp/node1");
    assert_string_equal(paths.ss_socket, "/tmp/node1/var/run/shared-state-async.sock");
    char *without = lr_dnsmasq_conf(p, &paths);
    char *with = lr_dnsmasq_conf_script(p, &paths, "/usr/bin/true");
    assert_non_null(without);
    assert_non_null(with);
    assert_null(strstr(without, "dhcp-script="));
    assert_non_null(strstr(with, "\ndhcp-script=/usr/bin/true\n"));
    /* the real dnsmasq accepts it */
    if (access("/usr/sbin/dnsmasq", X_OK) == 0) {
        char path[] = "/tmp/lr-unit-leases.XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, with, strlen(with)), (ssize_t)strlen(with));
        close(fd);
        char conf[64];
        snprintf(conf, sizeof(conf), "--conf-file=%s", path);
        char *argv[] = {"/usr/sbin/dnsmasq", "--test", conf, NULL};
        struct lime_run_opts quiet = {.quiet = true};
        assert_int_equal(lime_run(argv, &quiet, NULL), 0);
        unlink(path);
    }
    free(without);
    free(with);
    plan_free(p);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}

static void test_env_prefix(void **state)
{
    (void)state;
    char dir[] = "/tmp/lr-unit-env.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char daemons[128], log[128];
    snprintf(daemons, sizeof(daemons), "%s/daemons", dir);
    snprintf(log, sizeof(log), "%s/envd.log", dir);
    FILE *f = fopen(daemons, "w");
    assert_non_null(f);
    fputs("envd\ts1\tLR_LEASE_TEST=hello world\tLR_B=2\tsleep\t30.25\n", f);
    fclose(f);
    struct lime_loop *loop = lime_loop_new();
    struct ld_supervisor_opts o = {.backoff_min_ms = 50, .kill_after_ms = 1000, .log_dir = dir};
    struct ld_supervisor *sup = ld_supervisor_new(loop, &o);
    assert_int_equal(ld_supervisor_load(sup, daemons), 0);
    pid_t pid = 0;
    uint64_t end = lime_now_ms() + 3000;
    while (lime_now_ms() < end) {
        lime_loop_run_once(loop, 20);
        pid = ld_supervisor_pid(sup, "envd");
        if (pid > 0) {
            char path[64];
            snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
            char *c = slurp(path);
            if (c && !strcmp(c, "sleep"))
                break; /* the child has exec'd sleep (argv[0] is not an assignment) */
        }
    }
    assert_true(pid > 0);
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
    assert_string_equal(slurp(path), "sleep");
    snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
    f = fopen(path, "r");
    assert_non_null(f);
    static char env[65536];
    size_t n = fread(env, 1, sizeof(env) - 1, f);
    fclose(f);
    bool a = false, b = false;
    for (size_t i = 0; i < n; i += strlen(env + i) + 1) {
        a |= !strcmp(env + i, "LR_LEASE_TEST=hello world");
        b |= !strcmp(env + i, "LR_B=2");
    }
    assert_true(a);
    assert_true(b);
    ld_supervisor_free(sup);
    lime_loop_free(loop);
    unlink(daemons);
    unlink(log);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dhcp_script_line),
        cmocka_unit_test(test_env_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
