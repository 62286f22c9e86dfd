// SPDX-License-Identifier: GPL-2.0-only
/*
 * False-positive traps: private look-alikes of the op and phys-only
 * callers of the kept wrapper.  Nothing here may be reported.
 */
#include "audit_types.h"

/* A private MMU with its own iova_to_phys, as in the ISP drivers. */
struct toy_mmu;
struct toy_mmu_ops {
	phys_addr_t (*iova_to_phys)(struct toy_mmu *mmu, dma_addr_t iova);
};

struct toy_mmu {
	const struct toy_mmu_ops *ops;
};

phys_addr_t toy_mmu_iova_to_phys(struct toy_mmu *mmu, dma_addr_t iova)
{
	return iova;
}

static const struct toy_mmu_ops toy_mmu_ops = {
	.iova_to_phys	= toy_mmu_iova_to_phys,
};

phys_addr_t toy_mmu_lookup(struct toy_mmu *mmu, dma_addr_t iova)
{
	return mmu->ops->iova_to_phys(mmu, iova);
}

/* An inline wrapper of the kept core wrapper, as in nicvf and otx2. */
static inline phys_addr_t toy_nic_iova_to_phys(struct iommu_domain *domain,
					       dma_addr_t dma_addr)
{
	if (!domain)
		return dma_addr;
	return iommu_iova_to_phys(domain, dma_addr);
}

/* A phys-only caller that is not a loop. */
void *toy_iova_to_virt(struct iommu_domain *domain, dma_addr_t iova)
{
	phys_addr_t phys = domain ? iommu_iova_to_phys(domain, iova) : iova;

	return (void *)(unsigned long)phys;
}

/* A hardware helper with the old shape, as arm_smmu_iova_to_phys_hard. */
static phys_addr_t toy_iova_to_phys_hard(struct iommu_domain *domain,
					 dma_addr_t iova)
{
	if (iova & 1)
		return 0;
	return iova;
}

static phys_addr_t toy_hw_iova_to_phys_length(struct iommu_domain *domain,
					      dma_addr_t iova, size_t *length)
{
	phys_addr_t phys = toy_iova_to_phys_hard(domain, iova);

	if (!phys)
		return PHYS_ADDR_MAX;
	*length = PAGE_SIZE;
	return phys;
}

/* The kept wrapper maps PHYS_ADDR_MAX back to 0: not an implementation. */
phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
{
	size_t length;
	phys_addr_t phys = iommu_iova_to_phys_length(domain, iova, &length);

	return phys == PHYS_ADDR_MAX ? 0 : phys;
}

static const struct iommu_domain_ops toy_hw_ops = {
	.iova_to_phys_length	= toy_hw_iova_to_phys_length,
};
