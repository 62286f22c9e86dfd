"""The one C scanner: comments, strings, preprocessor lines and braces.

Two views of a C file, for two kinds of reader:
  mask(text)    the text with comments and literals blanked, offsets and
                newlines kept, for regular expressions (anchors, inventory);
  lex(text)     code tokens with their line, the #define body holding them
                and the comment just before each, for token checks (audit).
Both know the same comments and literals (NOT_CODE's alternatives).
"""

import dataclasses
import re

_COMMENT = r'/\*.*?\*/|//[^\n]*'
_LITERAL = r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\''
NOT_CODE = re.compile(f'{_COMMENT}|{_LITERAL}', re.S)


def mask(text: str) -> str:
    """text with comments, strings and char literals blanked, newlines kept."""
    return NOT_CODE.sub(lambda m: re.sub(r'[^\n]', ' ', m.group()), text)


def preprocessor_lines(masked: str) -> set[int]:
    """Line numbers (0-based) that belong to preprocessor directives."""
    inside, result = False, set()
    for no, line in enumerate(masked.split('\n')):
        if inside or line.lstrip().startswith('#'):
            result.add(no)
            inside = line.rstrip().endswith('\\')
    return result


_LEX = re.compile(rf'''
    (?P<comment>{_COMMENT})
  | (?P<string>{_LITERAL})
  | (?P<cont>\\\n)
  | (?P<newline>\n)
  | (?P<space>[ \t\r\f\v]+)
  | (?P<word>[A-Za-z_]\w*|\d[\w.]*)
  | (?P<punct>->|\#\#|.)
''', re.S | re.X)


@dataclasses.dataclass(frozen=True)
class Token:
    text: str
    line: int
    macro: str | None = None      # the #define whose body holds the token
    directive: bool = False       # inside any preprocessor line


@dataclasses.dataclass
class Source:
    code: list[Token]                         # no comments, no whitespace
    comments: dict[int, tuple[int, str]]      # code index -> comment just before it

    def scope(self, macro: str | None) -> list[int]:
        """Indexes of the code tokens of one macro body, or of the C code."""
        if macro is None:
            return [i for i, t in enumerate(self.code) if not t.directive]
        return [i for i, t in enumerate(self.code) if t.macro == macro]


def lex(text: str) -> Source:
    code: list[Token] = []
    comments: dict[int, tuple[int, str]] = {}
    line = 1
    line_start = True          # only whitespace so far on this logical line
    directive = False
    macro: str | None = None
    expect = ''                # '' | 'name' (after #) | 'macro' (after #define)
    pending: tuple[int, str] | None = None
    for m in _LEX.finditer(text):
        kind, value = m.lastgroup, m.group()
        if kind == 'newline':
            line += 1
            line_start = True
            directive, macro, expect = False, None, ''
            continue
        if kind == 'cont':
            line += 1
            continue
        if kind == 'space':
            continue
        if kind == 'comment':
            pending = (line, value)
            line += value.count('\n')
            continue
        if line_start and value == '#':
            directive, expect = True, 'name'
            line_start = False
            continue
        line_start = False
        if expect == 'name':
            expect = 'macro' if value == 'define' else ''
            continue
        if expect == 'macro':
            macro, expect = value, ''
            continue
        if pending is not None:
            comments[len(code)] = pending
            pending = None
        code.append(Token(value, line, macro, directive))
    return Source(code, comments)


def parents(code: list[Token], scope: list[int]) -> dict[int, int]:
    """For each token of a scope, the index of its innermost open brace (-1)."""
    result: dict[int, int] = {}
    stack: list[int] = []
    for i in scope:
        text = code[i].text
        if text == '}' and stack:
            stack.pop()
        result[i] = stack[-1] if stack else -1
        if text == '{':
            stack.append(i)
    return result
