// The same without init_in_macro: the initialiser is not found, so the
// function is not converted either (the step would fail, not half-convert).
// expect: unchanged
// spatch: templates/leaf.cocci -D fn=zone_iova_to_phys -D leaves=ZONE_PTE_ADDR_MASK=SZ_4K
// spatch: templates/common.cocci -D fn=zone_iova_to_phys

static phys_addr_t zone_iova_to_phys(struct iommu_domain *domain,
				     dma_addr_t iova)
{
	unsigned long pte = zone_lookup(domain, iova);
	phys_addr_t phys = 0;

	if (zone_pte_valid(pte))
		phys = pte & ZONE_PTE_ADDR_MASK;

	return phys;
}

#define ZONE_COMMON_OPS() \
	.default_domain_ops = &(const struct iommu_domain_ops) { \
		.iova_to_phys	= zone_iova_to_phys, \
	}

static const struct iommu_ops zone_ops = {
	ZONE_COMMON_OPS()
};
