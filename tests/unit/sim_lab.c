/* The qemu lab's host-side pieces without qemu: the newc cpio writer (read back by
 * busybox cpio, an independent reader), the modules.dep index and its load order, the
 * control channel's frames, and the agent itself, run on the host as an ordinary
 * process and driven through the same client code lime-sim uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chan.h"
#include "cpio.h"
#include "fsutil.h"
#include "kimage.h"
#include "kmods.h"
#include "strbuf.h"

static char tmpdir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/sim-lab-unit.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

/* Runs argv in dir with stdin from file in (NULL: /dev/null); exit status. */
static int run(const char *dir, const char *in, char *const argv[])
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(in ? in : "/dev/null", O_RDONLY);
        dup2(fd, 0);
        if (dir && chdir(dir) < 0)
            _exit(126);
        execvp(argv[0], argv);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int teardown(void **state)
{
    (void)state;
    char *argv[] = {"rm", "-rf", tmpdir, NULL};
    return run(NULL, NULL, argv) == 0 ? 0 : -1;
}

static void check_entry(const char *dir, const char *name, mode_t type, mode_t perm, off_t size)
{
    char path[256];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_int_equal(lstat(path, &st), 0);
    assert_int_equal(st.st_mode & S_IFMT, type);
    if (type != S_IFLNK)
        assert_int_equal(st.st_mode & 07777, perm);
    if (type == S_IFREG)
        assert_int_equal(st.st_size, size);
}

