/* fork + execvp with a pipe for stdout; signals unblocked in the child. */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int lr_run(char *const argv[], char **out, int quiet)
{
    int pfd[2] = {-1, -1};
    if (out && pipe2(pfd, O_CLOEXEC) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        if (out) {
            close(pfd[0]);
            close(pfd[1]);
        }
        return -1;
    }
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (out)
            dup2(pfd[1], STDOUT_FILENO);
        if (quiet) {
            int dn = open("/dev/null", O_WRONLY);
            if (dn >= 0)
                dup2(dn, STDERR_FILENO);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    int rc = 0;
    if (out) {
        close(pfd[1]);
        size_t len = 0, cap = 4096;
        char *buf = malloc(cap);
        for (;;) {
            if (!buf)
                break;
            if (len + 1 >= cap) {
                char *nb = realloc(buf, cap * 2);
                if (!nb) {
                    free(buf);
                    buf = NULL;
                    break;
                }
                buf = nb;
                cap *= 2;
            }
            ssize_t n = read(pfd[0], buf + len, cap - len - 1);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            len += (size_t)n;
        }
        close(pfd[0]);
        if (buf)
            buf[len] = 0;
        *out = buf;
    }
    int st;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return rc;
}
