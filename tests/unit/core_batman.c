/* The batman seam (src/core/batman.h): batd's control socket (a stand-in batd on a unix
 * socket: answers, "error:" answers, batd absent, batd silent), the background refresh
 * of tables a reader wants, and the kernel module (a hand-built generic netlink answer
 * through the kernel seam's parser; the in-memory kernel's batman-adv tables). */
#include "batman.h"
#include "loop.h"
#include "nl.h"
#include "nl_mock.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <json-c/json.h>
#include <linux/batman_adv.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* A batman-adv neighbour dump message as the kernel sends it, built by hand. */
static void kernel_neighbours(void **state)
{
    (void)state;
    uint8_t buf[512] = {0};
    size_t off = 0;
    for (int i = 0; i < 2; i++) {
        uint8_t *m = buf + off;
        uint32_t len = 16 + 4 + 12 + 8 + 8; /* nlmsghdr, genlmsghdr, mac attr, 2 u32 attrs */
        memcpy(m, &len, 4);
        uint16_t type = 0x20, flags = 2; /* NLM_F_MULTI */
        memcpy(m + 4, &type, 2);
        memcpy(m + 6, &flags, 2);
        uint32_t seq = 7;
        memcpy(m + 8, &seq, 4);
        m[16] = BATADV_CMD_GET_NEIGHBORS;
        uint8_t *a = m + 20;
        uint16_t alen = 10, atype = BATADV_ATTR_NEIGH_ADDRESS;
        memcpy(a, &alen, 2);
        memcpy(a + 2, &atype, 2);
        uint8_t mac[6] = {0x02, 0, 0, 0, 0, (uint8_t)(i + 1)};
        memcpy(a + 4, mac, 6);
        a += 12;
        alen = 8;
        atype = BATADV_ATTR_HARD_IFINDEX;
        uint32_t lo = 1, seen = 250;
        memcpy(a, &alen, 2);
        memcpy(a + 2, &atype, 2);
        memcpy(a + 4, &lo, 4);
        a += 8;
        atype = BATADV_ATTR_LAST_SEEN_MSECS;
        memcpy(a, &alen, 2);
        memcpy(a + 2, &atype, 2);
        memcpy(a + 4, &seen, 4);
        off += len;
    }
    struct lime_nl_batadv_entry *v = NULL;
    size_t n = 0, cap = 0;
    assert_int_equal(lime_nl_batadv_parse_dump(buf, off, LIME_BATADV_NEIGHBOURS, &v, &n, &cap), 2);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++) /* names come from the ifindex, as lime_nl_batadv_dump does */
        if (!v[i].hard_ifname[0])
            assert_non_null(if_indextoname((unsigned)v[i].hard_ifindex, v[i].hard_ifname));
    struct json_object *arr = lime_batman_json(LIME_BATMAN_NEIGHBOURS, v, n);
    assert_string_equal(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN),
                        "[{\"neigh_address\":\"02:00:00:00:00:01\",\"hard_ifname\":\"lo\",\"hard_ifindex\":1,\"last_seen_msecs\":250},"
                        "{\"neigh_address\":\"02:00:00:00:00:02\",\"hard_ifname\":\"lo\",\"hard_ifindex\":1,\"last_seen_msecs\":250}]");
    json_object_put(arr);
    free(v);

    /* the in-memory kernel: no mesh interface, then bat0 with tables */
    lime_nl_mock_reset();
    struct lime_loop *loop = lime_loop_new();
    struct lime_batman *c = lime_batman_open(loop, NULL, "bat0");
    assert_null(lime_batman_get(c, LIME_BATMAN_NEIGHBOURS, 1000));
    struct lime_nl *nl = lime_nl_open();
    struct lime_nl_link_spec bat0 = {.name = "bat0", .kind = "batadv"};
    assert_int_equal(lime_nl_link_add(nl, &bat0), 0);
    assert_true(lime_nl_mock_device("eth0_29") > 0);
    struct lime_nl_batadv_entry e = {.addr = {2, 0, 0, 0, 0, 9}, .neigh = {2, 0, 0, 0, 0, 9},
                                     .has_neigh = true, .hard_ifindex = lime_nl_ifindex(nl, "eth0_29"),
                                     .hard_ifname = "eth0_29", .last_seen_ms = 120, .tq = 255,
                                     .best = true, .active = true, .vid = -1};
    for (int t = 0; t < LIME_BATADV_TABLES; t++)
        assert_int_equal(lime_nl_mock_batadv_table("bat0", (enum lime_batadv_table)t, &e, 1), 0);
    lime_nl_close(nl);
    for (int t = 0; t < LIME_BATMAN_TABLES; t++)
        lime_batman_refresh(c, (enum lime_batman_table)t);
    static const char *const want[LIME_BATMAN_TABLES] = {
        "[{\"neigh_address\":\"02:00:00:00:00:09\",\"hard_ifname\":\"eth0_29\",\"hard_ifindex\":3,"
        "\"last_seen_msecs\":120}]",
        "[{\"orig_address\":\"02:00:00:00:00:09\",\"neigh_address\":\"02:00:00:00:00:09\","
        "\"hard_ifname\":\"eth0_29\",\"hard_ifindex\":3,\"last_seen_msecs\":120,\"tq\":255,"
        "\"best\":true}]",
        "[{\"client_address\":\"02:00:00:00:00:09\",\"vid\":-1,\"crc32\":0,\"last_seen_msecs\":120,"
        "\"flags\":0}]",
        "[{\"hard_ifname\":\"eth0_29\",\"hard_ifindex\":3,\"hard_address\":\"02:00:00:00:00:09\","
        "\"active\":true}]",
    };
    for (int t = 0; t < LIME_BATMAN_TABLES; t++) {
        struct json_object *a = lime_batman_latest(c, (enum lime_batman_table)t);
        assert_non_null(a);
        assert_string_equal(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN), want[t]);
        json_object_put(a);
    }
    lime_batman_close(c);
    lime_loop_free(loop);
}

