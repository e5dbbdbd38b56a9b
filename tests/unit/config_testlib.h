/* Helpers for lime-config tests: fake router roots in temp dirs, running the lime-config
 * binary, and reading the UCI files it wrote. */
#ifndef CONFIG_TESTLIB_H
#define CONFIG_TESTLIB_H

#include <stdbool.h>
#include <stddef.h>

#include "plan.h"
#include "uci.h"

/* A fresh temp dir (mkdtemp) holding a copy of tests/fixtures/<fixture> (NULL: empty). */
char *tl_root(const char *fixture);
/* rm -rf the root and free the string. */
void tl_cleanup(char *root);
/* Writes text to root/rel, creating directories. */
void tl_write(const char *root, const char *rel, const char *text);
/* Reads root/rel (NULL if missing); free() it. */
char *tl_read(const char *root, const char *rel, size_t *len);
/* A fake net device: root/sys/class/net/<name>/address (+ uevent with DEVTYPE if dsa). */
void tl_netdev(const char *root, const char *name, const char *mac, bool dsa);
/* Runs lime-config with args (NULL-terminated) through the core's runner; returns its
 * exit status (128: died of a signal, -1: not started). Its stderr (and stdout) go to
 * *err_out (malloc'd) if non-NULL. */
int tl_run(const char *const *args, char **err_out);
/* Runs argv (PATH lookup), stdout/stderr to /dev/null; exit status, 127 if not found. */
int tl_exec(const char *const *argv);
/* Loads root/etc/config/<pkg>; fails the test if it does not parse. */
struct lime_uci_package *tl_pkg(const char *root, const char *pkg);
/* Option value or NULL; list item i. */
const char *tl_get(const struct lime_uci_package *p, const char *sec, const char *opt);
const char *tl_item(const struct lime_uci_package *p, const char *sec, const char *opt, size_t i);
size_t tl_count(const struct lime_uci_package *p, const char *sec, const char *opt);
/* plan_build on root (sysfs root/sys); fails the test on error. */
struct plan *tl_plan(const char *root);
/* plan_build + the uci backend render + commit (the library path of lime-config). */
void tl_config(const char *root);
/* Snapshot of every regular file under root as "path\0bytes" concatenation, for byte
 * identity checks; malloc'd, length in *len. */
char *tl_snapshot(const char *root, size_t *len);

#endif
