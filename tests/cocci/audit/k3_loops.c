// SPDX-License-Identifier: GPL-2.0-only
/* Kind 3: fixed-stride loops over iommu_iova_to_phys(), low confidence. */
#include "audit_types.h"

unsigned long toy_sum_for(struct iommu_domain *d, dma_addr_t iova, size_t size)
{
	unsigned long sum = 0;
	size_t off;

	for (off = 0; off < size; off += PAGE_SIZE)
		sum ^= iommu_iova_to_phys(d, iova + off);
	return sum;
}

unsigned long toy_sum_while(struct iommu_domain *d, dma_addr_t iova,
			    dma_addr_t end, size_t granule)
{
	unsigned long sum = 0;

	while (iova < end) {
		sum ^= iommu_iova_to_phys(d, iova);
		iova += granule;
	}
	return sum;
}

unsigned long toy_sum_do(struct iommu_domain *d, dma_addr_t iova,
			 dma_addr_t end)
{
	unsigned long sum = 0;

	do {
		sum ^= iommu_iova_to_phys(d, iova);
		iova += SZ_4K;
	} while (iova < end);
	return sum;
}

unsigned long toy_next(unsigned long iova);

/* The step comes from a call: not a fixed size. */
unsigned long toy_sum_computed(struct iommu_domain *d, dma_addr_t iova,
			       dma_addr_t end)
{
	unsigned long sum = 0;

	while (iova < end) {
		sum ^= iommu_iova_to_phys(d, iova);
		iova += toy_next(iova);
	}
	return sum;
}

/* Only an index steps; the iova is computed from it. */
unsigned long toy_sum_index(struct iommu_domain *d, unsigned long first,
			    unsigned long count)
{
	unsigned long sum = 0, pfn;

	for (pfn = first; pfn < first + count; pfn++)
		sum ^= iommu_iova_to_phys(d, pfn * PAGE_SIZE);
	return sum;
}
