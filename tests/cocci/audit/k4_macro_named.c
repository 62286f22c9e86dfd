// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kind 4 in a function whose name is a macro call, as generic_pt's
 * DOMAIN_NS(): spatch cannot parse it, the token pass checks it.
 */
#include "audit_types.h"
#include "audit_ns.h"

int toy_walk(struct iommu_domain *domain, dma_addr_t iova, phys_addr_t *out);

phys_addr_t TOY_NS(iova_to_phys_length)(struct iommu_domain *domain,
					dma_addr_t iova, size_t *length)
{
	phys_addr_t out;

	if (toy_walk(domain, iova, &out))
		return 0;
	*length = PAGE_SIZE;
	return out;
}

/* The kept wrapper has no length: its 0 is the old API's. */
phys_addr_t TOY_NS(iova_to_phys)(struct iommu_domain *domain, dma_addr_t iova)
{
	size_t length;
	phys_addr_t phys = TOY_NS(iova_to_phys_length)(domain, iova, &length);

	return phys == PHYS_ADDR_MAX ? 0 : phys;
}
