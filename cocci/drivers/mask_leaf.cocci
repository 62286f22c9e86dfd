// SPDX-License-Identifier: GPL-2.0-only
/// Shape "mask": a walk whose one successful result adds to the leaf's frame
/// the offset of the address within the leaf, masked with the leaf size:
///
///	v = <frame> + (iova & (<size> - 1));	(or "|")
///	...
///	return v;
///
///   spatch --sp-file cocci/drivers/mask_leaf.cocci -D fn=<old name>
///
/// <size> may be any expression, e.g. one computed from the level the walk
/// stopped at (intel-iommu's BIT_MASK(level_to_offset_bits(level) +
/// VTD_PAGE_SHIFT)): the mask says that the whole aligned block of that size
/// translates linearly, so `*length = <size>;` follows the leaf (braced if it
/// is the arm of an if).  Then templates/common.cocci renames the function,
/// adds the parameter and turns the zeros into PHYS_ADDR_MAX.
///
/// All or nothing: nothing changes unless fn is an iommu_domain_ops
/// initialiser, iova is its address parameter, v is a local that only 0 and
/// the leaf set, every return is `return v;` or `return 0;`, and the leaf is
/// not an if arm with an else.
//
// Confidence: High
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
 &(struct iommu_domain_ops) { ..., .iova_to_phys = fn, ... }

@init_named depends on setup@
identifier virtual.fn;
identifier I;
@@
 struct iommu_domain_ops I = { ..., .iova_to_phys = fn, ... };

@leaf depends on init_literal || init_named exists@
identifier virtual.fn;
identifier d, iova, v;
type T, TD, TI, TV;
expression A, S;
position p;
@@
 T fn(TD d, TI iova) {
 ... when any
 TV v = 0;
 ... when any
(
 v@p = A + (iova & (S - 1));
|
 v@p = A | (iova & (S - 1));
)
 ... when any
 return v;
 }

@other_write depends on leaf@
identifier virtual.fn;
identifier leaf.v;
expression E;
position p != leaf.p;
@@
 fn(...) { <+...
(
 v = 0
|
 v@p = E
|
 v@p += E
|
 v@p |= E
|
 v@p -= E
|
 &v@p
)
 ...+> }

@script:python@
p << other_write.p;
@@
refused.append("another write to the result at line %s" % p[0].line)

@other_return depends on leaf@
identifier virtual.fn;
identifier leaf.v;
expression R;
@@
 fn(...) { <+...
(
 return v;
|
 return 0;
|
 return R;
)
 ...+> }

@script:python@
r << other_return.R;
@@
refused.append("return " + r)

@else_arm depends on leaf disable drop_else@
identifier virtual.fn;
position leaf.p;
identifier leaf.v;
expression E, C;
statement S;
@@
 fn(...) { <+...
(
 if (C) v@p = E; else S
|
 if (C) S else v@p = E;
)
 ...+> }

@script:python depends on else_arm@
@@
refused.append("the leaf is an if arm with an else")

@script:python accept depends on leaf@
@@
if refused:
    cocci.include_match(False)

@in_arm depends on accept disable drop_else@
identifier virtual.fn;
identifier leaf.v;
expression C, E;
position leaf.p;
@@
 fn(...) { <+...
 if (C)
 	v@p = E;
 ...+> }

// The first rule that changes the code may still use the leaf's position.
@arm depends on in_arm disable drop_else@
identifier virtual.fn;
identifier leaf.v;
expression leaf.S, C, E;
position leaf.p;
@@
 fn(...) { <...
 if (C)
+	{
 	v@p = E;
+	*length = S;
+	}
 ...> }

@depends on accept && !in_arm@
identifier virtual.fn;
identifier leaf.v, leaf.iova;
expression leaf.A, leaf.S;
@@
 fn(...) { <...
(
 v = A + (iova & (S - 1));
+ *length = S;
|
 v = A | (iova & (S - 1));
+ *length = S;
)
 ...> }
