/* Logging to stderr with a level and the program name; every daemon and tool uses it.
 * Supervisors (limed, procd, systemd) capture stderr, so there is no syslog path. */
#ifndef LIME_LOG_H
#define LIME_LOG_H

enum lime_log_level {
    LIME_LOG_ERR = 0,
    LIME_LOG_WARN = 1,
    LIME_LOG_INFO = 2,
    LIME_LOG_DEBUG = 3,
};

/* Sets the prefix and the most verbose level printed (default: "lime", INFO). */
void lime_log_init(const char *program, enum lime_log_level max_level);
void lime_log_set_level(enum lime_log_level max_level);
enum lime_log_level lime_log_get_level(void);

void lime_log(enum lime_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_err(...) lime_log(LIME_LOG_ERR, __VA_ARGS__)
#define log_warn(...) lime_log(LIME_LOG_WARN, __VA_ARGS__)
#define log_info(...) lime_log(LIME_LOG_INFO, __VA_ARGS__)
#define log_debug(...) lime_log(LIME_LOG_DEBUG, __VA_ARGS__)

#endif
