/* batd's receive rings are sized to the link: the sizing rule (batd_rxring_want), and, as root,
 * a real PACKET_RX_RING on the loopback device that overflows, grows at the next tick and
 * then carries every frame. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include "batd.h"
#include "hardif.h"
#include "rxring.h"

static void test_want(void **state)
{
    (void)state;
    unsigned f = BATD_RXRING_MIN;
    /* drops double the ring, up to the maximum */
    while (f < BATD_RXRING_MAX) {
        unsigned g = batd_rxring_want(f, 1, 100000, 0);
        assert_int_equal(g, f * 2);
        f = g;
    }
    assert_int_equal(batd_rxring_want(BATD_RXRING_MAX, 50, 100000, 0), BATD_RXRING_MAX);
    /* no drops: the size holds for a minute, whatever the traffic */
    assert_int_equal(batd_rxring_want(1024, 0, 0, 59), 1024);
    /* then a ring four times bigger than 20 ms of traffic halves, down to the minimum */
    assert_int_equal(batd_rxring_want(1024, 0, 0, 60), 512);
    assert_int_equal(batd_rxring_want(BATD_RXRING_MIN, 0, 0, 600), BATD_RXRING_MIN);
    /* 20 ms of 30000 frames/s = 600 slots: a 1024-slot ring is not too big */
    assert_int_equal(batd_rxring_want(1024, 0, 30000, 600), 1024);
    /* 20 ms of 10000 frames/s = 200 slots < 1024 / 4: it is */
    assert_int_equal(batd_rxring_want(1024, 0, 10000, 600), 512);
}

#define TEST_ETHERTYPE 0x4305 /* batman-adv's: what batd's untagged sockets bind */

static int send_frames(int fd, int ifindex, unsigned n)
{
    uint8_t frame[ETH_HLEN + 100] = {0};
    memset(frame, 0xff, 6);                    /* broadcast */
    frame[6] = 0x02;                           /* a locally administered source */
    frame[12] = TEST_ETHERTYPE >> 8;
    frame[13] = TEST_ETHERTYPE & 0xff;
    frame[14] = 0xee;                          /* no batman packet type: dropped, counted */
    struct sockaddr_ll to = {.sll_family = AF_PACKET, .sll_ifindex = ifindex, .sll_halen = 6};
    memset(to.sll_addr, 0xff, 6);
    unsigned sent = 0;
    for (unsigned i = 0; i < n; i++)
        sent += sendto(fd, frame, sizeof frame, 0, (struct sockaddr *)&to, sizeof to) > 0;
    return (int)sent;
}

static struct batd bat;

static void test_ring_grows(void **state)
{
    (void)state;
    if (geteuid() != 0) {
        print_message("not root: the real ring is not tested\n");
        skip();
    }
    const char *emu = getenv("LIME_TEST_EMULATOR");
    if (emu && emu[0]) { /* cross builds: qemu-user has no PACKET_RX_RING (ENOPROTOOPT) */
        print_message("under qemu-user: the real ring is not tested\n");
        skip();
    }
    int lo = (int)if_nametoindex("lo");
    assert_true(lo > 0);
    int rx = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, htons(TEST_ETHERTYPE));
    int tx = socket(AF_PACKET, SOCK_RAW, 0);
    assert_true(rx >= 0 && tx >= 0);
    struct sockaddr_ll at = {.sll_family = AF_PACKET, .sll_protocol = htons(TEST_ETHERTYPE),
                             .sll_ifindex = lo};
    assert_int_equal(bind(rx, (struct sockaddr *)&at, sizeof at), 0);

    struct batd_config cfg = {.soft_if = "bat0", .orig_interval = 1000, .hop_penalty = 30};
    batd_init(&bat, NULL, &cfg);
    static const uint8_t mac[6] = {2, 0, 0, 0, 0, 9};
    struct hardif *hif = batd_add_hardif(&bat, "lo", mac, 1500);
    hif->fd = rx;
    assert_int_equal(batd_rxring_open(rx, 1500 + 18, &hif->rx_ring, &hif->rx_frames), 0);
    assert_int_equal(hif->rx_frames, BATD_RXRING_MIN);

    /* twice what the ring holds, nobody reading: the kernel drops the rest */
    assert_int_equal(send_frames(tx, lo, 2 * BATD_RXRING_MIN), 2 * BATD_RXRING_MIN);
    batd_rxring_tick(&bat, hif);
    assert_int_equal(hif->rx_frames, 2 * BATD_RXRING_MIN);
    assert_true(bat.stats[STAT_DROP_RING_FULL] > 0);
    uint64_t full = bat.stats[STAT_DROP_RING_FULL];

    /* the new ring carries a burst it can hold, without a drop */
    assert_int_equal(send_frames(tx, lo, BATD_RXRING_MIN), BATD_RXRING_MIN);
    batd_rxring_drain(&bat, hif);
    uint64_t unknown = bat.stats[STAT_DROP_TYPE] + bat.stats[STAT_DROP_SHORT] +
                       bat.stats[STAT_DROP_VERSION] + bat.stats[STAT_DROP_UNSUPPORTED];
    assert_true(unknown >= BATD_RXRING_MIN); /* each frame went through the receive path */
    batd_rxring_tick(&bat, hif);
    assert_int_equal(bat.stats[STAT_DROP_RING_FULL], full);
    assert_int_equal(hif->rx_frames, 2 * BATD_RXRING_MIN);
    assert_int_equal(hif->rx_quiet, 1);

    batd_rxring_close(hif);
    close(rx);
    close(tx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_want),
        cmocka_unit_test(test_ring_grows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
