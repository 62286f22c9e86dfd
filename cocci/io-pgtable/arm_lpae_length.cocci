// SPDX-License-Identifier: GPL-2.0-only
/// io-pgtable-arm (LPAE): turn arm_lpae_iova_to_phys() into
/// arm_lpae_iova_to_phys_length().  The walk already knows the level of the
/// leaf it stopped on, so the length is that level's block size; a failed
/// walk becomes PHYS_ADDR_MAX.  The old op is re-added as a wrapper by
/// add_length_op.cocci.  Two shapes of the walk: __arm_lpae_iopte_walk()
/// filling d.lvl, or an older loop over the levels ending at a label.
//
// Confidence: High
// Options: --no-includes --include-headers
@walker@
typedef phys_addr_t;
identifier ops, iova, ret, d, data;
@@
 static phys_addr_t
-arm_lpae_iova_to_phys(struct io_pgtable_ops *ops, unsigned long iova)
+arm_lpae_iova_to_phys_length(struct io_pgtable_ops *ops, unsigned long iova,
+			     size_t *length)
 {
 ...
 if (ret)
-	return 0;
+	return PHYS_ADDR_MAX;
+
+	/* A 4T block does not fit a 32-bit size_t, an aligned part of it does */
+	*length = min_t(u64, ARM_LPAE_BLOCK_SIZE(d.lvl, data), SIZE_MAX / 2 + 1);
 iova &= (ARM_LPAE_BLOCK_SIZE(d.lvl, data) - 1);
 return ...;
 }

// The older walk (a loop over the levels that jumps to a label with lvl
// at the leaf): the same change, only where the first shape did not match.
@loop depends on !walker exists@
typedef phys_addr_t;
identifier ops, iova, data, lvl;
@@
 static phys_addr_t arm_lpae_iova_to_phys(struct io_pgtable_ops *ops, unsigned long iova)
 {
 ... when any
 iova &= (ARM_LPAE_BLOCK_SIZE(lvl, data) - 1);
 ... when any
 }

@depends on loop@
identifier loop.ops, loop.iova;
@@
 static phys_addr_t
-arm_lpae_iova_to_phys(struct io_pgtable_ops *ops, unsigned long iova)
+arm_lpae_iova_to_phys_length(struct io_pgtable_ops *ops, unsigned long iova,
+			     size_t *length)
 {
 <...
-return 0;
+return PHYS_ADDR_MAX;
 ...>
 }

@depends on loop@
identifier loop.iova, loop.data, loop.lvl;
@@
 arm_lpae_iova_to_phys_length(...)
 {
 <...
+	/* A 4T block does not fit a 32-bit size_t, an aligned part of it does */
+	*length = min_t(u64, ARM_LPAE_BLOCK_SIZE(lvl, data), SIZE_MAX / 2 + 1);
 iova &= (ARM_LPAE_BLOCK_SIZE(lvl, data) - 1);
 ...>
 }
