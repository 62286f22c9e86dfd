// SPDX-License-Identifier: GPL-2.0-only
/// io-pgtable-arm-v7s: turn arm_v7s_iova_to_phys() into
/// arm_v7s_iova_to_phys_length().  The walk already builds the mask of the
/// leaf, widened 16 times for contiguous (large page / supersection)
/// entries, so the length is ~mask + 1: 4K, 64K, 1M or 16M.  An invalid
/// entry becomes PHYS_ADDR_MAX.  add_length_op.cocci re-adds the old op as
/// a wrapper.
//
// Confidence: High
// Options: --no-includes --include-headers
@@
typedef phys_addr_t;
identifier ops, iova, pte, mask;
expression E;
@@
 static phys_addr_t
-arm_v7s_iova_to_phys(struct io_pgtable_ops *ops, unsigned long iova)
+arm_v7s_iova_to_phys_length(struct io_pgtable_ops *ops, unsigned long iova,
+			    size_t *length)
 {
 ...
 if (!ARM_V7S_PTE_IS_VALID(pte))
-	return 0;
+	return PHYS_ADDR_MAX;
 ...
+	*length = ~mask + 1;
 return E | (iova & ~mask);
 }