static void test_cpio_read_back(void **state)
{
    (void)state;
    char path[128], src[128], cmd[64];
    snprintf(src, sizeof(src), "%s/src.bin", tmpdir);
    unsigned char big[70001];
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (unsigned char)(i * 7 + 3);
    assert_int_equal(lime_write_file_atomic(src, big, sizeof(big), 0644), 0);
    snprintf(path, sizeof(path), "%s/a.cpio", tmpdir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    struct sim_cpio c;
    sim_cpio_init(&c, fd);
    sim_cpio_dir(&c, "d", 0755);
    sim_cpio_dir(&c, "d/e", 0700);
    sim_cpio_data(&c, "d/odd", 0640, "abc", 3); /* 3 bytes: data padding */
    sim_cpio_data(&c, "d/empty", 0644, "", 0);
    sim_cpio_file(&c, "d/e/big", 0755, src);
    sim_cpio_symlink(&c, "d/link", "e/big");
    assert_int_equal(sim_cpio_finish(&c), 0);
    off_t size = lseek(fd, 0, SEEK_END);
    close(fd);
    assert_int_equal(size % 4, 0); /* a second archive can follow (the lab's per-boot one) */
    /* Read back by an independent implementation: busybox cpio. */
    char x[100], got[160];
    snprintf(x, sizeof(x), "%s/x", tmpdir);
    assert_int_equal(mkdir(x, 0755), 0);
    char *argv[] = {"busybox", "cpio", "-i", "-d", NULL};
    assert_int_equal(run(x, path, argv), 0);
    check_entry(x, "d", S_IFDIR, 0755, 0);
    check_entry(x, "d/e", S_IFDIR, 0700, 0);
    check_entry(x, "d/odd", S_IFREG, 0640, 3);
    check_entry(x, "d/empty", S_IFREG, 0644, 0);
    check_entry(x, "d/e/big", S_IFREG, 0755, sizeof(big));
    check_entry(x, "d/link", S_IFLNK, 0, 0);
    snprintf(got, sizeof(got), "%s/d/link", x);
    ssize_t n = readlink(got, cmd, sizeof(cmd) - 1);
    assert_int_equal(n, 5);
    assert_memory_equal(cmd, "e/big", 5);
    snprintf(got, sizeof(got), "%s/d/odd", x);
    char *text = lime_read_file(got, 0, NULL);
    assert_string_equal(text, "abc");
    free(text);
    size_t len;
    snprintf(got, sizeof(got), "%s/d/e/big", x);
    text = lime_read_file(got, 0, &len);
    assert_int_equal(len, sizeof(big));
    assert_memory_equal(text, big, sizeof(big));
    free(text);
}

static void test_cpio_missing_source(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof(path), "%s/b.cpio", tmpdir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    struct sim_cpio c;
    sim_cpio_init(&c, fd);
    sim_cpio_file(&c, "x", 0644, "/nonexistent/file");
    sim_cpio_data(&c, "y", 0644, "y", 1); /* ignored after the first error */
    assert_true(sim_cpio_finish(&c) < 0);
    close(fd);
}

static const char moddep[] =
    "kernel/net/batman-adv/batman-adv.ko: kernel/net/bridge/bridge.ko kernel/net/802/stp.ko "
    "kernel/net/llc/llc.ko kernel/lib/libcrc32c.ko\n"
    "kernel/net/bridge/bridge.ko: kernel/net/802/stp.ko kernel/net/llc/llc.ko\n"
    "kernel/net/802/stp.ko: kernel/net/llc/llc.ko\n"
    "kernel/net/llc/llc.ko:\n"
    "kernel/lib/libcrc32c.ko:\n"
    "kernel/net/8021q/8021q.ko: kernel/net/802/garp.ko\n"
    "kernel/net/802/garp.ko: kernel/net/802/stp.ko kernel/net/llc/llc.ko\n"
    "kernel/x/broken.ko: kernel/x/absent.ko\n"
    "kernel/x/cyc1.ko: kernel/x/cyc2.ko\n"
    "kernel/x/cyc2.ko: kernel/x/cyc1.ko\n"
    "garbage line without colon\n";
static const char builtin[] = "kernel/drivers/virtio/virtio.ko\nkernel/fs/ext4/ext4.ko\n";

static void test_kmods_order(void **state)
{
    (void)state;
    struct sim_kmods k;
    char err[200];
    assert_int_equal(sim_kmods_parse(&k, moddep, builtin), 0);
    assert_int_equal(k.n, 10);
    assert_int_equal(sim_kmods_has(&k, "batman-adv"), 1);
    assert_int_equal(sim_kmods_has(&k, "batman_adv"), 1);
    assert_int_equal(sim_kmods_has(&k, "virtio"), 2);
    assert_int_equal(sim_kmods_has(&k, "mac80211_hwsim"), 0);
    const char *order[16];
    int n = 0;
    assert_int_equal(sim_kmods_order(&k, "batman-adv", order, &n, 16, err, sizeof(err)), 0);
    assert_int_equal(n, 5);
    /* Every module comes after all of its dependencies. */
    const char *want[] = {"kernel/net/llc/llc.ko", "kernel/net/802/stp.ko", "kernel/net/bridge/bridge.ko",
                          "kernel/lib/libcrc32c.ko", "kernel/net/batman-adv/batman-adv.ko"};
    for (int i = 0; i < 5; i++)
        assert_string_equal(order[i], want[i]);
    /* A second module shares dependencies: they are not repeated. */
    assert_int_equal(sim_kmods_order(&k, "8021q", order, &n, 16, err, sizeof(err)), 0);
    assert_int_equal(n, 7);
    assert_string_equal(order[5], "kernel/net/802/garp.ko");
    assert_string_equal(order[6], "kernel/net/8021q/8021q.ko");
    /* Built in: nothing to load. */
    assert_int_equal(sim_kmods_order(&k, "virtio", order, &n, 16, err, sizeof(err)), 0);
    assert_int_equal(n, 7);
    /* Missing module, missing dependency, cycle, no room: errors, never a hang. */
    assert_int_equal(sim_kmods_order(&k, "mac80211_hwsim", order, &n, 16, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "mac80211_hwsim"));
    assert_int_equal(sim_kmods_order(&k, "broken", order, &n, 16, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "kernel/x/absent.ko"));
    assert_int_equal(sim_kmods_order(&k, "cyc1", order, &n, 16, err, sizeof(err)), -1);
    n = 0;
    assert_int_equal(sim_kmods_order(&k, "batman_adv", order, &n, 3, err, sizeof(err)), -1);
    sim_kmods_free(&k);
}

/* A minimal ELF64 executable: header, one PT_NOTE program header, one note. */
static size_t make_elf(unsigned char *e, const char *name, unsigned type)
{
    memset(e, 0, 256);
    memcpy(e, "\x7f" "ELF", 4);
    e[4] = 2;  /* 64-bit */
    e[5] = 1;  /* little-endian */
    e[16] = 2; /* ET_EXEC */
    e[32] = 64;  /* e_phoff */
    e[54] = 56;  /* e_phentsize */
    e[56] = 1;   /* e_phnum */
    unsigned char *ph = e + 64;
    ph[0] = 4;   /* PT_NOTE */
    ph[8] = 120; /* p_offset */
    ph[32] = 20; /* p_filesz: 12 + "Xen\0" + 4-byte desc */
    unsigned char *n = e + 120;
    n[0] = (unsigned char)(strlen(name) + 1);
    n[4] = 4;
    n[8] = (unsigned char)type;
    memcpy(n + 12, name, strlen(name) + 1);
    return 140;
}

static void test_kimage_pvh_note(void **state)
{
    (void)state;
    unsigned char e[256];
    size_t n = make_elf(e, "Xen", 18);
    assert_int_equal(sim_kimage_has_pvh(e, n), 1);
    assert_int_equal(sim_kimage_has_pvh(e, n - 1), 0); /* note cut short */
    make_elf(e, "Xen", 17);
    assert_int_equal(sim_kimage_has_pvh(e, n), 0); /* another Xen note */
    make_elf(e, "GNU", 18);
    assert_int_equal(sim_kimage_has_pvh(e, n), 0);
    make_elf(e, "Xen", 18);
    e[56] = 200; /* more program headers than the file holds */
    assert_int_equal(sim_kimage_has_pvh(e, n), 0);
    make_elf(e, "Xen", 18);
    e[4] = 1; /* 32-bit */
    assert_int_equal(sim_kimage_has_pvh(e, n), 0);
    assert_int_equal(sim_kimage_has_pvh((const unsigned char *)"MZ", 2), 0);
    /* The extraction refuses what holds no compressed PVH kernel. */
    char path[128], out[128];
    snprintf(path, sizeof(path), "%s/notakernel", tmpdir);
    snprintf(out, sizeof(out), "%s/vmlinux", tmpdir);
    assert_int_equal(lime_write_file_atomic(path, e, n, 0644), 0);
    assert_int_equal(sim_kimage_extract(path, out), -1);
    assert_int_equal(access(out, F_OK), -1);
}

static void test_frames(void **state)
{
    (void)state;
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    assert_int_equal(sim_chan_send(sv[0], SIM_F_STDOUT, "hello", 5), 0);
    assert_int_equal(sim_chan_send(sv[0], SIM_F_ALIVE, NULL, 0), 0);
    static char big[100000];
    memset(big, 'z', sizeof(big));
    assert_int_equal(sim_chan_send(sv[0], SIM_F_STDERR, big, sizeof(big)), 0);
    struct sim_chan_rx rx;
    sim_chan_rx_init(&rx);
    struct sim_frame f;
    int got = 0;
    /* Byte by byte first: frames may arrive cut anywhere. */
    for (int i = 0; i < 12; i++) {
        char c;
        assert_int_equal(read(sv[1], &c, 1), 1);
        assert_int_equal(sim_chan_feed(&rx, &c, 1), 0);
        while (sim_chan_next(&rx, &f) == 1) {
            assert_int_equal(f.type, SIM_F_STDOUT);
            assert_memory_equal(f.data, "hello", 5);
            got++;
        }
    }
    assert_int_equal(got, 1);
    size_t total = 0;
    while (total < 5 + sizeof(big)) {
        char buf[8192];
        ssize_t n = read(sv[1], buf, sizeof(buf));
        assert_true(n > 0);
        total += (size_t)n;
        assert_int_equal(sim_chan_feed(&rx, buf, (size_t)n), 0);
    }
    assert_int_equal(sim_chan_next(&rx, &f), 1);
    assert_int_equal(f.type, SIM_F_ALIVE);
    assert_int_equal(f.len, 0);
    assert_int_equal(sim_chan_next(&rx, &f), 1);
    assert_int_equal(f.type, SIM_F_STDERR);
    assert_int_equal(f.len, sizeof(big));
    assert_int_equal(sim_chan_next(&rx, &f), 0);
    /* Unknown type, oversized length: malformed, counted. */
    assert_int_equal(sim_chan_feed(&rx, "Z\0\0\0\0", 5), 0);
    assert_int_equal(sim_chan_next(&rx, &f), -1);
    assert_int_equal(rx.malformed, 1);
    sim_chan_rx_free(&rx);
    sim_chan_rx_init(&rx);
    assert_int_equal(sim_chan_feed(&rx, "O\x7f\0\0\0", 5), 0);
    assert_int_equal(sim_chan_next(&rx, &f), -1);
    sim_chan_rx_free(&rx);
    close(sv[0]);
    close(sv[1]);
    /* Argument lists. */
    char *args[4], *store;
    assert_int_equal(sim_chan_split((const unsigned char *)"/tmp\0status\0--json\0", 19, args, 4, &store), 3);
    assert_string_equal(args[0], "/tmp");
    assert_string_equal(args[2], "--json");
    assert_null(args[3]);
    free(store);
    assert_int_equal(sim_chan_split((const unsigned char *)"a\0b\0c\0d\0", 8, args, 4, &store), -1);
    assert_int_equal(sim_chan_split((const unsigned char *)"abc", 3, args, 4, &store), -1);
    assert_int_equal(sim_chan_split((const unsigned char *)"", 0, args, 4, &store), -1);
}

/* ---- the agent, on the host ---- */

static pid_t agent_pid;
static int agent_port;
static const char token[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t l = sizeof(a);
    bind(s, (struct sockaddr *)&a, sizeof(a));
    getsockname(s, (struct sockaddr *)&a, &l);
    close(s);
    return ntohs(a.sin_port);
}

static int start_agent(void **state)
{
    (void)state;
    if (setup(state) < 0)
        return -1;
    const char *bin = getenv("LIME_BINARY_DIR");
    char exe[512], dir[128], path[200], port[16];
    snprintf(exe, sizeof(exe), "%s/src/sim/lime-sim", bin ? bin : "build");
    snprintf(dir, sizeof(dir), "%s/conf", tmpdir);
    mkdir(dir, 0700);
    agent_port = free_port();
    snprintf(port, sizeof(port), "%d\n", agent_port);
    snprintf(path, sizeof(path), "%s/token", dir);
    lime_write_file_atomic(path, token, strlen(token), 0600);
    snprintf(path, sizeof(path), "%s/port", dir);
    lime_write_file_atomic(path, port, strlen(port), 0644);
    agent_pid = fork();
    if (agent_pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 2);
        execl(exe, "lime-sim", "__agent", dir, (char *)NULL);
        _exit(127);
    }
    char reply[64], err[200];
    for (int i = 0; i < 100; i++) { /* until it listens */
        int fd = sim_chan_open(agent_port, token, 1000, reply, sizeof(reply), err, sizeof(err));
        if (fd >= 0) {
            close(fd);
            return 0;
        }
        usleep(50000);
    }
    return -1;
}

