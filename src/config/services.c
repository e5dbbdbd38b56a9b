/* uci backend: init scripts enabled/disabled the way OpenWrt's rc.common does it
 * (`/etc/init.d/<name> enable|disable`): symlinks ROOT/etc/rc.d/S<START><name> and
 * K<STOP><name> -> ../init.d/<name>, START/STOP read from the script. Upstream's
 * lime-config runs `odhcpd enable|disable` (network.use_odhcpd) and `dnsmasq enable`
 * (lime-proto-anygw). Without this a node would keep odhcpd sending its own RAs and
 * DHCPv6 on br-lan next to the anycast gateway's. A service whose script is not under
 * ROOT/etc/init.d is left alone (test roots, non-OpenWrt roots). */
#include "backend_uci.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "log.h"

/* The digits after `KEY=` at the start of a line of the script, as written (rc.common
 * uses the string: START=19 -> S19<name>); false if there is none. */
static bool script_number(const char *text, const char *key, char out[4])
{
    size_t kl = strlen(key);
    for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
        if (strncmp(l, key, kl) || l[kl] != '=')
            continue;
        const char *v = l + kl + 1;
        size_t n = strspn(v, "0123456789");
        if (!n || n > 3)
            return false;
        memcpy(out, v, n);
        out[n] = '\0';
        return true;
    }
    return false;
}

/* Removes ROOT/etc/rc.d/[SK]<digits><name> links except `keep1`/`keep2` (NULL: none).
 * 0, or -1 with errno. */
static int rcd_remove(const char *rcd, const char *name, const char *keep1, const char *keep2)
{
    DIR *d = opendir(rcd);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *p = e->d_name;
        if ((*p != 'S' && *p != 'K') || p[1] < '0' || p[1] > '9')
            continue;
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
        if (strcmp(p, name) || (keep1 && !strcmp(e->d_name, keep1)) ||
            (keep2 && !strcmp(e->d_name, keep2)))
            continue;
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", rcd, e->d_name);
        if (unlink(path) < 0)
            rc = -1;
    }
    closedir(d);
    return rc;
}

static int rcd_link(const char *rcd, char kind, const char *num, const char *name)
{
    char path[PATH_MAX], target[PATH_MAX];
    snprintf(path, sizeof path, "%s/%c%s%s", rcd, kind, num, name);
    snprintf(target, sizeof target, "../init.d/%s", name);
    char cur[PATH_MAX];
    ssize_t l = readlink(path, cur, sizeof cur - 1);
    if (l >= 0) {
        cur[l] = '\0';
        if (!strcmp(cur, target))
            return 0; /* already there: nothing changes */
    }
    unlink(path);
    return symlink(target, path);
}

int plan_service_set_enabled(const char *root, const char *name, bool enable)
{
    if (!root || !strcmp(root, "/"))
        root = "";
    char script[PATH_MAX], rcd[PATH_MAX];
    snprintf(script, sizeof script, "%s/etc/init.d/%s", root, name);
    snprintf(rcd, sizeof rcd, "%s/etc/rc.d", root);
    char *text = lime_read_file(script, 1u << 20, NULL);
    if (!text)
        return 0; /* not installed */
    char start[4], stop[4];
    bool has_start = script_number(text, "START", start), has_stop = script_number(text, "STOP", stop);
    free(text);
    if (!enable) {
        if (rcd_remove(rcd, name, NULL, NULL) < 0) {
            log_warn("%s disable: %s: %s", name, rcd, strerror(errno));
            return -1;
        }
        return 0;
    }
    if (!has_start) {
        log_warn("%s enable: no START= in %s", name, script);
        return -1;
    }
    char want_s[64], want_k[64];
    snprintf(want_s, sizeof want_s, "S%s%s", start, name);
    snprintf(want_k, sizeof want_k, "K%s%s", has_stop ? stop : "", name);
    /* links with another START/STOP are replaced, as rc.common's enable does */
    if (rcd_remove(rcd, name, want_s, has_stop ? want_k : NULL) < 0 ||
        lime_mkdir_p(rcd, 0755) < 0 || rcd_link(rcd, 'S', start, name) < 0 ||
        (has_stop && rcd_link(rcd, 'K', stop, name) < 0)) {
        log_warn("%s enable: %s: %s", name, rcd, strerror(errno));
        return -1;
    }
    return 0;
}

int plan_uci_services(const char *root, const struct plan *plan)
{
    int rc = plan_service_set_enabled(root, "odhcpd", plan->use_odhcpd);
    if (plan->anygw.enabled && plan_service_set_enabled(root, "dnsmasq", true) < 0)
        rc = -1;
    return rc;
}
