// SPDX-License-Identifier: GPL-2.0-only
/// Find what is left of the iova_to_phys op of struct iommu_domain_ops and
/// struct io_pgtable_ops once iova_to_phys_length replaces it:
///  kind 1: .iova_to_phys initialisers (named structs and compound
///          literals) and assignments of the op;
///  kind 2: calls through the op, or other reads of it, via any expression
///          of either ops type;
///  kind 3: (report and org only, low confidence) loops that call
///          iommu_iova_to_phys() and step a fixed size: candidates for
///          iommu_iova_to_phys_length();
///  kind 4: iova_to_phys_length implementations that return 0, or a
///          result still 0 from its initialiser, on an error path: the
///          error value is PHYS_ADDR_MAX.
/// Patch mode rewrites op calls whose result is only tested against 0, or
/// returned from an iova_to_phys_length implementation, and the kind 4
/// zeroes. It cannot convert an implementation (kind 1), a call whose
/// result is stored, or a loop (kind 3).
/// spatch does not parse #define bodies; generator/audit.py adds a token
/// pass for those.
///
// Confidence: High (kinds 1, 2, 4), Low (kind 3)
// Comments: Op uses are matched by type: domain->ops gets its type from
//  include/linux/iommu.h (hence the include options) or, failing that, is
//  matched as the ops of a struct iommu_domain.  spatch 1.1.1 resolves
//  "../../x.h" wrongly from a subdirectory (M=drivers/iommu/arm/arm-smmu
//  skips arm-smmu.c with an EXN line); M=drivers/iommu is fine.
// Options: --all-includes --include-headers-for-types --include-headers
// Requires: 1.1.1

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
# The mode decides how a match is printed; the mode rules below set it.
mode = ["report"]
# Functions used as iova_to_phys_length (by signature or by initialiser).
length_fns = set()
# (function, variable) pairs whose 0 initialiser patch mode must not touch.
busy_results = set()
# Calls already reported as kind 3.
k3_seen = set()
import re
import sys
# Functions whose op calls patch mode converted, needing a local length.
p2_fns = set()

def through(o, so, dom, domv):
	# The expression holding the op, whichever branch matched.
	if o or so:
		return str(o or so)
	return "%s%sops" % (dom or domv, " -> " if dom else " . ")

def emit(p, kind, msg):
	text = "kind %d: %s (in %s)" % (kind, msg, p[0].current_element)
	if mode[0] == "org":
		coccilib.org.print_todo(p[0], text)
	else:
		coccilib.report.print_report(p[0], text)
	# With --jobs each worker is a fork that may exit without flushing.
	sys.stdout.flush()

@script:python depends on org@
@@
mode[0] = "org"

// ---------------------------------------------------------------- kind 1

@k1_dom depends on !patch@
identifier I;
expression fn;
position p;
@@
(
 struct iommu_domain_ops I = {
	...,
*	.iova_to_phys@p = fn,
	...
 };
|
 (struct iommu_domain_ops){
	...,
*	.iova_to_phys@p = fn,
	...
 }
)

@k1_pgt depends on !patch@
identifier I;
expression fn;
position p;
@@
(
 struct io_pgtable_ops I = {
	...,
*	.iova_to_phys@p = fn,
	...
 };
|
 (struct io_pgtable_ops){
	...,
*	.iova_to_phys@p = fn,
	...
 }
)

@k1_asg depends on !patch@
{struct iommu_domain_ops *, const struct iommu_domain_ops *,
 struct io_pgtable_ops *, const struct io_pgtable_ops *} o;
{struct iommu_domain_ops, struct io_pgtable_ops} so;
expression fn;
position p;
@@
(
* o->iova_to_phys@p = fn
|
* so.iova_to_phys@p = fn
)

@script:python depends on org || report@
p << k1_dom.p;
fn << k1_dom.fn;
@@
emit(p, 1, ".iova_to_phys = %s initialises struct iommu_domain_ops" % fn)

@script:python depends on org || report@
p << k1_pgt.p;
fn << k1_pgt.fn;
@@
emit(p, 1, ".iova_to_phys = %s initialises struct io_pgtable_ops" % fn)

