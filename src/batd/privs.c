/* Capability dropping with the raw capset(2) interface (no libcap dependency). The
 * process keeps its uid: files it must touch later (the control socket, unlinked at exit,
 * the TAP fd) were opened before, and CAP_NET_ADMIN/CAP_NET_RAW cover the rest. */
#include "privs.h"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"

void batd_privs_drop(void)
{
    const unsigned keep = (1u << CAP_NET_RAW) | (1u << CAP_NET_ADMIN);
    for (int cap = 0; cap <= 63; cap++) {
        if (cap < 32 && (keep & (1u << cap)))
            continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
            break; /* past the last capability the kernel knows */
    }
    struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2] = {{0}};
    if (syscall(SYS_capget, &hdr, data) < 0) {
        log_warn("capget failed: keeping privileges");
        return;
    }
    data[0].effective &= keep;
    data[0].permitted &= keep;
    data[0].inheritable = 0;
    data[1].effective = data[1].permitted = data[1].inheritable = 0;
    if (syscall(SYS_capset, &hdr, data) < 0)
        log_warn("capset failed: keeping privileges");
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}
