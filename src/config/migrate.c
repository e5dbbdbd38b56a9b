/* migrate-wifi-bands-cfg; see migrate.h. */
#include "migrate.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"

#define MAX_MODES 32

/* token n (0-based) of s split on '_' with empty tokens dropped, into out; false if none */
static bool token(const char *s, int n, char *out, size_t len)
{
    int k = 0;
    while (*s) {
        size_t t = strcspn(s, "_");
        if (t) {
            if (k++ == n) {
                snprintf(out, len, "%.*s", (int)t, s);
                return true;
            }
        }
        s += t;
        if (*s == '_')
            s++;
    }
    return false;
}

static int set_band_list(struct lime_uci_package *pkg, const char *band, char (*items)[64], int n)
{
    const char *v[MAX_MODES];
    static const char *const manual[] = {"manual"};
    for (int i = 0; i < n; i++)
        v[i] = items[i];
    if (!lime_uci_section_set(pkg, band, "lime-wifi-band"))
        return -1;
    return lime_uci_set_list(pkg, band, "modes", n ? v : manual, n ? (size_t)n : 1);
}

static int move_modes(struct lime_uci_package *pkg)
{
    struct lime_uci_section *wifi = lime_uci_section_get(pkg, "wifi");
    const struct lime_uci_option *o = wifi ? lime_uci_option_get(wifi, "modes") : NULL;
    if (!o)
        return 0;
    char m2[MAX_MODES][64], m5[MAX_MODES][64];
    int n2 = 0, n5 = 0;
    size_t n = lime_uci_option_count(o);
    for (size_t i = 0; i < n && n2 < MAX_MODES && n5 < MAX_MODES; i++) {
        const char *mode = lime_uci_option_item(o, i);
        char name[64], band[64];
        if (!token(mode, 0, name, sizeof name))
            continue;
        bool has_band = token(mode, 1, band, sizeof band);
        if (!has_band || !strcmp(band, "2ghz"))
            snprintf(m2[n2++], sizeof m2[0], "%s", name);
        if (!has_band || !strcmp(band, "5ghz"))
            snprintf(m5[n5++], sizeof m5[0], "%s", name);
    }
    if (set_band_list(pkg, "2ghz", m2, n2) < 0 || set_band_list(pkg, "5ghz", m5, n5) < 0)
        return -1;
    lime_uci_delete(pkg, "wifi", "modes");
    return 1;
}

static int move_rest(struct lime_uci_package *pkg)
{
    struct lime_uci_section *wifi = lime_uci_section_get(pkg, "wifi");
    if (!wifi)
        return 0;
    int changed = 0;
    struct lime_uci_option *o = lime_uci_option_first(wifi), *next;
    for (; o; o = next) {
        next = lime_uci_option_next(o);
        const char *key = lime_uci_option_name(o);
        char band[64], derived[64];
        if (!token(key, 1, band, sizeof band) || (strcmp(band, "2ghz") && strcmp(band, "5ghz")) ||
            !token(key, 0, derived, sizeof derived))
            continue;
        if (!lime_uci_section_set(pkg, band, "lime-wifi-band"))
            return -1;
        size_t n;
        const char *const *items = lime_uci_option_items(o, &n);
        int rc = lime_uci_option_is_list(o) ? lime_uci_set_list(pkg, band, derived, items, n)
                                            : lime_uci_set(pkg, band, derived, items[0]);
        if (rc < 0)
            return -1;
        lime_uci_sec_delete(wifi, key);
        changed = 1;
    }
    return changed;
}

int plan_migrate_wifi_bands(struct lime_uci_package *pkg)
{
    int a = move_modes(pkg);
    if (a < 0)
        return -1;
    int b = move_rest(pkg);
    if (b < 0)
        return -1;
    return a || b;
}

int plan_migrate_wifi_bands_root(const char *root)
{
    static const char *const files[] = {"lime-community", "lime-node"};
    if (!root || !strcmp(root, "/"))
        root = "";
    for (size_t i = 0; i < 2; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/etc/config/%s", root, files[i]);
        struct lime_uci_error err;
        struct lime_uci_package *pkg = lime_uci_load(path, &err);
        if (!pkg) {
            if (errno == ENOENT && err.line == 0)
                continue;
            char buf[512];
            fprintf(stderr, "migrate-wifi-bands-cfg: %s\n", lime_uci_error_format(&err, buf, sizeof buf));
            return -1;
        }
        int rc = plan_migrate_wifi_bands(pkg);
        if (rc > 0 && lime_uci_save(pkg, path, NULL) < 0)
            rc = -1;
        lime_uci_free(pkg);
        if (rc < 0) {
            fprintf(stderr, "migrate-wifi-bands-cfg: %s: cannot migrate\n", path);
            return -1;
        }
    }
    printf("migrate-wifi-bands-cfg: migration finished, now run lime-config\n");
    return 0;
}
