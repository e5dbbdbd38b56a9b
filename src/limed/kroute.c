/* Does this node have a default route of its own? (rtnetlink route dump; see limed.h) */
#include "limed.h"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define RTPROT_BABEL_ROUTES 42 /* babeld installs its routes with protocol 42 */

bool ld_kernel_own_default(bool v6)
{
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0)
        return false;
    struct {
        struct nlmsghdr nh;
        struct rtmsg rt;
    } req;
    memset(&req, 0, sizeof(req));
    req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg));
    req.nh.nlmsg_type = RTM_GETROUTE;
    req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.nh.nlmsg_seq = 1;
    req.rt.rtm_family = v6 ? AF_INET6 : AF_INET;
    bool found = false, done = false;
    if (send(fd, &req, req.nh.nlmsg_len, 0) < 0)
        done = true;
    static uint8_t buf[32768];
    while (!done) {
        ssize_t n = recv(fd, buf, sizeof(buf), 0);
        if (n <= 0)
            break;
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
             h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
                done = true;
                break;
            }
            if (h->nlmsg_type != RTM_NEWROUTE)
                continue;
            const struct rtmsg *rt = NLMSG_DATA(h);
            if (rt->rtm_dst_len == 0 && rt->rtm_type == RTN_UNICAST &&
                rt->rtm_table != RT_TABLE_LOCAL && rt->rtm_protocol != RTPROT_BABEL_ROUTES)
                found = true;
        }
    }
    close(fd);
    return found;
}
