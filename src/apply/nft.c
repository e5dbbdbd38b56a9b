/* anygw nft rules: render, read back, apply with `nft -f FILE` (argv, no shell). */
#include "nft.h"

#include "plan.h"
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int lr_nft_render(const struct plan *p, const char *wan, char *buf, size_t len)
{
    buf[0] = 0;
    int n = 0;
    if (p->anygw.enabled) {
    /* Upstream matches the whole aa:aa:aa:00:00:00/24 block (every cloud's anygw MAC). */
    const char *bat = p->batman.enabled && p->batman.mesh_iface[0] ? p->batman.mesh_iface : "bat0";
    n = snprintf(buf, len,
        "table bridge " LR_NFT_TABLE " {\n"
        "\tchain forward {\n"
        "\t\ttype filter hook forward priority filter; policy accept;\n"
        "\t\tether daddr & ff:ff:ff:00:00:00 == aa:aa:aa:00:00:00 counter drop\n"
        "\t}\n"
        "\n"
        "\tchain postrouting {\n"
        "\t\ttype filter hook postrouting priority srcnat; policy accept;\n"
        "\t\toifname \"%s\" ether saddr & ff:ff:ff:00:00:00 == aa:aa:aa:00:00:00 counter drop\n"
        "\t\toifname \"%s\" icmpv6 type nd-router-solicit counter drop\n"
        "\t\toifname \"%s\" icmpv6 type nd-router-advert counter drop\n"
        "\t}\n"
        "}\n", bat, bat, bat);
    if (n < 0 || (size_t)n >= len)
        return -1;
    }
    if (wan && wan[0]) {
        int m = snprintf(buf + n, len - (size_t)n,
            "table ip " LR_NFT_NAT_TABLE " {\n"
            "\tchain postrouting {\n"
            "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
            "\t\toifname \"%s\" masquerade\n"
            "\t}\n"
            "}\n", wan);
        if (m < 0 || (size_t)m >= len - (size_t)n)
            return -1;
    }
    return 0;
}

static char *list_table(const char *family, const char *name)
{
    char *argv[] = {"nft", "-s", "list", "table", (char *)family, (char *)name, NULL};
    struct lime_run_opts o = {.capture = true, .quiet = true};
    struct lime_run_result r;
    int rc = lime_run(argv, &o, &r);
    if (rc == 127 || rc < 0) {
        lime_run_result_free(&r);
        return NULL;
    }
    if (rc != 0)
        r.out[0] = 0; /* no such table */
    return r.out;
}

char *lr_nft_current(void)
{
    char *a = list_table("bridge", LR_NFT_TABLE), *b = list_table("ip", LR_NFT_NAT_TABLE);
    char *out = NULL;
    if (a && b && asprintf(&out, "%s%s", a, b) < 0)
        out = NULL;
    free(a);
    free(b);
    return out;
}

int lr_nft_apply(const char *text, const char *tmp_path)
{
    FILE *f = fopen(tmp_path, "w");
    if (!f)
        return -1;
    /* Declaring then deleting makes the delete valid whether the table exists or not. */
    fprintf(f, "table bridge " LR_NFT_TABLE "\ndelete table bridge " LR_NFT_TABLE "\n"
               "table ip " LR_NFT_NAT_TABLE "\ndelete table ip " LR_NFT_NAT_TABLE "\n%s", text);
    if (fclose(f) != 0)
        return -1;
    char *argv[] = {"nft", "-f", (char *)tmp_path, NULL};
    int rc = lime_run(argv, NULL, NULL);
    remove(tmp_path);
    return rc == 0 ? 0 : -1;
}
