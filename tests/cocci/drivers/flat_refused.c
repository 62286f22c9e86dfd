// A flat lookup whose address ignores iova's offset (add_offset has not
// run): flat.cocci must refuse it.
// expect: unchanged
// spatch: templates/flat.cocci -D fn=m1_iova_to_phys -D size=M1_PAGE_SIZE
// spatch: templates/common.cocci -D fn=m1_iova_to_phys

static phys_addr_t m1_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
{
	struct m1_domain *dom = to_m1_domain(domain);
	phys_addr_t pa;

	pa = *(dom->pgt + (iova >> M1_PAGE_SHIFT));
	pa = pa & (~(M1_PAGE_SIZE - 1));

	return pa;
}

static const struct iommu_domain_ops m1_domain_ops = {
	.iova_to_phys	= m1_iova_to_phys,
};
