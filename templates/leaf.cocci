// SPDX-License-Identifier: GPL-2.0-only
/// Shape "leaf": a table walk whose every successful result is one
/// expression that already adds the sub-page offset, and whose leaf size can
/// be read off that expression (the offset helper or mask it uses).
///
///   spatch --sp-file templates/leaf.cocci -D fn=<old name> \
///          -D leaves=<key>=<SIZE>[,<key>=<SIZE>...] [-D init_in_macro=<MACRO>]
///
/// <key> is a token of the leaf expression (an offset helper such as
/// section_offs, a mask such as IOSUPER_MASK or 0x00FFFFFF) and <SIZE> the
/// identifier of that leaf's size (SECT_SIZE, SZ_16M).  The key "*" names
/// every leaf that is a frame plus an offset (a + b, a | b at the top): use
/// it only with the smallest size of the domain's pgsize_bitmap, which no
/// leaf can be smaller than (under-reporting is allowed, over-reporting is
/// not); a call or a variable is refused, as it may hide an error value.
///
/// A leaf is a `return E;` or an assignment `v = E;` to the local
/// phys_addr_t v that the function returns, with E not 0.  Each gets
/// `*length = <SIZE>;` next to it; a leaf that is the arm of an if gets
/// braces, and so do the other arms of that if (kernel style).  Then
/// templates/common.cocci renames the function, adds the parameter and turns
/// the zeros into PHYS_ADDR_MAX.
///
/// All or nothing: nothing changes unless the function's initialiser is
/// found (or init_in_macro is given), every leaf names exactly one key,
/// every other return is `return 0;` or `return v;`, v is changed only by
/// plain assignments, and no leaf is the body of a loop or a return in an
/// if arm that has an else.
//
// Confidence: Moderate
// Options: --no-includes --include-headers

@initialize:python@
@@
import re

def parse_leaves(text):
    """'k1=S1,k2=S2' -> [('k1', 'S1'), ('k2', 'S2')]"""
    pairs = []
    for item in text.split(","):
        key, _, size = item.strip().partition("=")
        pairs.append((key.strip(), size.strip()))
    return pairs

def norm(expr):
    return " ".join(expr.split())

def is_sum(expr):
    """expr is "a + b" or "a | b" at its top level: a frame plus an offset."""
    depth = 0
    for tok in expr.split():
        if tok in ("(", "["):
            depth += 1
        elif tok in (")", "]"):
            depth -= 1
        elif depth == 0 and tok in ("+", "|"):
            return True
    return False

def leaf_size(expr, table):
    """The size of the one key expr names as a whole token, else None.
    "*" names any frame-plus-offset expression, not a call or a variable
    whose "no translation" value the template cannot see; a named key
    wins over it (a leaf size read from the code over the smallest page)."""
    tokens = set(re.findall(r"\w+", expr))
    sizes = [size for key, size in table if key != "*" and key in tokens]
    if not sizes:
        sizes = [size for key, size in table if key == "*" and is_sum(norm(expr))]
    return sizes[0] if len(sizes) == 1 else None

def is_leaf(expr):
    """Neither "no translation" (0) nor the returned variable itself."""
    expr = norm(expr)
    return expr != "0" and expr not in phys_vars

def size_name(expr):
    """For fresh identifiers, which must be strings: only leaves get here."""
    return leaf_size(expr, leaf_table) or "not_a_leaf"

def check_leaf(what, expr):
    if is_leaf(expr) and leaf_size(expr, leaf_table) is None:
        refused.append(what + ": names no key")

def key(p):
    return (p[0].file, p[0].line, p[0].column)

def in_target(p):
    return p[0].current_element in target

target = []
leaf_table = []
phys_vars = set()
refused = []
arm_leaves = set()      # leaves that are an if arm, by position

@script:python setup@
fn << virtual.fn;
text << virtual.leaves;
@@
target[:] = [fn]
leaf_table[:] = parse_leaves(text)
phys_vars.clear()
arm_leaves.clear()
del refused[:]

@init_literal depends on setup@
identifier virtual.fn;
@@
 &(struct iommu_domain_ops) { ..., .iova_to_phys = fn, ... }

@init_named depends on setup@
identifier virtual.fn;
identifier I;
@@
 struct iommu_domain_ops I = { ..., .iova_to_phys = fn, ... };

@script:python init_macro depends on setup@
m << virtual.init_in_macro;
@@

@found depends on init_literal || init_named || init_macro@
identifier virtual.fn;
@@
 fn(...) { ... }

// ---------------------------------------------------------------- checks

@retvar depends on found exists@
identifier virtual.fn;
identifier v;
typedef phys_addr_t;
@@
 fn(...) {
 ... when any
 phys_addr_t v;
 ... when any
 return v;
 }

@script:python@
v << retvar.v;
@@
phys_vars.add(v)

@ret depends on found@
identifier virtual.fn;
expression E;
@@
 fn(...) { <+... return E; ...+> }

@script:python@
e << ret.E;
@@
check_leaf("return " + norm(e), e)

@assign depends on retvar@
identifier virtual.fn;
identifier retvar.v;
expression E;
@@
 fn(...) { <+... v = E ...+> }

@script:python@
v << retvar.v;
e << assign.E;
@@
check_leaf(v + " = " + norm(e), e)

// Anything else that changes v, or lets it be changed, is not this shape.
@other_write depends on retvar@
identifier virtual.fn;
identifier retvar.v;
expression E;
assignment operator aop != =;
@@
 fn(...) { <+... \( v aop E \| v++ \| v-- \| ++v \| --v \| &v \) ...+> }

@script:python depends on other_write@
v << retvar.v;
@@
refused.append("other write to " + v)

