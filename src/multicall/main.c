/* lime: LiMe-C's multi-call binary for routers (LIME_ROUTER builds, the OpenWrt feed).
 *
 * limed, lime-config, shared-state-async and migrate-wifi-bands-cfg share most of their
 * code (the core library; limed carries all of shared-state), so a router installs one
 * binary, /usr/sbin/limed, and the other names as symlinks to it, as BusyBox does: one
 * copy of the shared code instead of three (docs/performance.md, footprint). Each
 * program's own main.c is compiled unchanged with main renamed (CMakeLists.txt).
 *
 * Dispatch: the name it was started as (basename of argv[0]); otherwise
 * `lime APPLET ARGS...`. */
#include <stdio.h>
#include <string.h>

int lime_applet_limed(int argc, char **argv);
int lime_applet_lime_config(int argc, char **argv);
int lime_applet_shared_state_async(int argc, char **argv);
int lime_applet_migrate_wifi_bands_cfg(int argc, char **argv);

static const struct {
    const char *name;
    int (*main)(int argc, char **argv);
} applets[] = {
    {"limed", lime_applet_limed},
    {"lime-config", lime_applet_lime_config},
    {"shared-state-async", lime_applet_shared_state_async},
    {"migrate-wifi-bands-cfg", lime_applet_migrate_wifi_bands_cfg},
};

static int (*find(const char *name))(int, char **)
{
    for (size_t i = 0; i < sizeof applets / sizeof applets[0]; i++)
        if (!strcmp(name, applets[i].name))
            return applets[i].main;
    return NULL;
}

int main(int argc, char **argv)
{
    const char *base = argc > 0 ? strrchr(argv[0], '/') : NULL;
    base = base ? base + 1 : argc > 0 ? argv[0] : "";
    int (*fn)(int, char **) = find(base);
    if (fn)
        return fn(argc, argv);
    if (argc > 1 && (fn = find(argv[1])))
        return fn(argc - 1, argv + 1);
    fprintf(stderr, "usage: %s APPLET [ARGS...]  (or start it as APPLET, e.g. a symlink)\n"
                    "LiMe-C multi-call binary; applets:", base[0] ? base : "lime");
    for (size_t i = 0; i < sizeof applets / sizeof applets[0]; i++)
        fprintf(stderr, " %s", applets[i].name);
    fputc('\n', stderr);
    return 2;
}
