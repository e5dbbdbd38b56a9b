/* LibreMesh string templates (spec §2.1, §2.11). Every occurrence is replaced.
 *   %M1..%M6  MAC byte n          (hex "0d" as in /sys, or decimal "13")
 *   %m1..%m6  pair n of md5(mac12 + "\n")
 *   %N1..%N6  pair n of the network id md5(ap_ssid + "\n")
 *   %H        the sanitised hostname
 * All functions return a malloc'd string (NULL on ENOMEM) the caller frees. */
#ifndef LIME_TEMPLATE_H
#define LIME_TEMPLATE_H

#include <stdbool.h>
#include <stdint.h>

#include "hash.h"

enum lime_tpl_base {
    LIME_TPL_HEX, /* applyMacTemplate16 / applyNetTemplate16: 2 lowercase hex digits */
    LIME_TPL_DEC, /* applyMacTemplate10 / applyNetTemplate10: decimal, no padding */
};

/* %Mn and %mn. */
char *lime_tpl_mac(const char *tmpl, const uint8_t mac[6], enum lime_tpl_base base);
/* %Nn from a network id. */
char *lime_tpl_net(const char *tmpl, const struct lime_id *net, enum lime_tpl_base base);
/* %H. */
char *lime_tpl_hostname(const char *tmpl, const char *hostname);

/* §2.11: spaces become '-', other chars outside [-A-Za-z0-9] are dropped, leading and
 * trailing '-' stripped, cut to 32 chars (and a '-' the cut leaves at the end is
 * stripped too; upstream keeps it). */
char *lime_hostname_sanitize(const char *name);
/* Hostname = sanitize(%M/%m hex of tmpl), e.g. "LiMe-%M4%M5%M6" -> "LiMe-1c84d1". */
char *lime_hostname_from_template(const char *tmpl, const uint8_t mac[6]);
/* SSID: %H first, then %M/%m (hex), then cut to 32 bytes. No %N. */
char *lime_ssid_resolve(const char *tmpl, const char *hostname, const uint8_t mac[6]);

/* utils.is_valid_hostname (§5.1): length < 64 and ^[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]$ */
bool lime_hostname_valid(const char *name);
/* utils.slugify (§5.1): every byte outside [-a-zA-Z0-9] becomes '-'. */
char *lime_slugify(const char *s);

#endif
