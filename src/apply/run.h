/* Run a program with argv (no shell), optionally capturing its stdout. */
#ifndef LR_RUN_H
#define LR_RUN_H

/* Runs argv[0] (PATH search) and waits. If out is not NULL, stdout is captured into a
 * malloc'd NUL-terminated string (*out, caller frees); stderr passes through unless
 * quiet. Returns the exit status (0..255), or -1 if it could not run / was killed. */
int lr_run(char *const argv[], char **out, int quiet);

#endif
