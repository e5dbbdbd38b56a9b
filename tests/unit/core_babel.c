/* The babeld seam (src/core/babel.h): babeld's local-protocol lines applied to a state,
 * and the client against a stand-in babeld on a unix socket: banner, "monitor", the full
 * answer, changes, babeld going away and coming back. */
#include "babel.h"
#include "loop.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void babel_lines(void **state)
{
    (void)state;
    struct lime_babel_state *b = calloc(1, sizeof(*b));
    lime_babel_apply_line(b, "my-id 02:00:00:ff:fe:00:00:01");
    lime_babel_apply_line(b, "add neighbour 55d8c0a0d2b0 address fe80::2 if ld-b reach ff00 "
                             "ureach 0000 rxcost 96 txcost 96 rtt 0.123 rttcost 0 cost 96");
    lime_babel_apply_line(b, "add route 55d8c0a0d330 prefix 10.13.0.2/32 from 0.0.0.0/0 "
                             "installed yes id 02:00:00:ff:fe:00:00:02 metric 96 refmetric 0 "
                             "via fe80::2 if ld-b");
    lime_babel_apply_line(b, "add route 55d8c0a0d331 prefix 0.0.0.0/0 from 0.0.0.0/0 "
                             "installed yes id 02:00:00:ff:fe:00:00:02 metric 96 refmetric 0 "
                             "via fe80::2 if ld-b");
    lime_babel_apply_line(b, "add xroute 10.13.0.1/32-0.0.0.0/0 prefix 10.13.0.1/32 from "
                             "0.0.0.0/0 metric 0");
    lime_babel_apply_line(b, "add interface ld-b up true ipv6 fe80::1");
    lime_babel_apply_line(b, "garbage line that is ignored");
    lime_babel_apply_line(b, "add neighbour");
    assert_string_equal(b->my_id, "02:00:00:ff:fe:00:00:01");
    assert_int_equal(b->n_neigh, 1);
    assert_string_equal(b->neigh[0].address, "fe80::2");
    assert_string_equal(b->neigh[0].iface, "ld-b");
    assert_int_equal(b->neigh[0].reach, 0xff00);
    assert_int_equal(b->neigh[0].cost, 96);
    assert_int_equal(lime_babel_quality(&b->neigh[0]), 100); /* wired, cost 96: perfect */
    struct lime_babel_neigh w = {.rxcost = 256, .txcost = 256, .cost = 256};
    assert_int_equal(lime_babel_quality(&w), 100); /* wireless, ETX 1: perfect */
    w.cost = 512;
    assert_int_equal(lime_babel_quality(&w), 50); /* ETX 2 */
    w.cost = 0xffff;
    assert_int_equal(lime_babel_quality(&w), 0);
    assert_int_equal(b->n_route, 2);
    assert_true(b->route[0].installed);
    assert_string_equal(b->route[0].via, "fe80::2");
    assert_int_equal(b->n_xroute, 1);
    assert_string_equal(b->xroute[0].prefix, "10.13.0.1/32");
    assert_string_equal(lime_babel_neigh_id(b, "fe80::2"), "02:00:00:ff:fe:00:00:02");
    assert_string_equal(lime_babel_host_route(b, "02:00:00:ff:fe:00:00:02")->prefix, "10.13.0.2/32");
    assert_non_null(lime_babel_installed(b, "0.0.0.0/0"));
    assert_null(lime_babel_installed(b, "::/0"));
    assert_false(lime_babel_exports_default(b));

    /* what "monitor" streams afterwards: a change replaces, a flush removes */
    lime_babel_apply_line(b, "change neighbour 55d8c0a0d2b0 address fe80::2 if ld-b reach 8000 "
                             "ureach 0000 rxcost 256 txcost 256 cost 512");
    assert_int_equal(b->n_neigh, 1);
    assert_int_equal(b->neigh[0].reach, 0x8000);
    assert_int_equal(lime_babel_quality(&b->neigh[0]), 50);
    lime_babel_apply_line(b, "change route 55d8c0a0d331 prefix 0.0.0.0/0 from 0.0.0.0/0 "
                             "installed no id 02:00:00:ff:fe:00:00:02 metric 512 refmetric 0 "
                             "via fe80::2 if ld-b");
    assert_int_equal(b->n_route, 2);
    assert_null(lime_babel_installed(b, "0.0.0.0/0"));
    lime_babel_apply_line(b, "flush route 55d8c0a0d330 prefix 10.13.0.2/32 from 0.0.0.0/0 "
                             "installed yes id 02:00:00:ff:fe:00:00:02 metric 96 refmetric 0 "
                             "via fe80::2 if ld-b");
    assert_int_equal(b->n_route, 1);
    assert_null(lime_babel_host_route(b, "02:00:00:ff:fe:00:00:02"));
    lime_babel_apply_line(b, "add xroute 0.0.0.0/0-0.0.0.0/0 prefix 0.0.0.0/0 from 0.0.0.0/0 metric 0");
    assert_true(lime_babel_exports_default(b));
    lime_babel_apply_line(b, "flush xroute 0.0.0.0/0-0.0.0.0/0 prefix 0.0.0.0/0 from 0.0.0.0/0 metric 0");
    assert_false(lime_babel_exports_default(b));
    lime_babel_apply_line(b, "flush neighbour 55d8c0a0d2b0 address fe80::2 if ld-b");
    assert_int_equal(b->n_neigh, 0);
    free(b);
}

