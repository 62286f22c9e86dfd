// A table that warns about a missing entry and reads it anyway, initialised
// in a non-const compound literal: the entry size is the length.
// spatch: cocci/drivers/warn_missing_entry.cocci -D fn=tab_iova_to_phys
// spatch: templates/leaf.cocci -D fn=tab_iova_to_phys -D leaves=TAB_PFN_MASK=TAB_PAGE_SIZE
// spatch: templates/common.cocci -D fn=tab_iova_to_phys

static phys_addr_t tab_iova_to_phys(struct iommu_domain *domain,
				    dma_addr_t iova)
{
	struct tab_domain *tab = to_tab(domain);
	void *ent;

	ent = xa_load(&tab->entries, iova / TAB_PAGE_SIZE);
	WARN_ON(!ent);
	return (xa_to_value(ent) & TAB_PFN_MASK) * TAB_PAGE_SIZE;
}

static const struct iommu_ops tab_ops = {
	.default_domain_ops =
		&(struct iommu_domain_ops){
			.map_pages = tab_map_pages,
			.iova_to_phys = tab_iova_to_phys,
		},
};
