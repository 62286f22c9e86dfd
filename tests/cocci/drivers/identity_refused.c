// An aperture lookup that also offsets the address: not an identity, so
// identity.cocci refuses it; and an interval lookup whose result is changed
// after the node is left: interval.cocci refuses that.
// expect: unchanged
// spatch: templates/identity.cocci -D fn=shift_iova_to_phys
// spatch: templates/common.cocci -D fn=shift_iova_to_phys
// spatch: templates/interval.cocci -D fn=tag_iova_to_phys
// spatch: templates/common.cocci -D fn=tag_iova_to_phys

static phys_addr_t shift_iova_to_phys(struct iommu_domain *domain,
				      dma_addr_t iova)
{
	if (iova < domain->geometry.aperture_start ||
	    iova > domain->geometry.aperture_end)
		return 0;
	iova += SHIFT_BASE;
	return iova;
}

static phys_addr_t tag_iova_to_phys(struct iommu_domain *domain,
				    dma_addr_t iova)
{
	u64 paddr = 0;
	struct interval_tree_node *node;
	struct tag_domain *tdom = to_tag_domain(domain);

	node = interval_tree_iter_first(&tdom->mappings, iova, iova);
	if (node) {
		paddr = tag_paddr(node) + (iova - node->start);
	}
	paddr |= tdom->tag;

	return paddr;
}

static const struct iommu_domain_ops shift_ops = {
	.iova_to_phys	= shift_iova_to_phys,
};

static const struct iommu_domain_ops tag_ops = {
	.iova_to_phys	= tag_iova_to_phys,
};
