/* The control interface of hostapd and wpa_supplicant, the one seam to them: a unix
 * datagram socket per interface in the daemon's ctrl_interface directory. A command is
 * one datagram and its reply one datagram; after ATTACH the daemon also sends events
 * ("<3>AP-STA-CONNECTED 02:4c:43:00:01:01"). Used by limed (association events, SAE
 * failures) and lime-sim (its phones' wpa_supplicant). The parsers take any bytes (they
 * are fuzzed); nothing here logs. */
#ifndef LIME_WPACTRL_H
#define LIME_WPACTRL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lime_wpactrl;

/* Connects to the daemon's socket at path (DIR/IFNAME). Our end is a socket file in /tmp,
 * removed on close (a filesystem address, so the daemon may live in another network
 * namespace). NULL with errno set. */
struct lime_wpactrl *lime_wpactrl_open(const char *path);
void lime_wpactrl_close(struct lime_wpactrl *c);
/* The socket, for an event loop (readable = an event or a reply waits). */
int lime_wpactrl_fd(const struct lime_wpactrl *c);

/* Sends cmd and waits up to timeout_ms for its reply (events arriving meanwhile are
 * dropped). The reply goes into buf, NUL-terminated and cut to len - 1. Its length, or
 * -errno (-ETIMEDOUT). */
int lime_wpactrl_request(struct lime_wpactrl *c, const char *cmd, char *buf, size_t len, int timeout_ms);
/* Sends cmd without waiting (its reply arrives as a datagram like an event). 0, or -errno:
 * -ECONNREFUSED when the daemon is gone. */
int lime_wpactrl_send(struct lime_wpactrl *c, const char *cmd);
/* ATTACH: events are sent to us from now on. 0 or -errno (-EPROTO: not "OK"). */
int lime_wpactrl_attach(struct lime_wpactrl *c);
/* One waiting datagram into buf (NUL-terminated): its length, 0 if none waits, or -errno. */
int lime_wpactrl_recv(struct lime_wpactrl *c, char *buf, size_t len);

/* ---- parsing ---- */
struct lime_wpactrl_event {
    int level;          /* the <N> prefix (wpa_debug level), -1 if absent */
    char name[48];      /* "AP-STA-CONNECTED", "CTRL-EVENT-CONNECTED", "MESH-SAE-AUTH-FAILURE" */
    bool has_mac;
    uint8_t mac[6];     /* the first MAC address in the text ("addr=" or bare), if any */
    const char *rest;   /* what follows the name (points into the message) */
};

/* An event message (len bytes, need not be terminated) into *ev. 0, or -EINVAL when it
 * is not "<N>NAME..." with a NAME of [A-Z0-9-]. */
int lime_wpactrl_parse_event(const char *msg, size_t len, struct lime_wpactrl_event *ev);
/* The value of key in a "key=value" per line reply (STATUS), into out (cut, terminated).
 * true if found. */
bool lime_wpactrl_kv(const char *reply, const char *key, char *out, size_t len);
/* A MAC address "xx:xx:xx:xx:xx:xx" at the start of s (len bytes). 0 or -EINVAL. */
int lime_wpactrl_mac(const char *s, size_t len, uint8_t mac[6]);

#endif
