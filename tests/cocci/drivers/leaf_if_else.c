// A hardware lookup with two leaf arms (one with a comment), an error
// code that used to land in the result, an error assignment of 0.
// spatch: cocci/drivers/msm_clock_errno.cocci -D fn=par_iova_to_phys
// spatch: templates/leaf.cocci -D fn=par_iova_to_phys -D leaves=0x00FFFFFF=SZ_16M,0x00000FFF=SZ_4K
// spatch: templates/common.cocci -D fn=par_iova_to_phys

static phys_addr_t par_iova_to_phys(struct iommu_domain *domain,
				    dma_addr_t va)
{
	struct par_dev *pd = to_par_dev(domain);
	unsigned int par;
	phys_addr_t ret = 0;

	ret = __enable_clocks(pd);
	if (ret)
		goto fail;

	par = par_translate(pd, va);
	if (par_is_super(pd))
		ret = (par & 0xFF000000) | (va & 0x00FFFFFF);
	else	/* small page */
		ret = (par & 0xFFFFF000) | (va & 0x00000FFF);

	if (par_fault(pd))
		ret = 0;

	__disable_clocks(pd);
fail:
	return ret;
}

static const struct iommu_ops par_ops = {
	.default_domain_ops = &(const struct iommu_domain_ops) {
		.iova_to_phys	= par_iova_to_phys,
	}
};
