/* The process runner with real programs: exit status, death by a signal, a program that
 * cannot start, timeout (TERM, then KILL for one that ignores TERM), capture larger than
 * any pipe buffer and its cap, stdin from a string, environment, cwd, log file, signals
 * and fds not leaking into the child, detached daemons and stopping them, the
 * asynchronous form on a loop, and becoming another program (lime_run_exec); the caller's
 * own fds as the child's stdio (streamed while it runs), waiting for one child, ending a
 * process group, reaping orphans as PID 1 does (as a subreaper). */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "loop.h"
#include "run.h"

static void test_exit_status(void **state)
{
    (void)state;
    char *argv[] = {"sh", "-c", "exit 3", NULL};
    struct lime_run_result r;
    assert_int_equal(lime_run(argv, NULL, &r), 3);
    assert_int_equal(r.end, LIME_RUN_EXITED);
    assert_int_equal(r.code, 3);
    assert_true(r.pid > 0);
    assert_null(r.out);
    char *ok[] = {"true", NULL};
    assert_int_equal(lime_run(ok, NULL, NULL), 0);
    char buf[128];
    assert_string_equal(lime_run_describe(&r, buf, sizeof buf), "exited with status 3");
}

static void test_signal_death(void **state)
{
    (void)state;
    char *argv[] = {"sh", "-c", "kill -9 $$", NULL};
    struct lime_run_result r;
    assert_int_equal(lime_run(argv, NULL, &r), -1);
    assert_int_equal(r.end, LIME_RUN_SIGNALED);
    assert_int_equal(r.code, SIGKILL);
}

static void test_not_started(void **state)
{
    (void)state;
    char *argv[] = {"lime-run-test-no-such-program", NULL};
    struct lime_run_result r;
    assert_int_equal(lime_run(argv, NULL, &r), -1);
    assert_int_equal(r.end, LIME_RUN_NOT_STARTED);
    assert_int_equal(r.code, ENOENT);
    char buf[128];
    assert_non_null(strstr(lime_run_describe(&r, buf, sizeof buf), "cannot be started"));
    /* a working directory that does not exist: not started either */
    char *pwd[] = {"pwd", NULL};
    struct lime_run_opts o = {.cwd = "/nonexistent/lime-run-test"};
    assert_int_equal(lime_run(pwd, &o, &r), -1);
    assert_int_equal(r.end, LIME_RUN_NOT_STARTED);
    assert_int_equal(r.code, ENOENT);
    /* a log file that cannot be opened */
    struct lime_run_opts l = {.log = "/nonexistent/lime-run-test.log"};
    assert_int_equal(lime_run(pwd, &l, &r), -1);
    assert_int_equal(r.end, LIME_RUN_NOT_STARTED);
    /* detached and asynchronous forms say it at once */
    errno = 0;
    assert_int_equal(lime_run_detached(argv, NULL), -1);
    assert_int_equal(errno, ENOENT);
}

static void test_timeout_kill(void **state)
{
    (void)state;
    char *argv[] = {"sleep", "30", NULL};
    struct lime_run_opts o = {.timeout_ms = 100};
    struct lime_run_result r;
    uint64_t t0 = lime_now_ms();
    assert_int_equal(lime_run(argv, &o, &r), -1);
    assert_int_equal(r.end, LIME_RUN_TIMED_OUT);
    assert_true(WIFSIGNALED(r.wstatus));
    assert_int_equal(WTERMSIG(r.wstatus), SIGTERM);
    assert_true(lime_now_ms() - t0 < 20000); /* not the 30 s of sleep */
    /* one that ignores SIGTERM gets SIGKILL after the grace */
    char *stubborn[] = {"sh", "-c", "trap '' TERM; exec sleep 30", NULL};
    struct lime_run_opts s = {.timeout_ms = 100, .kill_after_ms = 200, .capture = true};
    assert_int_equal(lime_run(stubborn, &s, &r), -1);
    assert_int_equal(r.end, LIME_RUN_TIMED_OUT);
    assert_int_equal(WTERMSIG(r.wstatus), SIGKILL);
    char buf[128];
    assert_string_equal(lime_run_describe(&r, buf, sizeof buf), "timed out (killed by signal 9)");
    lime_run_result_free(&r);
    /* a quick program is not touched by its timeout */
    char *quick[] = {"sh", "-c", "exit 5", NULL};
    assert_int_equal(lime_run(quick, &o, &r), 5);
}

