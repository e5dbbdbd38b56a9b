/* The nl80211 seam's pure parts (nl80211.h): what a wiphy, an interface and a station
 * message say, which interface combinations a phy allows, names, and the channel
 * arithmetic (OpenWrt htmode → chandef). No socket here: the in-memory kernel of the
 * unit tests links this file too, and the fuzz harness feeds the parsers any bytes. */
#include "nl80211.h"
#include "nl80211_attr.h"

#include <linux/nl80211.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- names */

const char *lime_wifi_iftype_name(unsigned type)
{
    static const char *const names[] = {"unspecified", "IBSS", "managed", "AP", "AP/VLAN",
                                        "WDS", "monitor", "mesh point", "P2P-client",
                                        "P2P-GO", "P2P-device", "outside context of a BSS",
                                        "NAN"};
    static char other[16];
    if (type < sizeof(names) / sizeof(names[0]))
        return names[type];
    snprintf(other, sizeof(other), "type %u", type);
    return other;
}

const char *lime_wifi_plink_name(uint8_t state)
{
    static const char *const names[] = {"LISTEN", "OPN_SNT", "OPN_RCVD", "CNF_RCVD",
                                        "ESTAB", "HOLDING", "BLOCKED"};
    return state < sizeof(names) / sizeof(names[0]) ? names[state] : "UNKNOWN";
}

static void parse_band(const struct nlattr *band, struct lime_nl_wifi_phy *phy)
{
    int idx = (int)mnl_attr_get_type(band);
    struct lime_nl_wifi_band *b = NULL;
    for (int i = 0; i < phy->n_bands; i++)
        if (phy->bands[i].band == idx)
            b = &phy->bands[i];
    if (!b) {
        if (phy->n_bands == 4)
            return;
        b = &phy->bands[phy->n_bands++];
        memset(b, 0, sizeof(*b));
        b->band = idx;
    }
    const struct nlattr *tb[NL80211_BAND_ATTR_MAX + 1];
    if (parse_nested(band, tb, NL80211_BAND_ATTR_MAX) < 0)
        return;
    uint16_t ht;
    if (a_u16(tb[NL80211_BAND_ATTR_HT_CAPA], &ht)) {
        b->ht = true;
        b->ht40 = (ht & 0x0002) != 0; /* SUP_WIDTH_20_40 */
    }
    if (tb[NL80211_BAND_ATTR_VHT_CAPA])
        b->vht = true;
    if (!tb[NL80211_BAND_ATTR_FREQS])
        return;
    const struct nlattr *f;
    mnl_attr_for_each_nested(f, tb[NL80211_BAND_ATTR_FREQS]) {
        const struct nlattr *ft[NL80211_FREQUENCY_ATTR_MAX + 1];
        uint32_t freq;
        if (parse_nested(f, ft, NL80211_FREQUENCY_ATTR_MAX) < 0 ||
            !a_u32(ft[NL80211_FREQUENCY_ATTR_FREQ], &freq))
            continue;
        struct lime_nl_wifi_chan *c = NULL;
        for (int i = 0; i < b->n_chans; i++)
            if (b->chans[i].freq == freq)
                c = &b->chans[i];
        if (!c) {
            if (b->n_chans == LIME_WIFI_MAX_CHANS)
                continue;
            c = &b->chans[b->n_chans++];
        }
        c->freq = freq;
        c->disabled = ft[NL80211_FREQUENCY_ATTR_DISABLED] != NULL;
        c->no_ir = ft[NL80211_FREQUENCY_ATTR_NO_IR] != NULL;
        c->radar = ft[NL80211_FREQUENCY_ATTR_RADAR] != NULL;
    }
}

static uint32_t type_mask(const struct nlattr *nest)
{
    uint32_t m = 0;
    const struct nlattr *t;
    mnl_attr_for_each_nested(t, nest) {
        unsigned type = mnl_attr_get_type(t);
        if (type < 32)
            m |= 1u << type;
    }
    return m;
}

static void parse_comb(const struct nlattr *nest, struct lime_nl_wifi_phy *phy)
{
    if (phy->n_combs == LIME_WIFI_MAX_COMBS)
        return;
    const struct nlattr *tb[NUM_NL80211_IFACE_COMB];
    if (parse_nested(nest, tb, NUM_NL80211_IFACE_COMB - 1) < 0)
        return;
    struct lime_nl_wifi_comb c = {0};
    a_u32(tb[NL80211_IFACE_COMB_MAXNUM], &c.max_ifaces);
    a_u32(tb[NL80211_IFACE_COMB_NUM_CHANNELS], &c.num_channels);
    if (tb[NL80211_IFACE_COMB_LIMITS]) {
        const struct nlattr *l;
        mnl_attr_for_each_nested(l, tb[NL80211_IFACE_COMB_LIMITS]) {
            const struct nlattr *lt[NUM_NL80211_IFACE_LIMIT];
            uint32_t max;
            if (c.n_limits == LIME_WIFI_MAX_LIMITS ||
                parse_nested(l, lt, NUM_NL80211_IFACE_LIMIT - 1) < 0 ||
                !a_u32(lt[NL80211_IFACE_LIMIT_MAX], &max) || !lt[NL80211_IFACE_LIMIT_TYPES])
                continue;
            c.max[c.n_limits] = max > 0xffff ? 0xffff : (uint16_t)max;
            c.types[c.n_limits++] = type_mask(lt[NL80211_IFACE_LIMIT_TYPES]);
        }
    }
    phy->combs[phy->n_combs++] = c;
}

