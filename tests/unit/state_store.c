/* shared-state store: merge rule, ties, own-key protection, delete by null, bleaching,
 * caps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "store.h"

#define NOW 1000000u

static struct ss_store *st;
static struct ss_type *t;

static int setup(void **state)
{
    struct ss_limits lim = {.max_entry_bytes = 64, .max_entries = 4};
    st = ss_store_new("me", &lim);
    assert_non_null(st);
    assert_int_equal(ss_store_register(st, "node_info", NULL, 100, 10), 0);
    t = ss_store_type(st, "node_info");
    assert_non_null(t);
    return 0;
}

static int teardown(void **state)
{
    ss_store_free(st);
    return 0;
}

static enum ss_merge_outcome merge(const char *key, const char *author, const char *data,
                                   int64_t ttl, bool remote, uint64_t now)
{
    struct ss_copy c = {.key = key, .author = author, .data = data, .ttl_s = ttl};
    return ss_store_merge(st, t, &c, remote, now);
}

static void test_larger_ttl_wins(void **state)
{
    assert_int_equal(merge("k", "a", "1", 50, true, NOW), SS_MERGE_NEW);
    assert_int_equal(merge("k", "b", "2", 40, true, NOW), SS_MERGE_OLDER);
    assert_string_equal(ss_type_find(t, "k")->data, "1");
    assert_int_equal(merge("k", "b", "2", 60, true, NOW), SS_MERGE_UPDATED);
    struct ss_entry *e = ss_type_find(t, "k");
    assert_string_equal(e->data, "2");
    assert_string_equal(e->author, "b");
    assert_int_equal(ss_entry_ttl(e, NOW), 60);
    /* same copy with a larger TTL refreshes without a significant change */
    uint64_t changed = t->changed_seq;
    assert_int_equal(merge("k", "b", "2", 70, true, NOW), SS_MERGE_REFRESH);
    assert_int_equal(t->changed_seq, changed);
    assert_int_equal(ss_entry_ttl(ss_type_find(t, "k"), NOW), 70);
}

/* On equal TTLs both arrival orders end with the same copy: the larger (author, data). */
static void test_tie_is_deterministic(void **state)
{
    assert_int_equal(merge("k", "a", "\"x\"", 50, true, NOW), SS_MERGE_NEW);
    assert_int_equal(merge("k", "b", "\"x\"", 50, true, NOW), SS_MERGE_UPDATED);
    assert_string_equal(ss_type_find(t, "k")->author, "b");
    assert_int_equal(merge("k", "a", "\"x\"", 50, true, NOW), SS_MERGE_LOST);
    assert_string_equal(ss_type_find(t, "k")->author, "b");

    assert_int_equal(merge("j", "b", "\"x\"", 50, true, NOW), SS_MERGE_NEW);
    assert_int_equal(merge("j", "a", "\"x\"", 50, true, NOW), SS_MERGE_LOST);
    assert_string_equal(ss_type_find(t, "j")->author, "b");
    /* same author, different data: larger data text wins */
    assert_int_equal(merge("i", "a", "\"y\"", 50, true, NOW), SS_MERGE_NEW);
    assert_int_equal(merge("i", "a", "\"x\"", 50, true, NOW), SS_MERGE_LOST);
    assert_string_equal(ss_type_find(t, "i")->data, "\"y\"");
    /* an identical copy changes nothing */
    uint64_t seq = ss_store_seq(st);
    assert_int_equal(merge("i", "a", "\"y\"", 50, true, NOW), SS_MERGE_SAME);
    assert_int_equal(ss_store_seq(st), seq);
}

