// SPDX-License-Identifier: GPL-2.0-only
/// Shape "interval": the mappings are nodes of an interval tree, one per
/// map request (or identity range), looked up at [iova, iova]; the address
/// comes from the node found:
///
///	node = interval_tree_iter_first(root, iova, iova);
///	if (node) {
///		...
///		v = <address from the node>;
///	}
///	...
///	return v;
///
///   spatch --sp-file templates/interval.cocci -D fn=<old name>
///
/// A node translates linearly over [node->start, node->last] but is
/// neither aligned nor a power of two in size, never split by a partial
/// unmap, and an identity node can cover nearly all of a 64-bit space.  So
/// *length is the largest naturally aligned power-of-two block around iova
/// inside the node whose physical side (v, the address found) is aligned
/// too, capped to a size_t: iommu_range_block_length(), added
/// to <linux/iommu.h> earlier in the series.  Then templates/common.cocci
/// renames the function, adds the parameter and turns the 0 the variable
/// starts with into PHYS_ADDR_MAX.
///
/// All or nothing: nothing changes unless the function's initialiser is
/// found, the lookup is of [iova, iova], v is set once, inside the test of
/// the node, and every return is `return 0;` or `return v;`.
//
// Confidence: Moderate
// Options: --no-includes --include-headers

@initialize:python@
@@
refused = []

@script:python setup@
fn << virtual.fn;
@@
del refused[:]

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

@lookup depends on init_literal || init_named || init_macro@
identifier virtual.fn;
identifier d, iova, node, v;
expression R, E;
type T;
typedef phys_addr_t, dma_addr_t;
@@
 phys_addr_t fn(struct iommu_domain *d, dma_addr_t iova) {
 ... when any
 T v = 0;
 ... when any
 node = interval_tree_iter_first(R, iova, iova);
 if (node) {
	...
	v = E;
 }
 ... when any
 return v;
 }

@other_return depends on lookup@
identifier virtual.fn;
identifier lookup.v;
expression R;
position p;
@@
 fn(...) { <+...
(
 return 0;
|
 return v;
|
 return@p R;
)
 ...+> }

@script:python@
r << other_return.R;
@@
refused.append("return " + r)

@the_write depends on lookup@
identifier virtual.fn;
identifier lookup.v, lookup.node;
expression lookup.E;
position p;
@@
 fn(...) { <+... if (node) { ... v =@p E; } ...+> }

@other_write depends on lookup@
identifier virtual.fn;
identifier lookup.v;
expression E2;
assignment operator aop;
position p != the_write.p;
@@
 fn(...) { <+...
(
 v = 0
|
 v aop@p E2
|
 v++@p
|
 v--@p
|
 ++v@p
|
 --v@p
|
 &v@p
)
 ...+> }

@script:python@
p << other_write.p;
@@
refused.append("another write to the result")

@script:python accept depends on lookup@
fn << virtual.fn;
@@
if refused:
    cocci.include_match(False)

@depends on accept@
identifier virtual.fn;
identifier lookup.v, lookup.node, lookup.iova;
expression lookup.E;
@@
 fn(...) { <...
 if (node) {
	...
	v = E;
+	*length = iommu_range_block_length(iova, v, node->start, node->last);
 }
 ...> }
