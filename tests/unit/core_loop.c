/* Event loop: timers fire in deadline order, cancelled timers never fire, fds report
 * readiness, signals arrive through the loop, watched children are reported once with
 * their status and children nobody watches are left alone. */
#include <setjmp.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "loop.h"
#include "run.h"

static char fired[8];
static int nfired;

static void record(void *arg) { fired[nfired++] = *(char *)arg; }

static void stop_cb(void *arg) { lime_loop_stop(arg); }

static void test_timer_order_and_cancel(void **state)
{
    struct lime_loop *loop = lime_loop_new();
    static char a = 'a', b = 'b', c = 'c';
    nfired = 0;
    lime_timer_add(loop, 30, record, &c);
    lime_timer_add(loop, 10, record, &a);
    struct lime_timer *tb = lime_timer_add(loop, 20, record, &b);
    lime_timer_cancel(loop, tb);
    lime_timer_add(loop, 40, stop_cb, loop);
    uint64_t t0 = lime_now_ms();
    assert_int_equal(lime_loop_run(loop), 0);
    assert_true(lime_now_ms() - t0 >= 40);
    assert_int_equal(nfired, 2);
    assert_int_equal(fired[0], 'a');
    assert_int_equal(fired[1], 'c');
    lime_loop_free(loop);
}

static int fd_events;

static void on_read(int fd, unsigned events, void *arg)
{
    char buf[8];
    fd_events = (int)events;
    assert_int_equal(read(fd, buf, sizeof buf), 3);
    lime_loop_stop(arg);
}

static void test_fd_ready(void **state)
{
    struct lime_loop *loop = lime_loop_new();
    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(lime_loop_add_fd(loop, p[0], LIME_EV_READ, on_read, loop), 0);
    assert_int_equal(lime_loop_add_fd(loop, p[0], LIME_EV_READ, on_read, loop), -EEXIST);
    assert_int_equal(write(p[1], "abc", 3), 3);
    assert_int_equal(lime_loop_run(loop), 0);
    assert_true(fd_events & LIME_EV_READ);
    lime_loop_del_fd(loop, p[0]);
    close(p[0]);
    close(p[1]);
    lime_loop_free(loop);
}

static int got_signal;

static void on_signal(int signo, void *arg)
{
    got_signal = signo;
    lime_loop_stop(arg);
}

static void test_signal(void **state)
{
    struct lime_loop *loop = lime_loop_new();
    assert_int_equal(lime_loop_add_signal(loop, SIGUSR1, on_signal, loop), 0);
    raise(SIGUSR1);
    assert_int_equal(lime_loop_run(loop), 0);
    assert_int_equal(got_signal, SIGUSR1);
    lime_loop_free(loop);
}

/* ---- child watcher */

struct exit_probe {
    int calls;
    pid_t pid;
    int status;
};

static void on_child(pid_t pid, int status, void *arg)
{
    struct exit_probe *p = arg;
    p->calls++;
    p->pid = pid;
    p->status = status;
}

static pid_t start(const char *script)
{
    char *argv[] = {"sh", "-c", (char *)script, NULL};
    pid_t pid = lime_run_detached(argv, NULL);
    assert_true(pid > 0);
    return pid;
}

static void run_until(struct lime_loop *loop, struct exit_probe *p, int n, unsigned ms)
{
    uint64_t end = lime_now_ms() + ms;
    for (int i = 0; i < n; i++)
        while (p[i].calls == 0 && lime_now_ms() < end)
            lime_loop_run_once(loop, 50);
}

static void test_child_exit_and_signal(void **state)
{
    struct lime_loop *loop = lime_loop_new();
    assert_int_equal(lime_loop_add_signal(loop, SIGCHLD, on_signal, loop), -EBUSY);
    struct exit_probe p[2] = {{0}};
    pid_t a = start("sleep 0.1; exit 7");
    pid_t b = start("sleep 0.1; kill -9 $$");
    assert_int_equal(lime_loop_watch_child(loop, a, on_child, &p[0]), 0);
    assert_int_equal(lime_loop_watch_child(loop, a, on_child, &p[0]), -EEXIST);
    assert_int_equal(lime_loop_watch_child(loop, b, on_child, &p[1]), 0);
    run_until(loop, p, 2, 10000);
    assert_int_equal(p[0].calls, 1);
    assert_int_equal(p[0].pid, a);
    assert_true(WIFEXITED(p[0].status));
    assert_int_equal(WEXITSTATUS(p[0].status), 7);
    assert_int_equal(p[1].calls, 1);
    assert_true(WIFSIGNALED(p[1].status));
    assert_int_equal(WTERMSIG(p[1].status), SIGKILL);
    /* reaped by the loop: nothing left to wait for */
    assert_true(waitpid(a, NULL, WNOHANG) < 0);
    /* reported once */
    lime_loop_run_once(loop, 100);
    assert_int_equal(p[0].calls, 1);
    lime_loop_free(loop);
}

