/* The linux backend: applies a plan to the running kernel (current network namespace)
 * and writes the daemon configs for limed's supervisor.
 *
 * plan → desired state (desired.h) → diff against the kernel → changes, each journaled
 * with its inverse; any failure undoes the journal in reverse, so the node is left as it
 * was. Then the anygw nft table, then the generated files (babeld.conf, dnsmasq.conf,
 * daemons, gateway; only rewritten when their content changes), then the ownership record.
 * Applying the same plan twice makes 0 changes. */
#ifndef LR_BACKEND_LINUX_H
#define LR_BACKEND_LINUX_H

#include <stdbool.h>

struct plan;

struct lr_apply_opts {
    const char *root;      /* per-node root ("" or NULL = /) */
    const char *batd_path; /* batd binary for the daemons file (NULL: "batd" from PATH) */
    const char *lease_script; /* dnsmasq's dhcp-script (NULL: shared-state-async beside
                               * lime-apply / in the build tree / in PATH; "": none) */
    bool dry_run;          /* report, change nothing */
    int fail_after;        /* tests: < 0 off; fail the (N+1)th kernel change → rollback */
    int force_kernel_vlans;/* tests: -1 probe (default), 0 pretend there are none, 1 require */
};

struct lr_apply_result {
    unsigned changes;      /* kernel changes + nft table + files rewritten */
    unsigned kernel_changes;
    bool kernel_vlans;     /* the kernel has 802.1Q/802.1ad */
    bool kernel_batman;    /* bat0 is the kernel's batman-adv (else batd, or no batman) */
    bool rolled_back;
};

/* 0 on success; -1 on failure (logged; everything done was rolled back). */
int lr_apply_plan(const struct plan *p, const struct lr_apply_opts *o, struct lr_apply_result *res);

#endif
