// Delegation whose result is post-processed: the sentinel must bypass it.
// spatch: cocci/drivers/mtk_iommu_4gb.cocci -D fn=qux_iova_to_phys
// spatch: cocci/drivers/io_pgtable.cocci -D fn=qux_iova_to_phys
// spatch: templates/common.cocci -D fn=qux_iova_to_phys

static phys_addr_t qux_iova_to_phys(struct iommu_domain *domain,
				    dma_addr_t iova)
{
	struct qux_domain *dom = to_qux_domain(domain);
	phys_addr_t pa;

	pa = dom->iop->iova_to_phys(dom->iop, iova);
	if (dom->remapped && pa >= QUX_REMAP_BASE)
		pa &= ~BIT_ULL(32);

	return pa;
}

static const struct iommu_ops qux_ops = {
	.default_domain_ops = &(const struct iommu_domain_ops) {
		.iova_to_phys	= qux_iova_to_phys,
	}
};
