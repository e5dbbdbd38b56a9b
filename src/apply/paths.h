/* Per-node file locations under ROOT, so many nodes run on one machine (one ROOT and one
 * network namespace each). lime-apply writes the generated files; limed, babeld, dnsmasq
 * and batd use the runtime paths. */
#ifndef LR_PATHS_H
#define LR_PATHS_H

#include <limits.h>

struct lr_paths {
    char root[PATH_MAX];          /* "" for "/" */
    char gen_dir[PATH_MAX];       /* ROOT/var/run/lime: everything lime-apply generates */
    char babeld_conf[PATH_MAX];   /* ROOT/var/run/lime/babeld.conf */
    char dnsmasq_conf[PATH_MAX];  /* ROOT/var/run/lime/dnsmasq.conf */
    char daemons[PATH_MAX];       /* ROOT/var/run/lime/daemons (read by limed's supervisor) */
    char gateway[PATH_MAX];       /* ROOT/var/run/lime/gateway (read by limed's gateway watcher) */
    char applied[PATH_MAX];       /* ROOT/var/run/lime/applied (what lime-apply owns) */
    char nft_tmp[PATH_MAX];       /* ROOT/var/run/lime/anygw.nft */
    char babeld_sock[PATH_MAX];   /* ROOT/var/run/babeld.sock (read-only local socket) */
    char babeld_pid[PATH_MAX];    /* ROOT/var/run/babeld.pid */
    char babeld_state[PATH_MAX];  /* ROOT/var/lib/babeld.state */
    char dnsmasq_pid[PATH_MAX];   /* ROOT/var/run/dnsmasq.pid */
    char dnsmasq_leases[PATH_MAX];/* ROOT/var/lib/dnsmasq.leases */
    char batd_sock[PATH_MAX];     /* ROOT/var/run/batd.sock */
    char limed_pid[PATH_MAX];     /* ROOT/var/run/limed.pid */
    char ss_socket[PATH_MAX];     /* ROOT/var/run/shared-state-async.sock (limed's shared state) */
    char log_dir[PATH_MAX];       /* ROOT/var/log */
    char hostapd_ctrl[PATH_MAX];  /* ROOT/var/run/hostapd: hostapd's control sockets */
    char wpa_ctrl[PATH_MAX];      /* ROOT/var/run/wpa_supplicant: wpa_supplicant's */
};

/* root NULL, "" or "/" = the real root. */
void lr_paths_init(struct lr_paths *p, const char *root);
/* ROOT + abs (abs starts with '/') into buf. */
void lr_path_join(const char *root, const char *abs, char *buf, unsigned len);
/* mkdir -p of every directory the paths need. 0 or -errno. */
int lr_paths_mkdirs(const struct lr_paths *p);

#endif