static void test_own_key_protected(void **state)
{
    assert_int_equal(ss_store_insert(st, t, "mine", "\"v1\"", NOW), SS_MERGE_NEW);
    struct ss_entry *e = ss_type_find(t, "mine");
    assert_string_equal(e->author, "me");
    assert_int_equal(ss_entry_ttl(e, NOW), 111); /* ttl + interval + 1 */
    /* ten seconds later a forged/drifted copy with a higher TTL arrives */
    uint64_t later = NOW + 10000;
    assert_int_equal(merge("mine", "me", "\"forged\"", 105, true, later), SS_MERGE_REJECTED);
    assert_int_equal(ss_store_counters(st)->rejected_own, 1);
    assert_string_equal(ss_type_find(t, "mine")->data, "\"v1\"");
    /* our own copy echoed back with drift: dropped silently, not counted as rejected */
    assert_int_equal(merge("mine", "me", "\"v1\"", 105, true, later), SS_MERGE_SAME);
    assert_int_equal(ss_store_counters(st)->rejected_own, 1);
    assert_int_equal(ss_entry_ttl(ss_type_find(t, "mine"), later), 101);
    /* the same forged copy from a local source (not remote) is not protected */
    assert_int_equal(merge("mine", "me", "\"new\"", 105, false, later), SS_MERGE_UPDATED);
    /* another node taking the key over with a newer copy wins (the lease moved) */
    assert_int_equal(merge("mine", "other", "\"moved\"", 106, true, later), SS_MERGE_UPDATED);
    assert_string_equal(ss_type_find(t, "mine")->author, "other");
    /* a lower TTL from anyone is older */
    assert_int_equal(merge("mine", "x", "\"y\"", 5, true, later), SS_MERGE_OLDER);
}

static void test_local_insert_always_wins(void **state)
{
    assert_int_equal(merge("k", "other", "1", 111, true, NOW), SS_MERGE_NEW);
    assert_int_equal(ss_store_insert(st, t, "k", "2", NOW), SS_MERGE_UPDATED);
    assert_string_equal(ss_type_find(t, "k")->author, "me");
    assert_int_equal(ss_store_insert(st, t, "k", "2", NOW + 5000), SS_MERGE_REFRESH);
    assert_int_equal(ss_entry_ttl(ss_type_find(t, "k"), NOW + 5000), 111);
    assert_int_equal(ss_store_counters(st)->local_inserts, 2);
}

static void test_delete_by_null(void **state)
{
    assert_int_equal(merge("k", "a", "{\"mac\":\"x\"}", 50, true, NOW), SS_MERGE_NEW);
    assert_int_equal(merge("k", "a", "null", 60, true, NOW + 1000), SS_MERGE_UPDATED);
    assert_string_equal(ss_type_find(t, "k")->data, "null");
    /* an older copy of the data does not resurrect it */
    assert_int_equal(merge("k", "a", "{\"mac\":\"x\"}", 49, true, NOW + 1000), SS_MERGE_OLDER);
    /* the tombstone ages out like any entry */
    ss_store_bleach(st, NOW + 1000 + 60500);
    assert_null(ss_type_find(t, "k"));
}

static void test_bleach(void **state)
{
    assert_int_equal(merge("a", "x", "1", 10, true, NOW), SS_MERGE_NEW);
    assert_int_equal(merge("b", "x", "1", 20, true, NOW), SS_MERGE_NEW);
    uint64_t changed = t->changed_seq;
    /* a received TTL of n s is kept as n + 0.5 s */
    assert_int_equal(ss_store_bleach(st, NOW + 10499), 0);
    assert_int_equal(ss_entry_ttl(ss_type_find(t, "a"), NOW + 10499), 0);
    assert_int_equal(ss_entry_ttl(ss_type_find(t, "b"), NOW + 10499), 10);
    assert_int_equal(ss_entry_ttl(ss_type_find(t, "b"), NOW), 20);
    assert_int_equal(t->changed_seq, changed);
    assert_int_equal(ss_store_bleach(st, NOW + 10500), 1);
    assert_null(ss_type_find(t, "a"));
    assert_non_null(ss_type_find(t, "b"));
    assert_true(t->changed_seq > changed); /* hooks run on expiry */
    assert_int_equal(ss_store_counters(st)->expired, 1);
    /* 1.9 s steps do not slow ageing down (upstream truncated each step to 1 s) */
    for (uint64_t ms = NOW + 10500; ms <= NOW + 20400; ms += 1900)
        ss_store_bleach(st, ms);
    assert_non_null(ss_type_find(t, "b"));
    ss_store_bleach(st, NOW + 20500);
    assert_null(ss_type_find(t, "b"));
}

