#include "paths.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

void lr_path_join(const char *root, const char *abs, char *buf, unsigned len)
{
    snprintf(buf, len, "%s%s", root ? root : "", abs);
}

void lr_paths_init(struct lr_paths *p, const char *root)
{
    memset(p, 0, sizeof(*p));
    if (root && strcmp(root, "/"))
        snprintf(p->root, sizeof(p->root), "%s", root);
    size_t n = strlen(p->root);
    while (n > 0 && p->root[n - 1] == '/')
        p->root[--n] = 0;
#define J(field, path) lr_path_join(p->root, path, p->field, sizeof(p->field))
    J(gen_dir, "/var/run/lime");
    J(babeld_conf, "/var/run/lime/babeld.conf");
    J(dnsmasq_conf, "/var/run/lime/dnsmasq.conf");
    J(daemons, "/var/run/lime/daemons");
    J(gateway, "/var/run/lime/gateway");
    J(applied, "/var/run/lime/applied");
    J(nft_tmp, "/var/run/lime/anygw.nft");
    J(babeld_sock, "/var/run/babeld.sock");
    J(babeld_pid, "/var/run/babeld.pid");
    J(babeld_state, "/var/lib/babeld.state");
    J(dnsmasq_pid, "/var/run/dnsmasq.pid");
    J(dnsmasq_leases, "/var/lib/dnsmasq.leases");
    J(batd_sock, "/var/run/batd.sock");
    J(limed_pid, "/var/run/limed.pid");
    J(ss_socket, "/var/run/shared-state-async.sock");
    J(log_dir, "/var/log");
    J(hostapd_ctrl, "/var/run/hostapd");
    J(wpa_ctrl, "/var/run/wpa_supplicant");
#undef J
}

static int mkdir_p(const char *path)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *s = buf + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir(buf, 0755) < 0 && errno != EEXIST)
            return -errno;
        *s = '/';
    }
    if (mkdir(buf, 0755) < 0 && errno != EEXIST)
        return -errno;
    return 0;
}

int lr_paths_mkdirs(const struct lr_paths *p)
{
    const char *dirs[] = {"/var/run/lime", "/var/lib", "/var/log", "/tmp"};
    for (unsigned i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        char buf[PATH_MAX];
        lr_path_join(p->root, dirs[i], buf, sizeof(buf));
        int r = mkdir_p(buf);
        if (r)
            return r;
    }
    return 0;
}
