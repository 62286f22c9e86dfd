// Delegation under a lock through a local, compound-literal initialiser.
// spatch: cocci/drivers/io_pgtable.cocci -D fn=bar_iova_to_phys
// spatch: templates/common.cocci -D fn=bar_iova_to_phys

static phys_addr_t bar_iova_to_phys(struct iommu_domain *domain,
				    dma_addr_t iova)
{
	struct bar_domain *bd = to_bar_domain(domain);
	struct io_pgtable_ops *ops = bd->pgtbl_ops;
	unsigned long flags;
	phys_addr_t ret;

	if (!ops)
		return 0;

	spin_lock_irqsave(&bd->lock, flags);
	ret = ops->iova_to_phys(ops, iova);
	spin_unlock_irqrestore(&bd->lock, flags);

	return ret;
}

static const struct iommu_ops bar_ops = {
	.owner = THIS_MODULE,
	.default_domain_ops = &(const struct iommu_domain_ops) {
		.attach_dev	= bar_attach_dev,
		.iova_to_phys	= bar_iova_to_phys,
		.free		= bar_domain_free,
	}
};
