// SPDX-License-Identifier: GPL-2.0-only
/// io-pgtable-arm (LPAE): the single-IOVA walks, arm_lpae_iova_to_phys()
/// and arm_lpae_pgtable_walk(), end the walk at iova + 1.  The end is
/// exclusive, so at the last IOVA of the address space (~0UL with
/// IO_PGTABLE_QUIRK_ARM_TTBR1, 0xffffffff on 32-bit) it wraps to 0, nothing
/// is visited, and the walk data is left uninitialised while the walk
/// returns success.  Walk from the start of iova's granule instead: every
/// leaf is made of whole, aligned granules, so the leaf is the same, and
/// the granule's first byte + 1 cannot wrap.  Trees whose iova_to_phys walks
/// the levels in a loop have no end to wrap, and no such function.
//
// Confidence: High
// Options: --no-includes --include-headers
@@
identifier f, ops, iova, data, wd;
@@
 f(struct io_pgtable_ops *ops, unsigned long iova, ...)
 {
 	struct arm_lpae_io_pgtable *data = io_pgtable_ops_to_data(ops);
+	/* iova + 1 would wrap to 0 at the last IOVA of the address space */
+	unsigned long addr = iova & ~(ARM_LPAE_GRANULE(data) - 1);
 	...
 	struct io_pgtable_walk_data wd = {
 		...,
 		.addr =
-			iova
+			addr
 		,
 		.end =
-			iova
+			addr
			+ 1,
 	};
 	...
 }