static void test_children_exit_together(void **state)
{
    struct lime_loop *loop = lime_loop_new();
    enum { N = 8 };
    struct exit_probe p[N] = {{0}};
    pid_t pids[N];
    char script[64];
    for (int i = 0; i < N; i++) {
        snprintf(script, sizeof script, "sleep 0.3; exit %d", 10 + i);
        pids[i] = start(script);
        assert_int_equal(lime_loop_watch_child(loop, pids[i], on_child, &p[i]), 0);
    }
    run_until(loop, p, N, 10000);
    for (int i = 0; i < N; i++) {
        assert_int_equal(p[i].calls, 1);
        assert_int_equal(p[i].pid, pids[i]);
        assert_int_equal(WEXITSTATUS(p[i].status), 10 + i);
    }
    lime_loop_free(loop);
}

static void test_child_exited_before_watch(void **state)
{
    struct lime_loop *loop = lime_loop_new();
    pid_t pid = start("exit 3");
    usleep(200000); /* a zombie by now, its SIGCHLD long gone */
    struct exit_probe p = {0};
    assert_int_equal(lime_loop_watch_child(loop, pid, on_child, &p), 0);
    assert_int_equal(p.calls, 0); /* never from inside the watch call */
    run_until(loop, &p, 1, 5000);
    assert_int_equal(p.calls, 1);
    assert_int_equal(WEXITSTATUS(p.status), 3);
    lime_loop_free(loop);
}

/* A child nobody watches is not stolen: neither a detached one nor the one a
 * synchronous lime_run() waits for while the loop has watches. */
static int sync_rc = -100;

static void run_sync_inside(pid_t pid, int status, void *arg)
{
    on_child(pid, status, arg);
    char *argv[] = {"sh", "-c", "sleep 0.2; exit 9", NULL};
    sync_rc = lime_run(argv, NULL, NULL);
}

static void test_unwatched_child_not_stolen(void **state)
{
    struct lime_loop *loop = lime_loop_new();
    pid_t mine = start("exit 6");
    pid_t watched = start("sleep 0.1; exit 1");
    pid_t watched2 = start("sleep 0.1; exit 2");
    struct exit_probe p[2] = {{0}};
    assert_int_equal(lime_loop_watch_child(loop, watched, run_sync_inside, &p[0]), 0);
    assert_int_equal(lime_loop_watch_child(loop, watched2, on_child, &p[1]), 0);
    run_until(loop, p, 2, 10000);
    assert_int_equal(p[0].calls, 1);
    assert_int_equal(p[1].calls, 1);
    assert_int_equal(sync_rc, 9); /* the synchronous run kept its own child */
    /* the unwatched one is still ours to reap, with its status */
    int status = 0;
    assert_int_equal(waitpid(mine, &status, 0), mine);
    assert_int_equal(WEXITSTATUS(status), 6);
    /* a cancelled watch is not reported, and the child stays unreaped */
    struct exit_probe c = {0};
    pid_t cancelled = start("sleep 0.1; exit 8");
    assert_int_equal(lime_loop_watch_child(loop, cancelled, on_child, &c), 0);
    lime_loop_cancel_child(loop, cancelled);
    uint64_t end = lime_now_ms() + 500;
    while (lime_now_ms() < end)
        lime_loop_run_once(loop, 50);
    assert_int_equal(c.calls, 0);
    assert_int_equal(waitpid(cancelled, &status, 0), cancelled);
    assert_int_equal(WEXITSTATUS(status), 8);
    lime_loop_free(loop);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timer_order_and_cancel),
        cmocka_unit_test(test_fd_ready),
        cmocka_unit_test(test_signal),
        cmocka_unit_test(test_child_exit_and_signal),
        cmocka_unit_test(test_children_exit_together),
        cmocka_unit_test(test_child_exited_before_watch),
        cmocka_unit_test(test_unwatched_child_not_stolen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
