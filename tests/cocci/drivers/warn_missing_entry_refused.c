// The warning is about something the result does not use: not this fix.
// expect: unchanged
// spatch: cocci/drivers/warn_missing_entry.cocci -D fn=chk_iova_to_phys

static phys_addr_t chk_iova_to_phys(struct iommu_domain *domain,
				    dma_addr_t iova)
{
	struct chk_domain *chk = to_chk(domain);

	WARN_ON(!chk->enabled);
	return chk->base + iova;
}

static const struct iommu_domain_ops chk_domain_ops = {
	.iova_to_phys	= chk_iova_to_phys,
};
