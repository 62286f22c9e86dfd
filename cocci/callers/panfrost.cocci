// SPDX-License-Identifier: GPL-2.0-only
/// drm/panfrost: panfrost_mmu_unmap() asks whether the first byte of a heap
/// chunk is mapped through ops->iova_to_phys_length.  PHYS_ADDR_MAX, not 0,
/// means "not mapped", so a chunk whose first page is at physical address 0
/// is unmapped too, where it used to be left mapped.
///
/// The test no longer fits one line, and spatch does not break long
/// conditions: the step wraps it with an edit action after this rule.
//
// Confidence: High
// Options: --no-includes

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
