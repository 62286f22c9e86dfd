"""generator/anchors.py: locating definitions by name in C text."""

import pytest

from generator import anchors
from generator.errors import Failure

C = '''\
#include <x.h>

/* A note on foo. */
static int
foo(int a)
{
	if (a) {
		return "}"[0];	/* } in a string and a comment */
	}
	return 0;
}
EXPORT_SYMBOL_GPL(foo);

#if 0
int foo_proto(int a);
#endif

/**
 * struct ops - doc
 * @x: the x
 */
struct ops {
	int (*x)(int);
};

#define MANY() \\
	.x = foo, \\
	.y = bar

int NS(bar)(int b)
{
	return b;
}
'''


@pytest.fixture
def cfile(tmp_path):
    path = tmp_path / 'a.c'
    path.write_text(C)
    return path


def _lines(path, ext):
    lines = path.read_text().split('\n')
    return lines[ext.comment_start], lines[ext.start], lines[ext.end - 1]


def test_function_with_comment_and_export(cfile):
    ext = anchors.locate(cfile, 'function:foo')
    assert _lines(cfile, ext) == ('/* A note on foo. */', 'static int', 'EXPORT_SYMBOL_GPL(foo);')


def test_struct_with_kernel_doc(cfile):
    ext = anchors.locate(cfile, 'struct:ops')
    assert _lines(cfile, ext) == ('/**', 'struct ops {', '};')


def test_macro_with_continuations(cfile):
    ext = anchors.locate(cfile, 'macro:MANY')
    assert _lines(cfile, ext) == ('#define MANY() \\', '#define MANY() \\', '\t.y = bar')


def test_macro_built_function_name(cfile):
    ext = anchors.locate(cfile, 'function:NS(bar)')
    assert _lines(cfile, ext)[1:] == ('int NS(bar)(int b)', '}')


def test_missing_or_bad_anchor(cfile):
    with pytest.raises(Failure, match='found 0 times'):
        anchors.locate(cfile, 'function:nothere')
    with pytest.raises(Failure, match='kind must be'):
        anchors.locate(cfile, 'variable:foo')


def test_spatch_picks_the_definition_it_parses(tmp_path):
    path = tmp_path / 'b.c'
    path.write_text('#if 0\nstatic int foo(int a)\n{\n\treturn 1;\n}\n#else\n'
                    'static int foo(int a)\n{\n\treturn 2;\n}\n#endif\n')
    ext = anchors.locate(path, 'function:foo')
    assert (ext.start, ext.end) == (6, 10)


def test_the_comment_that_opens_the_file(tmp_path):
    path = tmp_path / 'c.c'
    path.write_text('// SPDX-License-Identifier: GPL-2.0\n/*\n * What this file is.\n */\n'
                    '#include <x.h>\n\n/* not this one */\nint x;\n')
    ext = anchors.locate(path, 'comment:top')
    assert (ext.comment_start, ext.start, ext.end) == (1, 1, 4)
    path.write_text('#include <x.h>\n/* too late */\n')
    with pytest.raises(Failure, match='does not open with a block comment'):
        anchors.locate(path, 'comment:top')