@script:python depends on org || report@
p << k1_asg.p;
fn << k1_asg.fn;
@@
emit(p, 1, "assigns %s to the iova_to_phys op" % fn)

// ---------------------------------------------------------------- kind 2

// The op is found through an expression of either ops type or, should the
// ops type be unknown (no headers), through the ops of a struct iommu_domain.
@k2_call depends on !patch@
{struct iommu_domain_ops *, const struct iommu_domain_ops *,
 struct io_pgtable_ops *, const struct io_pgtable_ops *} o;
{struct iommu_domain_ops, struct io_pgtable_ops} so;
struct iommu_domain *dom;
struct iommu_domain domv;
expression list args;
position p;
@@
(
* o->iova_to_phys@p(args)
|
* so.iova_to_phys@p(args)
|
* dom->ops->iova_to_phys@p(args)
|
* domv.ops->iova_to_phys@p(args)
)

@k2_read depends on !patch@
{struct iommu_domain_ops *, const struct iommu_domain_ops *,
 struct io_pgtable_ops *, const struct io_pgtable_ops *} o;
{struct iommu_domain_ops, struct io_pgtable_ops} so;
struct iommu_domain *dom;
struct iommu_domain domv;
position p != {k2_call.p, k1_asg.p};
@@
(
* o->iova_to_phys@p
|
* so.iova_to_phys@p
|
* dom->ops->iova_to_phys@p
|
* domv.ops->iova_to_phys@p
)

@script:python depends on org || report@
p << k2_call.p;
o << k2_call.o = "";
so << k2_call.so = "";
dom << k2_call.dom = "";
domv << k2_call.domv = "";
@@
emit(p, 2, "calls the iova_to_phys op through %s" % through(o, so, dom, domv))

@script:python depends on org || report@
p << k2_read.p;
o << k2_read.o = "";
so << k2_read.so = "";
dom << k2_read.dom = "";
domv << k2_read.domv = "";
@@
emit(p, 2, "reads the iova_to_phys op of %s" % through(o, so, dom, domv))

// ---------------------------------------------------------------- kind 3

// A call on a cycle of the control flow graph that also steps a variable
// is in a loop.  Each call is reported once, with its most telling step:
// a constant size, else a variable size, else an index.
@script:python depends on org || report@
@@
def k3_size(E):
	return "PAGE_SIZE" in E or re.search(r"\bSZ_\w+", E) is not None

def k3_variable(E):
	# A step that calls a function is not a fixed size.
	return E != "1" and not k3_size(E) and re.search(r"\w\s*\(", E) is None

def k3_emit(pc, what, x, E, ps):
	key = (pc[0].file, pc[0].line, pc[0].column)
	if key in k3_seen:
		return
	k3_seen.add(key)
	emit(pc, 3, "low confidence: iommu_iova_to_phys() in a loop stepping %s by %s at line %s (%s)" %
	     (x, E, ps[0].line, what))

@k3_size depends on (org || report) && !patch exists@
identifier fn;
expression list args;
expression x;
expression E : script:python () { k3_size(E) };
position pc;
position ps;
@@
fn(...) {
 ... when any
 iommu_iova_to_phys@pc(args)
 ... when any
 x@ps += E
 ... when any
 iommu_iova_to_phys@pc(args)
 ... when any
}

@script:python depends on org || report@
pc << k3_size.pc;
ps << k3_size.ps;
x << k3_size.x;
E << k3_size.E;
@@
k3_emit(pc, "a constant size", x, E, ps)

@k3_variable depends on (org || report) && !patch exists@
identifier fn;
expression list args;
expression x;
expression E : script:python () { k3_variable(E) };
position pc != k3_size.pc;
position ps;
@@
fn(...) {
 ... when any
 iommu_iova_to_phys@pc(args)
 ... when any
 x@ps += E
 ... when any
 iommu_iova_to_phys@pc(args)
 ... when any
}

@script:python depends on org || report@
pc << k3_variable.pc;
ps << k3_variable.ps;
x << k3_variable.x;
E << k3_variable.E;
@@
k3_emit(pc, "a variable size", x, E, ps)

