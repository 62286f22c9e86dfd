// Delegation to io-pgtable with a NULL check, named ops struct.
// spatch: cocci/drivers/io_pgtable.cocci -D fn=foo_iova_to_phys
// spatch: templates/common.cocci -D fn=foo_iova_to_phys

static phys_addr_t foo_iova_to_phys(struct iommu_domain *domain,
				    dma_addr_t iova)
{
	struct io_pgtable_ops *ops = to_foo_domain(domain)->pgtbl_ops;

	if (!ops)
		return 0;

	return ops->iova_to_phys(ops, iova);
}

static const struct iommu_domain_ops foo_domain_ops = {
	.map_pages	= foo_map_pages,
	.iova_to_phys	= foo_iova_to_phys,
	.free		= foo_domain_free,
};
