/* Fuzzes the hostapd/wpa_supplicant control-interface parsers (src/core/wpactrl.c): an
 * event datagram, a STATUS reply's key=value lines, and MAC addresses anywhere in it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wpactrl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lime_wpactrl_event ev;
    (void)lime_wpactrl_parse_event((const char *)data, size, &ev);
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    char v[24];
    static const char *const keys[] = {"wpa_state", "bssid", "ssid", "", "x"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        (void)lime_wpactrl_kv(text, keys[i], v, sizeof(v));
    uint8_t mac[6];
    for (size_t i = 0; i < size && i < 64; i++)
        (void)lime_wpactrl_mac(text + i, size - i, mac);
    free(text);
    return 0;
}
