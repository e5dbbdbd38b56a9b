#include "sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static int sysctl_set(const char *ns, const char *key, const char *value, int warn);

int sim_sysctl(const char *ns, const char *key, const char *value)
{
    return sysctl_set(ns, key, value, 1);
}

void sim_no_bridge_nf(const char *ns)
{
    static const char *const keys[] = {"net/bridge/bridge-nf-call-iptables",
                                       "net/bridge/bridge-nf-call-ip6tables",
                                       "net/bridge/bridge-nf-call-arptables"};
    for (int i = 0; i < 3; i++)
        sysctl_set(ns, keys[i], "0", 0); /* absent without br_netfilter: nothing to do */
}

static int sysctl_set(const char *ns, const char *key, const char *value, int warn)
{
    int self = -1, target = -1, rc = -1;
    char path[256];
    if (ns) {
        snprintf(path, sizeof(path), "/run/netns/%s", ns);
        self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        target = open(path, O_RDONLY | O_CLOEXEC);
        if (self < 0 || target < 0 || setns(target, CLONE_NEWNET) < 0) {
            log_err("%s: cannot enter: %s", path, strerror(errno));
            goto out;
        }
    }
    snprintf(path, sizeof(path), "/proc/sys/%s", key);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t n = write(fd, value, strlen(value));
        rc = n == (ssize_t)strlen(value) ? 0 : -1;
        close(fd);
    }
    if (rc < 0 && warn)
        log_warn("%s%s%s = %s: %s", ns ? ns : "", ns ? ": " : "", key, value, strerror(errno));
    if (ns && setns(self, CLONE_NEWNET) < 0) {
        log_err("cannot return to the host namespace: %s", strerror(errno));
        rc = -1;
    }
out:
    if (self >= 0)
        close(self);
    if (target >= 0)
        close(target);
    return rc;
}

/* Entries in use in the kernel's table stat_file (/proc/net/stat/arp_cache: the first
 * column of the second line, hex), or -1. */
static long neigh_entries(const char *stat_file)
{
    FILE *f = fopen(stat_file, "r");
    char line[512];
    long n = -1;
    if (f && fgets(line, sizeof(line), f) && fgets(line, sizeof(line), f))
        n = strtol(line, NULL, 16);
    if (f)
        fclose(f);
    return n;
}

static long read_long(const char *path)
{
    FILE *f = fopen(path, "r");
    long v = -1;
    if (f && fscanf(f, "%ld", &v) != 1)
        v = -1;
    if (f)
        fclose(f);
    return v;
}

void sim_neigh_room(int n_nodes)
{
    static const struct {
        const char *family, *stat;
    } t[] = {{"ipv4", "/proc/net/stat/arp_cache"}, {"ipv6", "/proc/net/stat/ndisc_cache"}};
    for (int k = 0; k < 2; k++) {
        char p3[96], p2[96], v[32];
        snprintf(p3, sizeof(p3), "/proc/sys/net/%s/neigh/default/gc_thresh3", t[k].family);
        snprintf(p2, sizeof(p2), "/proc/sys/net/%s/neigh/default/gc_thresh2", t[k].family);
        long max = read_long(p3), soft = read_long(p2), used = neigh_entries(t[k].stat);
        if (max < 0 || used < 0)
            continue;
        long want = used + (long)SIM_NEIGH_PER_NODE * n_nodes;
        if (want <= max)
            continue;
        long room = (want * 2 + 1023) / 1024 * 1024;
        snprintf(v, sizeof(v), "%ld", room);
        if (sysctl_set(NULL, p3 + strlen("/proc/sys/"), v, 1) < 0)
            continue;
        if (soft < room / 2) {
            snprintf(v, sizeof(v), "%ld", room / 2);
            sysctl_set(NULL, p2 + strlen("/proc/sys/"), v, 1);
        }
        log_info("the kernel's %s neighbour table is shared by every namespace on this machine: "
                 "net.%s.neigh.default.gc_thresh3 raised from %ld to %ld (%ld entries in use, %d nodes)",
                 t[k].family, t[k].family, max, room, used, n_nodes);
    }
}

