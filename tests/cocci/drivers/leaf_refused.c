// Shapes the leaf template must refuse whole: a leaf that names no key,
// a result changed after the fact, a leaf the "*" key cannot vouch for.
// expect: unchanged
// spatch: templates/leaf.cocci -D fn=nokey_iova_to_phys -D leaves=small_offs=SZ_4K
// spatch: templates/common.cocci -D fn=nokey_iova_to_phys
// spatch: templates/leaf.cocci -D fn=late_iova_to_phys -D leaves=small_offs=SZ_4K
// spatch: templates/common.cocci -D fn=late_iova_to_phys
// spatch: templates/leaf.cocci -D fn=call_iova_to_phys -D leaves=*=SZ_4K
// spatch: templates/common.cocci -D fn=call_iova_to_phys

static phys_addr_t nokey_iova_to_phys(struct iommu_domain *domain,
				      dma_addr_t iova)
{
	u32 pte = nokey_lookup(domain, iova);

	if (!pte)
		return 0;
	if (pte & NOKEY_BIG)
		return big_frame(pte) + (iova & (SZ_2M - 1));
	return small_frame(pte) + small_offs(iova);
}

static phys_addr_t late_iova_to_phys(struct iommu_domain *domain,
				     dma_addr_t iova)
{
	phys_addr_t phys = 0;
	u32 pte = late_lookup(domain, iova);

	if (pte)
		phys = small_frame(pte) + small_offs(iova);
	phys |= late_tag(domain);
	return phys;
}

static phys_addr_t call_iova_to_phys(struct iommu_domain *domain,
				     dma_addr_t iova)
{
	return call_translate(domain, iova);
}

static const struct iommu_domain_ops nokey_ops = {
	.iova_to_phys	= nokey_iova_to_phys,
};

static const struct iommu_domain_ops late_ops = {
	.iova_to_phys	= late_iova_to_phys,
};

static const struct iommu_domain_ops call_ops = {
	.iova_to_phys	= call_iova_to_phys,
};
