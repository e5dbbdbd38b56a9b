/* limed's view of UCI files: load one, read and set options, save it back. A thin layer
 * over the core library (src/core/uci.h: libuci-compatible reader, `uci commit`-exact
 * writer), adding what limed needs: "@type[N]" section selectors, "missing file = empty
 * package", and create-the-section-on-set. */
#ifndef LD_UCIFILE_H
#define LD_UCIFILE_H

#include <stdbool.h>
#include <stddef.h>

struct lime_uci_package;
struct lime_uci_section;

struct ld_uci {
    struct lime_uci_package *pkg; /* never NULL after a load/parse that returned 0 or -ENOENT */
};

/* Loads path into u. A missing file gives an empty package and returns -ENOENT; a
 * syntax error returns -EINVAL with "file:line: what" in err (u is then empty too).
 * 0 on success. Always pair with ld_uci_free(). */
int ld_uci_load(const char *path, struct ld_uci *u, char *err, size_t errlen);
/* Parses text (NUL-terminated); name labels error messages. 0 or -EINVAL. */
int ld_uci_parse(const char *name, const char *text, struct ld_uci *u, char *err, size_t errlen);
void ld_uci_free(struct ld_uci *u);

/* Section by name, or "@type[N]" for the Nth section of a type. NULL if absent. */
struct lime_uci_section *ld_uci_section(const struct ld_uci *u, const char *sec);
/* First value of an option (a list gives its first element); NULL if absent. */
const char *ld_uci_get(const struct ld_uci *u, const char *sec, const char *opt);
const char *ld_uci_sec_get(const struct lime_uci_section *s, const char *opt);
/* Sets (or, with val NULL, deletes) option opt of section sec, creating the section with
 * sectype if it does not exist. 0 or -errno (-EINVAL: bad name or a newline in val). */
int ld_uci_set(struct ld_uci *u, const char *sectype, const char *sec, const char *opt,
               const char *val);
/* Sets option opt of section sec to the list items[0..n) (n == 0 deletes it), creating the
 * section with sectype if needed. 0 or -errno. */
int ld_uci_set_list(struct ld_uci *u, const char *sectype, const char *sec, const char *opt,
                    const char *const *items, size_t n);
/* Items of option opt of section sec (a plain option is one item) into out; how many. */
size_t ld_uci_get_list(const struct ld_uci *u, const char *sec, const char *opt,
                       const char **out, size_t max);
/* Serialises u as `uci commit` does; the caller frees the string. */
char *ld_uci_format(const struct ld_uci *u);
/* Writes u to path atomically. 0 or -errno. */
int ld_uci_save(const struct ld_uci *u, const char *path);

/* Convenience: one option of one file, copied into out (empty if absent). Returns out. */
char *ld_uci_read_option(const char *path, const char *sec, const char *opt, char *out,
                         size_t outlen);

#endif
