/* The lab's kernel cache: resolve, download (apt-get download), extract (dpkg-deb -x),
 * depmod, initramfs. Every outside tool runs with argv (spawn.h); their messages go to
 * a log in the build directory, and a failure is reported as one line naming the step
 * and the tool's own error line. See kcache.h. */
#include "kcache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cpio.h"
#include "fsutil.h"
#include "kimage.h"
#include "kmods.h"
#include "log.h"
#include "md5.h"
#include "run.h"
#include "spawn.h"

#define DEFAULT_CACHE "/var/cache/lime-sim"
#define META_PKG "linux-image-amd64"

/* Mounting the host's root needs these in the initramfs (Debian builds them as modules). */
static const char *const boot_modules[] = {"virtio_pci", "virtio_net", "9pnet_virtio", "9p", "overlay"};
/* Subtrees a network lab never loads; dropped to keep the cache ~270 MB instead of ~400. */
static const char *const pruned[] = {"kernel/sound",         "kernel/drivers/gpu",     "kernel/drivers/media",
                                     "kernel/drivers/infiniband", "kernel/drivers/iio", "kernel/drivers/comedi",
                                     "kernel/drivers/staging"};

static const char init_script[] =
    "#!/bin/busybox sh\n"
    "# The lab guest's first process, written by lime-sim (src/sim/kcache.c); no user data\n"
    "# reaches it. It mounts the host's root read-only over 9p under a tmpfs overlay, puts\n"
    "# the cached modules at /lib/modules/$(uname -r), gives the user-mode NIC its address\n"
    "# and hands over to `lime-sim __agent` (docs/sim.md, kernel mode).\n"
    "B=/bin/busybox\n"
    "$B mount -t proc proc /proc\n"
    "$B mount -t sysfs sysfs /sys\n"
    "$B mount -t devtmpfs devtmpfs /dev\n"
    "exec </dev/null >/dev/console 2>&1\n"
    "fail() { echo \"LIME-SIM-INIT-FAILED: $*\"; $B poweroff -f; }\n"
    "while read -r m; do\n"
    "    $B insmod \"/lib/modules/$m\" 2>/tmp/err || fail \"insmod $m: $($B cat /tmp/err)\"\n"
    "done < /lab-boot/modules\n"
    "$B mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 hostroot /lower ||\n"
    "    fail \"mount of the host's root over 9p\"\n"
    "$B mount -t tmpfs -o mode=0755 lab-rw /rw || fail \"tmpfs for the overlay\"\n"
    "$B mkdir /rw/upper /rw/work\n"
    "$B mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work lab-root /newroot ||\n"
    "    fail \"overlay on the host's root\"\n"
    "$B mount -t tmpfs -o mode=0755 lab-run /newroot/run || fail \"tmpfs on /run\"\n"
    "$B mkdir -p /newroot/run/lab && $B cp /lab/* /newroot/run/lab/ || fail \"copy of /lab\"\n"
    "read -r KVER < /proc/sys/kernel/osrelease\n"
    "read -r MODDIR < /lab/moddir\n"
    "$B mkdir -p \"/newroot/lib/modules/$KVER\" &&\n"
    "    $B mount --bind \"/newroot$MODDIR\" \"/newroot/lib/modules/$KVER\" || fail \"modules from $MODDIR\"\n"
    "$B ip link set lo up && $B ip link set eth0 up && $B ip addr add 10.0.2.15/24 dev eth0 ||\n"
    "    fail \"user-mode network on eth0\"\n"
    "read -r EXE < /lab/exe\n"
    "[ -x \"/newroot$EXE\" ] || fail \"$EXE is not visible in the guest\"\n"
    "exec $B switch_root /newroot \"$EXE\" __agent /run/lab\n";

const char *sim_kcache_init_script(void) { return init_script; }

const char *sim_kcache_root(void)
{
    const char *r = getenv("LIME_SIM_CACHE");
    return r && r[0] == '/' && strlen(r) < 200 ? r : DEFAULT_CACHE;
}

static void set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    for (char *p = err; *p; p++) /* one line, always */
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

