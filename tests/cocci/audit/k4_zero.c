// SPDX-License-Identifier: GPL-2.0-only
/* Kind 4: iova_to_phys_length implementations that return 0 on errors. */
#include "audit_types.h"

struct toy_table {
	phys_addr_t *entries;
	unsigned long nr;
};

struct toy_table *toy_table_of(struct iommu_domain *domain);

static phys_addr_t toy_iova_to_phys_length(struct iommu_domain *domain,
					   dma_addr_t iova, size_t *length)
{
	struct toy_table *t = toy_table_of(domain);

	if (iova / PAGE_SIZE >= t->nr)
		return 0;
	*length = PAGE_SIZE;
	return t->entries[iova / PAGE_SIZE] ? t->entries[iova / PAGE_SIZE] : 0;
}

static phys_addr_t toy_pgt_lookup(struct io_pgtable_ops *ops,
				  unsigned long iova, size_t *size)
{
	phys_addr_t phys = 0;

	if (iova & 1)
		phys = iova;
	*size = PAGE_SIZE;
	return phys;
}

/* Correct: errors are PHYS_ADDR_MAX. */
static phys_addr_t toy_good_length(struct iommu_domain *domain,
				   dma_addr_t iova, size_t *length)
{
	struct toy_table *t = toy_table_of(domain);

	if (iova / PAGE_SIZE >= t->nr)
		return PHYS_ADDR_MAX;
	*length = PAGE_SIZE;
	return t->entries[iova / PAGE_SIZE];
}

/* A 0 result that is overwritten on every path is fine. */
static phys_addr_t toy_good_init(struct io_pgtable_ops *ops,
				 unsigned long iova, size_t *size)
{
	phys_addr_t phys = 0;

	if (iova & 1)
		phys = iova;
	else
		phys = PHYS_ADDR_MAX;
	*size = PAGE_SIZE;
	return phys;
}

static const struct iommu_domain_ops toy_ops = {
	.iova_to_phys_length	= toy_iova_to_phys_length,
};

static const struct io_pgtable_ops toy_pgt_ops = {
	.iova_to_phys_length	= toy_pgt_lookup,
};
