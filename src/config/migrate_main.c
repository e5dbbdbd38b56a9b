/* migrate-wifi-bands-cfg [--root DIR]: see migrate.h (upstream's first-boot tool). */
#include <stdio.h>
#include <string.h>

#include "migrate.h"

int main(int argc, char **argv)
{
    const char *root = "/";
    if (argc == 3 && !strcmp(argv[1], "--root"))
        root = argv[2];
    else if (argc != 1) {
        fprintf(stderr, "usage: migrate-wifi-bands-cfg [--root DIR]\n");
        return 2;
    }
    return plan_migrate_wifi_bands_root(root) < 0 ? 1 : 0;
}
