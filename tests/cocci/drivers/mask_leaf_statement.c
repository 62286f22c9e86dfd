// The leaf is a plain statement after the early return, with "|".
// spatch: cocci/drivers/mask_leaf.cocci -D fn=blk_iova_to_phys
// spatch: templates/common.cocci -D fn=blk_iova_to_phys

static phys_addr_t blk_iova_to_phys(struct iommu_domain *domain,
				    dma_addr_t iova)
{
	struct blk_entry *e = blk_lookup(to_blk(domain), iova);
	phys_addr_t phys = 0;

	if (!e)
		return 0;
	phys = e->base | (iova & (e->block_size - 1));
	return phys;
}

static const struct iommu_domain_ops blk_domain_ops = {
	.iova_to_phys	= blk_iova_to_phys,
};
