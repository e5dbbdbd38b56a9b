/* Sessions and logins; see session.h. */
#include "session.h"

#include "acl.h"
#include "limed.h"
#include "ucifile.h"
#include "uci.h"
#include "core/log.h"
#include "core/loop.h"

#include <crypt.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

/* Failed logins per client address (a small table; the oldest entry is reused). */
struct fail_record {
    char peer[48];
    unsigned count;
    uint64_t window_start_ms, blocked_until_ms;
};
#define FAIL_RECORDS 32

struct ld_sessions {
    struct ld_ctx *ctx;
    struct fail_record fails[FAIL_RECORDS];
    struct ld_session null_session;
    struct ld_session *list[LD_SESSION_MAX];
};

struct ld_sessions *ld_sessions_new(struct ld_ctx *ctx)
{
    struct ld_sessions *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->ctx = ctx;
    strcpy(s->null_session.sid, LD_NULL_SID);
    strcpy(s->null_session.username, "");
    s->null_session.read_groups = 1u << LD_GRP_UNAUTHENTICATED;
    return s;
}

void ld_sessions_free(struct ld_sessions *s)
{
    if (!s)
        return;
    for (int i = 0; i < LD_SESSION_MAX; i++)
        free(s->list[i]);
    free(s);
}

struct ld_session *ld_session_get(struct ld_sessions *s, const char *sid)
{
    if (!sid)
        return NULL;
    if (!strcmp(sid, LD_NULL_SID))
        return &s->null_session;
    uint64_t now = lime_now_ms();
    for (int i = 0; i < LD_SESSION_MAX; i++) {
        struct ld_session *x = s->list[i];
        if (!x || strcmp(x->sid, sid))
            continue;
        if (x->expires_ms <= now) {
            free(x);
            s->list[i] = NULL;
            return NULL;
        }
        x->expires_ms = now + (uint64_t)x->timeout_s * 1000;
        return x;
    }
    return NULL;
}

void ld_session_destroy(struct ld_sessions *s, const char *sid)
{
    for (int i = 0; i < LD_SESSION_MAX; i++)
        if (s->list[i] && !strcmp(s->list[i]->sid, sid)) {
            free(s->list[i]);
            s->list[i] = NULL;
        }
}

bool ld_password_matches(const char *password, const char *hash)
{
    if (!hash[0])
        return true;
    if (hash[0] == '!' || hash[0] == '*' || hash[0] != '$')
        return false;
    struct crypt_data *cd = calloc(1, sizeof(*cd));
    if (!cd)
        return false;
    const char *r = crypt_r(password, hash, cd);
    bool ok = r && r[0] != '*' && strcmp(r, hash) == 0;
    free(cd);
    return ok;
}

int ld_password_hash(const char *password, char *buf, size_t len)
{
    unsigned char rnd[12];
    static const char b64[] =
        "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
        return -EIO;
    char salt[32] = "$6$";
    for (size_t i = 0; i < sizeof(rnd); i++)
        salt[3 + i] = b64[rnd[i] & 63];
    salt[3 + sizeof(rnd)] = '$';
    salt[4 + sizeof(rnd)] = 0;
    struct crypt_data *cd = calloc(1, sizeof(*cd));
    if (!cd)
        return -ENOMEM;
    const char *h = crypt_r(password, salt, cd);
    int r = h && h[0] == '$' && strlen(h) < len ? 0 : -EIO;
    if (!r)
        strcpy(buf, h);
    free(cd);
    return r;
}

int ld_shadow_get(struct ld_ctx *ctx, const char *user, char *buf, size_t len)
{
    char path[512];
    char *data = lime_read_file(ld_path(ctx, "/etc/shadow", path, sizeof(path)), 1 << 20, NULL);
    if (!data)
        return -ENOENT;
    size_t ul = strlen(user);
    int r = -ENOENT;
    for (char *line = data; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        if (!strncmp(line, user, ul) && line[ul] == ':') {
            char *h = line + ul + 1, *end = strchr(h, ':');
            if (end)
                *end = 0;
            ld_strlcpy(buf, h, len);
            r = 0;
            break;
        }
        line = nl ? nl + 1 : NULL;
    }
    free(data);
    return r;
}

