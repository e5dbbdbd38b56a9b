/* The UCI reader: OpenWrt's /etc/config syntax, read the way libuci's file.c reads it
 * (same tokenizer rules, so a file means the same thing here and on a router):
 *   - a line holds commands separated by ';': `config <type> [name]`, `option <k> [v]`,
 *     `list <k> [v]`, `package <name>`; each may be abbreviated to its first letter;
 *   - an argument is a run of unquoted, '...' and "..." parts glued together;
 *     in "..." and unquoted text a backslash keeps the next char, and a backslash at the
 *     end of a line joins the next line; '...' is literal and may span lines;
 *   - '#' outside quotes starts a comment;
 *   - `option k ''` (empty) changes nothing, as in libuci's parser;
 *   - redeclaring a named section with another type is an error (libuci strict mode).
 * Errors stop the parse: "<label>:<line>: <what was expected>", nothing is returned. */
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "uci.h"

struct token {
    char *p;
    size_t len, cap;
};

struct reader {
    const char *in;
    size_t in_len, in_off;
    char *lb; /* the current logical line (physical lines joined), NUL-terminated */
    size_t lb_len, lb_cap;
    size_t pos;
    int line;
    struct token tok[3];
    struct lime_uci_package *pkg;
    struct lime_uci_section *cur;
    struct lime_uci_error *err;
    jmp_buf fail;
};

static _Noreturn void fail_at(struct reader *r, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static _Noreturn void fail_at(struct reader *r, int line, const char *fmt, ...)
{
    if (r->err) {
        r->err->line = line;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->err->msg, sizeof r->err->msg, fmt, ap);
        va_end(ap);
    }
    longjmp(r->fail, 1);
}

#define fail(r, ...) fail_at((r), (r)->line, __VA_ARGS__)

static char cur(const struct reader *r)
{
    return r->lb[r->pos];
}

/* libuci's uci_getln(offset): drop the logical line from `at` on and append the next
 * physical line (with its '\n'). Returns false at end of input. */
static bool getln(struct reader *r, size_t at)
{
    r->lb_len = at;
    r->lb[at] = 0;
    if (r->in_off >= r->in_len)
        return false;
    const char *start = r->in + r->in_off;
    const char *nl = memchr(start, '\n', r->in_len - r->in_off);
    size_t n = nl ? (size_t)(nl - start) + 1 : r->in_len - r->in_off;
    r->line++;
    if (memchr(start, 0, n))
        fail(r, "NUL byte in file");
    if (at + n > LIME_UCI_MAX_LINE)
        fail(r, "line too long (more than %u bytes)", LIME_UCI_MAX_LINE);
    if (at + n + 1 > r->lb_cap) {
        size_t cap = r->lb_cap;
        while (cap < at + n + 1)
            cap *= 2;
        char *nb = realloc(r->lb, cap);
        if (!nb)
            fail(r, "out of memory");
        r->lb = nb;
        r->lb_cap = cap;
    }
    memcpy(r->lb + at, start, n);
    r->lb_len = at + n;
    r->lb[r->lb_len] = 0;
    r->in_off += n;
    return true;
}

static void tok_add(struct reader *r, struct token *t, char c)
{
    if (t->len + 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        char *np = realloc(t->p, cap);
        if (!np)
            fail(r, "out of memory");
        t->p = np;
        t->cap = cap;
    }
    t->p[t->len++] = c;
    t->p[t->len] = 0;
}

static void skip_space(struct reader *r)
{
    while (cur(r) && isspace((unsigned char)cur(r)))
        r->pos++;
}

/* After a backslash: true if the next char is to be taken literally; false if it was
 * a line continuation (the next line has been joined at the backslash's place). */
static bool backslash(struct reader *r)
{
    r->pos++;
    char c = cur(r);
    if (!c || c == '\n' || (c == '\r' && r->lb[r->pos + 1] == '\n' && !r->lb[r->pos + 2])) {
        getln(r, r->pos);
        return false;
    }
    return true;
}

static void quoted(struct reader *r, struct token *t, char quote)
{
    int start_line = r->line;
    r->pos++;
    for (;;) {
        char c = cur(r);
        if (c == quote) {
            r->pos++;
            return;
        }
        if (!c) {
            /* a quoted value may span lines */
            getln(r, r->pos);
            if (!cur(r))
                fail_at(r, start_line, "unterminated quote");
            continue;
        }
        if (c == '\\' && quote == '"' && !backslash(r))
            continue;
        tok_add(r, t, cur(r));
        r->pos++;
    }
}