static int rm_rf(const char *path)
{
    char *argv[] = {"rm", "-rf", "--one-file-system", (char *)path, NULL};
    return sim_run(argv, 1);
}

/* The most telling line of a tool's log: its last "E: ..." / "error" line, else the last. */
static void log_reason(const char *logpath, char *out, size_t len)
{
    char *text = lime_read_file(logpath, 1 << 20, NULL);
    out[0] = 0;
    if (!text)
        return;
    const char *best = NULL, *last = NULL, *after_best = NULL;
    for (char *p = text; *p;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = 0;
        if (*p) {
            if (best == last && best && !after_best)
                after_best = p;
            last = p;
            if (!strncmp(p, "E: ", 3) || strstr(p, "error") || strstr(p, "rror:")) {
                best = p;
                after_best = NULL;
            }
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    /* apt continues "E: Failed to fetch URL  Unable to connect to HOST:" on the next line. */
    if (best && after_best && best[strlen(best) - 1] == ':')
        snprintf(out, len, "%s %s", best, after_best);
    else
        snprintf(out, len, "%s", best ? best : last ? last : "(no message)");
    free(text);
}

/* Runs argv in dir (NULL: here) with stdout+stderr appended to logpath. Exit status or
 * -1. apt and dpkg have their own network and I/O timeouts; none is added here. */
static int run_in(const char *dir, char *const argv[], const char *logpath)
{
    struct lime_run_opts o = {.cwd = dir, .log = logpath};
    return lime_run(argv, &o, NULL);
}

static bool valid_version(const char *v)
{
    size_t n = strlen(v);
    if (!n || n >= 60 || v[0] == '.' || v[0] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+_-", v[i]))
            return false;
    return true;
}

static bool is_ready(const char *root, const char *version)
{
    char path[400];
    snprintf(path, sizeof(path), "%s/%s/manifest", root, version);
    return access(path, F_OK) == 0;
}

/* The newest ready version in the cache (by manifest time), for use without apt. */
static int newest_cached(const char *root, char *version, size_t len)
{
    DIR *d = opendir(root);
    time_t best = 0;
    version[0] = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        char path[600];
        struct stat st;
        if (e->d_name[0] == '.' || !valid_version(e->d_name))
            continue;
        snprintf(path, sizeof(path), "%s/%s/manifest", root, e->d_name);
        if (stat(path, &st) == 0 && st.st_mtime >= best && strlen(e->d_name) < len) {
            best = st.st_mtime;
            snprintf(version, len, "%.59s", e->d_name);
        }
    }
    if (d)
        closedir(d);
    return version[0] ? 0 : -1;
}

/* linux-image-amd64's dependency, e.g. linux-image-6.1.0-57-amd64, from apt-cache. */
static int resolve_pkg(char *pkg, size_t len)
{
    char *argv[] = {"apt-cache", "depends", META_PKG, NULL};
    char *buf = sim_capture(NULL, argv);
    int rc = -1;
    for (char *p = buf; p && (p = strstr(p, "Depends: linux-image-")); p++) {
        p += strlen("Depends: ");
        size_t n = strcspn(p, " \t\n<>");
        if (n < len && n > strlen("linux-image-")) {
            memcpy(pkg, p, n);
            pkg[n] = 0;
            rc = 0;
            break;
        }
    }
    free(buf);
    return rc;
}

static int find_deb(const char *dir, const char *prefix, char *out, size_t len)
{
    DIR *d = opendir(dir);
    int found = -1;
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (!strncmp(e->d_name, prefix, strlen(prefix)) && n > 4 && !strcmp(e->d_name + n - 4, ".deb")) {
            snprintf(out, len, "%s/%s", dir, e->d_name);
            found = 0;
        }
    }
    if (d)
        closedir(d);
    return found;
}

/* apt-get download of pkgs into dir; with stale package lists (404, unknown package) it
 * runs `apt-get update` once and tries again. */
static int download(const char *dir, char *const *pkgs, int n, char *err, size_t errlen)
{
    char logp[400], reason[600];
    snprintf(logp, sizeof(logp), "%s/apt.log", dir);
    for (int attempt = 0; attempt < 2; attempt++) {
        char *argv[16] = {"apt-get", "download", "-q", "-o", "APT::Sandbox::User=root", "-o",
                          "Acquire::Retries=1", "-o", "Acquire::http::Timeout=30", "-o",
                          "Acquire::https::Timeout=30"};
        int k = 11;
        for (int i = 0; i < n && k < 15; i++)
            argv[k++] = pkgs[i];
        argv[k] = NULL;
        int rc = run_in(dir, argv, logp);
        if (rc == 0)
            return 0;
        log_reason(logp, reason, sizeof(reason));
        bool stale = strstr(reason, "404") || strstr(reason, "Unable to locate") ||
                     strstr(reason, "Can't select") || strstr(reason, "has no installation candidate");
        if (attempt == 0 && stale) {
            log_info("kernel: package lists look stale (%s); running apt-get update", reason);
            char *upd[] = {"apt-get", "update", "-qq", NULL};
            if (run_in(NULL, upd, logp) == 0)
                continue;
        }
        set_err(err, errlen, "kernel download failed: apt-get download %s: %s", pkgs[0],
                rc < 0 ? "cannot run apt-get" : reason);
        return -1;
    }
    return -1;
}

static int extract(const char *deb, const char *dest, const char *logp, char *err, size_t errlen)
{
    char *argv[] = {"dpkg-deb", "-x", (char *)deb, (char *)dest, NULL};
    if (run_in(NULL, argv, logp) != 0) {
        char reason[600];
        log_reason(logp, reason, sizeof(reason));
        set_err(err, errlen, "kernel package %s is malformed: dpkg-deb -x: %s", deb, reason);
        return -1;
    }
    return 0;
}

/* The single directory under root/lib/modules: the kernel's version. */
static int modules_version(const char *root, char *version, size_t len)
{
    char path[420];
    snprintf(path, sizeof(path), "%s/lib/modules", root);
    DIR *d = opendir(path);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        if (e->d_name[0] != '.') {
            n += strlen(e->d_name) < len ? 1 : 2; /* too long: refused below */
            snprintf(version, len, "%.59s", e->d_name);
        }
    if (d)
        closedir(d);
    return n == 1 && valid_version(version) ? 0 : -1;
}

static int move(const char *from, const char *to, char *err, size_t errlen)
{
    if (rename(from, to) == 0)
        return 0;
    set_err(err, errlen, "kernel cache: rename %s -> %s: %s", from, to, strerror(errno));
    return -1;
}

/* Downloads pkg (or takes deb), extracts and depmods into build/out and renames that to
 * root/<version>; version is filled from the package. want is the version pkg must hold
 * (NULL for a given .deb). A version already cached is left as it is. */
static int prepare(const char *root, const char *build, const char *pkg, const char *deb, const char *want,
                   char *version, size_t vlen, char *err, size_t errlen)
{
    char dl[400], ex[400], out[400], logp[400], kdeb[400], bdeb[400], path[900], path2[900];
    snprintf(dl, sizeof(dl), "%s/debs", build);
    snprintf(ex, sizeof(ex), "%s/x", build);
    snprintf(out, sizeof(out), "%s/out", build);
    snprintf(logp, sizeof(logp), "%s/tools.log", build);
    if (lime_mkdir_p(dl, 0755) < 0 || lime_mkdir_p(ex, 0755) < 0 || lime_mkdir_p(out, 0755) < 0) {
        set_err(err, errlen, "kernel cache: cannot create %s: %s", build, strerror(errno));
        return -1;
    }
    char *pkgs[2] = {(char *)pkg, "busybox-static"};
    if (deb) {
        snprintf(kdeb, sizeof(kdeb), "%s", deb);
    } else {
        log_info("kernel: downloading %s and busybox-static (first use; cached in %s)", pkg, root);
        if (download(dl, pkgs, 2, err, errlen) < 0)
            return -1;
        char prefix[140];
        snprintf(prefix, sizeof(prefix), "%s_", pkg);
        if (find_deb(dl, prefix, kdeb, sizeof(kdeb)) < 0) {
            set_err(err, errlen, "kernel download failed: apt-get download %s left no .deb in %s", pkg, dl);
            return -1;
        }
    }
    if (extract(kdeb, ex, logp, err, errlen) < 0)
        return -1;
    if (modules_version(ex, version, vlen) < 0) {
        set_err(err, errlen, "kernel package %s is malformed: expected exactly one lib/modules/<version>/", kdeb);
        return -1;
    }
    if (want && strcmp(want, version)) {
        set_err(err, errlen, "kernel package %s is malformed: it holds modules for %s", kdeb, version);
        return -1;
    }
    if (is_ready(root, version))
        return 0;
    if (deb && download(dl, pkgs + 1, 1, err, errlen) < 0)
        return -1;
    if (find_deb(dl, "busybox-static_", bdeb, sizeof(bdeb)) < 0) {
        set_err(err, errlen, "kernel download failed: no busybox-static .deb in %s", dl);
        return -1;
    }
    snprintf(path, sizeof(path), "%s/boot/vmlinuz-%s", ex, version);
    snprintf(path2, sizeof(path2), "%s/vmlinuz", out);
    struct stat st;
    if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 4096) {
        set_err(err, errlen, "kernel package %s is malformed: no boot/vmlinuz-%s in it", kdeb, version);
        return -1;
    }
    if (move(path, path2, err, errlen) < 0)
        return -1;
    for (size_t i = 0; i < sizeof(pruned) / sizeof(*pruned); i++) {
        snprintf(path, sizeof(path), "%s/lib/modules/%s/%s", ex, version, pruned[i]);
        rm_rf(path);
    }
    char *dm[] = {"depmod", "-b", ex, version, NULL};
    if (run_in(NULL, dm, logp) != 0) {
        char reason[600];
        log_reason(logp, reason, sizeof(reason));
        set_err(err, errlen, "kernel %s: depmod failed: %s", version, reason);
        return -1;
    }
    snprintf(path, sizeof(path), "%s/lib/modules", out);
    snprintf(path2, sizeof(path2), "%s/lib/modules/%s", ex, version);
    if (lime_mkdir_p(path, 0755) < 0)
        return set_err(err, errlen, "kernel cache: %s: %s", path, strerror(errno)), -1;
    snprintf(path, sizeof(path), "%s/lib/modules/%s", out, version);
    if (move(path2, path, err, errlen) < 0)
        return -1;
    char *bx[] = {"dpkg-deb", "-x", bdeb, ex, NULL};
    snprintf(path, sizeof(path), "%s/bin/busybox", ex);
    snprintf(path2, sizeof(path2), "%s/busybox", out);
    if (run_in(NULL, bx, logp) != 0 || move(path, path2, err, errlen) < 0) {
        set_err(err, errlen, "kernel cache: busybox-static package %s is malformed", bdeb);
        return -1;
    }
    /* Every module the lab promises must be there, before the version is published. */
    struct sim_kmods km;
    snprintf(path, sizeof(path), "%s/lib/modules/%s", out, version);
    if (sim_kmods_load(&km, path, err, errlen) < 0)
        return -1;
    static const char *const need[] = {"virtio_pci", "virtio_net", "9pnet_virtio", "9p", "overlay",
                                       SIM_LAB_MODULES, SIM_LAB_OPTIONAL_MODULES};
    for (size_t i = 0; i < sizeof(need) / sizeof(*need); i++)
        if (!sim_kmods_has(&km, need[i])) {
            set_err(err, errlen, "kernel %s has no module %s (needed by the lab)", version, need[i]);
            sim_kmods_free(&km);
            return -1;
        }
    sim_kmods_free(&km);
    char manifest[1200];
    const char *kb = strrchr(kdeb, '/'), *bb = strrchr(bdeb, '/');
    snprintf(manifest, sizeof(manifest), "version=%s\npackage=%s\nbusybox=%s\n", version, kb ? kb + 1 : kdeb,
             bb ? bb + 1 : bdeb);
    snprintf(path, sizeof(path), "%s/manifest", out);
    if (lime_write_file_atomic(path, manifest, strlen(manifest), 0644) < 0) {
        set_err(err, errlen, "kernel cache: cannot write %s", path);
        return -1;
    }
    snprintf(path, sizeof(path), "%s/%s", root, version);
    if (access(path, F_OK) == 0) /* an incomplete one (no manifest): replace it */
        rm_rf(path);
    return move(out, path, err, errlen);
}

