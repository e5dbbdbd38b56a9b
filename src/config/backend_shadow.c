/* uci backend: the root password policy (spec §2.11) on ROOT/etc/shadow. Only root's line
 * (the first line, as upstream reads it) changes; the previous file is kept as shadow-.
 *   SET_SECRET  root's hash := root_secret, when it differs
 *   RANDOM      when root has no password (hash of 0 or 1 char: "", "*", "!"), a random
 *               30-char password hashed with SHA-512 crypt (nobody learns it, as upstream) */
#include "backend_uci.h"

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "fsutil.h"

static int fail(struct plan_error *err, const char *msg, const char *path)
{
    snprintf(err->msg, sizeof err->msg, "%.300s: %.200s", path, msg);
    return -1;
}

static int random_hash(char *out, size_t len)
{
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char rnd[30];
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
        return -1;
    char pw[31];
    for (size_t i = 0; i < 30; i++)
        pw[i] = alnum[rnd[i] % (sizeof alnum - 1)];
    pw[30] = '\0';
    /* "$6$" + 16 salt characters: SHA-512 crypt, which glibc's libxcrypt and musl (OpenWrt)
     * both do; musl has no crypt_gensalt() */
    static const char b64[] = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    unsigned char srnd[16];
    if (getrandom(srnd, sizeof srnd, 0) != (ssize_t)sizeof srnd)
        return -1;
    char salt[3 + sizeof srnd + 2] = "$6$";
    for (size_t i = 0; i < sizeof srnd; i++)
        salt[3 + i] = b64[srnd[i] & 63];
    salt[3 + sizeof srnd] = '$';
    salt[4 + sizeof srnd] = '\0';
    struct crypt_data cd;
    memset(&cd, 0, sizeof cd);
    const char *h = crypt_r(pw, salt, &cd);
    explicit_bzero(pw, sizeof pw);
    if (!h || h[0] == '*' || strlen(h) >= len)
        return -1;
    strcpy(out, h);
    return 0;
}

int plan_uci_shadow_text(const char *root, const struct plan *plan, char **new_text, char **old_text,
                    size_t *old_len, struct plan_error *err)
{
    *new_text = *old_text = NULL;
    if (plan->root_policy == PLAN_ROOT_DO_NOTHING)
        return 0;
    char path[4200];
    snprintf(path, sizeof path, "%s/etc/shadow", root);
    size_t len;
    char *old = lime_read_file(path, 1u << 20, &len);
    if (!old)
        return fail(err, strerror(errno), path);
    /* root's line: the first one, "root:<hash>:..." */
    char *c1 = strchr(old, ':');
    char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    char *nl = strchr(old, '\n');
    if (strncmp(old, "root:", 5) || !c2 || (nl && nl < c2)) {
        free(old);
        return fail(err, "first line is not root's entry (root:<hash>:...)", path);
    }
    size_t cur_len = (size_t)(c2 - c1 - 1);
    char hash[256];
    if (plan->root_policy == PLAN_ROOT_SET_SECRET) {
        if (cur_len == strlen(plan->root_secret) && !memcmp(c1 + 1, plan->root_secret, cur_len)) {
            free(old);
            return 0;
        }
        snprintf(hash, sizeof hash, "%s", plan->root_secret);
    } else {
        if (cur_len > 1) {
            free(old);
            return 0;
        }
        if (random_hash(hash, sizeof hash) < 0) {
            free(old);
            return fail(err, "cannot generate a random password hash", path);
        }
    }
    size_t hl = strlen(hash);
    char *text = malloc(len - cur_len + hl + 1);
    if (!text) {
        free(old);
        return fail(err, "out of memory", path);
    }
    size_t head = (size_t)(c1 + 1 - old);
    memcpy(text, old, head);
    memcpy(text + head, hash, hl);
    memcpy(text + head + hl, c2, len - (size_t)(c2 - old) + 1);
    *new_text = text;
    *old_text = old;
    *old_len = len;
    return 0;
}
