/* Diff a desired state against the kernel and make the changes, journaling each with
 * its inverse so a failure can be undone. */
#ifndef LR_KERNEL_APPLY_H
#define LR_KERNEL_APPLY_H

#include <stdbool.h>

struct lime_nl;
struct lime_nl_wifi;
struct lr_desired;
struct lr_journal;

struct lr_kernel_opts {
    bool dry_run;   /* log what would change, change nothing */
    int fail_after; /* < 0 off; otherwise the (N+1)th change fails with EIO (tests) */
    struct lime_nl_wifi *wifi; /* nl80211, NULL where the kernel has none (no Wi-Fi then) */
};

/* Removes what prev owned and want no longer has, then creates/configures what want
 * has and the kernel lacks. *journal (always set, free with lr_journal_free) records
 * every change made. Returns the number of changes, or -1 on failure (logged; the
 * changes made so far are in *journal for lr_journal_rollback). */
int lr_kernel_apply(struct lime_nl *nl, const struct lr_desired *want, const struct lr_desired *prev,
                    const struct lr_kernel_opts *o, struct lr_journal **journal);

/* Undoes the journal's changes in reverse order (best effort; failures are logged). */
void lr_journal_rollback(struct lime_nl *nl, struct lr_journal *j);
void lr_journal_free(struct lr_journal *j);

#endif
