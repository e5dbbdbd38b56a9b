/* Event loop: timers fire in deadline order, cancelled timers never fire, fds report
 * readiness, signals arrive through the loop. */
#include <setjmp.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "loop.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timer_order_and_cancel),
        cmocka_unit_test(test_fd_ready),
        cmocka_unit_test(test_signal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