/* libuci's parse_str: one argument, up to unquoted whitespace, ';', '#' or end. */
static void parse_str(struct reader *r, struct token *t)
{
    bool next = true;
    do {
        switch (cur(r)) {
        case '\'':
        case '"':
            quoted(r, t, cur(r));
            break;
        case '#':
            r->lb[r->pos] = 0; /* the rest of the line is a comment */
            r->lb_len = r->pos;
            goto done;
        case 0:
            goto done;
        case ';':
            next = false;
            goto done;
        case '\\':
            if (!backslash(r))
                continue;
            /* fall through */
        default:
            tok_add(r, t, cur(r));
            r->pos++;
            break;
        }
    } while (cur(r) && !isspace((unsigned char)cur(r)));
done:
    if (cur(r) && next)
        r->pos++;
}

enum arg_kind { ARG_ANY, ARG_NAME, ARG_PACKAGE };

static bool valid_package(const char *s)
{
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
            return false;
    return *s != 0;
}

/* The next argument into tok[slot]; "" when there is none. */
static const char *next_arg(struct reader *r, int slot, const char *required, enum arg_kind kind)
{
    struct token *t = &r->tok[slot];
    t->len = 0;
    tok_add(r, t, 0); /* make sure t->p exists */
    t->len = 0;
    t->p[0] = 0;
    skip_space(r);
    if (cur(r) == ';')
        r->pos++;
    else
        parse_str(r, t);
    if (!t->len) {
        if (required)
            fail(r, "expected %s", required);
        return t->p;
    }
    if (kind == ARG_NAME && !lime_uci_valid_name(t->p))
        fail(r, "invalid name '%.60s' (expected letters, digits and _)", t->p);
    if (kind == ARG_PACKAGE && !valid_package(t->p))
        fail(r, "invalid package name '%.60s'", t->p);
    return t->p;
}

static void assert_eol(struct reader *r)
{
    skip_space(r);
    const char *extra = next_arg(r, 2, NULL, ARG_ANY);
    if (*extra)
        fail(r, "unexpected extra argument '%.60s' (expected end of command)", extra);
}

static void cmd_config(struct reader *r)
{
    const char *type = next_arg(r, 0, "a section type after 'config'", ARG_ANY);
    if (!lime_uci_valid_type(type))
        fail(r, "invalid section type '%.60s' (expected printable characters, no spaces)",
             type);
    const char *name = next_arg(r, 1, NULL, ARG_NAME);
    assert_eol(r);
    if (!*name) {
        if (lime_uci_section_count(r->pkg) >= LIME_UCI_MAX_SECTIONS)
            fail(r, "too many sections (more than %u)", LIME_UCI_MAX_SECTIONS);
        r->cur = lime_uci_section_add(r->pkg, type);
    } else {
        struct lime_uci_section *old = lime_uci_section_get(r->pkg, name);
        if (old && strcmp(lime_uci_section_type(old), type))
            fail(r, "section '%s' redeclared with type '%.60s' (expected '%.60s')", name, type,
                 lime_uci_section_type(old));
        if (!old && lime_uci_section_count(r->pkg) >= LIME_UCI_MAX_SECTIONS)
            fail(r, "too many sections (more than %u)", LIME_UCI_MAX_SECTIONS);
        r->cur = old ? old : lime_uci_section_set(r->pkg, name, type);
    }
    if (!r->cur)
        fail(r, "out of memory");
}

static void cmd_option(struct reader *r, bool list)
{
    if (!r->cur)
        fail(r, "expected a 'config' line before the first option/list");
    const char *name = next_arg(r, 0, "an option name", ARG_NAME);
    const char *value = next_arg(r, 1, NULL, ARG_ANY);
    assert_eol(r);
    struct lime_uci_option *old = lime_uci_option_get(r->cur, name);
    if (!old && lime_uci_section_option_count(r->cur) >= LIME_UCI_MAX_OPTIONS)
        fail(r, "too many options in section '%s'", lime_uci_section_name(r->cur));
    if (list && old && lime_uci_option_count(old) >= LIME_UCI_MAX_OPTIONS)
        fail(r, "too many items in list '%s'", name);
    int rc = 0;
    if (list)
        rc = lime_uci_sec_add_list(r->cur, name, value);
    else if (*value)
        rc = lime_uci_sec_set(r->cur, name, value);
    if (rc < 0)
        fail(r, "out of memory");
}

