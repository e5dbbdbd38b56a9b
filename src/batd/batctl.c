/* batd as `batctl` (see batctl.h). */
#include "batctl.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "run.h"
#include "strbuf.h"

static const struct {
    const char *names[2];
    const char *cmd;
    bool json;
} commands[] = {
    {{"o", "originators"}, "originators", false},
    {{"n", "neighbors"}, "neighbors", false},
    {{"if", "interface"}, "interfaces", false},
    {{"tl", "translocal"}, "translocal", false},
    {{"tg", "transglobal"}, "transglobal", false},
    {{"s", "statistics"}, "statistics", false},
    {{"oj", "originators_json"}, "originators", true},
    {{"nj", "neighbors_json"}, "neighbors", true},
    {{"tlj", "translocal_json"}, "translocal", true},
    {{"tgj", "transglobal_json"}, "transglobal", true},
};

int batd_batctl_parse(int argc, char **argv, struct batctl_req *req, char *msg, unsigned len)
{
    *req = (struct batctl_req){.meshif = "bat0"};
    msg[0] = 0;
    int i = 0;
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "-m") && i + 1 < argc)
            req->meshif = argv[++i];
        else if (!strcmp(argv[i], "meshif") && i + 1 < argc)
            req->meshif = argv[++i];
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "-v")) {
            snprintf(msg, len,
                     "batctl (batd's batctl: batman-adv here is batd, userspace, compat 15)\n"
                     "usage: batctl [-m IF | meshif IF] o|n|if|tl|tg|s|oj|nj|tlj|tgj [-H] [-n]\n");
            return 1;
        } else if (argv[i][0] == '-') {
            snprintf(msg, len, "batctl (batd): unknown option '%s'", argv[i]);
            return -1;
        } else
            break;
    }
    if (i >= argc) {
        snprintf(msg, len, "batctl (batd): no command (o, n, if, tl, tg, s, or their JSON forms oj, nj, tlj, tgj)");
        return -1;
    }
    const char *c = argv[i++];
    for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]) && !req->cmd; k++)
        if (!strcmp(c, commands[k].names[0]) || !strcmp(c, commands[k].names[1])) {
            req->cmd = commands[k].cmd;
            req->json = commands[k].json;
        }
    if (!req->cmd) {
        snprintf(msg, len,
                 "batctl (batd): '%s' is not answered by batd (it answers o, n, if, tl, tg, s, oj, nj, tlj, tgj)", c);
        return -1;
    }
    for (; i < argc; i++) {
        if (!strcmp(argv[i], "-H"))
            req->no_header = true;
        else if (!strcmp(argv[i], "-n"))
            ;
        else {
            snprintf(msg, len, "batctl (batd): '%s' after %s is not supported", argv[i], c);
            return -1;
        }
    }
    return 0;
}

void batd_batctl_strip_header(char *text)
{
    if (strncmp(text, "[B.A.T.M.A.N.", 13))
        return;
    char *p = text;
    for (int lines = 0; lines < 2 && p; lines++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    if (!p)
        p = text + strlen(text);
    memmove(text, p, strlen(p) + 1);
}

/* batd's control socket for meshif: lime-apply's, else batd's own default; NULL if none. */
static const char *batd_socket(const char *meshif)
{
    static char path[100];
    const char *env = getenv("BATD_CTL");
    struct stat st;
    if (env && *env)
        return env;
    if (stat("/var/run/batd.sock", &st) == 0 && S_ISSOCK(st.st_mode))
        return "/var/run/batd.sock";
    snprintf(path, sizeof(path), "/run/batd/%s.sock", meshif);
    if (stat(path, &st) == 0 && S_ISSOCK(st.st_mode))
        return path;
    return NULL;
}

/* The real batctl (kernel batman-adv), not this program. */
static int exec_batctl(char **argv)
{
    static const char *const dirs[] = {"/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin"};
    char self[PATH_MAX], real[PATH_MAX], cand[64];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    self[n > 0 ? n : 0] = 0;
    for (size_t k = 0; k < sizeof(dirs) / sizeof(dirs[0]); k++) {
        snprintf(cand, sizeof(cand), "%s/batctl", dirs[k]);
        if (access(cand, X_OK) || !realpath(cand, real) || !strcmp(real, self))
            continue;
        argv[0] = cand;
        lime_run_exec(argv);
        fprintf(stderr, "batctl: %s: %s\n", cand, strerror(errno));
        return 1;
    }
    return -1;
}

int batd_batctl_main(int argc, char **argv)
{
    struct batctl_req req;
    char msg[256];
    int p = batd_batctl_parse(argc - 1, argv + 1, &req, msg, sizeof(msg));
    /* The kernel's batman-adv: a mesh interface that is not batd's TAP (tun_flags). */
    char sys[128];
    struct stat st;
    snprintf(sys, sizeof(sys), "/sys/class/net/%s", req.meshif);
    bool present = stat(sys, &st) == 0;
    snprintf(sys, sizeof(sys), "/sys/class/net/%s/tun_flags", req.meshif);
    bool tap = stat(sys, &st) == 0;
    const char *sock = batd_socket(req.meshif);
    if ((present && !tap) || (!sock && p != 1)) {
        if (exec_batctl(argv) < 0) {
            fprintf(stderr, "batctl: %s is %s and there is no batctl for the kernel's batman-adv\n", req.meshif,
                    present ? "not batd's" : "missing");
            return 1;
        }
        return 1;
    }
    if (p == 1) {
        fputs(msg, stdout);
        return 0;
    }
    if (p < 0) {
        fprintf(stderr, "%s\n", msg);
        return 1;
    }
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(sock) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "batctl (batd): %s: path too long\n", sock);
        return 1;
    }
    memcpy(sa.sun_path, sock, strlen(sock) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        fprintf(stderr, "batctl (batd): %s: %s\n", sock, strerror(errno));
        if (fd >= 0)
            close(fd);
        return 1;
    }
    char line[160];
    int n = snprintf(line, sizeof(line), "%s%s\n", req.cmd, req.json ? " json" : "");
    if (write(fd, line, (size_t)n) != n) {
        close(fd);
        return 1;
    }
    struct lime_strbuf b = {0};
    char buf[4096];
    ssize_t r;
    while ((r = read(fd, buf, sizeof(buf))) > 0)
        lime_strbuf_put(&b, buf, (size_t)r);
    close(fd);
    char *text = lime_strbuf_finish(&b, NULL);
    if (!text)
        return 1;
    int rc = 0;
    if (!strncmp(text, "error:", 6)) {
        fputs(text, stderr);
        rc = 1;
    } else {
        if (req.no_header)
            batd_batctl_strip_header(text);
        fputs(text, stdout);
    }
    free(text);
    return rc;
}