int lime_nl_wifi_parse_phy(const void *attrs, size_t len, struct lime_nl_wifi_phy *phy)
{
    const struct nlattr *tb[NL80211_ATTR_MAX + 1];
    if (parse_run(attrs, len, tb, NL80211_ATTR_MAX) < 0)
        return -EINVAL;
    a_u32(tb[NL80211_ATTR_WIPHY], &phy->index);
    if (tb[NL80211_ATTR_WIPHY_NAME])
        a_str(tb[NL80211_ATTR_WIPHY_NAME], phy->name, sizeof(phy->name));
    if (tb[NL80211_ATTR_SUPPORTED_IFTYPES])
        phy->iftypes = type_mask(tb[NL80211_ATTR_SUPPORTED_IFTYPES]);
    uint32_t feat;
    if (a_u32(tb[NL80211_ATTR_FEATURE_FLAGS], &feat) && (feat & NL80211_FEATURE_USERSPACE_MPM))
        phy->user_mpm = true;
    if (tb[NL80211_ATTR_WIPHY_BANDS]) {
        const struct nlattr *b;
        mnl_attr_for_each_nested(b, tb[NL80211_ATTR_WIPHY_BANDS])
            parse_band(b, phy);
    }
    if (tb[NL80211_ATTR_INTERFACE_COMBINATIONS]) {
        const struct nlattr *c;
        mnl_attr_for_each_nested(c, tb[NL80211_ATTR_INTERFACE_COMBINATIONS])
            parse_comb(c, phy);
    }
    return 0;
}

bool lime_nl_wifi_comb_fits(const struct lime_nl_wifi_phy *phy, const unsigned count[16])
{
    unsigned total = 0;
    for (int t = 0; t < 16; t++) {
        if (count[t] && !(phy->iftypes & (1u << t)))
            return false;
        total += count[t];
    }
    if (!phy->n_combs)
        return total <= 1;
    for (int c = 0; c < phy->n_combs; c++) {
        const struct lime_nl_wifi_comb *cb = &phy->combs[c];
        if (cb->max_ifaces && total > cb->max_ifaces)
            continue;
        /* Greedy: each type's interfaces go into the limits that allow it, in order;
         * with the masks drivers advertise (disjoint or nested), greedy is exact enough. */
        unsigned room[LIME_WIFI_MAX_LIMITS];
        for (int l = 0; l < cb->n_limits; l++)
            room[l] = cb->max[l];
        bool ok = true;
        for (int t = 0; t < 16 && ok; t++) {
            unsigned need = count[t];
            for (int l = 0; l < cb->n_limits && need; l++)
                if (cb->types[l] & (1u << t)) {
                    unsigned take = need < room[l] ? need : room[l];
                    room[l] -= take;
                    need -= take;
                }
            ok = need == 0;
        }
        if (ok)
            return true;
    }
    return false;
}

/* ---------------------------------------------------------------- interfaces */

void lime_nl_wifi_parse_iface(const void *attrs, size_t len, struct lime_nl_wifi_iface *f)
{
    const struct nlattr *tb[NL80211_ATTR_MAX + 1];
    memset(f, 0, sizeof(*f));
    if (parse_run(attrs, len, tb, NL80211_ATTR_MAX) < 0)
        return;
    uint32_t v;
    if (a_u32(tb[NL80211_ATTR_IFINDEX], &v))
        f->ifindex = (int)v;
    if (tb[NL80211_ATTR_IFNAME])
        a_str(tb[NL80211_ATTR_IFNAME], f->name, sizeof(f->name));
    a_u32(tb[NL80211_ATTR_WIPHY], &f->phy);
    a_u32(tb[NL80211_ATTR_IFTYPE], &f->iftype);
    if (tb[NL80211_ATTR_MAC] && mnl_attr_get_payload_len(tb[NL80211_ATTR_MAC]) >= 6)
        memcpy(f->mac, mnl_attr_get_payload(tb[NL80211_ATTR_MAC]), 6);
    a_u32(tb[NL80211_ATTR_WIPHY_FREQ], &f->freq);
    a_u32(tb[NL80211_ATTR_CHANNEL_WIDTH], &f->width);
    a_u32(tb[NL80211_ATTR_CENTER_FREQ1], &f->center1);
    if (a_u32(tb[NL80211_ATTR_WIPHY_TX_POWER_LEVEL], &v))
        f->txpower_mbm = (int32_t)v;
    if (tb[NL80211_ATTR_SSID]) {
        size_t n = mnl_attr_get_payload_len(tb[NL80211_ATTR_SSID]);
        if (n > 32)
            n = 32;
        memcpy(f->ssid, mnl_attr_get_payload(tb[NL80211_ATTR_SSID]), n);
        f->ssid[n] = 0;
        f->ssid_len = (uint8_t)n;
    }
}