static void test_capture_large(void **state)
{
    (void)state;
    /* 1 MB: far more than a pipe buffer (64 KiB) */
    char *argv[] = {"head", "-c", "1000000", "/dev/zero", NULL};
    struct lime_run_opts o = {.capture = true};
    struct lime_run_result r;
    assert_int_equal(lime_run(argv, &o, &r), 0);
    assert_non_null(r.out);
    assert_int_equal(r.out_len, 1000000);
    for (size_t i = 0; i < r.out_len; i++)
        if (r.out[i]) {
            fail_msg("byte %zu is %d", i, r.out[i]);
        }
    assert_int_equal(r.out[r.out_len], 0);
    lime_run_result_free(&r);
    /* the cap is an error, not a cut */
    o.out_max = 1000;
    assert_int_equal(lime_run(argv, &o, &r), -1);
    assert_int_equal(r.end, LIME_RUN_TOO_BIG);
    assert_null(r.out);
    /* exactly the cap fits */
    char *thousand[] = {"head", "-c", "1000", "/dev/zero", NULL};
    assert_int_equal(lime_run(thousand, &o, &r), 0);
    assert_int_equal(r.out_len, 1000);
    lime_run_result_free(&r);
    /* nothing written: "" */
    char *quiet[] = {"true", NULL};
    assert_int_equal(lime_run(quiet, &o, &r), 0);
    assert_string_equal(r.out, "");
    lime_run_result_free(&r);
}

static void test_stdin_feed(void **state)
{
    (void)state;
    size_t n = 300000; /* more than a pipe buffer */
    char *in = malloc(n + 1);
    assert_non_null(in);
    for (size_t i = 0; i < n; i++)
        in[i] = (char)('a' + i % 26);
    in[n] = 0;
    char *argv[] = {"cat", NULL};
    struct lime_run_opts o = {.capture = true, .input = in};
    struct lime_run_result r;
    assert_int_equal(lime_run(argv, &o, &r), 0);
    assert_int_equal(r.out_len, n);
    assert_memory_equal(r.out, in, n);
    lime_run_result_free(&r);
    /* input_len: bytes, NUL included */
    char *wc[] = {"wc", "-c", NULL};
    struct lime_run_opts b = {.capture = true, .input = "a\0b", .input_len = 3};
    assert_int_equal(lime_run(wc, &b, &r), 0);
    assert_int_equal(atoi(r.out), 3);
    lime_run_result_free(&r);
    /* no input: /dev/null */
    struct lime_run_opts none = {.capture = true};
    assert_int_equal(lime_run(argv, &none, &r), 0);
    assert_string_equal(r.out, "");
    lime_run_result_free(&r);
    free(in);
}

static void test_env_cwd(void **state)
{
    (void)state;
    setenv("LR_RUN_OLD", "old", 1);
    const char *env[] = {"LR_RUN_X=hello world", "LR_RUN_OLD=new", NULL};
    char *argv[] = {"sh", "-c", "printf '%s|%s|' \"$LR_RUN_X\" \"$LR_RUN_OLD\"; env | grep -c '^LR_RUN_OLD='",
                    NULL};
    struct lime_run_opts o = {.capture = true, .env = env};
    struct lime_run_result r;
    assert_int_equal(lime_run(argv, &o, &r), 0);
    assert_string_equal(r.out, "hello world|new|1\n");
    lime_run_result_free(&r);
    unsetenv("LR_RUN_OLD");
    char *pwd[] = {"pwd", NULL};
    struct lime_run_opts c = {.capture = true, .cwd = "/tmp"};
    assert_int_equal(lime_run(pwd, &c, &r), 0);
    assert_string_equal(r.out, "/tmp\n");
    lime_run_result_free(&r);
}

static void test_log_and_stderr(void **state)
{
    (void)state;
    char path[] = "/tmp/core_run_log.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char *argv[] = {"sh", "-c", "echo out; echo err >&2", NULL};
    struct lime_run_opts o = {.log = path};
    assert_int_equal(lime_run(argv, &o, NULL), 0);
    assert_int_equal(lime_run(argv, &o, NULL), 0); /* appended */
    char buf[64] = "";
    fd = open(path, O_RDONLY);
    assert_true(read(fd, buf, sizeof buf - 1) > 0);
    close(fd);
    assert_string_equal(buf, "out\nerr\nout\nerr\n");
    unlink(path);
    /* capture with stderr: both */
    struct lime_run_opts c = {.capture = true, .capture_stderr = true};
    struct lime_run_result r;
    assert_int_equal(lime_run(argv, &c, &r), 0);
    assert_string_equal(r.out, "out\nerr\n");
    lime_run_result_free(&r);
    /* capture, stderr quiet: only stdout */
    struct lime_run_opts q = {.capture = true, .quiet = true};
    assert_int_equal(lime_run(argv, &q, &r), 0);
    assert_string_equal(r.out, "out\n");
    lime_run_result_free(&r);
}