@k3_index depends on (org || report) && !patch exists@
identifier fn;
expression list args;
expression x;
position pc != {k3_size.pc, k3_variable.pc};
position ps;
@@
fn(...) {
 ... when any
 iommu_iova_to_phys@pc(args)
 ... when any
(
 x@ps++
|
 ++x@ps
)
 ... when any
 iommu_iova_to_phys@pc(args)
 ... when any
}

@script:python depends on org || report@
pc << k3_index.pc;
ps << k3_index.ps;
x << k3_index.x;
@@
k3_emit(pc, "an index step", x, "1", ps)

// ---------------------------------------------------------------- kind 4

@k4_sig@
identifier fn, a, b, L;
type T;
typedef phys_addr_t;
@@
(
 phys_addr_t fn(struct iommu_domain *a, T b, size_t *L) { ... }
|
 phys_addr_t fn(struct io_pgtable_ops *a, T b, size_t *L) { ... }
)

@script:python@
fn << k4_sig.fn;
@@
length_fns.add(fn)

@k4_init@
identifier I, fn;
@@
(
 struct iommu_domain_ops I = { ..., .iova_to_phys_length = \(fn\|&fn\), ... };
|
 (struct iommu_domain_ops){ ..., .iova_to_phys_length = \(fn\|&fn\), ... }
|
 struct io_pgtable_ops I = { ..., .iova_to_phys_length = \(fn\|&fn\), ... };
|
 (struct io_pgtable_ops){ ..., .iova_to_phys_length = \(fn\|&fn\), ... }
)

@script:python@
fn << k4_init.fn;
@@
length_fns.add(fn)

@k4_ret depends on !patch@
identifier fn_ret : script:python () { fn_ret in length_fns };
position p;
@@
fn_ret(...) {
 <...
* return 0@p;
 ...>
}

@k4_cond depends on !patch@
identifier fn_cond : script:python () { fn_cond in length_fns };
expression C, E;
position p;
@@
fn_cond(...) {
 <...
* return C ? E : 0@p;
 ...>
}

@k4_zero depends on !patch exists@
identifier fn_zero : script:python () { fn_zero in length_fns };
identifier r;
type T;
expression E;
position pd, pr;
@@
fn_zero(...) {
 ... when any
(
 T r@pd = 0;
|
 r@pd = 0;
)
 ... when != \(r = E\|r |= E\|r += E\|&r\)
* return r@pr;
}

@script:python depends on org || report@
p << k4_ret.p;
@@
emit(p, 4, "returns 0 from an iova_to_phys_length function: use PHYS_ADDR_MAX")

@script:python depends on org || report@
p << k4_cond.p;
@@
emit(p, 4, "returns 0 when a condition fails in an iova_to_phys_length function: use PHYS_ADDR_MAX")

@script:python depends on org || report@
pr << k4_zero.pr;
pd << k4_zero.pd;
r << k4_zero.r;
@@
emit(pr, 4, "returns %s, still 0 from line %s on some path: use PHYS_ADDR_MAX" %
     (r, pd[0].line))

// ---------------------------------------------------------------- patch

// A call only tested against 0: test against PHYS_ADDR_MAX instead.
@p2_test depends on patch && !context && !org && !report@
identifier fn;
{struct iommu_domain_ops *, const struct iommu_domain_ops *,
 struct io_pgtable_ops *, const struct io_pgtable_ops *} o;
expression A, I, X;
@@
fn(...) {
 <+...
(
- !o->iova_to_phys(A, I)
+ o->iova_to_phys_length(A, I, &length) == PHYS_ADDR_MAX
|
- o->iova_to_phys(A, I) == 0
+ o->iova_to_phys_length(A, I, &length) == PHYS_ADDR_MAX
|
- o->iova_to_phys(A, I) != 0
+ o->iova_to_phys_length(A, I, &length) != PHYS_ADDR_MAX
|
 X ||
- o->iova_to_phys(A, I)
+ o->iova_to_phys_length(A, I, &length) != PHYS_ADDR_MAX
|
 X &&
- o->iova_to_phys(A, I)
+ o->iova_to_phys_length(A, I, &length) != PHYS_ADDR_MAX
)
 ...+>
}

@p2_if depends on patch && !context && !org && !report@
identifier fn;
{struct iommu_domain_ops *, const struct iommu_domain_ops *,
 struct io_pgtable_ops *, const struct io_pgtable_ops *} o;
