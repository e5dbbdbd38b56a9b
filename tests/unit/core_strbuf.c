/* strbuf: appends, printf of short and long text, finish (returns the text, leaves the
 * buffer empty and reusable), free. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "strbuf.h"

static void test_strbuf(void **state)
{
    (void)state;
    struct lime_strbuf b = {0};
    size_t len = 99;
    char *t = lime_strbuf_finish(&b, &len);
    assert_string_equal(t, "");
    assert_int_equal(len, 0);
    free(t);
    lime_strbuf_puts(&b, "a");
    lime_strbuf_put(&b, "bcd", 2);
    lime_strbuf_printf(&b, "-%d-%s", 42, "x");
    t = lime_strbuf_finish(&b, &len);
    assert_string_equal(t, "abc-42-x");
    assert_int_equal(len, 8);
    free(t);
    /* empty again after finish: new text starts from nothing */
    assert_null(b.p);
    assert_int_equal(b.len, 0);
    char big[5000];
    memset(big, 'y', sizeof big - 1);
    big[sizeof big - 1] = 0;
    lime_strbuf_printf(&b, "<%s>", big); /* longer than any small buffer */
    lime_strbuf_printf(&b, "%s", "");
    assert_int_equal(b.len, sizeof big + 1);
    assert_int_equal(b.p[0], '<');
    assert_int_equal(b.p[b.len - 1], '>');
    assert_int_equal(b.p[b.len], 0);
    assert_int_equal(strlen(b.p), b.len);
    lime_strbuf_free(&b);
    assert_null(b.p);
    assert_false(b.oom);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strbuf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
