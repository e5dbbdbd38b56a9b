/* Firmware upgrades from LiMe-App's Firmware page: the image is uploaded to
 * ROOT/tmp/firmware.bin (upload.h), then lime-utils-admin.firmware_upgrade asks for it to
 * be flashed. Where the node is an OpenWrt router, its sysupgrade checks the image
 * (`sysupgrade --test`) and, 3 s after the answer, flashes it (`sysupgrade [-n]`),
 * as upstream's lime.upgrade does. Elsewhere (LiMe-C on Debian, the simulator) no
 * image fits the machine: the answer is upstream's "Invalid firmware", which the app
 * shows as "The selected image is not valid for the target device". Installer scripts
 * (upgrade.sh) are not run. The tool is $LIME_SYSUPGRADE, else `sysupgrade` on PATH. */
#ifndef LD_FIRMWARE_H
#define LD_FIRMWARE_H

#include <json-c/json.h>
#include <stdbool.h>

struct ld_ctx;

/* ok: the image was accepted and is flashed shortly; else msg says why (upstream's
 * words: "Invalid firmware", "Firmware file not found", ...). metadata (ok only) is
 * what the answer carries; the callee keeps ownership. */
typedef void (*ld_firmware_cb)(bool ok, const char *msg, json_object *metadata, void *arg);

/* fw_path as the app sends it ("/tmp/firmware.bin"); metadata: the app's object (may be
 * NULL). Returns 0 and cb runs later (exactly once), or -errno with cb run already. */
int ld_firmware_upgrade(struct ld_ctx *ctx, const char *fw_path, bool preserve_config,
                        json_object *metadata, ld_firmware_cb cb, void *arg);
/* Module stop: a check still running is killed (its cb gets an error). */
void ld_firmware_stop(struct ld_ctx *ctx);

#endif
