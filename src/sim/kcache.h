/* The kernel the qemu lab boots, cached under /var/cache/lime-sim/<version>/ (or
 * $LIME_SIM_CACHE): Debian's kernel package (the one linux-image-amd64 depends on,
 * $LIME_SIM_KERNEL_PKG, or a local .deb from $LIME_SIM_KERNEL_DEB) and busybox-static,
 * fetched with `apt-get download` on first use, extracted, the modules depmod'ed, and
 * an initramfs lime-sim writes itself (busybox, the modules that mount the host's root,
 * /init). Later runs boot the cached kernel and download nothing (`lime-sim kernel
 * --update` looks for a newer one).
 *
 *   <version>/vmlinuz                 the package's bzImage
 *   <version>/vmlinux                 the kernel in it, uncompressed, if it has a PVH entry
 *                                     (qemu boots it directly: kimage.h); else vmlinux.none
 *   <version>/busybox                 static, from busybox-static
 *   <version>/lib/modules/<version>/  every module but sound/GPU/media drivers; depmod'ed
 *   <version>/manifest                what was prepared from what (written last)
 *   <version>/initramfs-<hash>.cpio   keyed by the /init text and module list, so a
 *                                     changed lime-sim never boots a stale one
 *
 * A version directory appears only complete (built in .build-<pid>/ and renamed);
 * a failed preparation leaves nothing behind. Preparation holds <cache>/lock. */
#ifndef LIME_SIM_KCACHE_H
#define LIME_SIM_KCACHE_H

#include <stddef.h>

struct sim_kernel {
    char version[64];   /* e.g. 6.1.0-57-amd64 (uname -r in the guest) */
    char dir[320];      /* <cache>/<version> */
    char vmlinuz[420];  /* the image to boot: <dir>/vmlinux, else <dir>/vmlinuz */
    char initramfs[400];
    char moddir[400];   /* <dir>/lib/modules/<version> */
};

/* Modules loaded in the guest at boot (besides the initramfs ones): what the nodes need
 * and what the kernel lab's later modes need (batman-adv, 802.1ad, bridges, Wi-Fi). */
#define SIM_LAB_MODULES "batman_adv", "8021q", "bridge", "veth", "macvlan", "tun", "nf_tables"
/* Modules that must exist for issue 11's Wi-Fi mode; checked, not loaded at boot. */
#define SIM_LAB_OPTIONAL_MODULES "mac80211_hwsim", "cfg80211", "mac80211"

/* $LIME_SIM_CACHE or /var/cache/lime-sim. */
const char *sim_kcache_root(void);
/* Makes sure a kernel is cached and fills k. Which one: $LIME_SIM_KERNEL_DEB's, else
 * $LIME_SIM_KERNEL_PKG's, else the newest cached one, else (or with update) the one
 * linux-image-amd64 depends on now. 0, or -1 with one line in err. */
int sim_kcache_get(struct sim_kernel *k, int update, char *err, size_t errlen);
/* The /init script of the lab's initramfs (no user data in it). */
const char *sim_kcache_init_script(void);

#endif