static int stop_agent(void **state)
{
    kill(agent_pid, SIGTERM);
    waitpid(agent_pid, NULL, 0);
    return teardown(state);
}

/* Runs lime-sim ARGS through the agent with stdout captured and stderr into a file. */
static int agent_run(char *const argv[], char **out, char **errtext)
{
    char reply[64], err[200], errpath[128];
    int fd = sim_chan_open(agent_port, token, 5000, reply, sizeof(reply), err, sizeof(err));
    assert_true(fd >= 0);
    assert_string_equal(reply, "ok");
    snprintf(errpath, sizeof(errpath), "%s/stderr", tmpdir);
    int saved = dup(2), ef = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(ef, 2);
    close(ef);
    struct lime_strbuf b = {0};
    int st = sim_chan_run(fd, "/", argv, 0, 20000, NULL, &b, err, sizeof(err));
    dup2(saved, 2);
    close(saved);
    close(fd);
    *out = lime_strbuf_finish(&b, NULL);
    *errtext = lime_read_file(errpath, 0, NULL);
    return st;
}

/* Cross builds run the tests under qemu-user (LIME_TEST_EMULATOR): the agent re-executes
 * itself through /proc/self/exe for each command, a foreign binary the host kernel cannot
 * start without binfmt_misc, so the agent's tests do not apply there (docs/cross.md). */
