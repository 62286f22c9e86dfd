"""Deliberate bugs put into one converted iova_to_phys_length: the
semantic harness (tests/test_driver_semantics.py) and the boot test
(tests/test_boot_mutation.py) must each catch them."""

import re

import extract

LENGTH_STORE = r"\*\s*length\s*=\s*([^;]+);"
# A return of something other than a bare error value, or than a value
# just tested equal to it ("if (pa == PHYS_ADDR_MAX)\n\t\treturn pa;", as
# in mtk): the length is unspecified there, so doubling it is not a bug.
VALUE_RETURN = (r"(?<!== PHYS_ADDR_MAX\)\n\t\t)"
                r"\breturn\s+(?!(?:PHYS_ADDR_MAX|0)\s*;)([^;]+);")
ERROR_VALUE = r"\bPHYS_ADDR_MAX\b"


def _nth_sub(pattern, repl, text, n):
    """text with only the n-th match of pattern replaced."""
    matches = list(re.finditer(pattern, text))
    if n >= len(matches):
        raise ValueError("no match %d of %s in the function" % (n, pattern))
    m = matches[n]
    return text[:m.start()] + m.expand(repl) + text[m.end():]


MUTATIONS = {
    # one *length store over-reports twice the size
    "double-length": (LENGTH_STORE, r"*length = (\1) << 1;"),
    # one return doubles whatever length it hands back (a driver that
    # passes length on to its io-pgtable has no store of its own)
    "double-at-return": (VALUE_RETURN, r"{ phys_addr_t harness_ret = \1; "
                         r"*length <<= 1; return harness_ret; }"),
    # one error return goes back to the old 0
    "zero-error": (ERROR_VALUE, "0"),
}


def mutator(mutation):
    kind, n = mutation
    pattern, repl = MUTATIONS[kind]
    return lambda text: _nth_sub(pattern, repl, text, n)


def mutate_function(source_text, function, mutation):
    """source_text (a whole C file) with the mutation applied inside the
    named function only; ValueError when the function or the match is
    not there."""
    source = extract.Source([("file", source_text)])
    if not source.has(function, "function"):
        raise ValueError("no function %s" % function)
    chunk = source.get(function)
    if source_text.count(chunk.text) != 1:
        raise ValueError("%s is not unique in the file" % function)
    return source_text.replace(chunk.text, mutator(mutation)(chunk.text))