static void test_child_clean_state(void **state)
{
    (void)state;
    /* the caller blocks SIGTERM and ignores SIGUSR1 (as an event loop might) */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, &old);
    struct sigaction ign = {.sa_handler = SIG_IGN}, old_usr1;
    sigaction(SIGUSR1, &ign, &old_usr1);
    char *term[] = {"sh", "-c", "kill -TERM $$; exit 0", NULL};
    struct lime_run_result r;
    assert_int_equal(lime_run(term, NULL, &r), -1);
    assert_int_equal(r.end, LIME_RUN_SIGNALED);
    assert_int_equal(r.code, SIGTERM);
    char *usr1[] = {"sh", "-c", "kill -USR1 $$; exit 0", NULL};
    assert_int_equal(lime_run(usr1, NULL, &r), -1);
    assert_int_equal(r.code, SIGUSR1);
    sigprocmask(SIG_SETMASK, &old, NULL);
    sigaction(SIGUSR1, &old_usr1, NULL);
    /* an fd the caller left inheritable does not reach the child */
    int fd = open("/dev/null", O_RDONLY);
    assert_true(fd > 2);
    char script[64];
    snprintf(script, sizeof script, "test -e /proc/self/fd/%d", fd);
    char *probe[] = {"sh", "-c", script, NULL};
    assert_int_equal(lime_run(probe, NULL, NULL), 1);
    close(fd);
}

static void test_detached_and_stop(void **state)
{
    (void)state;
    char *argv[] = {"sleep", "30", NULL};
    pid_t pid = lime_run_detached(argv, NULL);
    assert_true(pid > 0);
    assert_int_equal(getsid(pid), pid); /* its own session */
    assert_true(lime_run_alive(pid));
    assert_int_equal(lime_run_stop(&pid, 1, 2000), 0); /* TERM was enough */
    assert_false(lime_run_alive(pid));
    assert_true(waitpid(pid, NULL, WNOHANG) < 0); /* reaped already */
    char *stubborn[] = {"sh", "-c", "trap '' TERM; exec sleep 30", NULL};
    pid_t pids[2] = {lime_run_detached(stubborn, NULL), lime_run_detached(argv, NULL)};
    assert_true(pids[0] > 0 && pids[1] > 0);
    usleep(100000); /* let sh set its trap and exec */
    assert_int_equal(lime_run_stop(pids, 2, 200), 1);
    assert_false(lime_run_alive(pids[0]));
    assert_false(lime_run_alive(pids[1]));
}

/* ---- asynchronous form */

struct done_probe {
    int calls;
    enum lime_run_end end;
    int code;
    char *out;
    size_t out_len;
};

static void on_done(struct lime_run_result *r, void *arg)
{
    struct done_probe *p = arg;
    p->calls++;
    p->end = r->end;
    p->code = r->code;
    p->out = r->out; /* taken */
    p->out_len = r->out_len;
    r->out = NULL;
}

static void run_until_done(struct lime_loop *loop, struct done_probe *p, int n, unsigned ms)
{
    uint64_t end = lime_now_ms() + ms;
    while (p->calls < n && lime_now_ms() < end)
        lime_loop_run_once(loop, 50);
}

