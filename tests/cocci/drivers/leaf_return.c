// Leaves returned directly, one of them from a braceless if arm.
// spatch: templates/leaf.cocci -D fn=ret_iova_to_phys -D leaves=big_offs=SZ_2M,small_offs=SZ_4K
// spatch: templates/common.cocci -D fn=ret_iova_to_phys

static phys_addr_t ret_iova_to_phys(struct iommu_domain *domain,
				    dma_addr_t iova)
{
	u32 pte = ret_lookup(domain, iova);

	if (!pte)
		return 0;
	if (pte & RET_BIG)
		return big_frame(pte) + big_offs(iova);
	return small_frame(pte) + small_offs(iova);
}

static const struct iommu_ops ret_ops = {
	.default_domain_ops = &(const struct iommu_domain_ops) {
		.iova_to_phys	= ret_iova_to_phys,
		.free		= ret_domain_free,
	}
};
