#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sim.h"

static char run_dir[64] = SIM_RUN_ROOT, prefix[32] = "ls-", ns_medium[48] = "ls-medium",
            ns_inet[48] = "ls-inet";
static bool named;

int sim_instance_init(void)
{
    const char *id = getenv("LIME_SIM_INSTANCE");
    if (!id || !*id)
        return 0;
    size_t n = strlen(id);
    bool ok = n >= 2 && n <= 8 && strcmp(id, "inet") != 0;
    for (size_t i = 0; i < n; i++)
        ok = ok && ((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9'));
    if (!ok) {
        log_err("LIME_SIM_INSTANCE: expected 2-8 of [a-z0-9] (not \"inet\"), got '%s'", id);
        return -1;
    }
    snprintf(run_dir, sizeof(run_dir), SIM_RUN_ROOT "/%s", id);
    snprintf(prefix, sizeof(prefix), "ls-%s-", id);
    snprintf(ns_medium, sizeof(ns_medium), "%smedium", prefix);
    snprintf(ns_inet, sizeof(ns_inet), "%sinet", prefix);
    named = true;
    return 0;
}

const char *sim_run_dir(void) { return run_dir; }
const char *sim_prefix(void) { return prefix; }
const char *sim_ns_medium(void) { return ns_medium; }
const char *sim_ns_inet(void) { return ns_inet; }

bool sim_ns_owned(const char *name)
{
    if (named)
        return strncmp(name, prefix, strlen(prefix)) == 0;
    /* The default instance: ls-n-*, ls-c-*, ls-medium, ls-inet (instance ids are >= 2 chars). */
    return strncmp(name, "ls-n-", 5) == 0 || strncmp(name, "ls-c-", 5) == 0 ||
           strcmp(name, "ls-medium") == 0 || strcmp(name, "ls-inet") == 0;
}