static void test_async(void **state)
{
    (void)state;
    struct lime_loop *loop = lime_loop_new();
    char *in = malloc(200001);
    memset(in, 'x', 200000);
    in[200000] = 0;
    char *cat[] = {"cat", NULL};
    struct lime_run_opts o = {.capture = true, .input = in};
    struct done_probe p = {0};
    struct lime_run_job *j = lime_run_start(loop, cat, &o, on_done, &p);
    assert_non_null(j);
    assert_true(lime_run_job_pid(j) > 0);
    run_until_done(loop, &p, 1, 10000);
    assert_int_equal(p.calls, 1);
    assert_int_equal(p.end, LIME_RUN_EXITED);
    assert_int_equal(p.code, 0);
    assert_int_equal(p.out_len, 200000);
    assert_memory_equal(p.out, in, 200000);
    free(p.out);
    free(in);
    /* timeout */
    char *sleep30[] = {"sleep", "30", NULL};
    struct lime_run_opts t = {.timeout_ms = 100};
    struct done_probe pt = {0};
    assert_non_null(lime_run_start(loop, sleep30, &t, on_done, &pt));
    run_until_done(loop, &pt, 1, 10000);
    assert_int_equal(pt.end, LIME_RUN_TIMED_OUT);
    /* cap */
    char *big[] = {"head", "-c", "500000", "/dev/zero", NULL};
    struct lime_run_opts c = {.capture = true, .out_max = 1000};
    struct done_probe pc = {0};
    assert_non_null(lime_run_start(loop, big, &c, on_done, &pc));
    run_until_done(loop, &pc, 1, 10000);
    assert_int_equal(pc.end, LIME_RUN_TOO_BIG);
    assert_null(pc.out);
    /* two at once, ending together */
    char *a[] = {"sh", "-c", "sleep 0.2; exit 4", NULL};
    char *b[] = {"sh", "-c", "sleep 0.2; echo b; exit 5", NULL};
    struct lime_run_opts cap = {.capture = true};
    struct done_probe pa = {0}, pb = {0};
    assert_non_null(lime_run_start(loop, a, NULL, on_done, &pa));
    assert_non_null(lime_run_start(loop, b, &cap, on_done, &pb));
    uint64_t end = lime_now_ms() + 10000;
    while ((pa.calls < 1 || pb.calls < 1) && lime_now_ms() < end)
        lime_loop_run_once(loop, 50);
    assert_int_equal(pa.calls, 1);
    assert_int_equal(pa.code, 4);
    assert_int_equal(pb.calls, 1);
    assert_int_equal(pb.code, 5);
    assert_string_equal(pb.out, "b\n");
    free(pb.out);
    /* not startable: NULL at once, done never runs */
    char *none[] = {"lime-run-test-no-such-program", NULL};
    struct done_probe pn = {0};
    errno = 0;
    assert_null(lime_run_start(loop, none, NULL, on_done, &pn));
    assert_int_equal(errno, ENOENT);
    /* kill: the child goes, done never runs */
    struct done_probe pk = {0};
    j = lime_run_start(loop, sleep30, NULL, on_done, &pk);
    pid_t pid = lime_run_job_pid(j);
    lime_run_job_kill(j);
    assert_false(lime_run_alive(pid));
    lime_loop_run_once(loop, 50);
    assert_int_equal(pk.calls, 0);
    assert_int_equal(pn.calls, 0);
    lime_loop_free(loop);
}

/* ---- the caller's fds, waiting, groups, orphans */

/* Reads from fd until want is in what was read (or 10 s); the text read, in buf. */
static bool read_until(int fd, const char *want, char *buf, size_t len)
{
    size_t n = 0;
    uint64_t end = lime_now_ms() + 10000;
    buf[0] = 0;
    while (!strstr(buf, want) && n + 1 < len && lime_now_ms() < end) {
        ssize_t r = read(fd, buf + n, len - 1 - n);
        if (r <= 0)
            break;
        n += (size_t)r;
        buf[n] = 0;
    }
    return strstr(buf, want) != NULL;
}

