// SPDX-License-Identifier: GPL-2.0-only
/* Kind 1: compound literals and an assignment of the op. */
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

static const struct iommu_ops toy_iommu_ops = {
	.default_domain_ops = &(const struct iommu_domain_ops) {
		.iova_to_phys	= toy_iova_to_phys,
	},
};

struct toy_pgtable {
	struct io_pgtable_ops ops;
};

void toy_pgtable_init(struct toy_pgtable *pgt, struct io_pgtable_ops *spare)
{
	pgt->ops = (struct io_pgtable_ops) {
		.iova_to_phys	= toy_pgt_iova_to_phys,
	};
	spare->iova_to_phys = toy_pgt_iova_to_phys;
}