// Leaves this shape cannot place a statement next to: the body of a loop,
// a return in an if arm that has an else, an arm between two else-ifs.
@hard_place depends on found disable neg_if, drop_else@
identifier virtual.fn;
expression E, E1, E2, E3, E4;
identifier v : script:python () { v in phys_vars };
statement S, S2, S3;
@@
 fn(...) { <+...
(
 for (E1; E2; E3) v = E;
|
 for (E1; E2; E3) return E;
|
 while (E1) v = E;
|
 while (E1) return E;
|
 if (E1) return E; else S
|
 if (E1) S else return E;
|
 if (E1) S else if (E2) v = E; else if (E4) S2
|
 if (E1) S else if (E2) v = E; else if (E4) S2 else S3
)
 ...+> }

@script:python@
e << hard_place.E;
@@
if is_leaf(e):
    refused.append("a leaf it cannot place a statement next to: " + norm(e))

@script:python accept depends on found@
fn << virtual.fn;
@@
if refused:
    cocci.include_match(False)

// ---------------------------------------------------------------- placement
// The leaves that are an if arm (matched file-wide, as a match inside
// `fn(...) { <+... ...+> }` hides the matches nested in it).  Positions are
// those of the code as read:
// only the first rewriting rule can use them, as spatch reparses a function
// after each rule that changes it.  The rules after it match the code the
// rules before them produced.

@arm depends on accept disable neg_if, drop_else@
identifier v : script:python () { v in phys_vars };
expression C, E;
statement S;
position a;
@@
(
 if (C) v@a = E; else S
|
 if (C) v@a = E;
|
 if (C) S else v@a = E;
|
 if (C) return@a E;
)

@script:python@
fn << virtual.fn;
a << arm.a;
@@
if a[0].current_element == fn:
    arm_leaves.add(key(a))

// ---------------------------------------------------------------- rewrite

// Leaves that are not an if arm: a statement after them is enough.
@depends on accept disable neg_if, drop_else@
identifier virtual.fn;
identifier v : script:python () { v in phys_vars };
expression E : script:python () { is_leaf(E) };
fresh identifier sz = script:python (E) { size_name(E) };
position a : script:python () { key(a) not in arm_leaves };
@@
 fn(...) { <...
(
  v@a = E;
+ *length = sz;
|
+ *length = sz;
  return@a E;
)
 ...> }

// Arms.  Adding braces to an arm followed by else, Coccinelle prints
// "}\n else", so the rules take the else out and put "} else" back; they
// go from the first arm of an else-if chain to the inner ones.

// A first arm followed by "else if".
@depends on accept disable neg_if, drop_else@
identifier virtual.fn;
identifier v : script:python () { v in phys_vars };
expression C, C2;
expression E : script:python () { is_leaf(E) };
fresh identifier sz = script:python (E) { size_name(E) };
statement S2, S3;
@@
 fn(...) { <...
 if (C)
- v = E;
+ {
+ v = E;
+ *length = sz;
+ } else
- else
(
 if (C2) S2 else S3
|
 if (C2) S2
)
 ...> }

// An arm after "else", followed by "else".
@depends on accept disable neg_if, drop_else@
identifier virtual.fn;
identifier v : script:python () { v in phys_vars };
expression C1, C;
expression E : script:python () { is_leaf(E) };
fresh identifier sz = script:python (E) { size_name(E) };
statement S1, S;
@@
 fn(...) { <...
 if (C1) S1 else if (C)
- v = E;
+ {
+ v = E;
+ *length = sz;
+ } else
- else
 S
 ...> }

// A first arm followed by "else".
@depends on accept disable neg_if, drop_else@
identifier virtual.fn;
identifier v : script:python () { v in phys_vars };
expression C;
expression E : script:python () { is_leaf(E) };
fresh identifier sz = script:python (E) { size_name(E) };
statement S;
@@
 fn(...) { <...
 if (C)
- v = E;
+ {
+ v = E;
+ *length = sz;
+ } else
- else
 S
 ...> }

// An arm without else.
@depends on accept disable neg_if, drop_else@
identifier virtual.fn;
identifier v : script:python () { v in phys_vars };
expression C;
expression E : script:python () { is_leaf(E) };
fresh identifier sz = script:python (E) { size_name(E) };
@@
 fn(...) { <...
 if (C)
- v = E;
+ {
+ v = E;
+ *length = sz;
+ }
 ...> }

@depends on accept disable neg_if, drop_else@
identifier virtual.fn;
expression C;
expression E : script:python () { is_leaf(E) };
fresh identifier sz = script:python (E) { size_name(E) };
@@
 fn(...) { <...
 if (C)
- return E;
+ {
+ *length = sz;
+ return E;
+ }
 ...> }

// A leaf else arm.
@depends on accept disable neg_if, drop_else@
identifier virtual.fn;
identifier v : script:python () { v in phys_vars };
expression C;
expression E : script:python () { is_leaf(E) };
fresh identifier sz = script:python (E) { size_name(E) };
statement S1;
@@
 fn(...) { <...
 if (C) S1 else
+ {
 v = E;
+ *length = sz;
+ }
 ...> }

// Any other plain else arm of an if whose arm got braces gets them too
// (file-wide, for the same reason as rule arm; braces0 would let `{ ... }`
// match any statement).
@depends on accept disable braces0, neg_if, drop_else@
expression C, C2, E2;
statement S, S2, S3;
position p : script:python () { in_target(p) };
@@
 if@p (C) { ... *length = E2; } else
(
 if (C2) S2 else S3
|
 if (C2) S2
|
 { ... }
|
+ {
 S
+ }
)