static void test_stdio_fds(void **state)
{
    (void)state;
    int in[2], out[2], err[2];
    assert_int_equal(pipe2(in, O_CLOEXEC), 0);
    assert_int_equal(pipe2(out, O_CLOEXEC), 0);
    assert_int_equal(pipe2(err, O_CLOEXEC), 0);
    /* a detached child streams into the caller's pipes while it runs */
    char *argv[] = {"sh", "-c", "echo ready; echo warn >&2; read line; echo got $line; sleep 30", NULL};
    int fds[3] = {in[0], out[1], err[1]};
    struct lime_run_opts o = {.stdio = fds};
    pid_t pid = lime_run_detached(argv, &o);
    assert_true(pid > 0);
    /* the caller's fds stay open, the child has its own copies */
    assert_true(fcntl(in[0], F_GETFD) >= 0 && fcntl(out[1], F_GETFD) >= 0 && fcntl(err[1], F_GETFD) >= 0);
    close(in[0]);
    close(out[1]);
    close(err[1]);
    char buf[256];
    assert_true(read_until(out[0], "ready\n", buf, sizeof buf));
    assert_true(read_until(err[0], "warn\n", buf, sizeof buf));
    assert_int_equal(write(in[1], "hello\n", 6), 6);
    assert_true(read_until(out[0], "got hello\n", buf, sizeof buf));
    assert_int_equal(lime_run_wait(pid, 0, NULL), 0); /* still running */
    assert_int_equal(lime_run_stop_group(pid, 2000), 0);
    assert_false(lime_run_alive(pid));
    assert_int_equal(read(out[0], buf, sizeof buf), 0); /* every writer gone: EOF */
    close(in[1]);
    close(out[0]);
    close(err[0]);
    /* -1: as without; the synchronous form too (stdout a file of the caller's) */
    char path[] = "/tmp/core_run_stdio_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    int only_out[3] = {-1, fd, -1};
    char *echo[] = {"sh", "-c", "echo to-file; echo hidden >&2", NULL};
    struct lime_run_opts q = {.stdio = only_out, .quiet = true};
    assert_int_equal(lime_run(echo, &q, NULL), 0);
    assert_int_equal(pread(fd, buf, sizeof buf - 1, 0), 8);
    assert_memory_equal(buf, "to-file\n", 8);
    close(fd);
    /* a caller's stdin with input, or stdout with capture: refused */
    struct lime_run_opts bad_in = {.stdio = fds, .input = "x"};
    struct lime_run_result r;
    fds[0] = 0;
    fds[1] = fds[2] = -1;
    assert_int_equal(lime_run(echo, &bad_in, &r), -1);
    assert_int_equal(r.end, LIME_RUN_NOT_STARTED);
    assert_int_equal(r.code, EINVAL);
    fds[0] = -1;
    fds[1] = 1;
    struct lime_run_opts bad_out = {.stdio = fds, .capture = true};
    assert_int_equal(lime_run(echo, &bad_out, &r), -1);
    assert_int_equal(r.code, EINVAL);
}

static void test_wait(void **state)
{
    (void)state;
    char *argv[] = {"sh", "-c", "sleep 0.2; exit 6", NULL};
    pid_t pid = lime_run_detached(argv, NULL);
    assert_true(pid > 0);
    int ws = -1;
    assert_int_equal(lime_run_wait(pid, 0, &ws), 0);
    assert_int_equal(ws, -1); /* untouched while it runs */
    assert_int_equal(lime_run_wait(pid, 10000, &ws), 1);
    assert_true(WIFEXITED(ws));
    assert_int_equal(WEXITSTATUS(ws), 6);
    errno = 0;
    assert_int_equal(lime_run_wait(pid, 0, &ws), -1); /* reaped */
    assert_int_equal(errno, ECHILD);
    char *killed[] = {"sh", "-c", "kill -9 $$", NULL};
    pid = lime_run_detached(killed, NULL);
    assert_int_equal(lime_run_wait(pid, -1, &ws), 1); /* blocking */
    assert_true(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL);
    assert_int_equal(lime_run_wait(getppid(), 0, NULL), -1); /* not ours */
}

/* A group whose leader left a background child: both go; one that ignores TERM gets KILL. */
static void test_stop_group(void **state)
{
    (void)state;
    for (int stubborn = 0; stubborn < 2; stubborn++) {
        int out[2];
        assert_int_equal(pipe2(out, O_CLOEXEC), 0);
        char *argv[] = {"sh", "-c",
                        stubborn ? "trap '' TERM; sleep 30 & echo $!; wait" : "sleep 30 & echo $!; wait", NULL};
        int fds[3] = {-1, out[1], -1};
        struct lime_run_opts o = {.stdio = fds};
        pid_t pid = lime_run_detached(argv, &o);
        assert_true(pid > 0);
        close(out[1]);
        char buf[64];
        assert_true(read_until(out[0], "\n", buf, sizeof buf));
        pid_t bg = (pid_t)atoi(buf);
        assert_true(bg > 0 && lime_run_alive(bg));
        assert_int_equal(getpgid(bg), pid);
        assert_int_equal(lime_run_stop_group(pid, 300), stubborn);
        assert_false(lime_run_alive(pid));
        uint64_t end = lime_now_ms() + 5000; /* bg is sh's child, reaped by init */
        while (lime_run_alive(bg) && lime_now_ms() < end)
            usleep(10000);
        assert_false(lime_run_alive(bg));
        assert_true(waitpid(pid, NULL, WNOHANG) < 0); /* the leader is reaped */
        close(out[0]);
    }
}

/* State letter of /proc/PID/stat ('?' when the process is gone). */
static char proc_state(pid_t pid)
{
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return '?';
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return '?';
    buf[n] = 0;
    const char *p = strrchr(buf, ')');
    return p && p[1] ? p[2] : '?';
}

