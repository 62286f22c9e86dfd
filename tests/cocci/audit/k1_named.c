// SPDX-License-Identifier: GPL-2.0-only
/* Kind 1: named initialisers of both ops structs. */
#include "audit_types.h"

static phys_addr_t toy_iova_to_phys(struct iommu_domain *domain,
				    dma_addr_t iova)
{
	return iova;
}

static phys_addr_t toy_pgt_iova_to_phys(struct io_pgtable_ops *ops,
					unsigned long iova)
{
	return iova;
}

static const struct iommu_domain_ops toy_domain_ops = {
	.iova_to_phys	= toy_iova_to_phys,
};

struct iommu_domain_ops toy_exported_ops = {
	.map_pages	= NULL,
	.iova_to_phys	= &toy_iova_to_phys,
};

static struct io_pgtable_ops toy_pgt_ops = {
	.iova_to_phys	= toy_pgt_iova_to_phys,
};
