// Delegation through a struct member, without a NULL check: none is added.
// spatch: cocci/drivers/io_pgtable.cocci -D fn=baz_iova_to_phys
// spatch: templates/common.cocci -D fn=baz_iova_to_phys

static phys_addr_t baz_iova_to_phys(struct iommu_domain *io_domain,
				    dma_addr_t iova)
{
	struct baz_domain *domain = to_baz_domain(io_domain);

	return domain->iop->iova_to_phys(domain->iop, iova);
}

static const struct iommu_ops baz_ops = {
	.default_domain_ops = &(const struct iommu_domain_ops) {
		.iova_to_phys	= baz_iova_to_phys,
	}
};
