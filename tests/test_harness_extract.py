"""Unit tests for tests/harness/extract.py, on small C written here."""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "harness"))

import extract  # noqa: E402

SRC = r'''
/* A comment with a brace { and a "string" */
#include <linux/types.h>

#define SHIFT 12
#define SIZE (1 << SHIFT)	/* uses SHIFT */
#define MASK \
	(~(SIZE - 1))		/* continued, and a comment { */
#define UNUSED 99

typedef u32 pte_t;
typedef int (*walk_fn)(pte_t *pte, int lvl);

enum level { LVL_TOP, LVL_LEAF = 2, };

struct table;

struct table {
	#define TABLE_FLAG_RO	BIT(0)
	pte_t *ptes;
	unsigned long flags;
};

static struct table root;
static struct table root = { .flags = TABLE_FLAG_RO };
static DEFINE_SPINLOCK(table_lock);
static const char *names[] = { "{", "}", };
static unsigned int count __read_mostly;

static int helper(pte_t pte);

static inline u32 offset(u64 iova)
{
	return iova & ~MASK;	/* '}' in a comment */
}

static phys_addr_t lookup(struct table *t, u64 iova)
{
	char c = '}';
	pte_t pte = t->ptes[iova >> SHIFT];

	if (!helper(pte) || c != '}')
		return 0;
	return (pte & MASK) + offset(iova) + LVL_LEAF;
}

static int helper(pte_t pte)
{
	return pte & 1;
}

MODULE_LICENSE("GPL");
'''


@pytest.fixture
def source():
    return extract.Source([("test.c", SRC)])


def kind_of(source, name):
    return source.get(name).kind


def test_definitions_are_found_by_name(source):
    assert kind_of(source, "SHIFT") == "macro"
    assert kind_of(source, "MASK") == "macro"
    assert kind_of(source, "pte_t") == "typedef"
    assert kind_of(source, "walk_fn") == "typedef"
    assert kind_of(source, "tag:table") == "tag"
    assert kind_of(source, "LVL_LEAF") == "tag"
    assert kind_of(source, "root") == "variable"
    assert kind_of(source, "table_lock") == "variable"
    assert kind_of(source, "names") == "variable"
    assert kind_of(source, "count") == "variable"
    assert kind_of(source, "offset") == "function"
    assert kind_of(source, "lookup") == "function"
    # the definition wins over the prototype before it
    assert kind_of(source, "helper") == "function"
    assert not source.duplicates


def test_function_text_is_brace_matched(source):
    text = source.get("lookup").text
    assert text.startswith("static phys_addr_t lookup(")
    assert text.endswith("LVL_LEAF;\n}")


def test_continued_macro_is_one_definition(source):
    text = source.get("MASK").text
    assert "(~(SIZE - 1))" in text
    assert "SIZE" in source.get("MASK").uses


def test_define_inside_a_struct_finds_the_struct(source):
    assert source.get("TABLE_FLAG_RO") is source.get("tag:table")


def test_closure_takes_what_the_function_uses(source):
    text = source.extract(["lookup"])
    for needed in ("#define SHIFT", "#define SIZE", "#define MASK",
                   "typedef u32 pte_t;", "enum level", "struct table {",
                   "static inline u32 offset", "static int helper(pte_t pte)\n{"):
        assert needed in text, needed
    for unused in ("UNUSED", "walk_fn", "table_lock", "names", "MODULE_LICENSE",
                   "static struct table root"):
        assert unused not in text, unused


def test_closure_keeps_source_order_and_prototypes(source):
    text = source.extract(["lookup"])
    assert text.index("#define SHIFT") < text.index("#define SIZE") < \
        text.index("#define MASK")
    # helper() is called before its definition: its prototype comes along
    assert text.index("static int helper(pte_t pte);") < text.index(
        "static phys_addr_t lookup")


def test_tentative_and_initialised_variable_both_come(source):
    text = source.extract(["root"])
    assert "static struct table root;" in text
    assert "static struct table root = { .flags = TABLE_FLAG_RO };" in text


def test_exclude_leaves_a_definition_to_the_caller(source):
    text = source.extract(["lookup"], exclude=["helper"])
    assert "return pte & 1;" not in text


def test_replace_rewrites_one_definition(source):
    text = source.extract(["lookup"], replace={"offset": "static inline u32 "
                                               "offset(u64 iova) { return 0; }"})
    assert "{ return 0; }" in text
    assert "iova & ~MASK" not in text


def test_missing_root_is_an_error(source):
    with pytest.raises(KeyError):
        source.extract(["no_such_function"])


def test_comments_and_strings_do_not_count_as_uses():
    s = extract.Source([("t.c", "#define A 1\n#define B 2\n"
                         "static int f(void)\n{\n\t/* A */\n\treturn \"B\"[0];\n}\n")])
    assert "#define A" not in s.extract(["f"])
    assert "#define B" not in s.extract(["f"])


def test_unterminated_comment_is_reported():
    with pytest.raises(ValueError):
        extract.chunks("int a; /* no end")


def test_every_case_extracts_from_a_kernel_tree():
    """Each harness case's function and roots are found in the base tree."""
    tree = os.environ.get("IOVA_BASE_TREE")
    if not tree:
        pytest.skip("IOVA_BASE_TREE is not set: point it at a kernel tree")
    import run
    from cases import CASES
    for case in CASES:
        mode, text = run.extracted_text(tree, case)
        assert mode == "legacy", case.name
        assert case.function + "(" in text, case.name
