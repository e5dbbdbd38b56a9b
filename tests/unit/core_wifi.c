/* The Wi-Fi seams' pure parts: nl80211 messages as the kernel sends them (a wiphy split
 * over several messages, a station, an interface) parsed into the seam's structs; the
 * interface-combination check; OpenWrt htmodes to chandefs; hostapd/wpa_supplicant
 * control events and replies. */
#include "nl80211.h"
#include "wpactrl.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/nl80211.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

/* Attributes are built in a netlink message; the parsers take what follows the header. */
struct msg {
    char buf[8192];
    struct nlmsghdr *nlh;
};

static void msg_init(struct msg *m)
{
    memset(m, 0, sizeof(*m));
    m->nlh = mnl_nlmsg_put_header(m->buf);
}

static const void *msg_attrs(struct msg *m, size_t *len)
{
    *len = m->nlh->nlmsg_len - MNL_NLMSG_HDRLEN;
    return (const char *)m->nlh + MNL_NLMSG_HDRLEN;
}

static void put_freq(struct nlmsghdr *nlh, int idx, uint32_t freq, bool disabled, bool no_ir)
{
    struct nlattr *f = mnl_attr_nest_start(nlh, (uint16_t)idx);
    mnl_attr_put_u32(nlh, NL80211_FREQUENCY_ATTR_FREQ, freq);
    if (disabled)
        mnl_attr_put(nlh, NL80211_FREQUENCY_ATTR_DISABLED, 0, NULL);
    if (no_ir)
        mnl_attr_put(nlh, NL80211_FREQUENCY_ATTR_NO_IR, 0, NULL);
    mnl_attr_nest_end(nlh, f);
}

