/* respondd, Freifunk's node-information protocol, so community maps (yanic collecting
 * for meshviewer, hopglass) see LiMe-C nodes. A collector sends a UDP datagram to port
 * 1001, to the multicast groups ff02::2:1001 (link-local: joined on every mesh
 * interface) or ff05::2:1001 (site-local: joined on the mesh interfaces and br-lan), or
 * to a node directly:
 *   "GET nodeinfo statistics neighbours"  answered with one JSON object
 *                                         {"nodeinfo":{..},"statistics":{..},...},
 *                                         compressed with raw DEFLATE (RFC 1951, no zlib
 *                                         header: what Go's compress/flate reads in yanic);
 *   "nodeinfo" (one word, legacy)         answered with that object, uncompressed.
 * Unknown words in a GET are ignored, as gluon's respondd does. A datagram that is not a
 * request (empty, longer than LD_RESPONDD_MAXREQ, a byte outside printable ASCII, no known
 * word) is counted on /metrics (limed_respondd_requests_total{result="malformed"}) and
 * dropped; answers are rate limited. The JSON is built from the facts the UI shows
 * (respondd_data.c). Runs on limed's loop. */
#ifndef LD_RESPONDD_H
#define LD_RESPONDD_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

struct ld_ctx;

#define LD_RESPONDD_PORT 1001
#define LD_RESPONDD_MAXREQ 256
#define LD_RESPONDD_MAXREPLY 8192 /* yanic's receive buffer */
#define LD_RESPONDD_GROUP_LINK "ff02::2:1001"
#define LD_RESPONDD_GROUP_SITE "ff05::2:1001"

enum ld_respondd_type { LD_RD_NODEINFO, LD_RD_STATISTICS, LD_RD_NEIGHBOURS, LD_RD_COUNT };

struct ld_respondd_request {
    bool multi;    /* "GET ...": one object keyed by type, deflated */
    int n;         /* types asked for, in request order, without repeats */
    enum ld_respondd_type types[LD_RD_COUNT];
};

/* Parses one datagram. 0, or -EINVAL when it is not a request (malformed). */
int ld_respondd_parse(const void *buf, size_t len, struct ld_respondd_request *req);
/* The name of a type as it appears in requests and answers. */
const char *ld_respondd_type_name(enum ld_respondd_type t);

/* The payload answering req (malloc'd, *len bytes): JSON text, deflated for GET.
 * NULL on failure. */
unsigned char *ld_respondd_reply(struct ld_ctx *ctx, const struct ld_respondd_request *req,
                                 size_t *len);
/* Raw DEFLATE of in (RFC 1951, best compression) into a malloc'd buffer. */
unsigned char *ld_respondd_deflate(const char *in, size_t len, size_t *outlen);

/* One provider's object, as respondd_data.c builds it (caller puts it). */
json_object *ld_respondd_nodeinfo(struct ld_ctx *ctx);
json_object *ld_respondd_statistics(struct ld_ctx *ctx);
json_object *ld_respondd_neighbours(struct ld_ctx *ctx);
/* The interfaces mesh links run on (babel's, batman's hard interfaces), names into
 * out[max][16]; returns how many. */
int ld_respondd_mesh_ifaces(struct ld_ctx *ctx, char out[][16], int max);

/* Module: listens on ctx->respondd_port (0 = off); a port already taken is logged and
 * the module stays off (limed runs on). */
int ld_respondd_start(struct ld_ctx *ctx);
void ld_respondd_stop(struct ld_ctx *ctx);

#endif
