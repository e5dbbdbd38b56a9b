/* A small UCI (OpenWrt config) reader/writer for limed: load one file, read and set
 * options, save it back atomically. limed needs only named/anonymous sections with
 * options and lists; it does not need uci's delta/savedir machinery.
 * (Kept inside limed until the core library offers one; then this file goes.) */
#ifndef LD_UCIFILE_H
#define LD_UCIFILE_H

#include <stdbool.h>
#include <stddef.h>

struct ld_uci_opt {
    char *name;
    char **vals;
    int nvals;
    bool is_list;
};

struct ld_uci_sec {
    char *type;
    char *name; /* NULL for an anonymous section */
    struct ld_uci_opt *opts;
    int nopts;
};

struct ld_uci {
    struct ld_uci_sec *secs;
    int nsecs;
};

/* Loads path into u (u starts empty). A missing file gives an empty config and returns
 * -ENOENT; a syntax error returns -EINVAL with "path:line: what" in err. 0 on success. */
int ld_uci_load(const char *path, struct ld_uci *u, char *err, size_t errlen);
/* Parses text (NUL-terminated) into u (u starts empty); name is used in error messages. */
int ld_uci_parse(const char *name, const char *text, struct ld_uci *u, char *err, size_t errlen);
void ld_uci_free(struct ld_uci *u);

/* Section by name, or "@type[N]" for the Nth section of a type. NULL if absent. */
struct ld_uci_sec *ld_uci_section(const struct ld_uci *u, const char *sec);
/* First section of the given type, NULL if none. */
struct ld_uci_sec *ld_uci_first_of(const struct ld_uci *u, const char *type);
/* First value of an option (a list gives its first element); NULL if absent. */
const char *ld_uci_get(const struct ld_uci *u, const char *sec, const char *opt);
const char *ld_uci_sec_get(const struct ld_uci_sec *s, const char *opt);
/* Sets (or, with val NULL, deletes) option opt of section sec, creating the section with
 * sectype if it does not exist. 0 or -errno. */
int ld_uci_set(struct ld_uci *u, const char *sectype, const char *sec, const char *opt,
               const char *val);
/* Serialises u; the caller frees the string. */
char *ld_uci_format(const struct ld_uci *u);
/* Writes u to path via a temporary file and rename(). 0 or -errno. */
int ld_uci_save(const struct ld_uci *u, const char *path);

/* Convenience: one option of one file, copied into out (empty if absent). Returns out. */
char *ld_uci_read_option(const char *path, const char *sec, const char *opt, char *out,
                         size_t outlen);

#endif