/* ---------------------------------------------------------------- stations */

static void parse_rate(const struct nlattr *nest, uint32_t *rate, int *mcs, bool *w40, bool *sgi)
{
    const struct nlattr *tb[NL80211_RATE_INFO_MAX + 1];
    if (parse_nested(nest, tb, NL80211_RATE_INFO_MAX) < 0)
        return;
    uint16_t r16;
    if (!a_u32(tb[NL80211_RATE_INFO_BITRATE32], rate) && a_u16(tb[NL80211_RATE_INFO_BITRATE], &r16))
        *rate = r16;
    uint8_t m;
    if (a_u8(tb[NL80211_RATE_INFO_MCS], &m) || a_u8(tb[NL80211_RATE_INFO_VHT_MCS], &m) ||
        a_u8(tb[NL80211_RATE_INFO_HE_MCS], &m))
        *mcs = m;
    *w40 = tb[NL80211_RATE_INFO_40_MHZ_WIDTH] != NULL;
    *sgi = tb[NL80211_RATE_INFO_SHORT_GI] != NULL;
}

int lime_nl_wifi_parse_station(const void *attrs, size_t len, struct lime_nl_wifi_station *st)
{
    memset(st, 0, sizeof(*st));
    st->tx_mcs = st->rx_mcs = -1;
    const struct nlattr *tb[NL80211_ATTR_MAX + 1], *si[NL80211_STA_INFO_MAX + 1];
    if (parse_run(attrs, len, tb, NL80211_ATTR_MAX) < 0 || !tb[NL80211_ATTR_MAC] ||
        mnl_attr_get_payload_len(tb[NL80211_ATTR_MAC]) < 6)
        return -EINVAL;
    memcpy(st->mac, mnl_attr_get_payload(tb[NL80211_ATTR_MAC]), 6);
    if (!tb[NL80211_ATTR_STA_INFO] || parse_nested(tb[NL80211_ATTR_STA_INFO], si, NL80211_STA_INFO_MAX) < 0)
        return 0;
    a_u32(si[NL80211_STA_INFO_INACTIVE_TIME], &st->inactive_ms);
    a_u32(si[NL80211_STA_INFO_CONNECTED_TIME], &st->connected_s);
    uint32_t v32;
    if (!a_u64(si[NL80211_STA_INFO_RX_BYTES64], &st->rx_bytes) && a_u32(si[NL80211_STA_INFO_RX_BYTES], &v32))
        st->rx_bytes = v32;
    if (!a_u64(si[NL80211_STA_INFO_TX_BYTES64], &st->tx_bytes) && a_u32(si[NL80211_STA_INFO_TX_BYTES], &v32))
        st->tx_bytes = v32;
    a_u32(si[NL80211_STA_INFO_RX_PACKETS], &st->rx_packets);
    a_u32(si[NL80211_STA_INFO_TX_PACKETS], &st->tx_packets);
    a_u32(si[NL80211_STA_INFO_TX_RETRIES], &st->tx_retries);
    a_u32(si[NL80211_STA_INFO_TX_FAILED], &st->tx_failed);
    a_u32(si[NL80211_STA_INFO_EXPECTED_THROUGHPUT], &st->expected_tput);
    uint8_t v8;
    if (a_u8(si[NL80211_STA_INFO_SIGNAL], &v8)) {
        st->has_signal = true;
        st->signal = (int8_t)v8;
        st->signal_avg = st->signal;
    }
    if (a_u8(si[NL80211_STA_INFO_SIGNAL_AVG], &v8))
        st->signal_avg = (int8_t)v8;
    if (si[NL80211_STA_INFO_CHAIN_SIGNAL]) {
        const struct nlattr *c;
        mnl_attr_for_each_nested(c, si[NL80211_STA_INFO_CHAIN_SIGNAL])
            if (st->n_chains < 4 && a_u8(c, &v8))
                st->chains[st->n_chains++] = (int8_t)v8;
    }
    if (si[NL80211_STA_INFO_TX_BITRATE])
        parse_rate(si[NL80211_STA_INFO_TX_BITRATE], &st->tx_rate, &st->tx_mcs, &st->tx_40mhz, &st->tx_short_gi);
    if (si[NL80211_STA_INFO_RX_BITRATE])
        parse_rate(si[NL80211_STA_INFO_RX_BITRATE], &st->rx_rate, &st->rx_mcs, &st->rx_40mhz, &st->rx_short_gi);
    if (a_u8(si[NL80211_STA_INFO_PLINK_STATE], &v8)) {
        st->has_plink = true;
        st->plink_state = v8;
    }
    const struct nlattr *fl = si[NL80211_STA_INFO_STA_FLAGS];
    if (fl && mnl_attr_get_payload_len(fl) >= sizeof(struct nl80211_sta_flag_update)) {
        struct nl80211_sta_flag_update u;
        memcpy(&u, mnl_attr_get_payload(fl), sizeof(u));
        uint32_t set = u.set & u.mask;
        st->authorized = set & (1u << NL80211_STA_FLAG_AUTHORIZED);
        st->authenticated = set & (1u << NL80211_STA_FLAG_AUTHENTICATED);
        st->associated = set & (1u << NL80211_STA_FLAG_ASSOCIATED);
    }
    return 0;
}