static void test_phy_split_dump(void **state)
{
    (void)state;
    struct lime_nl_wifi_phy phy = {0};
    struct msg m;
    size_t len;
    /* message 1: index, name, interface types, 2.4 GHz band with two channels */
    msg_init(&m);
    mnl_attr_put_u32(m.nlh, NL80211_ATTR_WIPHY, 3);
    mnl_attr_put_strz(m.nlh, NL80211_ATTR_WIPHY_NAME, "phy3");
    struct nlattr *t = mnl_attr_nest_start(m.nlh, NL80211_ATTR_SUPPORTED_IFTYPES);
    mnl_attr_put(m.nlh, NL80211_IFTYPE_STATION, 0, NULL);
    mnl_attr_put(m.nlh, NL80211_IFTYPE_AP, 0, NULL);
    mnl_attr_nest_end(m.nlh, t);
    struct nlattr *bands = mnl_attr_nest_start(m.nlh, NL80211_ATTR_WIPHY_BANDS);
    struct nlattr *b = mnl_attr_nest_start(m.nlh, NL80211_BAND_2GHZ);
    mnl_attr_put_u16(m.nlh, NL80211_BAND_ATTR_HT_CAPA, 0x107e);
    struct nlattr *fr = mnl_attr_nest_start(m.nlh, NL80211_BAND_ATTR_FREQS);
    put_freq(m.nlh, 0, 2412, false, false);
    put_freq(m.nlh, 1, 2462, false, false);
    mnl_attr_nest_end(m.nlh, fr);
    mnl_attr_nest_end(m.nlh, b);
    mnl_attr_nest_end(m.nlh, bands);
    const void *a = msg_attrs(&m, &len);
    assert_int_equal(lime_nl_wifi_parse_phy(a, len, &phy), 0);
    /* message 2: more channels of the same band (a 5 GHz one), and a combination */
    msg_init(&m);
    mnl_attr_put_u32(m.nlh, NL80211_ATTR_WIPHY, 3);
    bands = mnl_attr_nest_start(m.nlh, NL80211_ATTR_WIPHY_BANDS);
    b = mnl_attr_nest_start(m.nlh, NL80211_BAND_2GHZ);
    fr = mnl_attr_nest_start(m.nlh, NL80211_BAND_ATTR_FREQS);
    put_freq(m.nlh, 2, 2472, false, true);
    put_freq(m.nlh, 3, 2412, true, false); /* again, now disabled */
    mnl_attr_nest_end(m.nlh, fr);
    mnl_attr_nest_end(m.nlh, b);
    b = mnl_attr_nest_start(m.nlh, NL80211_BAND_5GHZ);
    fr = mnl_attr_nest_start(m.nlh, NL80211_BAND_ATTR_FREQS);
    put_freq(m.nlh, 0, 5180, false, true);
    mnl_attr_nest_end(m.nlh, fr);
    mnl_attr_nest_end(m.nlh, b);
    mnl_attr_nest_end(m.nlh, bands);
    struct nlattr *combs = mnl_attr_nest_start(m.nlh, NL80211_ATTR_INTERFACE_COMBINATIONS);
    struct nlattr *c = mnl_attr_nest_start(m.nlh, 1);
    struct nlattr *lims = mnl_attr_nest_start(m.nlh, NL80211_IFACE_COMB_LIMITS);
    struct nlattr *l = mnl_attr_nest_start(m.nlh, 1);
    mnl_attr_put_u32(m.nlh, NL80211_IFACE_LIMIT_MAX, 2);
    t = mnl_attr_nest_start(m.nlh, NL80211_IFACE_LIMIT_TYPES);
    mnl_attr_put(m.nlh, NL80211_IFTYPE_AP, 0, NULL);
    mnl_attr_put(m.nlh, NL80211_IFTYPE_STATION, 0, NULL);
    mnl_attr_nest_end(m.nlh, t);
    mnl_attr_nest_end(m.nlh, l);
    mnl_attr_nest_end(m.nlh, lims);
    mnl_attr_put_u32(m.nlh, NL80211_IFACE_COMB_MAXNUM, 2);
    mnl_attr_put_u32(m.nlh, NL80211_IFACE_COMB_NUM_CHANNELS, 1);
    mnl_attr_nest_end(m.nlh, c);
    mnl_attr_nest_end(m.nlh, combs);
    a = msg_attrs(&m, &len);
    assert_int_equal(lime_nl_wifi_parse_phy(a, len, &phy), 0);

    assert_int_equal(phy.index, 3);
    assert_string_equal(phy.name, "phy3");
    assert_int_equal(phy.iftypes, (1u << LIME_WIFI_STATION) | (1u << LIME_WIFI_AP));
    assert_int_equal(phy.n_bands, 2);
    assert_int_equal(phy.bands[0].band, 0);
    assert_true(phy.bands[0].ht40);
    assert_int_equal(phy.bands[0].n_chans, 3); /* 2412 merged, not twice */
    assert_true(phy.bands[0].chans[0].disabled);
    assert_true(phy.bands[0].chans[2].no_ir);
    assert_int_equal(phy.bands[1].chans[0].freq, 5180);
    assert_int_equal(phy.n_combs, 1);
    assert_int_equal(phy.combs[0].max_ifaces, 2);

    /* what that phy allows on one channel */
    unsigned count[16] = {0};
    count[LIME_WIFI_AP] = 2;
    assert_true(lime_nl_wifi_comb_fits(&phy, count));
    count[LIME_WIFI_STATION] = 1;
    assert_false(lime_nl_wifi_comb_fits(&phy, count)); /* three in all */
    memset(count, 0, sizeof(count));
    count[LIME_WIFI_MESH] = 1;
    assert_false(lime_nl_wifi_comb_fits(&phy, count)); /* no mesh at all */

    /* garbage is refused, never read past */
    static const unsigned char junk[] = {0x08, 0x00};
    assert_int_equal(lime_nl_wifi_parse_phy(junk, sizeof(junk), &phy), -EINVAL);
}

