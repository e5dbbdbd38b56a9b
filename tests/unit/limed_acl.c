/* limed: ACL globs and grants (acl.c), password checks (session.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "acl.h"
#include "session.h"

#include <string.h>

static void globs(void **state)
{
    assert_true(ld_acl_glob("*", "anything"));
    assert_true(ld_acl_glob("get_*", "get_notes"));
    assert_false(ld_acl_glob("get_*", "set_notes"));
    assert_true(ld_acl_glob("a*c", "abbbc"));
    assert_false(ld_acl_glob("a*c", "abbbd"));
    assert_true(ld_acl_glob("exact", "exact"));
    assert_false(ld_acl_glob("exact", "exact2"));
}

static void grants(void **state)
{
    unsigned unauth = 1u << LD_GRP_UNAUTHENTICATED;
    unsigned pub = unauth | 1u << LD_GRP_LIME_APP;
    assert_true(ld_acl_allowed(unauth, 0, "session", "login"));
    assert_false(ld_acl_allowed(unauth, 0, "system", "board"));
    assert_true(ld_acl_allowed(pub, pub, "system", "board"));
    assert_true(ld_acl_allowed(pub, pub, "lime-utils", "set_notes"));
    /* set_notes is a write grant: read access alone does not give it */
    assert_false(ld_acl_allowed(pub, 0, "lime-utils", "set_notes"));
    assert_false(ld_acl_allowed(pub, pub, "lime-utils-admin", "set_hostname"));
    assert_false(ld_acl_allowed(pub, pub, "lime-fbw", "start"));
    assert_true(ld_acl_allowed(pub, pub, "lime-fbw", "status"));
    assert_true(ld_acl_allowed(LD_GRP_ALL, LD_GRP_ALL, "anything", "at_all"));
    assert_int_equal(ld_acl_group_mask("root"), 1u << LD_GRP_ROOT);
    assert_int_equal(ld_acl_group_mask("*"), LD_GRP_ALL);
    assert_int_equal(ld_acl_group_mask("nope"), 0);
}

static void passwords(void **state)
{
    char hash[256];
    assert_int_equal(ld_password_hash("s3cret-pass", hash, sizeof(hash)), 0);
    assert_memory_equal(hash, "$6$", 3);
    assert_true(ld_password_matches("s3cret-pass", hash));
    assert_false(ld_password_matches("s3cret-pasS", hash));
    assert_true(ld_password_matches("anything", ""));
    assert_false(ld_password_matches("x", "!locked"));
    assert_false(ld_password_matches("x", "*"));
    assert_false(ld_password_matches("x", "plaintext"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(globs),
        cmocka_unit_test(grants),
        cmocka_unit_test(passwords),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