/* ---------------------------------------------------------------- the client */

static int listen_at(const char *path)
{
    unlink(path);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(fd, 4), 0);
    return fd;
}

static void say(int fd, const char *text)
{
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
}

/* Runs the loop until cond() holds or ms pass. */
static bool run_until(struct lime_loop *loop, bool (*cond)(const struct lime_babel *),
                      const struct lime_babel *c, unsigned ms)
{
    uint64_t end = lime_now_ms() + ms;
    while (!cond(c) && lime_now_ms() < end)
        lime_loop_run_once(loop, 20);
    return cond(c);
}

static bool is_ok(const struct lime_babel *c)
{
    return lime_babel_state(c)->ok;
}

static bool not_ok(const struct lime_babel *c)
{
    return !lime_babel_state(c)->ok;
}

static bool two_neighbours(const struct lime_babel *c)
{
    return lime_babel_state(c)->n_neigh == 2;
}

/* The stand-in babeld's side of one connection: banner, expect "monitor", full answer. */
static int serve(struct lime_loop *loop, int lfd, const struct lime_babel *c)
{
    int fd = -1;
    for (int i = 0; i < 150 && fd < 0; i++) { /* the client connects from the loop */
        lime_loop_run_once(loop, 20);
        fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    }
    assert_true(fd >= 0);
    say(fd, "BABEL 1.0\nversion babeld-1.12.1\nhost n1\nmy-id 02:00:00:ff:fe:00:00:01\nok\n");
    char req[64] = "";
    size_t len = 0;
    for (int i = 0; i < 100 && !strchr(req, '\n'); i++) {
        lime_loop_run_once(loop, 20);
        ssize_t n = read(fd, req + len, sizeof(req) - 1 - len);
        if (n > 0)
            len += (size_t)n;
        req[len] = 0;
    }
    assert_string_equal(req, "monitor\n");
    assert_false(lime_babel_state(c)->ok); /* nothing shown before the full answer */
    say(fd, "add interface eth0 up true ipv6 fe80::1\n"
            "add neighbour 1a address fe80::2 if eth0 reach ffff ureach 0000 rxcost 96 txcost 96 cost 96\n"
            "add route 2a prefix 10.13.0.2/32 from 0.0.0.0/0 installed yes id 02:00:00:ff:fe:00:00:02 "
            "metric 96 refmetric 0 via fe80::2 if eth0\n");
    lime_loop_run_once(loop, 20);
    say(fd, "ok\n");
    return fd;
}

static void client(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof(path), "/tmp/lime-babel-test-%d.sock", (int)getpid());
    struct lime_loop *loop = lime_loop_new();
    int lfd = listen_at(path);
    struct lime_babel *c = lime_babel_open(loop, path, 0);
    assert_non_null(c);
    int fd = serve(loop, lfd, c);
    assert_true(run_until(loop, is_ok, c, 2000));
    const struct lime_babel_state *s = lime_babel_state(c);
    assert_string_equal(s->my_id, "02:00:00:ff:fe:00:00:01");
    assert_int_equal(s->n_neigh, 1);
    assert_int_equal(s->n_route, 1);

    /* changes arrive while connected */
    say(fd, "add neighbour 1b address fe80::3 if eth0 reach ff00 ureach 0000 rxcost 96 txcost 96 cost 96\n");
    assert_true(run_until(loop, two_neighbours, c, 2000));
    assert_string_equal(s->neigh[1].address, "fe80::3");

    /* babeld goes away: empty state; it comes back: the client reconnects by itself */
    close(fd);
    assert_true(run_until(loop, not_ok, c, 2000));
    assert_int_equal(s->n_neigh, 0);
    fd = serve(loop, lfd, c);
    assert_true(run_until(loop, is_ok, c, 2000));
    assert_int_equal(s->n_neigh, 1);

    /* babeld refusing "monitor" (or talking nonsense) is not babeld's state */
    close(fd);
    assert_true(run_until(loop, not_ok, c, 2000));
    fd = -1;
    for (int i = 0; i < 150 && fd < 0; i++) {
        lime_loop_run_once(loop, 20);
        fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    }
    assert_true(fd >= 0);
    say(fd, "BABEL 1.0\nmy-id 02:00:00:ff:fe:00:00:01\nok\nno\n");
    for (int i = 0; i < 10; i++)
        lime_loop_run_once(loop, 20);
    assert_false(lime_babel_state(c)->ok);
    close(fd);

    lime_babel_close(c);
    close(lfd);
    unlink(path);
    lime_loop_free(loop);
}

static void absent(void **state)
{
    (void)state;
    struct lime_loop *loop = lime_loop_new();
    struct lime_babel *c = lime_babel_open(loop, "/nonexistent/babeld.sock", 0);
    assert_non_null(c);
    lime_loop_run_once(loop, 10);
    assert_false(lime_babel_state(c)->ok);
    assert_int_equal(lime_babel_state(c)->n_neigh, 0);
    lime_babel_close(c);
    assert_false(lime_babel_state(NULL)->ok);
    lime_loop_free(loop);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(babel_lines),
        cmocka_unit_test(client),
        cmocka_unit_test(absent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