/* ---------------------------------------------------------------- batd */

static int listen_at(const char *path)
{
    unlink(path);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(fd, 8), 0);
    return fd;
}

static unsigned questions;
static int pending[32]; /* accepted connections whose question is not in yet */
static size_t n_pending;

/* The stand-in batd: takes the questions waiting on lfd and answers those complete
 * (batd's ctl.c: one "<table> json" line, the answer, close). silent: never answers. */
static void serve(int lfd, bool silent)
{
    int fd;
    while (n_pending < 32 && (fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
        questions++;
        pending[n_pending++] = fd;
    }
    for (size_t i = 0; !silent && i < n_pending;) {
        char line[64] = "";
        ssize_t n = recv(pending[i], line, sizeof(line) - 1, MSG_PEEK);
        if (n <= 0 || !memchr(line, '\n', (size_t)n)) {
            i++;
            continue;
        }
        n = read(pending[i], line, sizeof(line) - 1);
        line[n > 0 ? n : 0] = 0;
        const char *answer = "error: unknown command\n";
        if (!strcmp(line, "neighbors json\n"))
            answer = "[{\"neigh_address\":\"02:00:00:00:00:09\",\"hard_ifname\":\"lo\","
                     "\"last_seen_msecs\":120}]";
        else if (!strcmp(line, "originators json\n"))
            answer = "[{\"orig_address\":\"02:00:00:00:00:09\",\"neigh_address\":\"02:00:00:00:00:09\","
                     "\"tq\":255,\"best\":true}]";
        assert_int_equal(write(pending[i], answer, strlen(answer)), (ssize_t)strlen(answer));
        close(pending[i]);
        pending[i] = pending[--n_pending];
    }
}

static void hang_up(void)
{
    while (n_pending)
        close(pending[--n_pending]);
}

static unsigned answers[LIME_BATMAN_TABLES];

static void on_answer(void *arg, enum lime_batman_table t)
{
    (void)arg;
    answers[t]++;
}

/* Runs the loop and the stand-in batd for ms. */
static void run(struct lime_loop *loop, int lfd, bool silent, unsigned ms)
{
    uint64_t end = lime_now_ms() + ms;
    while (lime_now_ms() < end) {
        serve(lfd, silent);
        lime_loop_run_once(loop, 10);
    }
}

static void batd(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof(path), "/tmp/lime-batman-test-%d.sock", (int)getpid());
    struct lime_loop *loop = lime_loop_new();
    int lfd = listen_at(path);
    questions = 0;
    memset(answers, 0, sizeof(answers));
    struct lime_batman *c = lime_batman_open(loop, path, NULL);
    assert_int_equal(lime_batman_listen(c, on_answer, NULL), 0);
    run(loop, lfd, false, 200);
    assert_int_equal(questions, LIME_BATMAN_TABLES); /* every table asked at once */
    assert_int_equal(answers[LIME_BATMAN_NEIGHBOURS], 1);

    struct json_object *nb = lime_batman_get(c, LIME_BATMAN_NEIGHBOURS, 60000);
    assert_non_null(nb);
    assert_true(json_object_is_type(nb, json_type_array));
    assert_int_equal(json_object_array_length(nb), 1);
    json_object_put(nb);
    struct json_object *o = lime_batman_get(c, LIME_BATMAN_ORIGINATORS, 60000);
    assert_non_null(o);
    json_object_put(o);
    /* "error: …" is no table */
    assert_null(lime_batman_get(c, LIME_BATMAN_TRANSLOCAL, 60000));
    assert_int_equal(questions, LIME_BATMAN_TABLES); /* fresh enough: nothing asked again */

    /* a reader that wants it at most 100 ms old keeps it refreshed in the background */
    nb = lime_batman_get(c, LIME_BATMAN_NEIGHBOURS, 100);
    json_object_put(nb);
    unsigned before = answers[LIME_BATMAN_NEIGHBOURS];
    for (int i = 0; i < 300 && answers[LIME_BATMAN_NEIGHBOURS] < before + 2; i++)
        run(loop, lfd, false, 10);
    assert_true(answers[LIME_BATMAN_NEIGHBOURS] >= before + 2);

    /* batd stops answering: the question ends at its deadline, the table is gone */
    close(lfd);
    unlink(path);
    lfd = listen_at(path);
    before = answers[LIME_BATMAN_NEIGHBOURS];
    lime_batman_refresh(c, LIME_BATMAN_NEIGHBOURS);
    run(loop, lfd, true, 3500);
    assert_true(answers[LIME_BATMAN_NEIGHBOURS] > before);
    assert_null(lime_batman_latest(c, LIME_BATMAN_NEIGHBOURS));
    hang_up();

    /* batd not running at all */
    close(lfd);
    unlink(path);
    lime_batman_refresh(c, LIME_BATMAN_ORIGINATORS);
    assert_null(lime_batman_latest(c, LIME_BATMAN_ORIGINATORS));

    lime_batman_unlisten(c, on_answer, NULL);
    lime_batman_close(c);
    lime_loop_free(loop);
}

