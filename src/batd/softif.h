/* The soft interface: a TAP device (IFF_TAP|IFF_NO_PI, MTU 1500, own MAC, brought up).
 * Frames read from it enter the mesh (batd_route_tx_from_soft); frames for us are written to
 * it. A TAP batd creates is not persistent (the kernel removes it when batd exits); an
 * existing persistent TAP is attached to and left in place, keeping its MAC unless --mac. */
#ifndef BATD_SOFTIF_H
#define BATD_SOFTIF_H

#include "batd.h"

/* MAC of an existing Ethernet interface `name` (e.g. a persistent TAP made before batd
 * started): 0 and mac filled, or -errno (-ENODEV: no such interface; -EINVAL: no usable
 * unicast Ethernet address). */
int batd_softif_existing_mac(const char *name, uint8_t mac[6]);
/* Creates or attaches to the TAP cfg.soft_if and sets its MAC to bat->soft_mac (only if it
 * differs), MTU, queue length, up. */
int batd_softif_open(struct batd *bat);
void batd_softif_close(struct batd *bat);

#endif
