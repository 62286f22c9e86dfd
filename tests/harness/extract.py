"""Pull top-level C definitions out of kernel source files, by name.

The semantic harness compiles a driver's iova_to_phys function on the host.
It does not keep a copy of the function: at test time this module reads the
driver's own .c file (and any header the case names), cuts it into top-level
definitions, and returns the named roots plus every definition of those files
that they use, in source order.  Anything not defined in those files (kernel
API) must come from the harness stub headers.

Only as much C is understood as that needs: comments, string and character
literals, preprocessor lines with continuations, bracket matching, and the
shapes of top-level definitions (function, prototype, struct/union/enum,
typedef, variable, #define).  Preprocessor conditionals are ignored; when a
name is defined twice the first definition is used and reported.
"""

import re
from dataclasses import dataclass, field

KEYWORDS = {
    "auto", "break", "case", "char", "const", "continue", "default", "do",
    "double", "else", "enum", "extern", "float", "for", "goto", "if",
    "inline", "int", "long", "register", "restrict", "return", "short",
    "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
    "unsigned", "void", "volatile", "while", "_Bool", "bool",
}
TAG_KEYWORDS = {"struct", "union", "enum"}
# Kernel attribute macros that may follow a declarator's name.
ATTRIBUTES = {
    "__read_mostly", "__ro_after_init", "__initdata", "__initconst",
    "__maybe_unused", "__always_unused", "__iomem", "__rcu", "__percpu",
    "__packed", "__aligned", "__must_check", "__init", "__exit",
}


@dataclass
class Token:
    kind: str   # "id", "num", "str", "punct", "pp"
    text: str
    start: int
    end: int


@dataclass
class Chunk:
    """One top-level definition or declaration."""
    kind: str          # function, prototype, tag, fwd, typedef, variable, macro, other
    names: list        # names it defines; tags are spelt "tag:NAME"
    start: int
    end: int
    text: str
    uses: set = field(default_factory=set)


_ID = re.compile(r"[A-Za-z_]\w*")
_NUM = re.compile(r"\.?\d(?:[\w.]|[eEpP][+-])*")
_PUNCT3 = ("<<=", ">>=", "...")
_PUNCT2 = ("->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&",
           "||", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "##")


def _skip_quoted(src, i):
    """Return the index after the string or char literal starting at i."""
    quote = src[i]
    i += 1
    while i < len(src) and src[i] != quote:
        i += 2 if src[i] == "\\" else 1
    return i + 1


def _skip_comment(src, i):
    """Return the index after the comment at i, or i if there is none."""
    if src.startswith("//", i):
        j = src.find("\n", i)
        return len(src) if j < 0 else j
    if src.startswith("/*", i):
        j = src.find("*/", i + 2)
        if j < 0:
            raise ValueError("unterminated comment at offset %d" % i)
        return j + 2
    return i


def _pp_end(src, i):
    """End of the preprocessor directive at i: continuations and comments
    (which may span lines) belong to it."""
    while i < len(src):
        if src[i] == "\n":
            return i
        if src[i] == "\\" and src.startswith("\n", i + 1):
            i += 2
            continue
        j = _skip_comment(src, i)
        if j != i:
            i = j
            continue
        if src[i] in "\"'":
            i = _skip_quoted(src, i)
            continue
        i += 1
    return i


def tokenize(src):
    """C tokens of src, without comments; a preprocessor line is one token."""
    tokens = []
    i = 0
    line_start = True
    n = len(src)
    while i < n:
        c = src[i]
        if c == "\n":
            line_start = True
            i += 1
            continue
        if c in " \t\r\f\v":
            i += 1
            continue
        j = _skip_comment(src, i)
        if j != i:
            i = j
            continue
        if c == "#" and line_start:
            j = _pp_end(src, i)
            tokens.append(Token("pp", src[i:j], i, j))
            i = j
            continue
        line_start = False
        if c in "\"'":
            j = _skip_quoted(src, i)
            tokens.append(Token("str", src[i:j], i, j))
            i = j
            continue
        m = _ID.match(src, i)
        if m:
            tokens.append(Token("id", m.group(), i, m.end()))
            i = m.end()
            continue
        m = _NUM.match(src, i)
        if m:
            tokens.append(Token("num", m.group(), i, m.end()))
            i = m.end()
            continue
        for p in _PUNCT3 + _PUNCT2:
            if src.startswith(p, i):
                tokens.append(Token("punct", p, i, i + len(p)))
                i += len(p)
                break
        else:
            tokens.append(Token("punct", c, i, i + 1))
            i += 1
    return tokens


_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {")", "]", "}"}


def _matching(tokens, i):
    """Index of the bracket closing tokens[i]."""
    depth = 0
    for j in range(i, len(tokens)):
        t = tokens[j].text if tokens[j].kind == "punct" else None
        if t in _OPEN:
            depth += 1
        elif t in _CLOSE:
            depth -= 1
            if depth == 0:
                return j
    raise ValueError("unbalanced bracket at offset %d" % tokens[i].start)


