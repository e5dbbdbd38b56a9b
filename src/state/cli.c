/* shared-state-async: upstream's CLI verbs over the local control socket (control.h),
 * plus `peer` (alias `daemon`), which runs the service on its own loop for nodes or
 * tests without limed.
 *
 * Exit statuses (stable, not errno): 0 ok, 1 usage, 2 unknown type, 3 bad input,
 * 4 service not reachable, 5 a peer failed during sync, 6 internal error. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "log.h"
#include "loop.h"
#include "service.h"

#define DEFAULT_SOCKET "/var/run/shared-state-async.sock"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: shared-state-async [--socket PATH] VERB ...\n"
            "  get TYPE                 print {key: data}\n"
            "  dump TYPE                print [{key, value:{mAuthor, mTtl, mData}}]\n"
            "  insert TYPE              insert the JSON object {key: data} read from stdin\n"
            "  sync TYPE [PEER...]      sync now with PEERs (default: the neighbours)\n"
            "  register TYPE SCOPE UPDATE_INTERVAL BLEACH_TTL\n"
            "  discover                 print the current neighbours, one per line\n"
            "  counters                 print the service's counters (JSON)\n"
            "  peer|daemon [OPTIONS]    run the service (see `peer --help`)\n"
            "  add|old|del MAC IP [NAME]  dnsmasq --dhcp-script events: publish the lease\n"
            "The socket is $SS_SOCKET or " DEFAULT_SOCKET ".\n"
            "Exit: 0 ok, 1 usage, 2 unknown type, 3 bad input, 4 service unreachable,\n"
            "      5 a peer failed, 6 internal error.\n");
}

static void usage_daemon(FILE *f)
{
    fprintf(f,
            "shared-state-async peer [OPTIONS]\n"
            "  --socket PATH          control socket (default " DEFAULT_SOCKET ")\n"
            "  --hostname NAME        author name (default: the hostname)\n"
            "  --listen ADDR          TCP listen address (default ::, dual stack)\n"
            "  --port N               TCP port and UDP hello port (default 3490)\n"
            "  --state-dir DIR        persist tables here\n"
            "  --hooks-dir DIR        run DIR/<type>/* on changes\n"
            "  --key-file FILE        community key: sign and require HMAC on every message\n"
            "  -i, --iface IF         send/receive neighbour hellos on IF (repeatable)\n"
            "  --peer ADDR            static peer (repeatable)\n"
            "  --babeld-port N        ask babeld's local socket on [::1]:N for neighbours\n"
            "  --babeld-socket PATH   ... or on its unix local-path socket\n"
            "  --batd-ctl PATH        ask batd's ctl socket for its neighbours\n"
            "  --batadv-if IF         ... or kernel batman-adv's (generic netlink), e.g. bat0\n"
            "  --hello-ms N           multicast hello period (default 2000)\n"
            "  --interval-scale X     multiply every update interval by X (tests)\n"
            "  --timeout-ms N         per-connection deadline (default 10000)\n"
            "  --no-change-sync       only periodic syncs, as upstream (for comparisons)\n"
            "  --full-every N         every Nth exchange with a peer sends the whole table\n"
            "  --max-entry-bytes N / --max-entries N / --max-message-bytes N   caps\n"
            "  --no-default-types     do not register upstream's types\n"
            "  --types-uci FILE       register the `config dataType` sections of FILE\n"
            "                         (e.g. /etc/config/shared-state)\n"
            "  --leasefile FILE       publish dnsmasq leases from FILE\n"
            "  --node-info            publish node_info\n"
            "  --dhcp-hostsfile FILE  write remote leases as dnsmasq reservations\n"
            "  --addn-hosts FILE      write dnsmasq-hosts as an addn-hosts file\n"
            "  --servers-file FILE    write other clouds' dnsmasq-servers as server=/dom/ip\n"
            "  --local-domain DOM=IP  publish dnsmasq-servers {DOM: IP} (this cloud's DNS)\n"
            "  --dnsmasq-pidfile FILE SIGHUP this dnsmasq after writing any of these files\n"
            "  -v                     debug logging\n");
}

/* ---- client side ------------------------------------------------------------------ */

