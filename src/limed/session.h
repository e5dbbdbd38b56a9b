/* rpcd-like sessions. Logins come from ROOT/etc/config/rpcd `config login` sections
 * (username, password, list read, list write), as on OpenWrt; password "$p$root" means
 * "root's hash in ROOT/etc/shadow", an empty hash accepts any password (rpcd does the
 * same for a root without password), "!"/"*" hashes are locked. Without that file the
 * defaults are root ($p$root, all groups) and lime-app (crypt("generic"), lime-app +
 * unauthenticated). The null session (32 zeros) always exists with the unauthenticated
 * group. Sessions expire after their timeout without use; each use renews it. */
#ifndef LD_SESSION_H
#define LD_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ld_ctx;

#define LD_NULL_SID "00000000000000000000000000000000"
#define LD_SESSION_MAX 256
#define LD_SESSION_DEFAULT_TIMEOUT 300

struct ld_session {
    char sid[33];
    char username[64];
    unsigned read_groups, write_groups; /* acl.h masks */
    int timeout_s;
    uint64_t expires_ms;
};

struct ld_sessions *ld_sessions_new(struct ld_ctx *ctx);
void ld_sessions_free(struct ld_sessions *s);

/* The live session for sid (renewing it), the null session for LD_NULL_SID, or NULL. */
struct ld_session *ld_session_get(struct ld_sessions *s, const char *sid);

/* Checks username/password; on success creates a session. 0, -EACCES (bad
 * user/password), -EAGAIN (too many failures from peer: refused without checking),
 * -ENOMEM. timeout_s <= 0 means the default. peer: the client's address (NULL/"" = no
 * throttling). After LD_LOGIN_MAX_FAILS failures from one address within a minute,
 * that address's logins are refused for LD_LOGIN_BLOCK_S seconds. */
#define LD_LOGIN_MAX_FAILS 5
#define LD_LOGIN_BLOCK_S 30
int ld_session_login(struct ld_sessions *s, const char *username, const char *password,
                     int timeout_s, const char *peer, struct ld_session **out);

/* Removes a session (not the null session). */
void ld_session_destroy(struct ld_sessions *s, const char *sid);

/* Does password match the crypt(3) hash? Empty hash matches anything; "!..."/"*..."
 * never match. */
bool ld_password_matches(const char *password, const char *hash);

/* root's hash from ROOT/etc/shadow into buf; -ENOENT if no root line. */
int ld_shadow_get(struct ld_ctx *ctx, const char *user, char *buf, size_t len);
/* Replaces user's hash in ROOT/etc/shadow (keeps a copy in shadow-). */
int ld_shadow_set(struct ld_ctx *ctx, const char *user, const char *hash);
/* A new SHA-512 crypt hash of password with a random salt, into buf. */
int ld_password_hash(const char *password, char *buf, size_t len);

/* The shared admin password: root's hash in ROOT/etc/shadow, and recorded in
 * lime-community (root_password_policy SET_SECRET, root_password_secret) so nodes that
 * copy the community config inherit it. 0, or -errno with a plain-words msg. */
int ld_set_shared_password(struct ld_ctx *ctx, const char *pw, char *msg, size_t msglen);

#endif
