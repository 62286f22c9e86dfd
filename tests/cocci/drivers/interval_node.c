// Mappings as interval tree nodes of any size and alignment.
// spatch: templates/interval.cocci -D fn=it_iova_to_phys
// spatch: templates/common.cocci -D fn=it_iova_to_phys

static phys_addr_t it_iova_to_phys(struct iommu_domain *domain,
				   dma_addr_t iova)
{
	u64 paddr = 0;
	unsigned long flags;
	struct it_mapping *mapping;
	struct interval_tree_node *node;
	struct it_domain *idom = to_it_domain(domain);

	spin_lock_irqsave(&idom->lock, flags);
	node = interval_tree_iter_first(&idom->mappings, iova, iova);
	if (node) {
		mapping = container_of(node, struct it_mapping, iova);
		paddr = mapping->paddr + (iova - mapping->iova.start);
	}
	spin_unlock_irqrestore(&idom->lock, flags);

	return paddr;
}

static const struct iommu_ops it_ops = {
	.default_domain_ops = &(const struct iommu_domain_ops) {
		.iova_to_phys		= it_iova_to_phys,
	}
};