static void test_station(void **state)
{
    (void)state;
    struct msg m;
    size_t len;
    msg_init(&m);
    static const uint8_t mac[6] = {0x22, 0x4c, 0x77, 0, 1, 2};
    mnl_attr_put(m.nlh, NL80211_ATTR_MAC, 6, mac);
    struct nlattr *si = mnl_attr_nest_start(m.nlh, NL80211_ATTR_STA_INFO);
    mnl_attr_put_u32(m.nlh, NL80211_STA_INFO_INACTIVE_TIME, 12);
    mnl_attr_put_u64(m.nlh, NL80211_STA_INFO_RX_BYTES64, 5098);
    mnl_attr_put_u32(m.nlh, NL80211_STA_INFO_TX_BYTES, 336);
    mnl_attr_put_u8(m.nlh, NL80211_STA_INFO_SIGNAL, (uint8_t)-30);
    mnl_attr_put_u8(m.nlh, NL80211_STA_INFO_SIGNAL_AVG, (uint8_t)-31);
    struct nlattr *ch = mnl_attr_nest_start(m.nlh, NL80211_STA_INFO_CHAIN_SIGNAL);
    mnl_attr_put_u8(m.nlh, 0, (uint8_t)-32);
    mnl_attr_put_u8(m.nlh, 1, (uint8_t)-34);
    mnl_attr_nest_end(m.nlh, ch);
    struct nlattr *r = mnl_attr_nest_start(m.nlh, NL80211_STA_INFO_TX_BITRATE);
    mnl_attr_put_u32(m.nlh, NL80211_RATE_INFO_BITRATE32, 130);
    mnl_attr_put_u8(m.nlh, NL80211_RATE_INFO_MCS, 8);
    mnl_attr_nest_end(m.nlh, r);
    mnl_attr_put_u8(m.nlh, NL80211_STA_INFO_PLINK_STATE, 4);
    struct nl80211_sta_flag_update fl = {.mask = 1u << NL80211_STA_FLAG_AUTHORIZED,
                                         .set = 1u << NL80211_STA_FLAG_AUTHORIZED};
    mnl_attr_put(m.nlh, NL80211_STA_INFO_STA_FLAGS, sizeof(fl), &fl);
    mnl_attr_nest_end(m.nlh, si);
    const void *a = msg_attrs(&m, &len);
    struct lime_nl_wifi_station st;
    assert_int_equal(lime_nl_wifi_parse_station(a, len, &st), 0);
    assert_memory_equal(st.mac, mac, 6);
    assert_int_equal(st.inactive_ms, 12);
    assert_int_equal(st.rx_bytes, 5098);
    assert_int_equal(st.tx_bytes, 336);
    assert_true(st.has_signal);
    assert_int_equal(st.signal, -30);
    assert_int_equal(st.signal_avg, -31);
    assert_int_equal(st.n_chains, 2);
    assert_int_equal(st.chains[1], -34);
    assert_int_equal(st.tx_rate, 130);
    assert_int_equal(st.tx_mcs, 8);
    assert_true(st.has_plink);
    assert_string_equal(lime_wifi_plink_name(st.plink_state), "ESTAB");
    assert_true(st.authorized);

    /* a station without an address is no station; a short u32 is not read */
    msg_init(&m);
    mnl_attr_put_u32(m.nlh, NL80211_ATTR_IFINDEX, 3);
    a = msg_attrs(&m, &len);
    assert_int_equal(lime_nl_wifi_parse_station(a, len, &st), -EINVAL);
    msg_init(&m);
    mnl_attr_put(m.nlh, NL80211_ATTR_MAC, 6, mac);
    si = mnl_attr_nest_start(m.nlh, NL80211_ATTR_STA_INFO);
    mnl_attr_put_u16(m.nlh, NL80211_STA_INFO_INACTIVE_TIME, 7);
    mnl_attr_nest_end(m.nlh, si);
    a = msg_attrs(&m, &len);
    assert_int_equal(lime_nl_wifi_parse_station(a, len, &st), 0);
    assert_int_equal(st.inactive_ms, 0);
}

static void test_iface(void **state)
{
    (void)state;
    struct msg m;
    size_t len;
    msg_init(&m);
    mnl_attr_put_u32(m.nlh, NL80211_ATTR_IFINDEX, 5);
    mnl_attr_put_strz(m.nlh, NL80211_ATTR_IFNAME, "wlan0-mesh");
    mnl_attr_put_u32(m.nlh, NL80211_ATTR_WIPHY, 1);
    mnl_attr_put_u32(m.nlh, NL80211_ATTR_IFTYPE, NL80211_IFTYPE_MESH_POINT);
    mnl_attr_put_u32(m.nlh, NL80211_ATTR_WIPHY_FREQ, 2462);
    mnl_attr_put_u32(m.nlh, NL80211_ATTR_CHANNEL_WIDTH, NL80211_CHAN_WIDTH_20);
    mnl_attr_put(m.nlh, NL80211_ATTR_SSID, 40, "0123456789012345678901234567890123456789");
    const void *a = msg_attrs(&m, &len);
    struct lime_nl_wifi_iface f;
    lime_nl_wifi_parse_iface(a, len, &f);
    assert_int_equal(f.ifindex, 5);
    assert_string_equal(f.name, "wlan0-mesh");
    assert_int_equal(f.iftype, LIME_WIFI_MESH);
    assert_int_equal(f.freq, 2462);
    assert_int_equal(f.ssid_len, 32); /* an SSID is at most 32 bytes */
}

