/* Control socket (UNIX stream, default /run/batd/<soft-if>.sock) and the `batd ctl`
 * client. Protocol: the client sends one line "<command>[ json]\n"; the daemon answers
 * with the whole reply and closes. Commands and shapes follow batctl: originators (o),
 * neighbors (n), interfaces (if), translocal (tl), transglobal (tg), statistics (s).
 * JSON keys follow batctl's JSON output (orig_address, neigh_address, hard_ifname, tq,
 * best, last_seen_msecs, client_address, vid, ...). */
#ifndef BATD_CTL_H
#define BATD_CTL_H

#include <stdio.h>

#include "batd.h"

int batd_ctl_open(struct batd *bat, const char *path);
void batd_ctl_close(struct batd *bat, const char *path);
/* Writes the reply to a command into out; returns 0, or -1 for an unknown command. */
int batd_ctl_reply(struct batd *bat, const char *cmd, bool json, FILE *out);
/* The `batd ctl ...` client; argv after "ctl". Returns the process exit code. */
int batd_ctl_client(int argc, char **argv, const char *default_path);

#endif
