#include "log.h"

#include <stdarg.h>
#include <stdio.h>

static const char *log_program = "lime";
static enum lime_log_level log_max = LIME_LOG_INFO;

void lime_log_init(const char *program, enum lime_log_level max_level)
{
    if (program)
        log_program = program;
    log_max = max_level;
}

void lime_log_set_level(enum lime_log_level max_level) { log_max = max_level; }

enum lime_log_level lime_log_get_level(void) { return log_max; }

void lime_log(enum lime_log_level level, const char *fmt, ...)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};
    if (level > log_max)
        return;
    va_list ap;
    va_start(ap, fmt);
    flockfile(stderr);
    fprintf(stderr, "%s: %s: ", log_program, names[level]);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    funlockfile(stderr);
    va_end(ap);
}
