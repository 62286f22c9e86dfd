// SPDX-License-Identifier: GPL-2.0-only
/// drm/panthor: panthor_vm_unmap_pages() skips the unmapped hole after a short
/// unmap by probing through ops->iova_to_phys_length.  Only the sentinel of
/// the test changes: PHYS_ADDR_MAX, not 0, means "not mapped".  The probed
/// address, base included, stays as it is.
//
// Options: --no-includes

@probe@
identifier ops;
expression A;
@@
 panthor_vm_unmap_pages(...)
 {
 <...
-!ops->iova_to_phys(ops, A)
+ops->iova_to_phys_length(ops, A, &mapped_len) == PHYS_ADDR_MAX
 ...>
 }

@decl depends on probe@
identifier probe.ops;
expression E;
@@
 panthor_vm_unmap_pages(...)
 {
 ...
 struct io_pgtable_ops *ops = E;
+size_t mapped_len;
 ...
 }
