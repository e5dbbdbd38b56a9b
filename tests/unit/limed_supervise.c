/* The supervisor with real child processes: start, restart after a crash with backoff,
 * reconcile a daemons file (changed → restart, removed → stop), TERM→KILL, stop_all. */
#include "log.h"
#include "loop.h"
#include "run.h"
#include "supervise.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

/* Runs the loop until cond(arg) holds or ms pass; returns cond's last value. */
static bool run_until(struct lime_loop *loop, bool (*cond)(void *), void *arg, unsigned ms)
{
    uint64_t end = lime_now_ms() + ms;
    while (!cond(arg) && lime_now_ms() < end)
        lime_loop_run_once(loop, 20);
    return cond(arg);
}

struct probe {
    struct ld_supervisor *sup;
    const char *name;
    pid_t old;
};

static bool running_new(void *arg)
{
    struct probe *p = arg;
    pid_t pid = ld_supervisor_pid(p->sup, p->name);
    return pid > 0 && pid != p->old;
}

static bool not_running(void *arg)
{
    struct probe *p = arg;
    return ld_supervisor_pid(p->sup, p->name) == 0;
}

static bool dead(void *arg)
{
    pid_t pid = *(pid_t *)arg;
    return kill(pid, 0) != 0;
}

static void write_daemons(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_restart_after_crash(void **state)
{
    (void)state;
    struct lime_loop *loop = lime_loop_new();
    struct ld_supervisor_opts o = {.backoff_min_ms = 50, .backoff_max_ms = 400, .stable_ms = 60000,
                                   .kill_after_ms = 1000};
    struct ld_supervisor *sup = ld_supervisor_new(loop, &o);
    assert_non_null(sup);
    /* Odd durations: the supervisor stops any process of these namespaces running a
     * daemon's exact argv before its first start (test_leftover_stopped), so a plain
     * "sleep 30" would end other tests' children when ctest runs them in parallel (it did:
     * core_run's timeout case saw its sleep SIGTERMed). */
    char *argv[] = {"sleep", "30.125", NULL};
    assert_int_equal(ld_supervisor_set(sup, "sleeper", "s1", argv), 0);
    pid_t first = ld_supervisor_pid(sup, "sleeper");
    assert_true(first > 0);
    struct probe p = {sup, "sleeper", first};
    for (unsigned i = 1; i <= 3; i++) {
        kill(p.old, SIGKILL);
        assert_true(run_until(loop, running_new, &p, 3000));
        assert_int_equal(ld_supervisor_restarts(sup, "sleeper"), i);
        p.old = ld_supervisor_pid(sup, "sleeper");
    }
    /* the child does not inherit the loop's blocked signals: SIGTERM stops it */
    pid_t last = p.old;
    ld_supervisor_remove(sup, "sleeper");
    assert_true(run_until(loop, dead, &last, 3000));
    ld_supervisor_free(sup);
    lime_loop_free(loop);
}

static void test_daemons_file(void **state)
{
    (void)state;
    char path[] = "/tmp/lr-unit-daemons.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct lime_loop *loop = lime_loop_new();
    struct ld_supervisor_opts o = {.backoff_min_ms = 50, .kill_after_ms = 1000};
    struct ld_supervisor *sup = ld_supervisor_new(loop, &o);
    write_daemons(path, "# comment\n\na\tv1\tsleep\t30.125\nb\tv1\tsleep\t31.125\n");
    assert_int_equal(ld_supervisor_load(sup, path), 0);
    pid_t a1 = ld_supervisor_pid(sup, "a"), b1 = ld_supervisor_pid(sup, "b");
    assert_true(a1 > 0 && b1 > 0);
    /* same file again: nothing restarts */
    assert_int_equal(ld_supervisor_load(sup, path), 0);
    assert_int_equal(ld_supervisor_pid(sup, "a"), a1);
    /* a's stamp changes → restarted; b disappears → stopped */
    write_daemons(path, "a\tv2\tsleep\t30.125\n");
    assert_int_equal(ld_supervisor_load(sup, path), 0);
    struct probe pa = {sup, "a", a1};
    assert_true(run_until(loop, running_new, &pa, 3000));
    assert_true(run_until(loop, dead, &b1, 3000));
    assert_true(run_until(loop, dead, &a1, 10));
    assert_int_equal(ld_supervisor_pid(sup, "b"), 0);
    assert_int_equal(ld_supervisor_restarts(sup, "a"), 0); /* a reload is not a crash */
    /* a malformed file changes nothing and names the line */
    write_daemons(path, "a\tv3\tsleep\t30.125\nbroken-line-without-tabs\n");
    pid_t a2 = ld_supervisor_pid(sup, "a");
    assert_int_equal(ld_supervisor_load(sup, path), -1);
    assert_int_equal(ld_supervisor_pid(sup, "a"), a2);
    /* stale files are removed before a start */
    char stale[] = "/tmp/lr-unit-stale.XXXXXX";
    fd = mkstemp(stale);
    close(fd);
    char text[256];
    snprintf(text, sizeof(text), "c\tv1,stale=%s\tsleep\t30.125\n", stale);
    write_daemons(path, text);
    assert_int_equal(ld_supervisor_load(sup, path), 0);
    assert_int_not_equal(access(stale, F_OK), 0);
    unlink(path);
    ld_supervisor_free(sup);
    assert_true(dead(&a2));
    lime_loop_free(loop);
}

static bool flag_set(void *arg)
{
    return *(bool *)arg;
}

static void set_flag(void *arg)
{
    *(bool *)arg = true;
}

static void test_term_then_kill(void **state)
{
    (void)state;
    struct lime_loop *loop = lime_loop_new();
    struct ld_supervisor_opts o = {.kill_after_ms = 300};
    struct ld_supervisor *sup = ld_supervisor_new(loop, &o);
    char *stubborn[] = {"sh", "-c", "trap '' TERM; while :; do sleep 1; done", NULL};
    char *polite[] = {"sleep", "30.125", NULL};
    assert_int_equal(ld_supervisor_set(sup, "stubborn", "", stubborn), 0);
    assert_int_equal(ld_supervisor_set(sup, "polite", "", polite), 0);
    pid_t s = ld_supervisor_pid(sup, "stubborn"), p = ld_supervisor_pid(sup, "polite");
    usleep(100000); /* let sh install its trap */
    bool done = false;
    uint64_t t0 = lime_now_ms();
    ld_supervisor_stop_all(sup, set_flag, &done);
    assert_true(run_until(loop, flag_set, &done, 5000));
    assert_true(lime_now_ms() - t0 >= 250); /* the stubborn one needed the KILL */
    assert_true(dead(&s));
    assert_true(dead(&p));
    /* nothing restarts after a stop */
    struct probe pr = {sup, "polite", 0};
    assert_false(run_until(loop, running_new, &pr, 200));
    (void)not_running;
    ld_supervisor_free(sup);
    lime_loop_free(loop);
}

static void exited_cb(pid_t pid, int status, void *arg)
{
    (void)pid;
    *(int *)arg = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool got_status(void *arg)
{
    return *(int *)arg >= 0;
}

/* Another module's child, beside the supervisor's daemons on the same loop: reported to
 * its own watcher with its status, and the supervisor's daemon is not disturbed. */
/* A daemon left by an earlier limed (same argv, same namespaces, not the supervisor's) is
 * stopped before the daemon's first start; another program is left alone. (Chaos found
 * dnsmasq outliving a killed limed: its successor failed to bind and restarted forever.) */
static void test_leftover_stopped(void **state)
{
    (void)state;
    struct lime_loop *loop = lime_loop_new();
    struct ld_supervisor_opts o = {.backoff_min_ms = 50, .backoff_max_ms = 400, .stable_ms = 60000,
                                   .kill_after_ms = 1000};
    struct ld_supervisor *sup = ld_supervisor_new(loop, &o);
    assert_non_null(sup);
    char *argv[] = {"sleep", "47.25", NULL}, *other[] = {"sleep", "47.5", NULL};
    pid_t left = lime_run_detached(argv, NULL), bystander = lime_run_detached(other, NULL);
    assert_true(left > 0 && bystander > 0);
    usleep(100 * 1000); /* exec'd: its cmdline is sleep's */
    assert_int_equal(ld_supervisor_set(sup, "sleeper", "s1", argv), 0);
    pid_t now = ld_supervisor_pid(sup, "sleeper");
    assert_true(now > 0 && now != left);
    assert_int_not_equal(kill(left, 0), 0);      /* stopped and reaped */
    assert_int_equal(kill(bystander, 0), 0);     /* other argv: untouched */
    assert_int_equal(kill(now, 0), 0);
    assert_int_equal(ld_supervisor_restarts(sup, "sleeper"), 0);
    lime_run_stop(&bystander, 1, 1000);
    ld_supervisor_free(sup);
    lime_loop_free(loop);
}

static void test_watch_foreign_child(void **state)
{
    (void)state;
    struct lime_loop *loop = lime_loop_new();
    struct ld_supervisor *sup = ld_supervisor_new(loop, NULL);
    char *daemon[] = {"sleep", "30.125", NULL};
    assert_int_equal(ld_supervisor_set(sup, "sleeper", "", daemon), 0);
    pid_t d = ld_supervisor_pid(sup, "sleeper");
    char *argv[] = {"sh", "-c", "exit 7", NULL};
    pid_t pid = lime_run_detached(argv, NULL);
    assert_true(pid > 0);
    int status = -1;
    assert_int_equal(lime_loop_watch_child(loop, pid, exited_cb, &status), 0);
    assert_true(run_until(loop, got_status, &status, 3000));
    assert_int_equal(status, 7);
    assert_int_equal(ld_supervisor_pid(sup, "sleeper"), d);
    assert_int_equal(ld_supervisor_restarts(sup, "sleeper"), 0);
    ld_supervisor_free(sup);
    assert_true(dead(&d));
    lime_loop_free(loop);
}

int main(void)
{
    lime_log_init("limed_supervise", LIME_LOG_WARN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_restart_after_crash),
        cmocka_unit_test(test_daemons_file),
        cmocka_unit_test(test_term_then_kill),
        cmocka_unit_test(test_leftover_stopped),
        cmocka_unit_test(test_watch_foreign_child),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
