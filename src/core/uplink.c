/* Is this node an internet gateway (uplink.h). */
#include "uplink.h"

#include "babel.h"
#include "nl.h"

#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <sys/socket.h>

#define RTPROT_BABEL_ROUTES 42 /* babeld installs its routes with protocol 42 */

bool lime_uplink_own_default(bool v6)
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

bool lime_uplink_gateway(const struct lime_babel_state *b)
{
    if (lime_uplink_own_default(false) || lime_uplink_own_default(true))
        return true;
    return b && b->ok && lime_babel_exports_default(b);
}
