#include "sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
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
