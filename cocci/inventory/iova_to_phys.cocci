// SPDX-License-Identifier: GPL-2.0-only
/// Inventory of the iova_to_phys API in a tree: every initialiser of (or
/// assignment to) the .iova_to_phys op, every call through the op and every caller of the
/// iommu_iova_to_phys() wrapper, one "INVENTORY kind file line function name"
/// record each.  Read by generator/inventory.py; initialisers inside macro
/// bodies are found there by a token pass because spatch cannot match them.
//
// Confidence: High
// Options: --no-includes --include-headers

@init_named@
identifier fn, I;
type T;
position p;
@@
(
 T I = { ..., .iova_to_phys = fn@p, ... };
|
 T I = { ..., .iova_to_phys = &fn@p, ... };
)

@script:python@
fn << init_named.fn;
p << init_named.p;
T << init_named.T;
@@
print("INVENTORY implementer %s %s %s %s" % (p[0].file, p[0].line, fn, T.replace(' ', '+')))

@init_literal@
identifier fn;
type T;
position p;
@@
(
 (T){ ..., .iova_to_phys = fn@p, ... }
|
 (T){ ..., .iova_to_phys = &fn@p, ... }
)

@script:python@
fn << init_literal.fn;
p << init_literal.p;
T << init_literal.T;
@@
print("INVENTORY implementer %s %s %s %s" % (p[0].file, p[0].line, fn, T.replace(' ', '+')))

@init_assign@
identifier fn;
expression E;
position p;
@@
(
 E.iova_to_phys = fn@p
|
 E->iova_to_phys = fn@p
|
 E.iova_to_phys = &fn@p
|
 E->iova_to_phys = &fn@p
)

@script:python@
fn << init_assign.fn;
p << init_assign.p;
@@
print("INVENTORY implementer %s %s %s assignment" % (p[0].file, p[0].line, fn))

@op_call@
expression E;
position p;
@@
\(E->iova_to_phys@p(...)\|E.iova_to_phys@p(...)\)

@script:python@
p << op_call.p;
@@
print("INVENTORY op-call %s %s %s iova_to_phys" % (p[0].file, p[0].line, p[0].current_element))

@wrapper_call@
position p;
@@
iommu_iova_to_phys@p(...)

@script:python@
p << wrapper_call.p;
@@
print("INVENTORY wrapper-call %s %s %s iommu_iova_to_phys" % (p[0].file, p[0].line, p[0].current_element))
