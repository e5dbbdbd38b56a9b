/* plan_build(): runs the modules in upstream order over the merged config. */
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>

int plan_build(const char *root, const struct plan_options *opt, struct plan **out,
               struct plan_error *err)
{
    (void)root;
    (void)opt;
    *out = NULL;
    /* TODO(config): the modules land in the next commits. */
    snprintf(err->msg, sizeof err->msg, "plan_build: not implemented yet");
    return -1;
}
