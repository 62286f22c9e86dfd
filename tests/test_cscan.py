"""generator/cscan.py: the C scanner's two views, masked text and tokens."""

from generator import cscan


def test_mask_keeps_offsets_and_newlines():
    text = 'int a = \'}\'; /* x\n } */ char *s = "{";\n'
    masked = cscan.mask(text)
    assert len(masked) == len(text) and masked.count('\n') == 2
    assert '}' not in masked and '{' not in masked and 'char *s =' in masked


def test_preprocessor_lines_follow_continuations():
    masked = cscan.mask('int a;\n#define M \\\n\t1\nint b;\n  # if X\n')
    assert cscan.preprocessor_lines(masked) == {1, 2, 4}


def test_lex_macro_body_lines():
    src = cscan.lex('int a; /* x\n y */\n#define M(x) \\\n\t.f = (x), \\\n\t.g = 1\nint b;\n')
    body = [(t.text, t.line) for t in src.code if t.macro == 'M']
    assert ('.', 4) in body and ('g', 5) in body
    assert [t.text for t in src.code if t.macro is None and not t.directive] == [
        'int', 'a', ';', 'int', 'b', ';']


def test_parents_are_the_innermost_braces():
    src = cscan.lex('a { b { c } d }')
    scope = src.scope(None)
    parents = cscan.parents(src.code, scope)
    assert [parents[i] for i in scope] == [-1, -1, 1, 1, 3, 1, 1, -1]
