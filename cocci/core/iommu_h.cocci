// SPDX-License-Identifier: GPL-2.0-only
/// include/linux/iommu.h: declare iommu_iova_to_phys_length() next to
/// iommu_iova_to_phys(), and give !CONFIG_IOMMU_API builds a stub that
/// reports "no translation" the new way, PHYS_ADDR_MAX.
///
/// spatch 1.1.1 drops a rule made of a context prototype plus added code,
/// so the prototype is found as a declaration whose tokens name it.
//
// Confidence: High
// Options: --no-includes --include-headers
@@
typedef phys_addr_t, dma_addr_t;
declaration d : script:python () { " iommu_iova_to_phys (" in d };
@@
 d
+phys_addr_t iommu_iova_to_phys_length(struct iommu_domain *domain,
+				      dma_addr_t iova, size_t *length);

@@
typedef phys_addr_t, dma_addr_t;
identifier domain, iova;
@@
 static inline phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain,
					      dma_addr_t iova)
 {
 ...
 }
+
+static inline phys_addr_t iommu_iova_to_phys_length(struct iommu_domain *domain,
+						     dma_addr_t iova,
+						     size_t *length)
+{
+	return PHYS_ADDR_MAX;
+}
