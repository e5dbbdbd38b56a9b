/* The module index of a kernel: modules.dep (written by depmod: "path.ko: dep.ko dep.ko")
 * and modules.builtin (modules compiled into the kernel image). The lab uses it to put
 * the modules that mount the host's root (virtio, 9p, overlay) into the initramfs in
 * load order, and to refuse, before booting anything, a module the kernel does not have. */
#ifndef LIME_SIM_KMODS_H
#define LIME_SIM_KMODS_H

#include <stddef.h>

struct sim_kmod {
    char *path;  /* relative to the modules dir, e.g. kernel/net/8021q/8021q.ko */
    char *name;  /* module name: file name without .ko*, '-' as '_' (8021q, batman_adv) */
    char **deps; /* paths */
    int n_deps;
};

struct sim_kmods {
    struct sim_kmod *m;
    int n;
    char **builtin; /* names */
    int n_builtin;
};

/* Parses the two files' texts (builtin may be NULL). Lines that are not "path: deps"
 * are skipped. 0, or -1 on out-of-memory. */
int sim_kmods_parse(struct sim_kmods *k, const char *dep_text, const char *builtin_text);
/* Reads moddir/modules.dep and moddir/modules.builtin. 0, or -1 with a message in err. */
int sim_kmods_load(struct sim_kmods *k, const char *moddir, char *err, size_t errlen);
void sim_kmods_free(struct sim_kmods *k);
/* Canonical module name of a user's spelling or a path: "batman-adv" -> "batman_adv". */
void sim_kmod_name(const char *in, char *out, size_t len);
/* 1 if name is a loadable module, 2 if built into the kernel, 0 if the kernel lacks it. */
int sim_kmods_has(const struct sim_kmods *k, const char *name);
/* Appends the modules to load for name, dependencies first, to out (pointers into k;
 * those already in out are not repeated). 0, or -1 with err naming the missing module
 * (or "too many"). A built-in module adds nothing. */
int sim_kmods_order(const struct sim_kmods *k, const char *name, const char **out, int *n, int max,
                    char *err, size_t errlen);

#endif
