// SPDX-License-Identifier: GPL-2.0-only
/// Every implementer provides iova_to_phys_length now: drop the
/// iova_to_phys members of iommu_domain_ops (include/linux/iommu.h) and
/// io_pgtable_ops (include/linux/io-pgtable.h), and the fallback to the old
/// op in iommu_iova_to_phys_length() (drivers/iommu/iommu.c).
//
// Confidence: High
// Options: --no-includes --include-headers
@@
typedef phys_addr_t, dma_addr_t;
identifier d, i;
@@
 struct iommu_domain_ops {
	...
-	phys_addr_t (*iova_to_phys)(struct iommu_domain *d, dma_addr_t i);
	...
 };

@@
typedef phys_addr_t;
identifier o, i;
@@
 struct io_pgtable_ops {
	...
-	phys_addr_t (*iova_to_phys)(struct io_pgtable_ops *o, unsigned long i);
	...
 };

@@
typedef phys_addr_t;
identifier domain, iova, length, ops, phys;
@@
 phys_addr_t iommu_iova_to_phys_length(...)
 {
	...
-	phys_addr_t phys;
	...
-	if (ops->iova_to_phys_length)
-		return ops->iova_to_phys_length(domain, iova, length);
-
-	if (!ops->iova_to_phys)
-		return PHYS_ADDR_MAX;
-
-	phys = ops->iova_to_phys(domain, iova);
-	if (!phys)
-		return PHYS_ADDR_MAX;
-	*length = domain->pgsize_bitmap ? 1UL << __ffs(domain->pgsize_bitmap) : 1;
-	return phys;
+	if (!ops->iova_to_phys_length)
+		return PHYS_ADDR_MAX;
+	return ops->iova_to_phys_length(domain, iova, length);
 }