static void test_chandef(void **state)
{
    (void)state;
    uint32_t w, c;
    assert_int_equal(lime_wifi_chan_freq(11, false), 2462);
    assert_int_equal(lime_wifi_chan_freq(14, false), 2484);
    assert_int_equal(lime_wifi_chan_freq(48, true), 5240);
    assert_int_equal(lime_wifi_freq_chan(5240), 48);
    assert_int_equal(lime_wifi_chandef(2462, "HT20", &w, &c), 0);
    assert_int_equal(w, LIME_WIFI_WIDTH_20);
    assert_int_equal(c, 2462);
    assert_int_equal(lime_wifi_chandef(2462, "HT40", &w, &c), 0); /* ch 11: the partner below */
    assert_int_equal(w, LIME_WIFI_WIDTH_40);
    assert_int_equal(c, 2452);
    assert_int_equal(lime_wifi_chandef(2412, "HT40", &w, &c), 0);
    assert_int_equal(c, 2422);
    assert_int_equal(lime_wifi_chandef(2412, "HT40-", &w, &c), -EINVAL);
    assert_int_equal(lime_wifi_chandef(5240, "HT40", &w, &c), 0); /* 48 pairs with 44 */
    assert_int_equal(c, 5230);
    assert_int_equal(lime_wifi_chandef(5180, "HT40", &w, &c), 0); /* 36 with 40 */
    assert_int_equal(c, 5190);
    assert_int_equal(lime_wifi_chandef(5240, "VHT80", &w, &c), 0);
    assert_int_equal(w, LIME_WIFI_WIDTH_80);
    assert_int_equal(c, 5210);
    assert_int_equal(lime_wifi_chandef(5745, "VHT80", &w, &c), 0); /* 149 → 155 */
    assert_int_equal(c, 5775);
    assert_int_equal(lime_wifi_chandef(5240, "VHT160", &w, &c), 0);
    assert_int_equal(c, 5250);
    assert_int_equal(lime_wifi_chandef(2462, "NOHT", &w, &c), 0);
    assert_int_equal(w, LIME_WIFI_WIDTH_20_NOHT);
    assert_int_equal(lime_wifi_chandef(2462, "HT80", &w, &c), -EINVAL);
    assert_int_equal(lime_wifi_chandef(2462, "VHT80", &w, &c), -EINVAL);
}

static void test_wpactrl_parse(void **state)
{
    (void)state;
    struct lime_wpactrl_event ev;
    const char *m1 = "<3>AP-STA-CONNECTED 02:4c:43:00:01:01 keyid=x";
    assert_int_equal(lime_wpactrl_parse_event(m1, strlen(m1), &ev), 0);
    assert_int_equal(ev.level, 3);
    assert_string_equal(ev.name, "AP-STA-CONNECTED");
    assert_true(ev.has_mac);
    assert_int_equal(ev.mac[5], 1);
    const char *m2 = "<3>MESH-SAE-AUTH-FAILURE addr=22:4c:77:00:01:07";
    assert_int_equal(lime_wpactrl_parse_event(m2, strlen(m2), &ev), 0);
    assert_string_equal(ev.name, "MESH-SAE-AUTH-FAILURE");
    assert_true(ev.has_mac);
    assert_int_equal(ev.mac[0], 0x22);
    const char *m3 = "<2>CTRL-EVENT-SCAN-STARTED ";
    assert_int_equal(lime_wpactrl_parse_event(m3, strlen(m3), &ev), 0);
    assert_false(ev.has_mac);
    assert_int_equal(lime_wpactrl_parse_event("OK\n", 3, &ev), -EINVAL);
    assert_int_equal(lime_wpactrl_parse_event("<3>", 3, &ev), -EINVAL);
    assert_int_equal(lime_wpactrl_parse_event("<99999>X", 8, &ev), -EINVAL);
    /* the MAC must stand alone: 17 hex-colon chars followed by more is not one */
    const char *m4 = "<3>X 02:4c:43:00:01:0100";
    assert_int_equal(lime_wpactrl_parse_event(m4, strlen(m4), &ev), 0);
    assert_false(ev.has_mac);

    char v[32];
    const char *status = "bssid=02:4c:77:00:01:01\nfreq=2462\nssid=LibreMesh.org\nwpa_state=COMPLETED\n";
    assert_true(lime_wpactrl_kv(status, "wpa_state", v, sizeof(v)));
    assert_string_equal(v, "COMPLETED");
    assert_true(lime_wpactrl_kv(status, "bssid", v, sizeof(v)));
    assert_string_equal(v, "02:4c:77:00:01:01");
    assert_false(lime_wpactrl_kv(status, "ssi", v, sizeof(v)));
    assert_true(lime_wpactrl_kv(status, "ssid", v, 5));
    assert_string_equal(v, "Libr");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phy_split_dump), cmocka_unit_test(test_station),
        cmocka_unit_test(test_iface),          cmocka_unit_test(test_chandef),
        cmocka_unit_test(test_wpactrl_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
