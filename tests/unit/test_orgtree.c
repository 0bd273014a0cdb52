/* test_orgtree.c: which node may sit under which, codes and path depths (domain/orgtree.c). */
#include "testutil.h"
#include "domain/orgtree.h"

static void test_child_allowed(void **state)
{
    (void)state;
    static const struct {
        const char *parent, *child;
        int ok;
    } t[] = {
        {NULL, "city", 1},
        {NULL, "district", 0},
        {"city", "district", 1},
        {"city", "street", 0},
        {"city", "community", 0},
        {"city", "venue", 0},
        {"city", "city", 0},
        {"district", "street", 1},
        {"district", "community", 1},
        {"district", "venue", 1},
        {"district", "district", 0},
        {"street", "community", 1},
        {"street", "venue", 1},
        {"street", "street", 0},
        {"street", "district", 0},
        {"community", "venue", 1},
        {"community", "community", 0},
        {"community", "street", 0},
        {"venue", "venue", 0},
        {"venue", "community", 0},
        {"district", "town", 0},
        {"planet", "city", 0},
        {"city", NULL, 0},
    };
    for (size_t i = 0; i < ARRAY_LEN(t); i++)
        if (rx_orgtree_child_allowed(t[i].parent, t[i].child) != t[i].ok)
            fail_msg("row %zu: %s under %s", i, t[i].child ? t[i].child : "NULL",
                     t[i].parent ? t[i].parent : "(root)");
}

static void test_code_and_kind(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        int ok;
    } t[] = {{"410105000000", 1},
             {"41010500000", 0},
             {"4101050000000", 0},
             {"41010500000x", 0},
             {"４10105000000", 0},
             {"", 0},
             {NULL, 0}};
    for (size_t i = 0; i < ARRAY_LEN(t); i++)
        if (rx_orgtree_code_valid(t[i].code) != t[i].ok) fail_msg("code row %zu", i);
    assert_true(rx_orgtree_kind_valid("venue"));
    assert_false(rx_orgtree_kind_valid("Venue"));
    assert_false(rx_orgtree_kind_valid(NULL));
}

static void test_path_depth(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        int depth;
    } t[] = {{"/1/", 1}, {"/1/5/9/", 3}, {"/12/345/", 2}, {"/", -1}, {"", -1},
             {"/1", -1}, {"//", -1},     {"/1/a/", -1},   {NULL, -1}};
    for (size_t i = 0; i < ARRAY_LEN(t); i++)
        if (rx_orgtree_path_depth(t[i].path) != t[i].depth) fail_msg("depth row %zu", i);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_child_allowed),
        cmocka_unit_test(test_code_and_kind),
        cmocka_unit_test(test_path_depth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