static void test_caps(void **state)
{
    /* TTL above ttl+interval+1 is clamped, TTL <= 0 ignored */
    assert_int_equal(merge("huge", "x", "1", 9000000000000LL, true, NOW), SS_MERGE_NEW);
    assert_int_equal(ss_entry_ttl(ss_type_find(t, "huge"), NOW), 111);
    assert_int_equal(ss_store_counters(st)->capped_ttl, 1);
    assert_int_equal(merge("neg", "x", "1", -5, true, NOW), SS_MERGE_REJECTED);
    assert_int_equal(merge("zero", "x", "1", 0, true, NOW), SS_MERGE_REJECTED);
    assert_int_equal(ss_store_counters(st)->rejected_ttl, 2);
    assert_null(ss_type_find(t, "neg"));
    /* entry size: 64 bytes here */
    char big[100];
    memset(big, 'a', sizeof big);
    big[0] = '"';
    big[98] = '"';
    big[99] = 0;
    assert_int_equal(merge("big", "x", big, 10, true, NOW), SS_MERGE_REJECTED);
    assert_int_equal(ss_store_insert(st, t, "big", big, NOW), SS_MERGE_REJECTED);
    assert_int_equal(ss_store_counters(st)->rejected_size, 2);
    /* table of 4 entries: the fifth new key is refused, updates still work */
    assert_int_equal(merge("k2", "x", "1", 10, true, NOW), SS_MERGE_NEW);
    assert_int_equal(merge("k3", "x", "1", 10, true, NOW), SS_MERGE_NEW);
    assert_int_equal(merge("k4", "x", "1", 10, true, NOW), SS_MERGE_NEW);
    assert_int_equal(merge("k5", "x", "1", 10, true, NOW), SS_MERGE_REJECTED);
    assert_int_equal(ss_store_counters(st)->rejected_full, 1);
    assert_int_equal(merge("k4", "x", "2", 20, true, NOW), SS_MERGE_UPDATED);
    /* empty key */
    assert_int_equal(merge("", "x", "1", 10, true, NOW), SS_MERGE_REJECTED);
}

static void test_register(void **state)
{
    assert_int_equal(ss_store_register(st, "", NULL, 1, 1), -22);
    char longname[200];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    assert_int_equal(ss_store_register(st, longname, NULL, 1, 1), -22);
    longname[128] = 0;
    assert_int_equal(ss_store_register(st, longname, NULL, 1, 1), 0);
    assert_int_equal(ss_store_register(st, "a/b", NULL, 1, 1), -22);
    assert_int_equal(ss_store_register(st, "x", NULL, 0, 1), -22);
    /* re-registering updates in place */
    assert_int_equal(ss_store_register(st, "node_info", "community", 200, 20), 0);
    assert_ptr_equal(ss_store_type(st, "node_info"), t);
    assert_int_equal(ss_type_max_ttl(t), 221);
}

/* Entries stay sorted by key whatever the insertion order. */
static void test_sorted(void **state)
{
    const char *keys[] = {"m", "c", "x", "a"};
    for (int i = 0; i < 4; i++)
        assert_int_equal(merge(keys[i], "x", "1", 10, true, NOW), SS_MERGE_NEW);
    assert_string_equal(t->entries[0].key, "a");
    assert_string_equal(t->entries[1].key, "c");
    assert_string_equal(t->entries[2].key, "m");
    assert_string_equal(t->entries[3].key, "x");
}

/* Same author: the author's later write (higher ssVer) wins in either arrival order and
 * whatever the TTLs; an insert then a delete within one second stays deleted even when a
 * relayed copy of the insert (stored at n + 0.5 s, a tie in whole seconds) comes back. */
