// The same post-processing without the sentinel test: io_pgtable.cocci
// refuses it (the mask would corrupt PHYS_ADDR_MAX), so common.cocci finds
// no mark and nothing changes.
// expect: unchanged
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
