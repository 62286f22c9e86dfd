// SPDX-License-Identifier: GPL-2.0-only
/// drivers/iommu/generic_pt/iommu_pt.h: the level function of the
/// iova_to_phys walk stores the leaf's OA size next to the OA, in struct
/// pt_iommu_iova_to_phys_args (kernel-overlay/generic_pt/), so one walk
/// gives both.  pt_entry_oa_lg2sz() already covers contiguous entries.
//
// Confidence: High
// Options: --no-includes --include-headers
@@
identifier res, arg;
@@
 __do_iova_to_phys(...)
 {
 ...
-pt_oaddr_t *res = arg;
+struct pt_iommu_iova_to_phys_args *res = arg;
 ...
 }

@@
identifier res, pts;
@@
 __do_iova_to_phys(...)
 {
 <...
- *res = pt_entry_oa_exact(&pts);
+res->oa = pt_entry_oa_exact(&pts);
+res->oa_lg2sz = pt_entry_oa_lg2sz(&pts);
 ...>
 }