static void test_version_breaks_ties(void **state)
{
    struct ss_copy v5 = {.key = "k", .author = "x", .data = "\"zzz\"", .ttl_s = 50, .ver = 5};
    struct ss_copy v6 = {.key = "k", .author = "x", .data = "\"aaa\"", .ttl_s = 50, .ver = 6};
    assert_int_equal(ss_store_merge(st, t, &v5, true, NOW), SS_MERGE_NEW);
    assert_int_equal(ss_store_merge(st, t, &v6, true, NOW), SS_MERGE_UPDATED);
    assert_int_equal(ss_store_merge(st, t, &v5, true, NOW), SS_MERGE_OLDER);
    assert_string_equal(ss_type_find(t, "k")->data, "\"aaa\"");
    /* the author's version decides even against a larger TTL */
    struct ss_copy v5big = v5;
    v5big.ttl_s = 55;
    assert_int_equal(ss_store_merge(st, t, &v5big, true, NOW), SS_MERGE_OLDER);
    assert_int_equal(ss_type_find(t, "k")->ver, 6);

    struct ss_store *a = ss_store_new("A", NULL), *b = ss_store_new("B", NULL);
    ss_store_register(a, "t", NULL, 100, 10);
    ss_store_register(b, "t", NULL, 100, 10);
    struct ss_type *ta = ss_store_type(a, "t"), *tb = ss_store_type(b, "t");
    assert_int_equal(ss_store_insert(a, ta, "lease", "{\"mac\":\"m\"}", NOW), SS_MERGE_NEW);
    struct ss_entry *ea = ss_type_find(ta, "lease");
    struct ss_copy c = {"lease", "A", ea->data, ss_entry_ttl(ea, NOW), ea->ver};
    assert_int_equal(ss_store_merge(b, tb, &c, true, NOW), SS_MERGE_NEW);
    uint64_t later = NOW + 300;
    assert_int_equal(ss_store_insert(a, ta, "lease", "null", later), SS_MERGE_UPDATED);
    assert_true(ea->ver > c.ver);
    struct ss_entry *eb = ss_type_find(tb, "lease");
    struct ss_copy back = {"lease", "A", eb->data, ss_entry_ttl(eb, later), eb->ver};
    assert_int_equal(back.ttl_s, ss_entry_ttl(ea, later)); /* a tie in whole seconds */
    assert_int_equal(ss_store_merge(a, ta, &back, true, later), SS_MERGE_OLDER);
    assert_string_equal(ss_type_find(ta, "lease")->data, "null");
    struct ss_copy del = {"lease", "A", ea->data, ss_entry_ttl(ea, later), ea->ver};
    assert_int_equal(ss_store_merge(b, tb, &del, true, later), SS_MERGE_UPDATED);
    assert_string_equal(ss_type_find(tb, "lease")->data, "null");
    /* A copy of A's entry with a higher version than A's own (A's clock went back over a
     * restart): A keeps its data and re-issues it above that version. */
    struct ss_entry *cur = ss_type_find(ta, "lease");
    struct ss_copy future = {"lease", "A", "{\"mac\":\"old\"}", 10, cur->ver + 1000};
    assert_int_equal(ss_store_merge(a, ta, &future, true, later), SS_MERGE_REJECTED);
    assert_string_equal(cur->data, "null");
    assert_true(cur->ver > future.ver);
    struct ss_copy reissued = {"lease", "A", cur->data, ss_entry_ttl(cur, later), cur->ver};
    assert_int_equal(ss_store_merge(b, tb, &future, true, later), SS_MERGE_UPDATED);
    assert_int_equal(ss_store_merge(b, tb, &reissued, true, later), SS_MERGE_UPDATED);
    assert_string_equal(ss_type_find(tb, "lease")->data, "null");
    ss_store_free(a);
    ss_store_free(b);
}

static uint32_t rnd_state = 12345;
static uint32_t rnd(uint32_t n)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return (rnd_state >> 8) % n;
}

static void exchange(struct ss_store *from, struct ss_store *to, uint64_t now)
{
    struct ss_type *tf = ss_store_type(from, "t"), *tt = ss_store_type(to, "t");
    for (size_t i = 0; i < tf->n; i++) {
        struct ss_entry *e = &tf->entries[i];
        int64_t ttl = ss_entry_ttl(e, now);
        if (ttl <= 0)
            continue;
        struct ss_copy c = {e->key, e->author, e->data, ttl, e->ver};
        ss_store_merge(to, tt, &c, true, now);
    }
}

/* Two relays passing one copy back and forth every 0.6 s (the author gone) must not keep
 * it alive: it disappears at most a second after the author's copy would have. */
