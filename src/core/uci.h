/* UCI configuration files (OpenWrt's /etc/config syntax): reader, writer and a small
 * in-memory model. The reader accepts what libuci accepts (quotes, backslash escapes
 * and line continuation, '#' comments, ';' between commands, multi-line quoted values,
 * abbreviated commands c/o/l/p); the writer produces byte for byte what `uci commit`
 * writes. Model semantics follow libuci's, so an option set/list sequence ends with
 * the same order of options as on OpenWrt:
 *   - setting an option to a different value (or replacing a list by a string) moves it
 *     to the end of its section; setting the same value changes nothing;
 *   - setting an option to "" deletes it;
 *   - appending to a string option turns it into a list [old, new] at the end;
 *   - re-declaring a named section changes its type and keeps its place and options;
 *   - anonymous sections get libuci's name "cfg" + %02x (1-based count of sections
 *     created in the package so far) + %04x (djb hash of the type, low 16 bits),
 *     e.g. the first `config dnsmasq` of /etc/config/dhcp is cfg01411c.
 * Every string passed in is copied; every string returned is owned by the model and
 * valid until that element is changed or freed. Order is always file/insertion order. */
#ifndef LIME_UCI_H
#define LIME_UCI_H

#include <stdbool.h>
#include <stddef.h>

/* Limits that keep a hostile file from exhausting memory. */
#define LIME_UCI_MAX_INPUT (4u << 20)    /* bytes of one file */
#define LIME_UCI_MAX_LINE (64u << 10)    /* bytes of one logical line (with continuations) */
#define LIME_UCI_MAX_SECTIONS 10000      /* sections per package */
#define LIME_UCI_MAX_OPTIONS 10000       /* options per section, items per list */

struct lime_uci_package;
struct lime_uci_section;
struct lime_uci_option;

/* A parse or load failure; print it with lime_uci_error_format(). */
struct lime_uci_error {
    char file[256]; /* the name given to the parser (file path or label) */
    int line;       /* 1-based line of the error, 0 if not line related (I/O, size) */
    char msg[160];  /* what was expected, e.g. "unterminated quote" */
};

/* "file:line: msg" (or "file: msg" when line is 0) into buf; returns buf. */
const char *lime_uci_error_format(const struct lime_uci_error *err, char *buf, size_t len);

/* ---- packages ---------------------------------------------------------------- */

/* An empty package. name: the package name (e.g. "network"); NULL on ENOMEM. */
struct lime_uci_package *lime_uci_new(const char *name);
void lime_uci_free(struct lime_uci_package *pkg);
struct lime_uci_package *lime_uci_dup(const struct lime_uci_package *pkg);
const char *lime_uci_package_name(const struct lime_uci_package *pkg);

/* Parses len bytes of UCI text (NUL bytes are an error). name is the package name;
 * a `package x` line in the text is accepted and ignored (as libuci does when a file
 * is loaded by name). label is used in error messages (usually the file's basename).
 * On error returns NULL, fills *err (if non-NULL) and allocates nothing. */
struct lime_uci_package *lime_uci_parse(const char *name, const char *text, size_t len,
                                        const char *label, struct lime_uci_error *err);

/* Reads and parses a file. The package is named after the file's basename and errors
 * are labelled with it (e.g. "lime-node:7: unterminated quote"). A missing file is an
 * error with msg "No such file or directory" (check errno == ENOENT after the call). */
struct lime_uci_package *lime_uci_load(const char *path, struct lime_uci_error *err);

/* The text `uci commit` would write: "\nconfig <type>[ '<name>']\n" per section (no
 * name for anonymous sections), "\toption <k> '<v>'\n", "\tlist <k> '<v>'\n" per item,
 * and a final "\n"; a ' inside a value is written '\''. Returns a malloc'd
 * NUL-terminated string (length in *len if non-NULL), NULL on ENOMEM. */
char *lime_uci_write(const struct lime_uci_package *pkg, size_t *len);

/* Writes lime_uci_write() output atomically to path (temp file + fsync + rename),
 * after the optional header text. 0 or -errno. */
int lime_uci_save(const struct lime_uci_package *pkg, const char *path, const char *header);

/* Same sections (name, type, anonymous flag, order) with the same options (name,
 * kind, values, order). Package names are not compared. */
bool lime_uci_equal(const struct lime_uci_package *a, const struct lime_uci_package *b);

/* ---- sections ---------------------------------------------------------------- */

struct lime_uci_section *lime_uci_section_get(const struct lime_uci_package *pkg,
                                              const char *name);
