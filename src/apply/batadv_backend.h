/* Which batman-adv runs on this node: the kernel module (bat0 of kind batadv, configured
 * over generic netlink) or batd (userspace, on a TAP), chosen from lime's
 * network.batadv_backend (auto | kernel | batd, LiMe-C's own option) and what the kernel
 * offers. */
#ifndef LR_BATADV_BACKEND_H
#define LR_BATADV_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

struct lime_nl;

enum lr_batman_impl {
    LR_BATMAN_BATD,
    LR_BATMAN_KERNEL,
    LR_BATMAN_ERROR, /* forced to kernel where it cannot run */
};

/* The decision, and why (one log line's worth) in why. backend: "auto", "kernel" or
 * "batd" ("" = auto); has_module: the batadv family exists (after modprobe); needs_vlans:
 * a hard interface is an 802.1ad/802.1Q VLAN; kernel_vlans: the kernel has them. */
enum lr_batman_impl lr_batman_choose(const char *backend, bool has_module, bool needs_vlans,
                                     bool kernel_vlans, char *why, size_t len);

/* Does this kernel have batman-adv? The batadv generic-netlink family, else
 * `modprobe batman-adv` (through the core's runner, 10 s at most; with dry_run only
 * `modprobe -n`, which loads nothing) and ask again. The outcome in why. */
bool lr_batman_module(struct lime_nl *nl, bool dry_run, char *why, size_t len);

#endif
