// No page table: the aperture translates to itself.
// spatch: templates/identity.cocci -D fn=ap_iova_to_phys
// spatch: templates/common.cocci -D fn=ap_iova_to_phys

static phys_addr_t ap_iova_to_phys(struct iommu_domain *domain,
				   dma_addr_t iova)
{
	if (iova < domain->geometry.aperture_start ||
	    iova > domain->geometry.aperture_end)
		return 0;
	return iova;
}

static const struct iommu_ops ap_ops = {
	.default_domain_ops = &(const struct iommu_domain_ops) {
		.attach_dev	= ap_attach_device,
		.iova_to_phys	= ap_iova_to_phys,
	}
};
