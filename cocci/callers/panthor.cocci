// SPDX-License-Identifier: GPL-2.0-only
/// drm/panthor: panthor_vm_unmap_pages() skips the unmapped hole after a short
/// unmap by probing through ops->iova_to_phys_length.  Only the sentinel of
/// the test changes: PHYS_ADDR_MAX, not 0, means "not mapped".  The probed
/// address, base included, stays as it is.
///
/// The test no longer fits one line, and spatch does not break long
/// conditions: the step wraps it with an edit action after this rule.
//
// Confidence: High
// Options: --no-includes

@probe@
identifier ops, unmapped_sz;
expression A, L;
@@
 panthor_vm_unmap_pages(...)
 {
 <...
-while (!ops->iova_to_phys(ops, A + unmapped_sz) &&
+while (ops->iova_to_phys_length(ops, A + unmapped_sz,
+						&mapped_len) == PHYS_ADDR_MAX &&
 		unmapped_sz < L)
 	unmapped_sz += SZ_4K;
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
