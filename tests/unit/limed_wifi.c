/* limed's Wi-Fi module (src/limed/wifi.c) against fake hostapd / wpa_supplicant control
 * sockets in a temp root: it finds and ATTACHes them, reads their events (an association,
 * an SAE failure logged once, a malformed datagram counted and dropped), notices a daemon
 * that went away, and the anycast gateway's ARP request and the lease lookup it is built
 * from. */
#include "limed.h"
#include "wifi.h"

#include "core/fsutil.h"
#include "core/log.h"
#include "core/loop.h"

#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

static void test_arp_frame(void **state)
{
    (void)state;
    static const uint8_t gw_mac[6] = {0xaa, 0xaa, 0xaa, 0x0d, 0xfe, 0xaa}, gw_ip[4] = {10, 13, 0, 1},
                         ph_mac[6] = {0x02, 0x4c, 0x43, 0, 1, 1}, ph_ip[4] = {10, 13, 36, 121};
    uint8_t f[42];
    ld_wifi_arp_frame(f, gw_mac, gw_ip, ph_mac, ph_ip);
    assert_memory_equal(f, ph_mac, 6);             /* to the phone */
    assert_memory_equal(f + 6, gw_mac, 6);         /* from the anycast MAC */
    assert_int_equal(f[12] << 8 | f[13], 0x0806);  /* ARP */
    assert_int_equal(f[20] << 8 | f[21], 1);       /* request */
    assert_memory_equal(f + 22, gw_mac, 6);        /* sender: the gateway */
    assert_memory_equal(f + 28, gw_ip, 4);
    assert_memory_equal(f + 38, ph_ip, 4);         /* who has the phone's address */
}

static void test_lease_ip(void **state)
{
    (void)state;
    static const uint8_t mac[6] = {0x02, 0x4c, 0x43, 0, 1, 1};
    uint8_t ip[4];
    const char *leases = "1700000000 02:4c:43:00:01:02 10.13.1.9 other *\n"
                         "1700000000 02:4C:43:00:01:01 10.13.36.121 phone 01:02\n";
    assert_int_equal(ld_wifi_lease_ip(leases, mac, ip), 0);
    assert_int_equal(ip[3], 121);
    const char *hosts = "02:4c:43:00:01:01,10.13.7.7\n";
    assert_int_equal(ld_wifi_lease_ip(hosts, mac, ip), 0);
    assert_int_equal(ip[2], 7);
    assert_int_equal(ld_wifi_lease_ip("garbage\n,\n\n02:4c:43:00:01:01,not-an-ip\n", mac, ip), -1);
    assert_int_equal(ld_wifi_lease_ip("", mac, ip), -1);
}

/* A fake daemon's control socket: answers ATTACH and PING, lets the test send events. */
struct fake {
    int fd;
    char path[256];
    struct sockaddr_un peer;
    socklen_t peer_len;
};

static void fake_open(struct fake *f, const char *path)
{
    memset(f, 0, sizeof(*f));
    snprintf(f->path, sizeof(f->path), "%s", path);
    f->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
    unlink(path);
    assert_int_equal(bind(f->fd, (struct sockaddr *)&a, sizeof(a)), 0);
}

/* Answers what limed sent (ATTACH → OK, PING → PONG). */
static void fake_serve(struct fake *f)
{
    char buf[256];
    for (;;) {
        struct sockaddr_un from;
        socklen_t fl = sizeof(from);
        ssize_t n = recvfrom(f->fd, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&from, &fl);
        if (n <= 0)
            return;
        buf[n] = 0;
        f->peer = from;
        f->peer_len = fl;
        const char *reply = !strcmp(buf, "PING") ? "PONG\n" : "OK\n";
        sendto(f->fd, reply, strlen(reply), 0, (struct sockaddr *)&from, fl);
    }
}

static void fake_event(struct fake *f, const char *ev)
{
    assert_true(f->peer_len > 0);
    assert_int_equal(sendto(f->fd, ev, strlen(ev), 0, (struct sockaddr *)&f->peer, f->peer_len),
                     (ssize_t)strlen(ev));
}

static void spin(struct lime_loop *loop, struct fake *a, struct fake *b, int ms)
{
    for (int i = 0; i < ms / 10; i++) {
        fake_serve(a);
        fake_serve(b);
        lime_loop_run_once(loop, 10);
    }
}