/* The CLI runs as dnsmasq's --dhcp-script too: a hung service must never block it for
 * ever, so every read and write on the control socket gives up after this long
 * (SS_TIMEOUT=seconds overrides it). */
#define CLI_IO_TIMEOUT_S 30

static struct json_object *call(const char *sock, struct json_object *req, int *rc)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s", sock);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        fprintf(stderr, "shared-state-async: cannot reach the service at %s: %s\n", sock,
                strerror(errno));
        if (fd >= 0)
            close(fd);
        *rc = SS_ERR_DAEMON;
        return NULL;
    }
    const char *env_timeout = getenv("SS_TIMEOUT");
    int timeout_s = env_timeout && atoi(env_timeout) > 0 ? atoi(env_timeout) : CLI_IO_TIMEOUT_S;
    struct timeval io_timeout = {.tv_sec = timeout_s};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &io_timeout, sizeof io_timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &io_timeout, sizeof io_timeout);
    const char *s = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
    size_t len = strlen(s), off = 0;
    while (off < len) {
        ssize_t n = write(fd, s + off, len - off);
        if (n <= 0) {
            close(fd);
            *rc = SS_ERR_DAEMON;
            return NULL;
        }
        off += (size_t)n;
    }
    if (write(fd, "\n", 1) != 1) {
        close(fd);
        *rc = SS_ERR_DAEMON;
        return NULL;
    }
    char *buf = NULL;
    size_t blen = 0, cap = 0;
    for (;;) {
        if (blen + 65536 + 1 > cap) {
            cap = (blen + 65536 + 1) * 2;
            char *nb = realloc(buf, cap);
            if (!nb)
                break;
            buf = nb;
        }
        ssize_t n = read(fd, buf + blen, 65536);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            fprintf(stderr, "shared-state-async: the service at %s did not answer within %d s\n",
                    sock, timeout_s);
        if (n <= 0)
            break;
        blen += (size_t)n;
    }
    close(fd);
    struct json_object *resp = NULL, *err;
    if (buf) {
        buf[blen] = 0;
        resp = json_tokener_parse(buf);
    }
    free(buf);
    if (!resp || !json_object_object_get_ex(resp, "error", &err)) {
        fprintf(stderr, "shared-state-async: no valid reply from the service\n");
        json_object_put(resp);
        *rc = SS_ERR_DAEMON;
        return NULL;
    }
    *rc = json_object_get_int(err);
    struct json_object *msg;
    if (*rc && json_object_object_get_ex(resp, "message", &msg))
        fprintf(stderr, "shared-state-async: %s\n", json_object_get_string(msg));
    return resp;
}

static struct json_object *request(const char *op, const char *type)
{
    struct json_object *r = json_object_new_object();
    json_object_object_add(r, "op", json_object_new_string(op));
    if (type)
        json_object_object_add(r, "type", json_object_new_string(type));
    return r;
}

static char *read_stdin(void)
{
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = (len + 4096 + 1) * 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                return NULL;
            }
            buf = nb;
        }
        size_t n = fread(buf + len, 1, 4096, stdin);
        if (n == 0)
            break;
        len += n;
    }
    buf[len] = 0;
    return buf;
}

