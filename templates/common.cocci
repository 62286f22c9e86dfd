// SPDX-License-Identifier: GPL-2.0-only
/// What every driver conversion shares: the last action of each driver step,
/// run after the rule that makes the function report the length (a shape in
/// templates/ or a rule in cocci/drivers/):
///
///   spatch --sp-file templates/common.cocci -D fn=<old name> [-D init_in_macro=<MACRO>]
///
/// - fn becomes fn_length and takes `size_t *length` as its last parameter;
/// - `.iova_to_phys = fn` becomes `.iova_to_phys_length = fn_length`, in
///   named struct iommu_domain_ops and in &(struct iommu_domain_ops){}
///   compound literals (a pattern without const matches const ones too).
///   spatch cannot rewrite an initialiser inside a #define body:
///   -D init_in_macro=<MACRO> says the step rewrites it with an edit action
///   anchored on that macro, and lets the rest go ahead;
/// - "no translation" becomes PHYS_ADDR_MAX: `return 0;`, and 0 given to the
///   local variable the function returns (initialiser or assignment).
///
/// Nothing changes unless fn already uses `length` (the shape's mark) and its
/// initialiser is found (or named by init_in_macro): a function no shape
/// converted keeps its name, so nothing is half-converted.
//
// Confidence: High
// Options: --no-includes --include-headers

@script:python newname@
fn << virtual.fn;
fnl;
@@
coccinelle.fnl = cocci.make_ident(fn + "_length")

@marked@
identifier virtual.fn;
expression E, f;
@@
fn(...) { <+... \( *length = E \| f(..., length, ...) \) ...+> }

@init_literal depends on marked@
identifier virtual.fn;
@@
 &(struct iommu_domain_ops) { ..., .iova_to_phys = fn, ... }

@init_named depends on marked@
identifier virtual.fn;
identifier I;
@@
 struct iommu_domain_ops I = { ..., .iova_to_phys = fn, ... };

@script:python init_macro depends on marked@
m << virtual.init_in_macro;
@@

@retvar depends on init_literal || init_named || init_macro exists@
identifier virtual.fn;
identifier v;
type T;
@@
 fn(...) {
 ... when any
 T v;
 ... when any
 return v;
 }

@depends on init_literal || init_named || init_macro@
identifier virtual.fn;
@@
 fn(...) { <...
- return 0;
+ return PHYS_ADDR_MAX;
 ...> }

@depends on retvar@
identifier virtual.fn;
identifier retvar.v;
type T;
@@
 fn(...) { <...
(
- T v = 0;
+ T v = PHYS_ADDR_MAX;
|
- v = 0
+ v = PHYS_ADDR_MAX
)
 ...> }

@sig depends on init_literal || init_named || init_macro@
identifier virtual.fn;
identifier newname.fnl;
parameter list PL;
@@
- fn(PL)
+ fnl(PL, size_t *length)
  {...}

@depends on sig@
identifier virtual.fn;
identifier newname.fnl;
@@
 &(struct iommu_domain_ops) { ...,
- .iova_to_phys = fn,
+ .iova_to_phys_length = fnl,
 ...}

@depends on sig@
identifier virtual.fn;
identifier newname.fnl;
identifier I;
@@
 struct iommu_domain_ops I = { ...,
- .iova_to_phys = fn,
+ .iova_to_phys_length = fnl,
 ...};