static int rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static void test_events(void **state)
{
    (void)state;
    char root[] = "/tmp/limed_wifi.XXXXXX";
    assert_non_null(mkdtemp(root));
    char dir[128], p1[192], p2[192];
    snprintf(dir, sizeof(dir), "%s/var/run/hostapd", root);
    assert_int_equal(lime_mkdir_p(dir, 0755), 0);
    snprintf(p1, sizeof(p1), "%s/var/run/wpa_supplicant", root);
    assert_int_equal(lime_mkdir_p(p1, 0755), 0);
    snprintf(p1, sizeof(p1), "%s/wlan0-ap", dir);
    snprintf(p2, sizeof(p2), "%s/var/run/wpa_supplicant/wlan0-mesh", root);
    struct fake ap, mesh;
    fake_open(&ap, p1);
    fake_open(&mesh, p2);

    struct ld_ctx ctx = {.root = root};
    ctx.loop = lime_loop_new();
    assert_non_null(ctx.loop);
    /* ATTACH is a request with a reply: answer it from a second thread would be simpler,
     * but the sockets are non-blocking and limed waits up to 2 s: serve before starting */
    int pfd[2];
    assert_int_equal(pipe(pfd), 0);
    pid_t child = fork();
    if (child == 0) { /* answers the two ATTACHes, hands back who asked */
        while (!ap.peer_len || !mesh.peer_len) {
            fake_serve(&ap);
            fake_serve(&mesh);
            usleep(5000);
        }
        if (write(pfd[1], &ap.peer, sizeof(ap.peer)) < 0 || write(pfd[1], &ap.peer_len, sizeof(socklen_t)) < 0 ||
            write(pfd[1], &mesh.peer, sizeof(mesh.peer)) < 0 ||
            write(pfd[1], &mesh.peer_len, sizeof(socklen_t)) < 0)
            _exit(1);
        _exit(0);
    }
    assert_int_equal(ld_wifi_start(&ctx), 0);
    assert_true(read(pfd[0], &ap.peer, sizeof(ap.peer)) > 0);
    assert_true(read(pfd[0], &ap.peer_len, sizeof(socklen_t)) > 0);
    assert_true(read(pfd[0], &mesh.peer, sizeof(mesh.peer)) > 0);
    assert_true(read(pfd[0], &mesh.peer_len, sizeof(socklen_t)) > 0);
    waitpid(child, NULL, 0);
    close(pfd[0]);
    close(pfd[1]);
    const struct ld_wifi_stats *st = ld_wifi_stats();
    assert_int_equal(st->ctrl_attached, 2);
    spin(ctx.loop, &ap, &mesh, 50);

    fake_event(&ap, "<3>AP-STA-CONNECTED 02:4c:43:00:01:01");
    fake_event(&mesh, "<3>MESH-SAE-AUTH-FAILURE addr=22:4c:77:00:01:07");
    fake_event(&mesh, "<3>MESH-SAE-AUTH-FAILURE addr=22:4c:77:00:01:07"); /* logged once */
    fake_event(&mesh, "\x01\x02 not an event");
    spin(ctx.loop, &ap, &mesh, 100);
    assert_int_equal(st->sta_connected, 1);
    assert_int_equal(st->arp_unknown, 1); /* no lease known for it: nothing sent */
    assert_int_equal(st->sae_failures, 2);
    assert_int_equal(st->malformed, 1);

    /* the daemon goes away: dropped at the next look, and found again when it is back */
    close(mesh.fd);
    unlink(p2);
    spin(ctx.loop, &ap, &ap, 3500);
    fake_open(&mesh, p2);
    pid_t c2 = fork();
    if (c2 == 0) {
        for (int i = 0; i < 500; i++) {
            fake_serve(&mesh);
            usleep(10000);
        }
        _exit(0);
    }
    spin(ctx.loop, &ap, &ap, 3500);
    kill(c2, SIGKILL);
    waitpid(c2, NULL, 0);
    assert_int_equal(st->ctrl_attached, 3);

    ld_wifi_stop(&ctx);
    lime_loop_free(ctx.loop);
    close(ap.fd);
    close(mesh.fd);
    assert_int_equal(nftw(root, rm_cb, 16, FTW_DEPTH | FTW_PHYS), 0);
}

int main(void)
{
    lime_log_init("limed_wifi", LIME_LOG_ERR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arp_frame),
        cmocka_unit_test(test_lease_ip),
        cmocka_unit_test(test_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
