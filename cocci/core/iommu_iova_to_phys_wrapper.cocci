// SPDX-License-Identifier: GPL-2.0-only
/// drivers/iommu/iommu.c: iommu_iova_to_phys() becomes a wrapper of
/// iommu_iova_to_phys_length(), which now owns the identity short-cut and
/// the op-presence check.  Its users keep their historical contract: 0
/// means "no translation".
//
// Confidence: High
// Options: --no-includes --include-headers
@@
typedef phys_addr_t, dma_addr_t;
identifier domain, iova;
@@
 phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
 {
-	if (domain->type == IOMMU_DOMAIN_IDENTITY)
-		return iova;
-
-	if (domain->type == IOMMU_DOMAIN_BLOCKED)
-		return 0;
-
-	return domain->ops->iova_to_phys(domain, iova);
+	size_t length;
+	phys_addr_t phys = iommu_iova_to_phys_length(domain, iova, &length);
+
+	return phys == PHYS_ADDR_MAX ? 0 : phys;
 }
