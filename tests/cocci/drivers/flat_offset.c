// A flat table of page frame numbers whose computation keeps the offset:
// an empty entry must no longer come out as the offset.
// spatch: templates/flat.cocci -D fn=pfn_iova_to_phys -D size=PFN_PAGE_SIZE
// spatch: templates/common.cocci -D fn=pfn_iova_to_phys

static phys_addr_t pfn_iova_to_phys(struct iommu_domain *domain,
				    dma_addr_t iova)
{
	struct pfn_domain *dom = to_pfn_domain(domain);
	unsigned long start = domain->geometry.aperture_start;
	unsigned long flags;
	phys_addr_t pa;

	if (WARN_ON(iova < start || iova > domain->geometry.aperture_end))
		return 0;

	spin_lock_irqsave(&dom->lock, flags);
	pa = *(dom->table + ((iova - start) >> PFN_PAGE_SHIFT));
	pa = (pa << PFN_PAGE_SHIFT) + ((iova - start) & (PFN_PAGE_SIZE - 1));
	spin_unlock_irqrestore(&dom->lock, flags);

	return pa;
}

static const struct iommu_ops pfn_ops = {
	.default_domain_ops = &(const struct iommu_domain_ops) {
		.iova_to_phys	= pfn_iova_to_phys,
	}
};