static int parse_u32(const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v == 0 || v > UINT32_MAX)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int client_verb(const char *sock, int argc, char **argv)
{
    const char *verb = argv[0];
    int rc = SS_OK;
    struct json_object *req, *resp, *data;
    bool print_data = false, lines = false;
    if ((!strcmp(verb, "get") || !strcmp(verb, "dump")) && argc == 2) {
        req = request(verb, argv[1]);
        print_data = true;
    } else if (!strcmp(verb, "insert") && argc == 2) {
        char *in = read_stdin();
        struct json_tokener *tok = json_tokener_new();
        struct json_object *obj = in && tok ? json_tokener_parse_ex(tok, in, (int)strlen(in)) : NULL;
        bool ok = obj && json_tokener_get_error(tok) == json_tokener_success &&
                  json_object_is_type(obj, json_type_object);
        if (!ok)
            fprintf(stderr, "stdin:%zu: expected a JSON object {key: data, ...}\n",
                    tok ? json_tokener_get_parse_end(tok) : (size_t)0);
        if (tok)
            json_tokener_free(tok);
        free(in);
        if (!ok) {
            json_object_put(obj);
            return SS_ERR_INPUT;
        }
        req = request("insert", argv[1]);
        json_object_object_add(req, "data", obj);
    } else if (!strcmp(verb, "sync") && argc >= 2) {
        req = request("sync", argv[1]);
        struct json_object *pl = json_object_new_array();
        for (int i = 2; i < argc; i++)
            json_object_array_add(pl, json_object_new_string(argv[i]));
        json_object_object_add(req, "peers", pl);
    } else if (!strcmp(verb, "register") && argc == 5) {
        uint32_t iv, ttl;
        if (parse_u32(argv[3], &iv) < 0 || parse_u32(argv[4], &ttl) < 0) {
            fprintf(stderr, "register: UPDATE_INTERVAL and BLEACH_TTL must be positive integers\n");
            return SS_ERR_USAGE;
        }
        req = request("register", argv[1]);
        json_object_object_add(req, "scope", json_object_new_string(argv[2]));
        json_object_object_add(req, "interval", json_object_new_int64(iv));
        json_object_object_add(req, "ttl", json_object_new_int64(ttl));
    } else if (!strcmp(verb, "discover") && argc == 1) {
        req = request("discover", NULL);
        print_data = lines = true;
    } else if (!strcmp(verb, "counters") && argc == 1) {
        req = request("counters", NULL);
        print_data = true;
    } else {
        usage(stderr);
        return SS_ERR_USAGE;
    }
    resp = call(sock, req, &rc);
    json_object_put(req);
    if (resp && rc == SS_OK && print_data && json_object_object_get_ex(resp, "data", &data)) {
        if (lines) {
            for (size_t i = 0; i < json_object_array_length(data); i++)
                printf("%s\n", json_object_get_string(json_object_array_get_idx(data, i)));
        } else if (json_object_is_type(data, json_type_object) && !json_object_object_length(data)) {
            printf("{}\n"); /* as upstream prints an empty table */
        } else if (json_object_is_type(data, json_type_array) && !json_object_array_length(data)) {
            printf("[]\n");
        } else {
            printf("%s\n", json_object_to_json_string_ext(data, JSON_C_TO_STRING_PRETTY |
                                                                    JSON_C_TO_STRING_SPACED |
                                                                    JSON_C_TO_STRING_NOSLASHESCAPE));
        }
    }
    json_object_put(resp);
    return rc;
}

/* dnsmasq --dhcp-script=<this binary>: dnsmasq runs it as `add|old|del MAC IP [HOSTNAME]`
 * (the service's socket comes from $SS_SOCKET, which dnsmasq passes on). A lease becomes
 * dnsmasq-leases {ip: {mac, hostname}} and dnsmasq-hosts {"ip hostname": true}; del
 * publishes null. IPv6 leases and other events are ignored (as upstream, #969). */
static int dhcp_event(const char *sock, int argc, char **argv)
{
    const char *ev = argv[0];
    if (argc < 3 || strchr(argv[2], ':') || !strchr(argv[2], '.'))
        return 0;
    const char *mac = argv[1], *ip = argv[2], *name = argc > 3 ? argv[3] : NULL;
    bool del = !strcmp(ev, "del");
    struct json_object *leases = json_object_new_object();
    if (del) {
        json_object_object_add(leases, ip, NULL);
    } else {
        struct json_object *v = json_object_new_object();
        json_object_object_add(v, "hostname", json_object_new_string(name ? name : "*"));
        json_object_object_add(v, "mac", json_object_new_string(mac));
        json_object_object_add(leases, ip, v);
    }
    struct json_object *req = request("insert", "dnsmasq-leases");
    json_object_object_add(req, "data", leases);
    int rc;
    json_object_put(call(sock, req, &rc));
    json_object_put(req);
    if (rc == SS_OK && name && *name && strcmp(name, "*") != 0) {
        char line[512];
        snprintf(line, sizeof line, "%s %s", ip, name);
        struct json_object *hosts = json_object_new_object();
        json_object_object_add(hosts, line, del ? NULL : json_object_new_boolean(1));
        req = request("insert", "dnsmasq-hosts");
        json_object_object_add(req, "data", hosts);
        json_object_put(call(sock, req, &rc));
        json_object_put(req);
    }
    return rc;
}