static bool agent_emulated(void)
{
    const char *emu = getenv("LIME_TEST_EMULATOR");
    return emu && emu[0];
}

static void test_agent_runs_commands(void **state)
{
    if (agent_emulated())
        skip();
    (void)state;
    char *out, *errtext;
    char *help[] = {"--help", NULL};
    assert_int_equal(agent_run(help, &out, &errtext), 0);
    assert_non_null(strstr(out, "usage: lime-sim"));
    assert_string_equal(errtext, "");
    free(out);
    free(errtext);
    char *none[] = {"-v", NULL}; /* no command: usage on stderr, exit 2 */
    assert_int_equal(agent_run(none, &out, &errtext), 2);
    assert_string_equal(out, "");
    assert_non_null(strstr(errtext, "usage: lime-sim"));
    free(out);
    free(errtext);
}

static void test_agent_refuses(void **state)
{
    if (agent_emulated())
        skip();
    (void)state;
    char reply[64], err[200];
    /* A wrong token. */
    assert_int_equal(sim_chan_open(agent_port, "00000000000000000000000000000000", 3000, reply, sizeof(reply),
                                   err, sizeof(err)), -1);
    assert_non_null(strstr(err, "bad token"));
    /* Garbage instead of a frame: dropped, and the agent still serves the next one. */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)agent_port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(connect(s, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(write(s, "GET / HTTP/1.0\r\n\r\n", 18), 18);
    char buf[64];
    assert_true(read(s, buf, sizeof(buf)) <= 0); /* closed without an answer */
    close(s);
    /* A tunnel into a namespace that does not exist: refused with a reason. */
    int fd = sim_chan_open(agent_port, token, 3000, reply, sizeof(reply), err, sizeof(err));
    assert_true(fd >= 0);
    assert_int_equal(sim_chan_tunnel(fd, "ls-nonexistent-ns", 80, 3000, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "ls-nonexistent-ns"));
    close(fd);
    fd = sim_chan_open(agent_port, token, 3000, reply, sizeof(reply), err, sizeof(err));
    assert_true(fd >= 0);
    assert_int_equal(sim_chan_tunnel(fd, "../etc", 80, 3000, err, sizeof(err)), -1);
    close(fd);
    char *out, *errtext;
    char *help[] = {"--help", NULL};
    assert_int_equal(agent_run(help, &out, &errtext), 0);
    free(out);
    free(errtext);
}

int main(void)
{
    const struct CMUnitTest plain[] = {
        cmocka_unit_test(test_cpio_read_back),
        cmocka_unit_test(test_cpio_missing_source),
        cmocka_unit_test(test_kmods_order),
        cmocka_unit_test(test_kimage_pvh_note),
        cmocka_unit_test(test_frames),
    };
    const struct CMUnitTest agent[] = {
        cmocka_unit_test(test_agent_runs_commands),
        cmocka_unit_test(test_agent_refuses),
    };
    signal(SIGPIPE, SIG_IGN);
    int rc = cmocka_run_group_tests(plain, setup, teardown);
    if (agent_emulated())
        return rc | cmocka_run_group_tests(agent, NULL, NULL);
    return rc | cmocka_run_group_tests(agent, start_agent, stop_agent);
}
