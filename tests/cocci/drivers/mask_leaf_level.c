// A walk that returns the level of the leaf; the result masks the offset
// with the size of that level, an expression, in an if arm.
// spatch: cocci/drivers/mask_leaf.cocci -D fn=lvl_iova_to_phys
// spatch: templates/common.cocci -D fn=lvl_iova_to_phys

static phys_addr_t lvl_iova_to_phys(struct iommu_domain *domain,
				    dma_addr_t iova)
{
	struct lvl_domain *ld = to_lvl_domain(domain);
	struct lvl_pte *pte;
	int level = 0;
	u64 phys = 0;

	pte = lvl_find_pte(ld, iova, &level);
	if (pte && lvl_pte_valid(pte))
		phys = lvl_pte_addr(pte) +
			(iova & (lvl_level_size(level) - 1));

	return phys;
}

const struct iommu_ops lvl_iommu_ops = {
	.default_domain_ops = &(const struct iommu_domain_ops) {
		.map_pages	= lvl_map_pages,
		.iova_to_phys	= lvl_iova_to_phys,
	}
};
