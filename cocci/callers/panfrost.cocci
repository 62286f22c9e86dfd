// SPDX-License-Identifier: GPL-2.0-only
/// drm/panfrost: panfrost_mmu_unmap() asks whether the first byte of a heap
/// chunk is mapped through ops->iova_to_phys_length.  Only the sentinel of
/// the test changes: PHYS_ADDR_MAX, not 0, means "not mapped".
//
// Options: --no-includes

@probe@
identifier ops, iova;
@@
 panfrost_mmu_unmap(...)
 {
 <...
-ops->iova_to_phys(ops, iova)
+ops->iova_to_phys_length(ops, iova, &mapped_len) != PHYS_ADDR_MAX
 ...>
 }

@decl depends on probe@
identifier probe.ops;
expression E;
@@
 panfrost_mmu_unmap(...)
 {
 struct io_pgtable_ops *ops = E;
+size_t mapped_len;
 ...
 }