static void test_relays_do_not_extend_life(void **state)
{
    struct ss_store *a = ss_store_new("A", NULL), *b = ss_store_new("B", NULL),
                    *c = ss_store_new("C", NULL);
    ss_store_register(a, "t", NULL, 100, 10);
    ss_store_register(b, "t", NULL, 100, 10);
    ss_store_register(c, "t", NULL, 100, 10);
    ss_store_insert(a, ss_store_type(a, "t"), "k", "1", NOW);
    exchange(a, b, NOW + 300);
    uint64_t author_end = ss_type_find(ss_store_type(a, "t"), "k")->expires_ms;
    ss_store_free(a);
    uint64_t now = NOW + 300;
    while (ss_store_type(b, "t")->n || ss_store_type(c, "t")->n) {
        now += 600;
        ss_store_bleach(b, now);
        ss_store_bleach(c, now);
        exchange(b, c, now);
        exchange(c, b, now);
        assert_true(now <= author_end + 1000);
    }
    ss_store_free(b);
    ss_store_free(c);
}

/* Random writes, deletes, time steps and pairwise exchanges among 5 stores on a line,
 * then full exchanges with the clock stopped: all stores must end with the same (key,
 * author, data), and no copy may outlive its author's by more than 0.5 s per hop. */
static void test_random_convergence(void **state)
{
    enum { N = 5 };
    static const char *const names[N] = {"n0", "n1", "n2", "n3", "n4"};
    static const char *const keys[] = {"a", "b", "c", "d"};
    static const char *const datas[] = {"1", "2", "null", "{\"x\":3}"};
    for (int round = 0; round < 20; round++) {
        struct ss_store *s[N];
        for (int i = 0; i < N; i++) {
            s[i] = ss_store_new(names[i], NULL);
            ss_store_register(s[i], "t", NULL, 20, 5); /* max TTL 26 s */
        }
        uint64_t now = NOW;
        int last_writer[4] = {-1, -1, -1, -1};
        uint64_t last_write[4] = {0};
        for (int step = 0; step < 300; step++) {
            int i = (int)rnd(N), j = (int)rnd(N);
            switch (rnd(4)) {
            case 0: {
                /* Different authors write one key at least 3 s apart (there is no shared
                 * clock to order closer writes); one author may rewrite at any pace. */
                int key = (int)rnd(4);
                if (last_writer[key] >= 0 && last_writer[key] != i && now < last_write[key] + 3000)
                    i = last_writer[key];
                ss_store_insert(s[i], ss_store_type(s[i], "t"), keys[key], datas[rnd(4)], now);
                last_writer[key] = i;
                last_write[key] = now;
                break;
            }
            case 1:
                now += rnd(1500);
                for (int k = 0; k < N; k++)
                    ss_store_bleach(s[k], now);
                break;
            default:
                if (i != j && (i - j == 1 || j - i == 1)) { /* a line: only neighbours */
                    exchange(s[i], s[j], now);
                    exchange(s[j], s[i], now);
                }
            }
            /* no copy younger than its author's own */
            for (int k = 0; k < N; k++) {
                struct ss_type *tk = ss_store_type(s[k], "t");
                for (size_t e = 0; e < tk->n; e++) {
                    struct ss_entry *x = &tk->entries[e];
                    for (int a = 0; a < N; a++) {
                        if (strcmp(x->author, names[a]) || a == k)
                            continue;
                        struct ss_entry *own = ss_type_find(ss_store_type(s[a], "t"), x->key);
                        if (own && !strcmp(own->author, names[a]) && own->ver == x->ver)
                            assert_true(x->expires_ms <= own->expires_ms + 500u * (N - 1));
                    }
                }
            }
        }
        for (int pass = 0; pass < 2 * N; pass++)
            for (int i = 0; i + 1 < N; i++) {
                exchange(s[i], s[i + 1], now);
                exchange(s[i + 1], s[i], now);
            }
        struct ss_type *t0 = ss_store_type(s[0], "t");
        for (int k = 1; k < N; k++) {
            struct ss_type *tk = ss_store_type(s[k], "t");
            assert_int_equal(tk->n, t0->n);
            for (size_t e = 0; e < t0->n; e++) {
                assert_string_equal(tk->entries[e].key, t0->entries[e].key);
                assert_string_equal(tk->entries[e].author, t0->entries[e].author);
                assert_string_equal(tk->entries[e].data, t0->entries[e].data);
            }
        }
        for (int i = 0; i < N; i++)
            ss_store_free(s[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_larger_ttl_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tie_is_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_own_key_protected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_local_insert_always_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete_by_null, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bleach, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_register, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sorted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_version_breaks_ties, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relays_do_not_extend_life, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_convergence, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
