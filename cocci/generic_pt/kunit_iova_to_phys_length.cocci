// SPDX-License-Identifier: GPL-2.0-only
/// drivers/iommu/generic_pt/kunit_iommu_pt.h: every existing test verifies
/// its mappings through check_iova(); let it translate with
/// iommu_iova_to_phys_length() and check the length contract on the way
/// (iova_to_phys_checked(), kernel-overlay/generic_pt/), and register the
/// dedicated test_iova_to_phys_length case.
//
// Confidence: High
// Options: --no-includes --include-headers
@@
identifier test, priv, pfn;
@@
 check_iova(struct kunit *test, ...)
 {
 <...
-iommu_iova_to_phys(&priv->domain, pfn * priv->smallest_pgsz)
+iova_to_phys_checked(test, pfn * priv->smallest_pgsz)
 ...>
 }

@@
identifier cases = iommu_test_cases;
@@
 struct kunit_case cases[] = {
	...,
	KUNIT_CASE_FMT(test_mixed),
+	KUNIT_CASE_FMT(test_iova_to_phys_length),
	...
 };
