// The masked leaf is an if arm with an else that sets the result too: the
// shape cannot tell which size the other arm has.
// expect: unchanged
// spatch: cocci/drivers/mask_leaf.cocci -D fn=two_iova_to_phys

static phys_addr_t two_iova_to_phys(struct iommu_domain *domain,
				    dma_addr_t iova)
{
	struct two_pte *pte = two_find(to_two(domain), iova);
	u64 phys = 0;

	if (two_is_block(pte))
		phys = two_addr(pte) + (iova & (TWO_BLOCK - 1));
	else
		phys = two_addr(pte);

	return phys;
}

static const struct iommu_domain_ops two_domain_ops = {
	.iova_to_phys	= two_iova_to_phys,
};
