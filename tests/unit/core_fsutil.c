/* fsutil: whole-file read limits, atomic replace, mkdir -p. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fsutil.h"

static void test_fsutil(void **state)
{
    (void)state;
    char dir[] = "/tmp/core_fsutil_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512], deep[256];
    snprintf(deep, sizeof deep, "%s/a/b/c", dir);
    assert_int_equal(lime_mkdir_p(deep, 0755), 0);
    assert_int_equal(lime_mkdir_p(deep, 0755), 0); /* exists: fine */
    struct stat st;
    assert_int_equal(stat(deep, &st), 0);
    assert_true(S_ISDIR(st.st_mode));

    snprintf(path, sizeof path, "%s/file", deep);
    assert_null(lime_read_file(path, 0, NULL));
    assert_int_equal(errno, ENOENT);
    assert_int_equal(lime_write_file_atomic(path, "hello", 5, 0600), 0);
    size_t len;
    char *text = lime_read_file(path, 0, &len);
    assert_int_equal(len, 5);
    assert_string_equal(text, "hello");
    free(text);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* replace: new content, no temp files left behind */
    char big[10000];
    memset(big, 'x', sizeof big);
    assert_int_equal(lime_write_file_atomic(path, big, sizeof big, 0644), 0);
    text = lime_read_file(path, 0, &len);
    assert_int_equal(len, sizeof big);
    free(text);
    assert_null(lime_read_file(path, 9999, NULL));
    assert_int_equal(errno, EFBIG);
    text = lime_read_file(path, 10000, &len);
    assert_non_null(text);
    free(text);
    assert_null(lime_read_file(path, 100, NULL)); /* limit below the first buffer */
    assert_int_equal(errno, EFBIG);
    /* a file where a directory should be */
    char bad[600];
    snprintf(bad, sizeof bad, "%s/sub", path);
    assert_int_equal(lime_mkdir_p(bad, 0755), -ENOTDIR);
    assert_int_equal(lime_write_file_atomic(bad, "x", 1, 0644), -ENOTDIR);
    assert_int_equal(lime_mkdir_p(path, 0755), -ENOTDIR);

    unlink(path);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rmdir(deep), 0); /* also proves the directory is empty */
        *strrchr(deep, '/') = 0;
    }
    assert_int_equal(rmdir(dir), 0);
}

static void test_pid_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/core_pidfile.XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/x.pid", dir);
    assert_int_equal(lime_read_pid_file(path), 0); /* missing */
    assert_int_equal(lime_read_pid_file(NULL), 0);
    const char *cases[][2] = {{"1234\n", "1234"}, {"77", "77"}, {"1\n", "0"}, {"-5\n", "0"},
                              {"junk\n", "0"}, {"", "0"}, {"99999999999\n", "0"}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(lime_write_file_atomic(path, cases[i][0], strlen(cases[i][0]), 0644), 0);
        assert_int_equal(lime_read_pid_file(path), atoi(cases[i][1]));
    }
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_fsutil), cmocka_unit_test(test_pid_file)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
