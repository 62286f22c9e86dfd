// SPDX-License-Identifier: GPL-2.0-only
/// drm/panfrost: panfrost_mmu_unmap() asks whether the first byte of a heap
/// chunk is mapped through ops->iova_to_phys_length.  PHYS_ADDR_MAX, not 0,
/// means "not mapped", so a chunk whose first page is at physical address 0
/// is unmapped too, where it used to be left mapped.
///
/// The test no longer fits one line; the manifest runs this rule with
/// --smpl-spacing so that the line break and indentation below are kept.
//
// Options: --no-includes --smpl-spacing

@probe@
identifier ops, iova, bo;
@@
 panfrost_mmu_unmap(...)
 {
 <...
-if (!bo->is_heap || ops->iova_to_phys(ops, iova)) {
+if (!bo->is_heap ||
+		    ops->iova_to_phys_length(ops, iova, &mapped_len) != PHYS_ADDR_MAX) {
 ...
 }
 ...>
 }

@decl depends on probe@
identifier probe.ops;
expression E;
@@
 panfrost_mmu_unmap(...)
 {
 ...
 struct io_pgtable_ops *ops = E;
+size_t mapped_len;
 ...
 }
