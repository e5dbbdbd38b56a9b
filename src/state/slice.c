/* stateSlice JSON codec (see slice.h). Parsing goes through json-c with a depth limit;
 * writing is by hand so that the output is exactly the upstream member order. */
#include "slice.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#define SLICE_MAX_DEPTH 48

static int get_ttl(struct json_object *v, int64_t *out)
{
    if (json_object_is_type(v, json_type_int)) {
        *out = json_object_get_int64(v);
        return 0;
    }
    if (!json_object_is_type(v, json_type_object))
        return -1;
    struct json_object *x;
    if (json_object_object_get_ex(v, "xint64", &x) && json_object_is_type(x, json_type_int)) {
        *out = json_object_get_int64(x);
        return 0;
    }
    if (json_object_object_get_ex(v, "xstr64", &x) && json_object_is_type(x, json_type_string)) {
        const char *s = json_object_get_string(x);
        char *end;
        errno = 0;
        long long n = strtoll(s, &end, 10);
        if (errno || end == s || *end)
            return -1;
        *out = n;
        return 0;
    }
    return -1;
}

int ss_slice_parse(const char *json, size_t len, struct ss_slice *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (len > INT32_MAX) {
        snprintf(err, errlen, "message too large");
        return -1;
    }
    struct json_tokener *tok = json_tokener_new_ex(SLICE_MAX_DEPTH);
    if (!tok) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    struct json_object *root = json_tokener_parse_ex(tok, json, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t used = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (!root || jerr != json_tokener_success) {
        snprintf(err, errlen, "byte %zu: expected a complete JSON object (%s)", used,
                 jerr == json_tokener_continue ? "truncated" : json_tokener_error_desc(jerr));
        json_object_put(root);
        return -1;
    }
    for (size_t i = used; i < len; i++) {
        if (json[i] != ' ' && json[i] != '\n' && json[i] != '\r' && json[i] != '\t' && json[i]) {
            snprintf(err, errlen, "byte %zu: expected the end of the message after the JSON object", i);
            json_object_put(root);
            return -1;
        }
    }
    struct json_object *arr;
    if (!json_object_is_type(root, json_type_object) ||
        !json_object_object_get_ex(root, "stateSlice", &arr) ||
        !json_object_is_type(arr, json_type_array)) {
        snprintf(err, errlen, "expected an object with a \"stateSlice\" array");
        json_object_put(root);
        return -1;
    }
    size_t n = json_object_array_length(arr);
    out->root = root;
    struct json_object *full;
    out->want_full = json_object_object_get_ex(root, "ssFull", &full) &&
                     json_object_is_type(full, json_type_boolean) && json_object_get_boolean(full);
    if (n == 0)
        return 0;
    out->copies = calloc(n, sizeof *out->copies);
    if (!out->copies) {
        snprintf(err, errlen, "out of memory");
        ss_slice_free(out);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        struct json_object *el = json_object_array_get_idx(arr, i), *key, *val, *author, *ttl,
                           *data = NULL;
        struct ss_copy c = {0};
        if (!json_object_is_type(el, json_type_object) ||
            !json_object_object_get_ex(el, "key", &key) ||
            !json_object_is_type(key, json_type_string) ||
            !json_object_object_get_ex(el, "value", &val) ||
            !json_object_is_type(val, json_type_object) ||
            !json_object_object_get_ex(val, "mAuthor", &author) ||
            !json_object_is_type(author, json_type_string) ||
            !json_object_object_get_ex(val, "mTtl", &ttl) || get_ttl(ttl, &c.ttl_s) < 0) {
            out->bad++;
            continue;
        }
        json_object_object_get_ex(val, "mData", &data);
        struct json_object *ver;
        int64_t v = 0;
        if (json_object_object_get_ex(val, "ssVer", &ver) && get_ttl(ver, &v) == 0 && v > 0)
            c.ver = (uint64_t)v;
        c.key = json_object_get_string(key);
        c.author = json_object_get_string(author);
        c.data = data ? json_object_to_json_string_ext(data, JSON_C_TO_STRING_PLAIN |
                                                                 JSON_C_TO_STRING_NOSLASHESCAPE)
                      : "null";
        if (!c.data || strlen(c.key) != (size_t)json_object_get_string_len(key)) {
            out->bad++; /* embedded NUL in a key */
            continue;
        }
        out->copies[out->n++] = c;
    }
    return 0;
}

void ss_slice_free(struct ss_slice *s)
{
    free(s->copies);
    json_object_put(s->root);
    memset(s, 0, sizeof *s);
}

void ss_buf_json_string(struct lime_strbuf *b, const char *s)
{
    lime_strbuf_put(b, "\"", 1);
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        lime_strbuf_put(b, run, (size_t)(s - run));
        char esc[8];
        if (c == '"' || c == '\\')
            snprintf(esc, sizeof esc, "\\%c", c);
        else if (c == '\n')
            snprintf(esc, sizeof esc, "\\n");
        else
            snprintf(esc, sizeof esc, "\\u%04x", c);
        lime_strbuf_puts(b, esc);
        run = s + 1;
    }
    lime_strbuf_put(b, run, (size_t)(s - run));
    lime_strbuf_put(b, "\"", 1);
}

char *ss_slice_encode(struct ss_type *t, uint64_t since_seq, uint64_t skip_lo, uint64_t skip_hi,
                      uint64_t now_ms, size_t max_bytes, size_t *len, size_t *count,
                      int *truncated)
{
    struct lime_strbuf b = {0};
    static const char head[] = "{\"stateSlice\":[", tail[] = "]}";
    lime_strbuf_puts(&b, head);
    *count = 0;
    *truncated = 0;
    for (size_t i = 0; i < t->n; i++) {
        struct ss_entry *e = &t->entries[i];
        int64_t ttl = ss_entry_ttl(e, now_ms);
        if (e->seq <= since_seq || ttl <= 0 || (e->seq >= skip_lo && e->seq <= skip_hi))
            continue;
        size_t mark = b.len;
        if (*count)
            lime_strbuf_put(&b, ",", 1);
        lime_strbuf_puts(&b, "{\"key\":");
        ss_buf_json_string(&b, e->key);
        lime_strbuf_puts(&b, ",\"value\":{\"mAuthor\":");
        ss_buf_json_string(&b, e->author);
        char num[96];
        snprintf(num, sizeof num, ",\"mTtl\":{\"xint64\":%" PRId64 ",\"xstr64\":\"%" PRId64 "\"},\"mData\":",
                 ttl, ttl);
        lime_strbuf_puts(&b, num);
        lime_strbuf_puts(&b, e->data);
        if (e->ver) {
            snprintf(num, sizeof num, ",\"ssVer\":%" PRIu64, e->ver);
            lime_strbuf_puts(&b, num);
        }
        lime_strbuf_puts(&b, "}}");
        if (b.len + sizeof tail - 1 > max_bytes) {
            b.len = mark;
            *truncated = 1;
            break;
        }
        (*count)++;
    }
    lime_strbuf_puts(&b, tail);
    if (b.oom) {
        lime_strbuf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.p;
}
