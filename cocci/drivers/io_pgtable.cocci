// SPDX-License-Identifier: GPL-2.0-only
/// Drivers whose iova_to_phys asks their io-pgtable: pass the caller's
/// length on to io_pgtable_ops->iova_to_phys_length(), which reports the
/// leaf it found (added to LPAE, v7s and DART earlier in the series).
///
///   spatch --sp-file cocci/drivers/io_pgtable.cocci -D fn=<old name>
///
/// then templates/common.cocci renames the function, adds `size_t *length`
/// and turns `return 0;` (no page table yet) into PHYS_ADDR_MAX.
///
/// All or nothing: nothing changes unless fn is an iommu_domain_ops
/// initialiser, calls ops->iova_to_phys(ops, iova), and every return is
/// `return 0;`, such a call, a call that already passes `length` (a driver
/// rule converted that helper first), or a local phys_addr_t that only such
/// a call or 0 sets.  A driver that post-processes the result (mtk_iommu
/// clears bit 32) must first return PHYS_ADDR_MAX untouched: its own rule
/// adds `if (v == PHYS_ADDR_MAX) return v;` after the call, and only then is
/// the post-processing accepted.  No NULL check is added where the driver
/// has none (ipmmu-vmsa, mtk_iommu): their domains get the io-pgtable when
/// they are finalised, before anything is mapped.
//
// Confidence: High
// Options: --no-includes --include-headers

@initialize:python@
@@
refused = []
phys_vars = set()

@script:python setup@
fn << virtual.fn;
@@
del refused[:]
phys_vars.clear()

@init_literal depends on setup@
identifier virtual.fn;
@@
 &(const struct iommu_domain_ops) { ..., .iova_to_phys = fn, ... }

@init_named depends on setup@
identifier virtual.fn;
identifier I;
@@
 struct iommu_domain_ops I = { ..., .iova_to_phys = fn, ... };

@script:python init_macro depends on setup@
m << virtual.init_in_macro;
@@

@delegates depends on init_literal || init_named || init_macro@
identifier virtual.fn;
expression O, I;
@@
 fn(...) { <+... O->iova_to_phys(O, I) ...+> }

// ---------------------------------------------------------------- checks

@retvar depends on delegates exists@
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

@bad_return depends on delegates@
identifier virtual.fn;
identifier rv : script:python () { rv in phys_vars };
expression E, O, I, f;
position p;
@@
 fn(...) { <+...
(
 return 0;
|
 return O->iova_to_phys(O, I);
|
 return f(..., length, ...);
|
 return rv;
|
 return@p E;
)
 ...+> }

@script:python@
p << bad_return.p;
e << bad_return.E;
@@
refused.append("return " + e)

@bad_var depends on retvar@
identifier virtual.fn;
identifier retvar.v;
expression E, O, I;
position p;
@@
 fn(...) { <+...
(
 v = 0
|
 v = O->iova_to_phys(O, I)
|
 v@p = E
)
 ...+> }

@script:python@
p << bad_var.p;
v << retvar.v;
@@
refused.append("assignment to " + v)

// Post-processing of the result is accepted only behind the sentinel test.
@guarded depends on retvar@
identifier virtual.fn;
identifier retvar.v;
@@
 fn(...) { <+... if (v == PHYS_ADDR_MAX) return v; ...+> }

@post depends on retvar && !guarded@
identifier virtual.fn;
identifier retvar.v;
expression E;
assignment operator aop != =;
@@
 fn(...) { <+... \( v aop E \| v++ \| v-- \| ++v \| --v \| &v \) ...+> }

@script:python depends on post@
v << retvar.v;
@@
refused.append("post-processing of " + v + " without the sentinel test")

@script:python accept depends on delegates@
fn << virtual.fn;
@@
if refused:
    cocci.include_match(False)

// ---------------------------------------------------------------- rewrite

@depends on accept@
identifier virtual.fn;
expression O, I;
@@
 fn(...) { <...
- O->iova_to_phys(O, I)
+ O->iova_to_phys_length(O, I, length)
 ...> }
