/* LibreMesh ids (spec §2.1): get_id(x) = md5(x + "\n") as 32 lowercase hex chars, read
 * as 16 pairs id[1..16] (what `echo x | md5sum` prints). network_id = get_id(ap_ssid)
 * gives %N1..; the MAC id get_id(mac12) gives %m1... */
#ifndef LIME_HASH_H
#define LIME_HASH_H

#include <stdint.h>

struct lime_id {
    uint8_t byte[16]; /* byte[i-1] is pair i */
    char hex[33];     /* the whole sum, lowercase */
};

/* id of text (text + "\n" is hashed). */
void lime_id_of(const char *text, struct lime_id *id);
/* id of a MAC: its 6 bytes joined as 12 lowercase hex digits, e.g. "a840411c84d1". */
void lime_id_of_mac(const uint8_t mac[6], struct lime_id *id);

/* Pair n (1..16) as 2 lowercase hex chars + NUL in out (returns out), and as a number
 * 0..255. n out of range gives "" / 0. */
const char *lime_id_hex(const struct lime_id *id, int n, char out[3]);
unsigned lime_id_dec(const struct lime_id *id, int n);

#endif
