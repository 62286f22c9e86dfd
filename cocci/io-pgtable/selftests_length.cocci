// SPDX-License-Identifier: GPL-2.0-only
/// io-pgtable-arm-selftests.c (LPAE KUnit) and the ARMv7s boot selftest in
/// io-pgtable-arm-v7s.c: translate with ->iova_to_phys_length.
///
/// Both tests map one block of each size of the format's pgsize_bitmap
/// ("size") at "iova" and check "iova + 42", a sub-block offset.  Now a
/// translation must also report length == size, and every "no translation"
/// check expects PHYS_ADDR_MAX instead of 0.  Trees whose tests also remap
/// one smallest page ("size") of a block they partially unmapped check that
/// page at a different physical address: it must report length == size too.
//
// Confidence: High
// Options: --no-includes --include-headers
@phys@
identifier ops;
expression E, P;
statement S;
@@
- if (ops->iova_to_phys(ops, E) != P)
+ phys = ops->iova_to_phys_length(ops, E, &length);
+ if (phys != P || length != size)
 	S

@hole@
identifier ops;
expression E;
statement S;
@@
- if (ops->iova_to_phys(ops, E))
+ if (ops->iova_to_phys_length(ops, E, &length) != PHYS_ADDR_MAX)
	S

@depends on phys || hole@
identifier f, ops;
@@
 f(...)
 {
 ...
 struct io_pgtable_ops *ops;
+phys_addr_t phys;
+size_t length;
 <+... ops->iova_to_phys_length(...) ...+>
 }
