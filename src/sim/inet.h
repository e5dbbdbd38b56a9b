/* The "internet": namespace ls-inet with a bridge wan (100.64.0.1/24) that every gateway
 * node's WAN port eth2 plugs into, a DHCP server (dnsmasq) handing out 100.64.0.100-199,
 * and a target host 198.51.100.1 (on lo) serving HTTP on port 80:
 *   /success.txt -> "success" (what check-internet fetches),
 *   /whoami      -> the address the request came from (the NATing gateway's WAN address),
 * so tests can tell which gateway a client's traffic left through. 100.64/10 and
 * 198.51.100/24 are outside every prefix babeld is told to redistribute. */
#ifndef LIME_SIM_INET_H
#define LIME_SIM_INET_H

#include "sim.h"

#define SIM_INET_ADDR "100.64.0.1"
#define SIM_INET_TARGET "198.51.100.1"

/* Creates ls-inet and the gateways' WAN ports; does nothing without gateways. */
int sim_inet_up(const struct sim_state *st);
/* Sets gateway node i's WAN port (g<i> in ls-inet) up or down: its "uplink". */
int sim_inet_uplink(const struct sim_state *st, int i, int up);
/* The tiny HTTP server (runs inside ls-inet; `lime-sim _httpd`). Never returns. */
int sim_httpd_main(void);

#endif
