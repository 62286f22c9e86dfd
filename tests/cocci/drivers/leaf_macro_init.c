// Ops shared through a macro, whose body spatch cannot rewrite: with
// init_in_macro the function is converted (the step's edit action does the
// initialiser); a lookup that drops the sub-page offset gets it back.
// spatch: templates/add_offset.cocci -D fn=zone_iova_to_phys -D mask=ZONE_PTE_ADDR_MASK -D offset_fn=offset_in_page
// spatch: templates/leaf.cocci -D fn=zone_iova_to_phys -D leaves=ZONE_PTE_ADDR_MASK=SZ_4K -D init_in_macro=ZONE_COMMON_OPS
// spatch: templates/common.cocci -D fn=zone_iova_to_phys -D init_in_macro=ZONE_COMMON_OPS

static phys_addr_t zone_iova_to_phys(struct iommu_domain *domain,
				     dma_addr_t iova)
{
	unsigned long *pto;
	unsigned long pte;
	phys_addr_t phys = 0;

	if (iova < domain->geometry.aperture_start ||
	    iova > domain->geometry.aperture_end)
		return 0;

	pto = zone_pto(domain, iova);
	if (!pto)
		return 0;

	pte = READ_ONCE(pto[zone_px(iova)]);
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
