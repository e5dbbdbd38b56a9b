/* mac80211_hwsim's generic netlink and debugfs (hwsim.h). */
#include "hwsim.h"

#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nl80211.h"

/* drivers/net/wireless/mac80211_hwsim.h */
enum {
    HWSIM_CMD_NEW_RADIO = 4,
    HWSIM_CMD_DEL_RADIO = 5,
};
enum {
    HWSIM_ATTR_CHANNELS = 9,
    HWSIM_ATTR_RADIO_ID = 10,
    HWSIM_ATTR_RADIO_NAME = 17,
    HWSIM_ATTR_NO_VIF = 18,
    HWSIM_ATTR_PERM_ADDR = 22,
    HWSIM_ATTR_IFTYPE_SUPPORT = 23,
};

struct gsock {
    struct mnl_socket *sock;
    unsigned portid, seq;
    uint16_t family;
};

static int talk(struct gsock *g, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
    char buf[8192];
    nlh->nlmsg_seq = ++g->seq;
    if (mnl_socket_sendto(g->sock, nlh, nlh->nlmsg_len) < 0)
        return -errno;
    for (;;) {
        ssize_t n = mnl_socket_recvfrom(g->sock, buf, sizeof(buf));
        if (n < 0)
            return -errno;
        errno = 0;
        int r = mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq, g->portid, cb, data);
        if (r < 0)
            return errno ? -errno : -EIO;
        if (r == MNL_CB_STOP)
            return 0;
    }
}

static struct nlmsghdr *req(char *buf, uint16_t type, uint8_t cmd)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    struct genlmsghdr *h = mnl_nlmsg_put_extra_header(nlh, sizeof(*h));
    h->cmd = cmd;
    h->version = 1;
    return nlh;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
    struct nlattr *a;
    mnl_attr_for_each(a, nlh, GENL_HDRLEN)
        if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID && mnl_attr_get_payload_len(a) >= 2)
            *(uint16_t *)data = mnl_attr_get_u16(a);
    return MNL_CB_OK;
}

static int open_hwsim(struct gsock *g)
{
    memset(g, 0, sizeof(*g));
    g->sock = mnl_socket_open(NETLINK_GENERIC);
    if (!g->sock)
        return -errno;
    if (mnl_socket_bind(g->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
        int e = -errno;
        mnl_socket_close(g->sock);
        return e;
    }
    g->portid = mnl_socket_get_portid(g->sock);
    g->seq = (unsigned)time(NULL);
    char buf[256];
    struct nlmsghdr *nlh = req(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
    mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "MAC80211_HWSIM");
    int r = talk(g, nlh, family_cb, &g->family);
    if (r < 0 || !g->family) {
        mnl_socket_close(g->sock);
        return -ENOENT;
    }
    return 0;
}

int sim_hwsim_new(const char *name, const uint8_t mac[6], uint32_t iftypes, int *id)
{
    struct gsock g;
    int r = open_hwsim(&g);
    if (r < 0)
        return r;
    char buf[512];
    struct nlmsghdr *nlh = req(buf, g.family, HWSIM_CMD_NEW_RADIO);
    mnl_attr_put_strz(nlh, HWSIM_ATTR_RADIO_NAME, name);
    mnl_attr_put(nlh, HWSIM_ATTR_PERM_ADDR, 6, mac);
    mnl_attr_put(nlh, HWSIM_ATTR_NO_VIF, 0, NULL);
    mnl_attr_put_u32(nlh, HWSIM_ATTR_IFTYPE_SUPPORT, iftypes);
    mnl_attr_put_u32(nlh, HWSIM_ATTR_CHANNELS, 1);
    /* The kernel answers NEW_RADIO with the radio id as the ACK's error code (>= 0). */
    nlh->nlmsg_seq = ++g.seq;
    r = 0;
    if (mnl_socket_sendto(g.sock, nlh, nlh->nlmsg_len) < 0)
        r = -errno;
    while (!r) {
        char rx[4096];
        ssize_t n = mnl_socket_recvfrom(g.sock, rx, sizeof(rx));
        if (n < (ssize_t)sizeof(struct nlmsghdr)) {
            r = n < 0 ? -errno : -EIO;
            break;
        }
        struct nlmsghdr *h = (struct nlmsghdr *)rx;
        if (h->nlmsg_type == NLMSG_ERROR && h->nlmsg_seq == nlh->nlmsg_seq &&
            mnl_nlmsg_get_payload_len(h) >= sizeof(struct nlmsgerr)) {
            const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
            if (e->error < 0)
                r = e->error;
            else if (id)
                *id = e->error;
            break;
        }
    }
    mnl_socket_close(g.sock);
    return r;
}

int sim_hwsim_del(const char *name)
{
    struct gsock g;
    int r = open_hwsim(&g);
    if (r < 0)
        return r;
    char buf[256];
    struct nlmsghdr *nlh = req(buf, g.family, HWSIM_CMD_DEL_RADIO);
    mnl_attr_put_strz(nlh, HWSIM_ATTR_RADIO_NAME, name);
    r = talk(&g, nlh, NULL, NULL);
    mnl_socket_close(g.sock);
    return r;
}

int sim_hwsim_group(const char *name, uint64_t mask)
{
    char path[256], text[32];
    snprintf(path, sizeof(path), "/sys/kernel/debug/ieee80211/%s/hwsim/group", name);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    int n = snprintf(text, sizeof(text), "0x%llx\n", (unsigned long long)mask);
    int r = write(fd, text, (size_t)n) == n ? 0 : -errno;
    close(fd);
    return r;
}

int sim_hwsim_to_netns(const char *name, const char *ns)
{
    char path[128];
    snprintf(path, sizeof(path), "/run/netns/%s", ns);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    struct lime_nl_wifi *w = lime_nl_wifi_open();
    int r = -ENOENT;
    if (w) {
        struct lime_nl_wifi_phy *phys = NULL;
        size_t n = 0;
        r = lime_nl_wifi_phys(w, &phys, &n);
        if (!r) {
            r = -ENODEV;
            for (size_t i = 0; i < n; i++)
                if (!strcmp(phys[i].name, name))
                    r = lime_nl_wifi_phy_netns(w, phys[i].index, fd);
        }
        free(phys);
        lime_nl_wifi_close(w);
    }
    close(fd);
    return r;
}

int64_t sim_hwsim_iftypes(const char *words)
{
    static const struct {
        const char *w;
        unsigned t;
    } names[] = {{"adhoc", 1}, {"ibss", 1}, {"managed", 2}, {"station", 2}, {"ap", 3}, {"mesh", 7}};
    int64_t mask = 0;
    char buf[128];
    snprintf(buf, sizeof(buf), "%s", words);
    for (char *save = NULL, *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        bool found = false;
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
            if (!strcmp(w, names[i].w)) {
                mask |= 1 << names[i].t;
                found = true;
            }
        if (!found)
            return -1;
    }
    return mask;
}