/* ---- daemon ------------------------------------------------------------------------ */

static void on_stop(int signo, void *arg)
{
    lime_loop_stop(arg);
}

static int run_daemon(const char *sock, int argc, char **argv)
{
    struct ss_config cfg;
    ss_config_defaults(&cfg);
    cfg.control_path = sock;
    enum { O_HOST = 256, O_LISTEN, O_PORT, O_STATE, O_HOOKS, O_KEY, O_PEER, O_BABELD, O_SCALE,
           O_TIMEOUT, O_FULL, O_MAXENTRY, O_MAXENTRIES, O_MAXMSG, O_NODEF, O_LEASE, O_NODEINFO,
           O_DHCPH, O_ADDN, O_DPID, O_HELP, O_HELLO, O_BABELDSOCK, O_BATD, O_NOCHANGE, O_BATADV, O_UCI, O_SERVERS, O_DOMAIN };
    static const struct option opts[] = {
        {"hostname", 1, 0, O_HOST},       {"listen", 1, 0, O_LISTEN},
        {"port", 1, 0, O_PORT},           {"state-dir", 1, 0, O_STATE},
        {"hooks-dir", 1, 0, O_HOOKS},     {"key-file", 1, 0, O_KEY},
        {"iface", 1, 0, 'i'},             {"peer", 1, 0, O_PEER},
        {"babeld-port", 1, 0, O_BABELD},  {"interval-scale", 1, 0, O_SCALE},
        {"timeout-ms", 1, 0, O_TIMEOUT},  {"full-every", 1, 0, O_FULL},
        {"max-entry-bytes", 1, 0, O_MAXENTRY}, {"max-entries", 1, 0, O_MAXENTRIES},
        {"max-message-bytes", 1, 0, O_MAXMSG}, {"no-default-types", 0, 0, O_NODEF},
        {"leasefile", 1, 0, O_LEASE},     {"node-info", 0, 0, O_NODEINFO},
        {"dhcp-hostsfile", 1, 0, O_DHCPH}, {"addn-hosts", 1, 0, O_ADDN},
        {"dnsmasq-pidfile", 1, 0, O_DPID}, {"hello-ms", 1, 0, O_HELLO},
        {"babeld-socket", 1, 0, O_BABELDSOCK}, {"batd-ctl", 1, 0, O_BATD},
        {"no-change-sync", 0, 0, O_NOCHANGE}, {"batadv-if", 1, 0, O_BATADV},
        {"types-uci", 1, 0, O_UCI}, {"servers-file", 1, 0, O_SERVERS},
        {"local-domain", 1, 0, O_DOMAIN},
        {"help", 0, 0, O_HELP},           {0, 0, 0, 0}};
    int c;
    bool verbose = false;
    optind = 1;
    while ((c = getopt_long(argc, argv, "i:v", opts, NULL)) != -1) {
        uint32_t n = 0;
        bool num = c == O_PORT || c == O_BABELD || c == O_TIMEOUT || c == O_FULL ||
                   c == O_MAXENTRY || c == O_MAXENTRIES || c == O_MAXMSG || c == O_HELLO;
        if (num && parse_u32(optarg, &n) < 0) {
            fprintf(stderr, "%s: expected a positive integer\n", optarg);
            return SS_ERR_USAGE;
        }
        switch (c) {
        case O_HOST: cfg.hostname = optarg; break;
        case O_LISTEN: cfg.listen_addr = optarg; break;
        case O_PORT: cfg.port = (uint16_t)n; break;
        case O_STATE: cfg.state_dir = optarg; break;
        case O_HOOKS: cfg.hooks_dir = optarg; break;
        case O_KEY: cfg.key_file = optarg; break;
        case 'i':
            if (cfg.nifaces < SS_MAX_LIST)
                cfg.ifaces[cfg.nifaces++] = optarg;
            break;
        case O_PEER:
            if (cfg.npeers < SS_MAX_LIST)
                cfg.peers[cfg.npeers++] = optarg;
            break;
        case O_BABELD: cfg.babeld_port = (uint16_t)n; break;
        case O_SCALE: cfg.interval_scale = atof(optarg); break;
        case O_TIMEOUT: cfg.timeout_ms = n; break;
        case O_FULL: cfg.full_every = n; break;
        case O_MAXENTRY: cfg.limits.max_entry_bytes = n; break;
        case O_MAXENTRIES: cfg.limits.max_entries = n; break;
        case O_MAXMSG: cfg.limits.max_message_bytes = n; break;
        case O_NODEF: cfg.no_default_types = true; break;
        case O_LEASE: cfg.leasefile = optarg; break;
        case O_NODEINFO: cfg.publish_node_info = true; break;
        case O_DHCPH: cfg.dhcp_hostsfile = optarg; break;
        case O_ADDN: cfg.addn_hosts = optarg; break;
        case O_DPID: cfg.dnsmasq_pidfile = optarg; break;
        case O_HELLO: cfg.hello_ms = n; break;
        case O_BABELDSOCK: cfg.babeld_socket = optarg; break;
        case O_BATD: cfg.batd_ctl = optarg; break;
        case O_NOCHANGE: cfg.no_change_sync = true; break;
        case O_BATADV: cfg.batadv_if = optarg; break;
        case O_UCI: cfg.uci_types = optarg; break;
        case O_SERVERS: cfg.servers_file = optarg; break;
        case O_DOMAIN: {
            char *at = strchr(optarg, '=');
            if (!at) {
                fprintf(stderr, "--local-domain: expected DOMAIN=IP\n");
                return SS_ERR_USAGE;
            }
            *at = 0;
            cfg.local_domain = optarg;
            cfg.local_dns_ip = at + 1;
            break;
        }
        case 'v': verbose = true; break;
        case O_HELP: usage_daemon(stdout); return 0;
        default: usage_daemon(stderr); return SS_ERR_USAGE;
        }
    }
    if (optind != argc || cfg.interval_scale <= 0) {
        usage_daemon(stderr);
        return SS_ERR_USAGE;
    }
    lime_log_init("shared-state", verbose ? LIME_LOG_DEBUG : LIME_LOG_INFO);
    signal(SIGPIPE, SIG_IGN);
    struct lime_loop *loop = lime_loop_new();
    if (!loop)
        return SS_ERR_INTERNAL;
    lime_loop_add_signal(loop, SIGTERM, on_stop, loop);
    lime_loop_add_signal(loop, SIGINT, on_stop, loop);
    struct ss_service *ss = ss_service_start(loop, &cfg);
    if (!ss) {
        lime_loop_free(loop);
        return SS_ERR_INTERNAL;
    }
    int r = lime_loop_run(loop);
    ss_service_stop(ss);
    lime_loop_free(loop);
    return r < 0 ? SS_ERR_INTERNAL : SS_OK;
}

int main(int argc, char **argv)
{
    const char *sock = getenv("SS_SOCKET");
    if (!sock || !*sock)
        sock = DEFAULT_SOCKET;
    int i = 1;
    if (i + 1 < argc && !strcmp(argv[i], "--socket")) {
        sock = argv[i + 1];
        i += 2;
    }
    if (i >= argc) {
        usage(stderr);
        return SS_ERR_USAGE;
    }
    if (!strcmp(argv[i], "help") || !strcmp(argv[i], "--help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[i], "peer") || !strcmp(argv[i], "daemon"))
        return run_daemon(sock, argc - i, argv + i);
    lime_log_init("shared-state-async", LIME_LOG_WARN);
    if (!strcmp(argv[i], "add") || !strcmp(argv[i], "old") || !strcmp(argv[i], "del"))
        return dhcp_event(sock, argc - i, argv + i);
    if (!strcmp(argv[i], "init") || !strcmp(argv[i], "tftp") || !strncmp(argv[i], "arp", 3) ||
        !strcmp(argv[i], "relay-snoop"))
        return 0; /* other dnsmasq script events */
    return client_verb(sock, argc - i, argv + i);
}