static void cmd_package(struct reader *r)
{
    next_arg(r, 0, "a package name", ARG_PACKAGE);
    assert_eol(r);
}

static bool is_cmd(const char *w, size_t n, const char *full)
{
    return (n == 1 && w[0] == full[0]) || (n == strlen(full) && !memcmp(w, full, n));
}

static void parse_line(struct reader *r)
{
    skip_space(r);
    for (;;) {
        while (cur(r) == ' ' || cur(r) == '\t')
            r->pos++;
        if (!cur(r))
            return;
        const char *w = r->lb + r->pos;
        size_t n = 0;
        while (w[n] && w[n] != ' ' && w[n] != '\t')
            n++;
        if (w[0] == '#')
            return;
        size_t bare = n; /* the word without a trailing newline, for messages */
        while (bare && isspace((unsigned char)w[bare - 1]))
            bare--;
        int which = is_cmd(w, n, "config")    ? 'c'
                    : is_cmd(w, n, "option")  ? 'o'
                    : is_cmd(w, n, "list")    ? 'l'
                    : is_cmd(w, n, "package") ? 'p'
                                              : 0;
        if (!which) {
            if (is_cmd(w, bare, "config") || is_cmd(w, bare, "option") ||
                is_cmd(w, bare, "list") || is_cmd(w, bare, "package"))
                fail(r, "expected arguments after '%.*s'", (int)bare, w);
            fail(r, "expected config, option, list or package, got '%.*s'",
                 (int)(bare > 40 ? 40 : bare), w);
        }
        r->pos += n;
        if (!cur(r))
            fail(r, "expected arguments after '%.*s'", (int)n, w);
        r->pos++;
        switch (which) {
        case 'c':
            cmd_config(r);
            break;
        case 'o':
            cmd_option(r, false);
            break;
        case 'l':
            cmd_option(r, true);
            break;
        default:
            cmd_package(r);
            break;
        }
    }
}

static void set_label(struct lime_uci_error *err, const char *label)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
    snprintf(err->file, sizeof err->file, "%s", label ? label : "(input)");
}

struct lime_uci_package *lime_uci_parse(const char *name, const char *text, size_t len,
                                        const char *label, struct lime_uci_error *err)
{
    set_label(err, label);
    if (len > LIME_UCI_MAX_INPUT) {
        if (err)
            snprintf(err->msg, sizeof err->msg, "file too large (more than %u bytes)",
                     LIME_UCI_MAX_INPUT);
        errno = EFBIG;
        return NULL;
    }
    struct reader *r = calloc(1, sizeof *r);
    if (!r) {
        if (err)
            snprintf(err->msg, sizeof err->msg, "out of memory");
        errno = ENOMEM;
        return NULL;
    }
    r->in = text;
    r->in_len = len;
    r->err = err;
    r->lb_cap = 256;
    r->lb = malloc(r->lb_cap);
    r->pkg = lime_uci_new(name);
    struct lime_uci_package *volatile result = NULL;
    if (!setjmp(r->fail)) {
        if (!r->lb || !r->pkg)
            fail(r, "out of memory");
        while (r->in_off < r->in_len) {
            r->pos = 0;
            getln(r, 0);
            if (r->lb[0])
                parse_line(r);
        }
        result = r->pkg;
    } else {
        lime_uci_free(r->pkg);
        errno = EINVAL;
    }
    for (int i = 0; i < 3; i++)
        free(r->tok[i].p);
    free(r->lb);
    free(r);
    return result;
}

struct lime_uci_package *lime_uci_load(const char *path, struct lime_uci_error *err)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len;
    char *text = lime_read_file(path, LIME_UCI_MAX_INPUT, &len);
    if (!text) {
        int e = errno;
        set_label(err, base);
        if (err)
            snprintf(err->msg, sizeof err->msg, "%s", strerror(e));
        errno = e;
        return NULL;
    }
    struct lime_uci_package *pkg = lime_uci_parse(base, text, len, base, err);
    free(text);
    return pkg;
}
