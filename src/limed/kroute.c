/* Does this node have a default route of its own? (see limed.h) Uses lime-apply's
 * netlink helper (src/apply/nl.h) for the route dump. */
#include "limed.h"

#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "nl.h"

#define RTPROT_BABEL_ROUTES 42 /* babeld installs its routes with protocol 42 */

bool ld_kernel_own_default(bool v6)
{
    struct lime_nl *nl = lime_nl_open();
    if (!nl)
        return false;
    struct lime_nl_route *routes = NULL;
    size_t n = 0;
    bool found = false;
    if (lime_nl_routes(nl, v6 ? AF_INET6 : AF_INET, 0, &routes, &n) == 0) {
        for (size_t i = 0; i < n && !found; i++) {
            const struct lime_nl_route *r = &routes[i];
            found = r->dst_len == 0 && r->type == RTN_UNICAST && r->table != RT_TABLE_LOCAL &&
                    r->protocol != RTPROT_BABEL_ROUTES;
        }
        free(routes);
    }
    lime_nl_close(nl);
    return found;
}
