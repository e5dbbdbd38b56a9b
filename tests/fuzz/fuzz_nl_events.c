/* Fuzz harness: the kernel seam's event parser (src/core/nl_events.c, lime_nl_events_parse),
 * what limed's gateway watcher reads from rtnetlink. The bytes are netlink messages as the
 * kernel would send them on the link, route and neighbour groups. Any bytes must parse into
 * events or be refused, never crash or read outside the buffer; every event's link name is
 * NUL-terminated and its type one of the known ones. */
#include "nl.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned events;

static void check(const struct lime_nl_event *e, void *arg)
{
    (void)arg;
    events++;
    if (e->type > LIME_NL_EV_LOST)
        abort();
    if ((e->type == LIME_NL_EV_LINK || e->type == LIME_NL_EV_LINK_DEL) &&
        !memchr(e->u.link.name, 0, sizeof(e->u.link.name)))
        abort();
    if ((e->type == LIME_NL_EV_ROUTE || e->type == LIME_NL_EV_ROUTE_DEL) &&
        e->u.route.dst_len > 128)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the kernel's buffers are aligned; so is this copy (headers are read in place) */
    void *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    events = 0;
    lime_nl_events_parse(buf, size, check, NULL);
    if (events > size / 16 + 1) /* at least a 16-byte header per message */
        abort();
    free(buf);
    return 0;
}