/* As PID 1 does: an orphan is handed to us (a subreaper here) and ends; lime_run_reap_orphans
 * takes it; so are children that ended and nobody waited for. */
static void test_reap_orphans(void **state)
{
    (void)state;
    const char *emu = getenv("LIME_TEST_EMULATOR");
    int sub = prctl(PR_SET_CHILD_SUBREAPER, 1);
    if (sub != 0 && emu && emu[0]) {
        print_message("under qemu-user: no PR_SET_CHILD_SUBREAPER, orphans not tested\n");
        skip(); /* cross builds (make cross): qemu-user does not pass this prctl on */
    }
    assert_int_equal(sub, 0);
    char *argv[] = {"sh", "-c", "sleep 0.3 & echo $!", NULL};
    struct lime_run_opts o = {.capture = true};
    struct lime_run_result r;
    assert_int_equal(lime_run(argv, &o, &r), 0);
    pid_t orphan = (pid_t)atoi(r.out);
    lime_run_result_free(&r);
    assert_true(orphan > 0);
    char *quick[] = {"true", NULL};
    pid_t left = lime_run_detached(quick, NULL);
    assert_true(left > 0);
    uint64_t end = lime_now_ms() + 10000;
    while ((proc_state(orphan) != 'Z' || proc_state(left) != 'Z') && lime_now_ms() < end)
        usleep(10000);
    assert_int_equal(proc_state(orphan), 'Z'); /* ended; ours to reap */
    assert_int_equal(proc_state(left), 'Z');
    assert_int_equal(lime_run_reap_orphans(), 2);
    assert_int_equal(proc_state(orphan), '?');
    assert_int_equal(proc_state(left), '?');
    assert_int_equal(lime_run_reap_orphans(), 0);
    assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 0), 0);
}

/* lime_run_exec: this binary, run as "core_run --exec ARGV...", blocks SIGTERM and
 * ignores SIGUSR1, then becomes ARGV; exit 99 if the exec failed with ENOENT. */
static int exec_mode(char **argv)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    signal(SIGUSR1, SIG_IGN);
    lime_run_exec(argv);
    return errno == ENOENT ? 99 : 98;
}

/* Runs this test binary in exec mode with script as sh -c's argument (or, script NULL,
 * a program that does not exist); through the emulator in cross builds. */
static int run_self_exec(const char *script, struct lime_run_result *r)
{
    static char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    assert_true(n > 0);
    self[n] = 0;
    char *argv[8];
    int k = 0;
    const char *emu = getenv("LIME_TEST_EMULATOR");
    if (emu && emu[0])
        argv[k++] = (char *)emu;
    argv[k++] = self;
    argv[k++] = "--exec";
    if (script) {
        argv[k++] = "sh";
        argv[k++] = "-c";
        argv[k++] = (char *)script;
    } else {
        argv[k++] = "lime-run-test-no-such-program";
    }
    argv[k] = NULL;
    return lime_run(argv, NULL, r);
}

static void test_exec(void **state)
{
    (void)state;
    struct lime_run_result r;
    assert_int_equal(run_self_exec("exit 4", &r), 4); /* the program's own status */
    /* the program starts with default signals, not the caller's */
    assert_int_equal(run_self_exec("kill -USR1 $$; exit 0", &r), -1);
    assert_int_equal(r.code, SIGUSR1);
    assert_int_equal(run_self_exec("kill -TERM $$; exit 0", &r), -1);
    assert_int_equal(r.code, SIGTERM);
    assert_int_equal(run_self_exec(NULL, &r), 99);
}

int main(int argc, char **argv)
{
    if (argc > 2 && !strcmp(argv[1], "--exec"))
        return exec_mode(argv + 2);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exit_status),
        cmocka_unit_test(test_signal_death),
        cmocka_unit_test(test_not_started),
        cmocka_unit_test(test_timeout_kill),
        cmocka_unit_test(test_capture_large),
        cmocka_unit_test(test_stdin_feed),
        cmocka_unit_test(test_env_cwd),
        cmocka_unit_test(test_log_and_stderr),
        cmocka_unit_test(test_child_clean_state),
        cmocka_unit_test(test_detached_and_stop),
        cmocka_unit_test(test_async),
        cmocka_unit_test(test_exec),
        cmocka_unit_test(test_stdio_fds),
        cmocka_unit_test(test_wait),
        cmocka_unit_test(test_stop_group),
        cmocka_unit_test(test_reap_orphans),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
