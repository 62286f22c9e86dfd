// SPDX-License-Identifier: GPL-2.0-only
/// io-pgtable-dart: turn dart_iova_to_phys() into dart_iova_to_phys_length().
/// DART has leaves of one size only, the page size, and the allocator
/// accepts a pgsize_bitmap of exactly SZ_4K or SZ_16K, so the bitmap is the
/// length.  Every "no table" / "no entry" exit becomes PHYS_ADDR_MAX.
/// add_length_op.cocci re-adds the old op as a wrapper.
//
// Confidence: High
// Options: --no-includes --include-headers
@@
typedef phys_addr_t;
identifier ops, iova, data;
@@
 static phys_addr_t
-dart_iova_to_phys(struct io_pgtable_ops *ops, unsigned long iova)
+dart_iova_to_phys_length(struct io_pgtable_ops *ops, unsigned long iova,
+			 size_t *length)
 {
 <...
(
-	return 0;
+	return PHYS_ADDR_MAX;
|
+	*length = data->iop.cfg.pgsize_bitmap;
	iova &= (data->iop.cfg.pgsize_bitmap - 1);
)
 ...>
 }
