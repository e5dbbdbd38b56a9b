/* Fuzzes the nl80211 seam's parsers (src/core/nl80211_parse.c) with what a kernel could
 * send: the first byte picks the parser (wiphy, interface, station), the rest are the
 * attributes after the generic netlink header. A wiphy is parsed twice into one struct (a
 * split dump merges messages); the combination check then runs on what was parsed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nl80211.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    /* netlink attributes are 4-byte aligned in the kernel's messages: so in ours */
    size_t len = size - 1;
    uint8_t *a = malloc(len ? len : 1);
    if (!a)
        return 0;
    memcpy(a, data + 1, len);
    switch (data[0] % 3) {
    case 0: {
        struct lime_nl_wifi_phy phy;
        memset(&phy, 0, sizeof(phy));
        lime_nl_wifi_parse_phy(a, len, &phy);
        lime_nl_wifi_parse_phy(a, len / 2, &phy);
        unsigned count[16] = {0};
        count[LIME_WIFI_AP] = 2;
        count[LIME_WIFI_MESH] = 1;
        (void)lime_nl_wifi_comb_fits(&phy, count);
        for (int b = 0; b < phy.n_bands; b++)
            for (int c = 0; c < phy.bands[b].n_chans; c++) {
                uint32_t w, c1;
                (void)lime_wifi_chandef(phy.bands[b].chans[c].freq, "HT40", &w, &c1);
                (void)lime_wifi_freq_chan(phy.bands[b].chans[c].freq);
            }
        break;
    }
    case 1: {
        struct lime_nl_wifi_iface f;
        lime_nl_wifi_parse_iface(a, len, &f);
        (void)lime_wifi_iftype_name(f.iftype);
        break;
    }
    default: {
        struct lime_nl_wifi_station st;
        if (lime_nl_wifi_parse_station(a, len, &st) == 0)
            (void)lime_wifi_plink_name(st.plink_state);
        break;
    }
    }
    free(a);
    return 0;
}