def _uses(tokens):
    """Identifiers and tags a token list refers to."""
    used = set()
    for k, t in enumerate(tokens):
        if t.kind == "pp":
            used |= _uses(tokenize(_pp_body(t.text)))
        elif t.kind == "id" and t.text not in KEYWORDS:
            if k > 0 and tokens[k - 1].text in TAG_KEYWORDS:
                used.add("tag:" + t.text)
            else:
                used.add(t.text)
    return used


def _pp_body(text):
    """The replacement text of a #define, '' for other directives."""
    m = re.match(r"#\s*define\s+\w+(\([^)]*\))?", text)
    if not m:
        return ""
    return text[m.end():].replace("\\\n", " \n")


def _depth0(tokens):
    """Indices of the tokens of tokens that sit at bracket depth 0."""
    out = []
    depth = 0
    for k, t in enumerate(tokens):
        if t.kind == "punct" and t.text in _CLOSE:
            depth -= 1
            continue
        if depth == 0:
            out.append(k)
        if t.kind == "punct" and t.text in _OPEN:
            depth += 1
    return out


def _declarator_name(tokens):
    """Name declared by 'type name', 'type name[N]' or 'type (*name)(...)'."""
    top = [tokens[k] for k in _depth0(tokens)]
    # Function-pointer declarator: the identifier after '(' '*'.
    for k in range(len(tokens) - 2):
        if tokens[k].text == "(" and tokens[k + 1].text == "*" and \
                tokens[k + 2].kind == "id":
            return tokens[k + 2].text
    ids = [t for t in top if t.kind == "id" and t.text not in KEYWORDS
           and t.text not in ATTRIBUTES]
    return ids[-1].text if ids else None


def _classify(tokens, src):
    """Kind and defined names of one top-level chunk (without pp lines)."""
    texts = [t.text for t in tokens]
    top = _depth0(tokens)
    top_texts = [texts[k] for k in top]
    # struct/union/enum NAME { ... } [declarator] ;
    for k in top:
        if texts[k] in TAG_KEYWORDS and k + 2 < len(tokens) and \
                tokens[k + 1].kind == "id" and texts[k + 2] == "{":
            names = ["tag:" + texts[k + 1]]
            close = _matching(tokens, k + 2)
            if texts[k] == "enum":
                names += _enumerators(tokens[k + 3:close])
            if texts[0] == "typedef" or (close + 1 < len(tokens) and
                                         tokens[close + 1].kind == "id"):
                name = _declarator_name(tokens[close + 1:])
                if name:
                    names.append(name)
            return ("tag" if texts[0] != "typedef" else "typedef"), names
        if texts[k] == "enum" and k + 1 < len(tokens) and texts[k + 1] == "{":
            close = _matching(tokens, k + 1)
            names = _enumerators(tokens[k + 2:close])
            rest = _declarator_name(tokens[close + 1:])
            return "tag", names + ([rest] if rest else [])
    if texts[0] == "typedef":
        return "typedef", [_declarator_name(tokens[1:])]
    if len(texts) == 3 and texts[0] in TAG_KEYWORDS and texts[2] == ";":
        return "fwd", ["tag:" + texts[1]]
    if "=" in top_texts:
        eq = top[top_texts.index("=")]
        return "variable", [_declarator_name(tokens[:eq])]
    if "(" in top_texts:
        paren = top[top_texts.index("(")]
        head = tokens[:paren]
        if head and head[-1].kind == "id":
            name = head[-1].text
            # A defining macro: [static] DEFINE_SPINLOCK(x);
            if (name.startswith("DEFINE_") or name == "LIST_HEAD") and \
                    tokens[paren + 1].kind == "id":
                return "variable", [tokens[paren + 1].text]
            if len(head) == 1:
                return "other", []      # MODULE_LICENSE(...); and such
            return "prototype", [name]
        return "variable", [_declarator_name(tokens)]
    name = _declarator_name(tokens)
    return ("variable", [name]) if name else ("other", [])


def _enumerators(tokens):
    names = []
    expect = True
    depth = 0
    for t in tokens:
        if t.text in _OPEN:
            depth += 1
        elif t.text in _CLOSE:
            depth -= 1
        elif depth == 0 and t.text == ",":
            expect = True
        elif expect and depth == 0 and t.kind == "id":
            names.append(t.text)
            expect = False
    return names