int ld_shadow_set(struct ld_ctx *ctx, const char *user, const char *hash)
{
    char path[512], bak[520];
    ld_path(ctx, "/etc/shadow", path, sizeof(path));
    size_t len = 0;
    char *data = lime_read_file(path, 1 << 20, &len);
    if (!data)
        return -ENOENT;
    snprintf(bak, sizeof(bak), "%s-", path);
    lime_write_file_atomic(bak, data, len, 0600);
    size_t ul = strlen(user), cap = len + strlen(hash) + ul + 64, ol = 0;
    char *out = malloc(cap);
    if (!out) {
        free(data);
        return -ENOMEM;
    }
    bool found = false;
    for (char *line = data; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        if (!found && !strncmp(line, user, ul) && line[ul] == ':') {
            char *rest = strchr(line + ul + 1, ':');
            ol += (size_t)snprintf(out + ol, cap - ol, "%s:%s%s\n", user, hash, rest ? rest : "");
            found = true;
        } else {
            ol += (size_t)snprintf(out + ol, cap - ol, "%s\n", line);
        }
        line = nl ? nl + 1 : NULL;
    }
    int r = found ? lime_write_file_atomic(path, out, ol, 0600) : -ENOENT;
    free(out);
    free(data);
    return r;
}

/* The login entry for username: hash and groups. */
struct login {
    char hash[256];
    unsigned read_groups, write_groups;
};

static void default_lime_app_hash(char *buf, size_t len)
{
    struct crypt_data *cd = calloc(1, sizeof(*cd));
    const char *h = cd ? crypt_r("generic", "$1$$", cd) : NULL;
    ld_strlcpy(buf, h && h[0] == '$' ? h : "!", len);
    free(cd);
}

static unsigned groups_of(const struct lime_uci_section *sec, const char *name)
{
    unsigned mask = 0;
    const struct lime_uci_option *o = lime_uci_option_get(sec, name);
    for (size_t i = 0; o && i < lime_uci_option_count(o); i++)
        mask |= ld_acl_group_mask(lime_uci_option_item(o, i));
    return mask;
}

static int find_login(struct ld_ctx *ctx, const char *username, struct login *l)
{
    char path[512];
    struct ld_uci u;
    bool have_file = ld_uci_load(ld_path(ctx, "/etc/config/rpcd", path, sizeof(path)), &u,
                                 NULL, 0) == 0;
    int r = -ENOENT;
    bool any_login = false;
    if (have_file) {
        struct lime_uci_section *sec;
        lime_uci_foreach_section(u.pkg, "login", sec) {
            any_login = true;
            const char *name = ld_uci_sec_get(sec, "username");
            const char *pw = ld_uci_sec_get(sec, "password");
            if (!name || strcmp(name, username))
                continue;
            ld_strlcpy(l->hash, pw ? pw : "!", sizeof(l->hash));
            l->read_groups = groups_of(sec, "read");
            l->write_groups = groups_of(sec, "write");
            r = 0;
            break;
        }
    }
    ld_uci_free(&u);
    if (!any_login) {
        if (!strcmp(username, "root")) {
            strcpy(l->hash, "$p$root");
            l->read_groups = l->write_groups = LD_GRP_ALL;
            r = 0;
        } else if (!strcmp(username, "lime-app")) {
            default_lime_app_hash(l->hash, sizeof(l->hash));
            l->read_groups = l->write_groups =
                (1u << LD_GRP_LIME_APP) | (1u << LD_GRP_UNAUTHENTICATED);
            r = 0;
        }
    }
    if (r == 0 && !strncmp(l->hash, "$p$", 3)) {
        char user[64];
        ld_strlcpy(user, l->hash + 3, sizeof(user));
        if (ld_shadow_get(ctx, user, l->hash, sizeof(l->hash)) < 0)
            return -ENOENT;
    }
    return r;
}

static int new_sid(char *sid)
{
    unsigned char rnd[16];
    if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
        return -EIO;
    for (int i = 0; i < 16; i++)
        sprintf(sid + 2 * i, "%02x", rnd[i]);
    return 0;
}