/* Both sources: batd while it listens on its socket, the kernel's batman-adv where nothing
 * does (a node lime-apply put on the kernel module runs no batd; one switched at run time
 * is followed both ways). */
static void batd_or_kernel(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof(path), "/tmp/lime-batman-both-%d.sock", (int)getpid());
    unlink(path);
    lime_nl_mock_reset();
    struct lime_nl *nl = lime_nl_open();
    struct lime_nl_link_spec bat0 = {.name = "bat0", .kind = "batadv"};
    assert_int_equal(lime_nl_link_add(nl, &bat0), 0);
    assert_true(lime_nl_mock_device("eth0_29") > 0);
    struct lime_nl_batadv_entry e = {.addr = {2, 0x95, 0x39, 0, 1, 2}, .hard_ifindex = 3,
                                     .hard_ifname = "eth0_29", .last_seen_ms = 40, .tq = -1,
                                     .vid = -1};
    assert_int_equal(lime_nl_mock_batadv_table("bat0", LIME_BATADV_NEIGHBOURS, &e, 1), 0);
    lime_nl_close(nl);
    struct lime_loop *loop = lime_loop_new();
    struct lime_batman *c = lime_batman_open(loop, path, "bat0");

    /* no batd: the kernel answers */
    struct json_object *nb = lime_batman_get(c, LIME_BATMAN_NEIGHBOURS, 1);
    assert_non_null(nb);
    assert_string_equal(json_object_to_json_string_ext(nb, JSON_C_TO_STRING_PLAIN),
                        "[{\"neigh_address\":\"02:95:39:00:01:02\",\"hard_ifname\":\"eth0_29\","
                        "\"hard_ifindex\":3,\"last_seen_msecs\":40}]");
    json_object_put(nb);

    /* batd starts listening there: batd answers */
    int lfd = listen_at(path);
    lime_batman_refresh(c, LIME_BATMAN_NEIGHBOURS);
    run(loop, lfd, false, 200);
    nb = lime_batman_latest(c, LIME_BATMAN_NEIGHBOURS);
    assert_non_null(nb);
    assert_non_null(strstr(json_object_to_json_string(nb), "02:00:00:00:00:09"));
    json_object_put(nb);

    /* batd goes: the kernel again (once a question still out to batd has ended) */
    hang_up();
    close(lfd);
    unlink(path);
    bool kernel = false;
    for (uint64_t end = lime_now_ms() + 4000; !kernel && lime_now_ms() < end;) {
        lime_batman_refresh(c, LIME_BATMAN_NEIGHBOURS);
        lime_loop_run_once(loop, 10);
        nb = lime_batman_latest(c, LIME_BATMAN_NEIGHBOURS);
        kernel = nb && strstr(json_object_to_json_string(nb), "02:95:39:00:01:02");
        json_object_put(nb);
    }
    assert_true(kernel);

    /* neither: no table */
    lime_nl_mock_reset();
    lime_batman_refresh(c, LIME_BATMAN_NEIGHBOURS);
    nb = lime_batman_latest(c, LIME_BATMAN_NEIGHBOURS);
    assert_null(nb);
    lime_batman_close(c);
    lime_loop_free(loop);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kernel_neighbours),
        cmocka_unit_test(batd_or_kernel),
        cmocka_unit_test(batd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
