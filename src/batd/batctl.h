/* batd as `batctl`: the batd binary called by the name batctl (a link in the build tree,
 * first on a lime-sim node's PATH) answers batctl's table commands from batd's control
 * socket, so `batctl o` works where batman-adv is batd, and hands everything to the real
 * batctl where the mesh interface is the kernel's batman-adv.
 *
 * Understood: [-m IF | meshif IF] CMD [-H] [-n], CMD one of o/originators, n/neighbors,
 * if/interface, tl/translocal, tg/transglobal, s/statistics and the JSON forms oj/
 * originators_json, nj/neighbors_json, tlj/translocal_json, tgj/transglobal_json. -H drops
 * the header lines as batctl does; -n (no bat-host names) changes nothing (batd prints
 * MACs). Other commands (gw, ping, ...) are refused with a clear message. */
#ifndef BATD_BATCTL_H
#define BATD_BATCTL_H

#include <stdbool.h>

struct batctl_req {
    const char *meshif; /* "bat0" unless -m/meshif */
    const char *cmd;    /* batd's command name (originators, neighbors, ...) */
    bool json;
    bool no_header;
};

/* Parses batctl's argv (after the program name). 0 and *req filled; 1 for -h/-v (msg
 * holds what to print); -1 for what batd cannot answer (msg says what). */
int batd_batctl_parse(int argc, char **argv, struct batctl_req *req, char *msg, unsigned len);

/* Drops batctl's header lines (the "[B.A.T.M.A.N. ..." banner and the column header
 * after it) from a text reply, in place. */
void batd_batctl_strip_header(char *text);

/* main() of the batctl personality; argv as given to the program. */
int batd_batctl_main(int argc, char **argv);

#endif
