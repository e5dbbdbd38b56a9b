/* Privilege reduction after setup: keep only CAP_NET_RAW and CAP_NET_ADMIN. */
#ifndef BATD_PRIVS_H
#define BATD_PRIVS_H

/* Drops every capability but CAP_NET_RAW/CAP_NET_ADMIN from the effective, permitted and
 * inheritable sets and the bounding set; sets no_new_privs. Failures are logged, not fatal. */
void batd_privs_drop(void);

#endif