/* ---------------------------------------------------------------- channels */

uint32_t lime_wifi_chan_freq(int chan, bool is5)
{
    if (!is5) {
        if (chan >= 1 && chan <= 13)
            return 2407 + 5 * (uint32_t)chan;
        return chan == 14 ? 2484 : 0;
    }
    return chan >= 1 && chan <= 196 ? 5000 + 5 * (uint32_t)chan : 0;
}

int lime_wifi_freq_chan(uint32_t freq)
{
    if (freq == 2484)
        return 14;
    if (freq >= 2412 && freq <= 2472)
        return (int)(freq - 2407) / 5;
    if (freq >= 5005 && freq <= 5980)
        return (int)(freq - 5000) / 5;
    if (freq >= 5955 && freq <= 7115) /* 6 GHz */
        return (int)(freq - 5950) / 5;
    return 0;
}

/* 5 GHz: the centre of the 80/160 MHz block holding channel ch, 0 if none. */
static uint32_t block_center(int ch, int width_mhz)
{
    static const int b80[] = {36, 52, 100, 116, 132, 149, 165};
    static const int b160[] = {36, 100};
    const int *b = width_mhz == 80 ? b80 : b160;
    int n = width_mhz == 80 ? 7 : 2, span = width_mhz / 5; /* channels per block * 4 */
    for (int i = 0; i < n; i++)
        if (ch >= b[i] && ch < b[i] + span)
            return 5000 + 5 * (uint32_t)(b[i] + span / 2 - 2);
    return 0;
}

int lime_wifi_chandef(uint32_t freq, const char *htmode, uint32_t *width, uint32_t *center1)
{
    int ch = lime_wifi_freq_chan(freq);
    bool is5 = freq > 5000;
    if (!ch)
        return -EINVAL;
    const char *m = htmode ? htmode : "";
    if (!*m || !strcmp(m, "HT20") || !strcmp(m, "VHT20") || !strcmp(m, "HE20")) {
        *width = LIME_WIFI_WIDTH_20;
        *center1 = freq;
        return 0;
    }
    if (!strcmp(m, "NOHT")) {
        *width = LIME_WIFI_WIDTH_20_NOHT;
        *center1 = freq;
        return 0;
    }
    int plus; /* +1: the secondary channel is above */
    if (!strcmp(m, "HT40+"))
        plus = 1;
    else if (!strcmp(m, "HT40-"))
        plus = -1;
    else if (!strcmp(m, "HT40") || !strcmp(m, "VHT40") || !strcmp(m, "HE40"))
        plus = is5 ? (((ch / 4) % 2) ? 1 : -1) : (ch <= 7 ? 1 : -1);
    else if (is5 && (!strcmp(m, "VHT80") || !strcmp(m, "HE80") || !strcmp(m, "VHT160") ||
                     !strcmp(m, "HE160"))) {
        int w = strstr(m, "160") ? 160 : 80;
        uint32_t c = block_center(ch, w);
        if (!c)
            return -EINVAL;
        *width = w == 80 ? LIME_WIFI_WIDTH_80 : LIME_WIFI_WIDTH_160;
        *center1 = c;
        return 0;
    } else
        return -EINVAL;
    if (!is5 && ((plus > 0 && ch > 9) || (plus < 0 && ch < 5)))
        return -EINVAL;
    *width = LIME_WIFI_WIDTH_40;
    *center1 = plus > 0 ? freq + 10 : freq - 10;
    return 0;
}