expression A, I;
statement S1, S2;
@@
fn(...) {
 <+...
(
 if (
- o->iova_to_phys(A, I)
+ o->iova_to_phys_length(A, I, &length) != PHYS_ADDR_MAX
 ) S1 else S2
|
 if (
- o->iova_to_phys(A, I)
+ o->iova_to_phys_length(A, I, &length) != PHYS_ADDR_MAX
 ) S1
|
 while (
- o->iova_to_phys(A, I)
+ o->iova_to_phys_length(A, I, &length) != PHYS_ADDR_MAX
 ) S1
)
 ...+>
}

// The converted calls need a local length, unless fn already has one.
@script:python@
fn << p2_test.fn;
@@
p2_fns.add(fn)

@script:python@
fn << p2_if.fn;
@@
p2_fns.add(fn)

@p2_has_param depends on p2_test || p2_if@
identifier fn;
identifier L =~ "^length$";
type T;
@@
 fn(..., T L, ...) { ... }

@script:python@
fn << p2_has_param.fn;
@@
p2_fns.discard(fn)

@p2_has_local depends on p2_test || p2_if@
identifier fn;
identifier L =~ "^length$";
type T;
@@
 fn(...) { ... when any
 T L;
 ... when any
 }

@script:python@
fn << p2_has_local.fn;
@@
p2_fns.discard(fn)

@depends on p2_test || p2_if@
identifier fn_decl : script:python () { fn_decl in p2_fns };
@@
fn_decl(...) {
+ size_t length;
 ...
}

// An iova_to_phys_length function returning the old op: pass the length on.
@p2_ret depends on patch && !context && !org && !report@
identifier fn, a, b, L;
type T1, T2;
{struct iommu_domain_ops *, const struct iommu_domain_ops *,
 struct io_pgtable_ops *, const struct io_pgtable_ops *} o;
expression A, I;
@@
phys_addr_t fn(T1 a, T2 b, size_t *L) {
 <...
 return
- o->iova_to_phys(A, I)
+ o->iova_to_phys_length(A, I, L)
 ;
 ...>
}

@p4_ret depends on patch && !context && !org && !report@
identifier fn_pret : script:python () { fn_pret in length_fns };
@@
fn_pret(...) {
 <...
 return
- 0
+ PHYS_ADDR_MAX
 ;
 ...>
}

@p4_cond depends on patch && !context && !org && !report@
identifier fn_pcond : script:python () { fn_pcond in length_fns };
expression C, E;
@@
fn_pcond(...) {
 <...
 return C ? E :
- 0
+ PHYS_ADDR_MAX
 ;
 ...>
}

// Only a result that is just assigned and returned may start as the error.
@p4_uses depends on patch && !context && !org && !report@
identifier fn_uses : script:python () { fn_uses in length_fns };
identifier r;
type T;
expression E;
position pu;
@@
fn_uses(...) {
 <...
(
 T r@pu = 0;
|
 r@pu = E
|
 return r@pu;
)
 ...>
}

@p4_busy depends on p4_uses@
identifier fn_busy : script:python () { fn_busy in length_fns };
identifier r;
position p != p4_uses.pu;
@@
fn_busy(...) {
 <...
 r@p
 ...>
}

@script:python@
p << p4_busy.p;
r << p4_busy.r;
@@
busy_results.add((p[0].current_element, r))

// A 0-initialised result returned on some path without an assignment.
@p4_cand depends on patch && !context && !org && !report exists@
identifier fn_cand : script:python () { fn_cand in length_fns };
identifier r;
type T;
expression E;
position pd;
@@
fn_cand(...) {
 ... when any
 T r@pd = 0;
 ... when != \(r = E\|r |= E\|r += E\|&r\)
 return r;
}

@script:python@
pd << p4_cand.pd;
r << p4_cand.r;
@@
if (pd[0].current_element, r) in busy_results:
	cocci.include_match(False)

@p4_zero depends on p4_cand@
identifier p4_cand.r;
position p4_cand.pd;
type T;
@@
 T r@pd =
- 0
+ PHYS_ADDR_MAX
 ;