static struct fail_record *fail_record(struct ld_sessions *s, const char *peer, bool create)
{
    struct fail_record *oldest = &s->fails[0];
    for (int i = 0; i < FAIL_RECORDS; i++) {
        if (!strcmp(s->fails[i].peer, peer))
            return &s->fails[i];
        if (s->fails[i].window_start_ms < oldest->window_start_ms)
            oldest = &s->fails[i];
    }
    if (!create)
        return NULL;
    memset(oldest, 0, sizeof(*oldest));
    ld_strlcpy(oldest->peer, peer, sizeof(oldest->peer));
    return oldest;
}

int ld_session_login(struct ld_sessions *s, const char *username, const char *password,
                     int timeout_s, const char *peer, struct ld_session **out)
{
    struct login l;
    uint64_t now = lime_now_ms();
    bool throttle = peer && peer[0];
    struct fail_record *fr = throttle ? fail_record(s, peer, false) : NULL;
    if (fr && fr->blocked_until_ms > now) {
        s->ctx->stats.logins_failed++;
        return -EAGAIN;
    }
    if (strlen(username) >= sizeof(((struct ld_session *)0)->username) ||
        find_login(s->ctx, username, &l) < 0 || !ld_password_matches(password, l.hash)) {
        s->ctx->stats.logins_failed++;
        if (throttle) {
            fr = fail_record(s, peer, true);
            if (now - fr->window_start_ms > 60000) {
                fr->window_start_ms = now;
                fr->count = 0;
            }
            if (++fr->count >= LD_LOGIN_MAX_FAILS) {
                fr->blocked_until_ms = now + LD_LOGIN_BLOCK_S * 1000;
                fr->count = 0;
                log_warn("%u failed logins from %s: refusing its logins for %d s",
                         LD_LOGIN_MAX_FAILS, peer, LD_LOGIN_BLOCK_S);
            }
        }
        return -EACCES;
    }
    if (fr)
        memset(fr, 0, sizeof(*fr));
    struct ld_session *x = calloc(1, sizeof(*x));
    if (!x || new_sid(x->sid) < 0) {
        free(x);
        return -ENOMEM;
    }
    ld_strlcpy(x->username, username, sizeof(x->username));
    x->read_groups = l.read_groups;
    x->write_groups = l.write_groups;
    x->timeout_s = timeout_s > 0 ? timeout_s : LD_SESSION_DEFAULT_TIMEOUT;
    if (x->timeout_s > 86400)
        x->timeout_s = 86400;
    x->expires_ms = now + (uint64_t)x->timeout_s * 1000;
    /* A free slot, else an expired one, else the one closest to expiry. */
    int slot = -1;
    for (int i = 0; i < LD_SESSION_MAX && slot < 0; i++)
        if (!s->list[i])
            slot = i;
    for (int i = 0; i < LD_SESSION_MAX && slot < 0; i++)
        if (s->list[i]->expires_ms <= now)
            slot = i;
    if (slot < 0) {
        slot = 0;
        for (int i = 1; i < LD_SESSION_MAX; i++)
            if (s->list[i]->expires_ms < s->list[slot]->expires_ms)
                slot = i;
    }
    free(s->list[slot]);
    s->list[slot] = x;
    s->ctx->stats.logins_ok++;
    *out = x;
    return 0;
}

/* Sets root's password (ROOT/etc/shadow) and records the hash in lime-community so
 * nodes that copy the community config inherit it (root_password_policy SET_SECRET). */
int ld_set_shared_password(struct ld_ctx *ctx, const char *pw, char *msg, size_t msglen)
{
    char hash[256], path[512];
    if (strlen(pw) < 8 || strlen(pw) > 128) {
        snprintf(msg, msglen, "The password needs at least 8 characters");
        return -EINVAL;
    }
    if (ld_password_hash(pw, hash, sizeof(hash)) < 0 || ld_shadow_set(ctx, "root", hash) < 0) {
        snprintf(msg, msglen, "cannot change the password (no %s)",
                 ld_path(ctx, "/etc/shadow", path, sizeof(path)));
        return -EIO;
    }
    struct ld_uci u;
    ld_path(ctx, "/etc/config/lime-community", path, sizeof(path));
    int r = ld_uci_load(path, &u, NULL, 0);
    if (r == 0 || r == -ENOENT) {
        ld_uci_set(&u, "lime", "system", "root_password_policy", "SET_SECRET");
        ld_uci_set(&u, "lime", "system", "root_password_secret", hash);
        ld_uci_save(&u, path);
    }
    ld_uci_free(&u);
    return 0;
}