def chunks(src):
    """Cut src into top-level chunks (see Chunk)."""
    tokens = tokenize(src)
    out = []
    i = 0
    n = len(tokens)
    while i < n:
        t = tokens[i]
        if t.kind == "pp":
            m = re.match(r"#\s*define\s+(\w+)", t.text)
            if m:
                out.append(Chunk("macro", [m.group(1)], t.start, t.end,
                                 t.text, _uses(tokenize(_pp_body(t.text)))))
            i += 1
            continue
        # Collect tokens up to ';' at depth 0, or to the '}' that closes a
        # function body.  Preprocessor lines inside brackets stay inside.
        j = i
        body = []
        chunk_end = None
        while j < n:
            tj = tokens[j]
            if tj.kind == "pp":
                # A directive at depth 0 inside a declaration (rare) is kept.
                body.append(tj)
                j += 1
                continue
            if tj.kind == "punct" and tj.text in _OPEN:
                close = _matching(tokens, j)
                is_function = (tj.text == "{" and body and
                               body[-1].text == ")" and
                               "=" not in [body[k].text
                                           for k in _depth0(body)])
                body.extend(tokens[j:close + 1])
                j = close + 1
                if is_function:
                    chunk_end = close
                    break
                continue
            body.append(tj)
            j += 1
            if tj.text == ";":
                chunk_end = j - 1
                break
        if chunk_end is None:
            chunk_end = j - 1
        plain = [b for b in body if b.kind != "pp"]
        if body and body[-1].text == "}" and plain:
            kind, names = _function_names(plain)
        elif plain:
            kind, names = _classify(plain, src)
        else:
            kind, names = "other", []
        # A #define inside a definition (io_pgtable_cfg's quirk bits) is
        # found through the definition that holds it.
        names = list(names) + [m.group(1) for m in (
            re.match(r"#\s*define\s+(\w+)", b.text) for b in body
            if b.kind == "pp") if m]
        start, end = tokens[i].start, tokens[chunk_end].end
        out.append(Chunk(kind, [x for x in names if x], start, end,
                         src[start:end], _uses(body)))
        i = chunk_end + 1
    return out


def _function_names(tokens):
    """A function definition: its name is before the '(' that matches the
    ')' just before the body."""
    open_brace = len(tokens) - 1
    depth = 0
    for k in range(len(tokens) - 1, -1, -1):
        if tokens[k].text == "}":
            depth += 1
        elif tokens[k].text == "{":
            depth -= 1
            if depth == 0:
                open_brace = k
                break
    close_paren = open_brace - 1
    depth = 0
    for k in range(close_paren, -1, -1):
        if tokens[k].text == ")":
            depth += 1
        elif tokens[k].text == "(":
            depth -= 1
            if depth == 0:
                if k > 0 and tokens[k - 1].kind == "id":
                    return "function", [tokens[k - 1].text]
                break
    return "other", []


class Source:
    """The top-level definitions of a list of files, searchable by name."""

    def __init__(self, texts, only=None):
        """texts: list of (label, source text), in include order; only maps
        a label to the names that may be taken from it (a shared header
        whose other definitions the stubs provide)."""
        only = only or {}
        self.chunks = []
        self.by_name = {}
        self.tentative = {}
        self.duplicates = []
        for label, text in texts:
            for c in chunks(text):
                if label in only and not set(c.names) & set(only[label]):
                    continue
                c.label = label
                self.chunks.append(c)
                for name in c.names:
                    self._index(name, c)

    def _index(self, name, chunk):
        known = self.by_name.get(name)
        if known is None:
            self.by_name[name] = chunk
        elif chunk.kind == "function" and known.kind in ("prototype", "fwd"):
            # The definition is what a name needs; the prototype is kept
            # through prototypes_of() so that source order still compiles.
            self.by_name[name] = chunk
        elif chunk.kind == "tag" and known.kind == "fwd":
            self.by_name[name] = chunk
        elif chunk.kind in ("prototype", "fwd"):
            pass
        elif chunk.kind == "variable" and known.kind == "variable":
            # 'static T x;' before 'static T x = {...};': keep both.
            self.tentative.setdefault(name, []).append(chunk)
        else:
            self.duplicates.append(name)

    def has(self, name, kind=None):
        c = self.by_name.get(name)
        return c is not None and (kind is None or c.kind == kind)

    def get(self, name):
        return self.by_name[name]

    def closure(self, roots, exclude=()):
        """Chunks needed by roots, in source order; prototypes and forward
        declarations of the chosen names come along."""
        exclude = set(exclude)
        chosen = set()
        todo = list(roots)
        while todo:
            name = todo.pop()
            if name in exclude or name not in self.by_name:
                continue
            c = self.by_name[name]
            if id(c) in chosen:
                continue
            chosen.add(id(c))
            todo.extend(c.uses - set(c.names))
            for extra in self.tentative.get(name, []):
                chosen.add(id(extra))
                todo.extend(extra.uses - set(extra.names))
        names = set()
        for c in self.chunks:
            if id(c) in chosen:
                names.update(c.names)
        out = []
        for c in self.chunks:
            if id(c) in chosen or (c.kind in ("prototype", "fwd") and
                                   set(c.names) & names):
                out.append(c)
        return out

    def extract(self, roots, exclude=(), replace=None):
        """C text of closure(roots); replace maps a name to new text for
        its definition (used to mutate a function in tests)."""
        replace = replace or {}
        missing = [r for r in roots if r not in self.by_name]
        if missing:
            raise KeyError("not defined in the source: %s" % ", ".join(missing))
        parts = []
        for c in self.closure(roots, exclude):
            text = c.text
            for name in c.names:
                if name in replace and c.kind != "prototype":
                    text = replace[name]
            parts.append("/* from %s */\n%s\n" % (c.label, text))
        return "\n".join(parts)
