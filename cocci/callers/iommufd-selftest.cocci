// SPDX-License-Identifier: GPL-2.0-only
/// iommufd/selftest: iommufd_test_md_check_pa() calls the mock domain's op
/// directly, so it moves to iova_to_phys_length before the old op goes.  The
/// leaf must also cover at least the page size the check steps by.
//
// Confidence: High
// Options: --no-includes

@check@
identifier mock, io_phys, iova, rc, out;
@@
 iommufd_test_md_check_pa(...)
 {
 <...
-io_phys = mock->domain.ops->iova_to_phys(&mock->domain, iova);
+io_phys = mock->domain.ops->iova_to_phys_length(&mock->domain, iova,
+						 &io_length);
+if (io_phys != PHYS_ADDR_MAX && io_length < page_size) {
+	rc = -EINVAL;
+	goto out;
+}
 if (io_phys != ...) {
 	rc = -EINVAL;
 	goto out;
 }
 ...>
 }

@decl depends on check@
identifier check.io_phys;
@@
 iommufd_test_md_check_pa(...)
 {
 <...
 phys_addr_t io_phys;
+size_t io_length;
 ...>
 }
