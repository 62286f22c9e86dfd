// A flat table of masked entries that dropped the offset: add_offset puts
// it back, flat.cocci makes an empty entry "no translation".
// spatch: templates/add_offset.cocci -D fn=m1_iova_to_phys -D size=M1_PAGE_SIZE
// spatch: templates/flat.cocci -D fn=m1_iova_to_phys -D size=M1_PAGE_SIZE
// spatch: templates/common.cocci -D fn=m1_iova_to_phys

static phys_addr_t m1_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
{
	struct m1_domain *dom = to_m1_domain(domain);
	unsigned long flags;
	phys_addr_t pa;

	spin_lock_irqsave(&dom->lock, flags);
	pa = *(dom->pgt + (iova >> M1_PAGE_SHIFT));
	pa = pa & (~(M1_PAGE_SIZE - 1));
	spin_unlock_irqrestore(&dom->lock, flags);

	return pa;
}

static const struct iommu_domain_ops m1_domain_ops = {
	.iova_to_phys	= m1_iova_to_phys,
};