/* Like `uci set pkg.name=type`: creates a named section at the end, or changes the
 * type of an existing one in place. NULL on invalid name/type or ENOMEM (errno set). */
struct lime_uci_section *lime_uci_section_set(struct lime_uci_package *pkg, const char *name,
                                              const char *type);
/* Like `uci add pkg type`: a new anonymous section at the end, named cfgNNhhhh. */
struct lime_uci_section *lime_uci_section_add(struct lime_uci_package *pkg, const char *type);
/* 0, or -ENOENT. */
int lime_uci_section_delete(struct lime_uci_package *pkg, const char *name);
/* Renames a section (it stops being anonymous). 0, -ENOENT, -EEXIST or -EINVAL. */
int lime_uci_section_rename(struct lime_uci_package *pkg, const char *name,
                            const char *new_name);

/* Iteration in order; type NULL means every section. Deleting the current section
 * is allowed if the next one was fetched first. */
struct lime_uci_section *lime_uci_section_first(const struct lime_uci_package *pkg,
                                                const char *type);
struct lime_uci_section *lime_uci_section_next(const struct lime_uci_section *sec,
                                               const char *type);
#define lime_uci_foreach_section(pkg, type, sec)                                          \
    for ((sec) = lime_uci_section_first((pkg), (type)); (sec);                            \
         (sec) = lime_uci_section_next((sec), (type)))

const char *lime_uci_section_name(const struct lime_uci_section *sec);
const char *lime_uci_section_type(const struct lime_uci_section *sec);
bool lime_uci_section_anonymous(const struct lime_uci_section *sec);
size_t lime_uci_section_count(const struct lime_uci_package *pkg);
size_t lime_uci_section_option_count(const struct lime_uci_section *sec);

/* ---- options ----------------------------------------------------------------- */

struct lime_uci_option *lime_uci_option_get(const struct lime_uci_section *sec,
                                            const char *name);
struct lime_uci_option *lime_uci_option_first(const struct lime_uci_section *sec);
struct lime_uci_option *lime_uci_option_next(const struct lime_uci_option *opt);
#define lime_uci_foreach_option(sec, opt)                                                 \
    for ((opt) = lime_uci_option_first(sec); (opt); (opt) = lime_uci_option_next(opt))

const char *lime_uci_option_name(const struct lime_uci_option *opt);
bool lime_uci_option_is_list(const struct lime_uci_option *opt);
/* A string option's value; for a list, its first item (NULL if the list is empty). */
const char *lime_uci_option_value(const struct lime_uci_option *opt);
/* Items of a list; a string option counts as a list of one. */
size_t lime_uci_option_count(const struct lime_uci_option *opt);
const char *lime_uci_option_item(const struct lime_uci_option *opt, size_t i);
/* The items as an array (n in *count); valid until the option changes. */
const char *const *lime_uci_option_items(const struct lime_uci_option *opt, size_t *count);

/* Section-level setters (libuci semantics above). 0 or -errno (-EINVAL bad name). */
int lime_uci_sec_set(struct lime_uci_section *sec, const char *option, const char *value);
int lime_uci_sec_add_list(struct lime_uci_section *sec, const char *option, const char *value);
/* Replaces the option by a list of n items (delete + add_list each); n == 0 deletes. */
int lime_uci_sec_set_list(struct lime_uci_section *sec, const char *option,
                          const char *const *values, size_t n);
/* Copies src (a string or list option of any package) into sec under src's name. An
 * existing option of that name is replaced where it stands (unlike set, which moves
 * it to the end); otherwise it is appended. 0 or -ENOMEM. */
int lime_uci_sec_copy_option(struct lime_uci_section *sec, const struct lime_uci_option *src);
/* 0 or -ENOENT. */
int lime_uci_sec_delete(struct lime_uci_section *sec, const char *option);

/* Package-level shortcuts by section name: -ENOENT if the section does not exist. */
const char *lime_uci_get(const struct lime_uci_package *pkg, const char *section,
                         const char *option); /* string value or first list item, or NULL */
int lime_uci_set(struct lime_uci_package *pkg, const char *section, const char *option,
                 const char *value);
int lime_uci_add_list(struct lime_uci_package *pkg, const char *section, const char *option,
                      const char *value);
int lime_uci_set_list(struct lime_uci_package *pkg, const char *section, const char *option,
                      const char *const *values, size_t n);
int lime_uci_delete(struct lime_uci_package *pkg, const char *section, const char *option);

/* libuci's name rules: section/option names [A-Za-z0-9_]+; types printable ASCII
 * without space. */
bool lime_uci_valid_name(const char *s);
bool lime_uci_valid_type(const char *s);

#endif