/* Builds <dir>/initramfs-<hash>.cpio if missing: busybox, /init, the boot modules in
 * load order and their list. */
static int ensure_initramfs(struct sim_kernel *k, char *err, size_t errlen)
{
    struct sim_kmods km;
    if (sim_kmods_load(&km, k->moddir, err, errlen) < 0)
        return -1;
    const char *order[64];
    int n = 0;
    for (size_t i = 0; i < sizeof(boot_modules) / sizeof(*boot_modules); i++)
        if (sim_kmods_order(&km, boot_modules[i], order, &n, 64, err, errlen) < 0) {
            char e2[300];
            snprintf(e2, sizeof(e2), "%s", err);
            set_err(err, errlen, "kernel %s: %s", k->version, e2);
            sim_kmods_free(&km);
            return -1;
        }
    struct lime_md5 h;
    lime_md5_init(&h);
    lime_md5_update(&h, init_script, sizeof(init_script));
    for (int i = 0; i < n; i++)
        lime_md5_update(&h, order[i], strlen(order[i]) + 1);
    uint8_t dig[16];
    lime_md5_final(&h, dig);
    snprintf(k->initramfs, sizeof(k->initramfs), "%s/initramfs-%02x%02x%02x%02x.cpio", k->dir, dig[0], dig[1],
             dig[2], dig[3]);
    if (access(k->initramfs, R_OK) == 0) {
        sim_kmods_free(&km);
        return 0;
    }
    char tmp[420], list[4096] = "", src[900], name[300], bb[400];
    snprintf(tmp, sizeof(tmp), "%s.tmp", k->initramfs);
    snprintf(bb, sizeof(bb), "%s/busybox", k->dir);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        set_err(err, errlen, "kernel cache: %s: %s", tmp, strerror(errno));
        sim_kmods_free(&km);
        return -1;
    }
    struct sim_cpio c;
    sim_cpio_init(&c, fd);
    static const char *const dirs[] = {"bin", "dev", "proc", "sys", "tmp", "lower", "rw", "newroot", "lib",
                                       "lib/modules", "lab-boot"};
    for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++)
        sim_cpio_dir(&c, dirs[i], 0755);
    sim_cpio_file(&c, "bin/busybox", 0755, bb);
    sim_cpio_data(&c, "init", 0755, init_script, strlen(init_script));
    for (int i = 0; i < n; i++) {
        char base[128];
        const char *slash = strrchr(order[i], '/');
        snprintf(base, sizeof(base), "%s", slash ? slash + 1 : order[i]);
        snprintf(src, sizeof(src), "%s/%s", k->moddir, order[i]);
        snprintf(name, sizeof(name), "lib/modules/%s", base);
        sim_cpio_file(&c, name, 0644, src);
        strncat(list, base, sizeof(list) - strlen(list) - 2);
        strncat(list, "\n", sizeof(list) - strlen(list) - 1);
    }
    sim_cpio_data(&c, "lab-boot/modules", 0644, list, strlen(list));
    int rc = sim_cpio_finish(&c);
    if (fsync(fd) < 0 && !rc)
        rc = -errno;
    close(fd);
    sim_kmods_free(&km);
    if (rc < 0 || rename(tmp, k->initramfs) < 0) {
        set_err(err, errlen, "kernel cache: writing the initramfs %s: %s", k->initramfs,
                strerror(rc < 0 ? -rc : errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* k->vmlinuz: the uncompressed PVH kernel (<dir>/vmlinux, extracted on first use; boots
 * 4-7 s faster under TCG, see kimage.h) or, if it has none, the bzImage. A kernel without
 * one is marked (<dir>/vmlinux.none) so the extraction is tried once. */
static void fill(struct sim_kernel *k, const char *root, const char *version)
{
    char bz[400], elf[420], none[420];
    snprintf(k->version, sizeof(k->version), "%s", version);
    snprintf(k->dir, sizeof(k->dir), "%s/%s", root, version);
    snprintf(k->moddir, sizeof(k->moddir), "%s/lib/modules/%s", k->dir, version);
    snprintf(bz, sizeof(bz), "%s/vmlinuz", k->dir);
    snprintf(elf, sizeof(elf), "%s/vmlinux", k->dir);
    snprintf(none, sizeof(none), "%s/vmlinux.none", k->dir);
    if (access(elf, R_OK) != 0 && access(none, F_OK) != 0 && sim_kimage_extract(bz, elf) < 0)
        lime_write_file_atomic(none, "", 0, 0644);
    snprintf(k->vmlinuz, sizeof(k->vmlinuz), "%s", access(elf, R_OK) == 0 ? elf : bz);
}

int sim_kcache_get(struct sim_kernel *k, int update, char *err, size_t errlen)
{
    const char *root = sim_kcache_root();
    char path[400];
    memset(k, 0, sizeof(*k));
    if (lime_mkdir_p(root, 0755) < 0) {
        set_err(err, errlen, "kernel cache %s: %s", root, strerror(errno));
        return -1;
    }
    snprintf(path, sizeof(path), "%s/lock", root);
    int lock = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock < 0 || flock(lock, LOCK_EX) < 0) {
        set_err(err, errlen, "kernel cache %s: %s", path, strerror(errno));
        if (lock >= 0)
            close(lock);
        return -1;
    }
    /* Builders hold the lock: any .build-* left is from one that died. */
    DIR *d = opendir(root);
    for (struct dirent *e; d && (e = readdir(d));)
        if (!strncmp(e->d_name, ".build-", 7)) {
            snprintf(path, sizeof(path), "%s/%s", root, e->d_name);
            rm_rf(path);
        }
    if (d)
        closedir(d);
    int rc = -1;
    char version[64] = "", pkg[128] = "", build[300];
    const char *deb = getenv("LIME_SIM_KERNEL_DEB");
    const char *want = getenv("LIME_SIM_KERNEL_PKG");
    snprintf(build, sizeof(build), "%s/.build-%d", root, (int)getpid());
    if (deb && *deb) {
        if (access(deb, R_OK) < 0) {
            set_err(err, errlen, "LIME_SIM_KERNEL_DEB=%s: %s", deb, strerror(errno));
            goto out;
        }
        if (prepare(root, build, NULL, deb, NULL, version, sizeof(version), err, errlen) < 0)
            goto out;
    } else {
        if (want && *want)
            snprintf(pkg, sizeof(pkg), "%s", want);
        else if (!update && newest_cached(root, version, sizeof(version)) == 0)
            ; /* the cached kernel: no apt-cache call (1 s), works offline, same kernel every run */
        else if (resolve_pkg(pkg, sizeof(pkg)) < 0) {
            if (newest_cached(root, version, sizeof(version)) == 0) {
                log_info("kernel: apt-cache cannot resolve %s; using the cached %s", META_PKG, version);
            } else {
                set_err(err, errlen, "kernel: cannot resolve %s with apt-cache (run apt-get update?)", META_PKG);
                goto out;
            }
        }
        if (!version[0]) {
            const char *v = strncmp(pkg, "linux-image-", 12) ? pkg : pkg + 12;
            if (!valid_version(v)) {
                set_err(err, errlen, "kernel: '%s' is not a linux-image-<version> package name", pkg);
                goto out;
            }
            snprintf(version, sizeof(version), "%.59s", v);
            char got[64];
            if (!is_ready(root, version) &&
                prepare(root, build, pkg, NULL, version, got, sizeof(got), err, errlen) < 0)
                goto out;
        }
    }
    fill(k, root, version);
    rc = ensure_initramfs(k, err, errlen);
out:
    rm_rf(build);
    close(lock);
    return rc;
}
