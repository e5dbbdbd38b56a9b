/* The soft interface: a TAP device (IFF_TAP|IFF_NO_PI, MTU 1500, own MAC, brought up).
 * Frames read from it enter the mesh (route_tx_from_soft); frames for us are written to
 * it. Not persistent: the kernel removes it when batd exits. */
#ifndef BATD_SOFTIF_H
#define BATD_SOFTIF_H

#include "batd.h"

int softif_open(struct batd *bat);
void softif_close(struct batd *bat);

#endif
