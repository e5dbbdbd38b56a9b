/* lime-config hooks (spec §1.4): every executable in ROOT/etc/hotplug.d/lime-config/ runs
 * with ACTION=<action> (and LIME_ROOT=ROOT) in its environment, cwd ROOT, in name order
 * (upstream: directory order). LiMe-C runs them at the points where their effect is seen:
 *   init, pre       before the lime-* files are read (they may edit them);
 *   merged,
 *   configured      after the plan is built, before OpenWrt's files are read for writing
 *                   (edits to those files are kept; lime-autogen is rewritten anyway);
 *   post            after the files are written.
 * Never on --dry-run / --print-plan. A failing hook is logged and the run goes on. */
#ifndef LIME_CONFIG_HOOKS_H
#define LIME_CONFIG_HOOKS_H

/* Runs the hooks for action; returns how many failed. */
int plan_hooks_run(const char *root, const char *action);

/* Runs one script (hooks, run_asset) with cwd ROOT ("" = /), LIME_ROOT=ROOT and, unless
 * action is NULL, ACTION=<action> in its environment, and waits for it. 0 if it exited
 * 0; else -1 with *why set to a static reason. */
int plan_run_script(const char *root, const char *path, const char *action, const char **why);

#endif
