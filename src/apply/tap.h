/* Persistent TAP devices: bat0 is created by lime-apply (so it can be bridged into br-lan
 * before batd runs) and batd attaches to it by name. */
#ifndef LR_TAP_H
#define LR_TAP_H

/* Creates (or finds) a persistent IFF_TAP|IFF_NO_PI device called name. 0 or -errno. */
int lr_tap_create(const char *name);
/* Clears persistence so the device disappears (when no process holds it). 0 or -errno. */
int lr_tap_delete(const char *name);

#endif
