// SPDX-License-Identifier: GPL-2.0-only
/// Print the line of each definition of function `fn` (spatch -D fn=NAME).
/// Used by generator/anchors.py to confirm an anchor the C scanner found.
//
// Confidence: High
// Options: --no-includes --include-headers

@r@
identifier virtual.fn;
position p;
@@
fn@p(...) { ... }

@script:python@
p << r.p;
@@
print("LOCATE %s" % p[0].line)
