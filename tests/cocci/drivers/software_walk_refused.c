// The hardware translation helper also serves a fault report: removing it
// would break the build, so software_walk.cocci leaves the file alone.
// expect: unchanged
// spatch: cocci/drivers/software_walk.cocci -D fn=hw_iova_to_phys -D hard=hw_iova_to_phys_hard

#define HW_PAR_FAULT	BIT(0)

/* Translate with the hardware's own table walk. */
static phys_addr_t hw_iova_to_phys_hard(struct iommu_domain *domain,
					dma_addr_t iova)
{
	struct hw_domain *hd = to_hw_domain(domain);
	struct io_pgtable_ops *ops = hd->pgtbl_ops;
	phys_addr_t addr = 0;
	u64 phys;

	if (hw_resume(hd) < 0)
		return 0;

	if (hw_translate(hd, iova & ~0xfffUL)) {
		hw_suspend(hd);
		return ops->iova_to_phys(ops, iova);
	}

	phys = hw_read_par(hd);
	if (phys & HW_PAR_FAULT)
		goto out;

	addr = (phys & GENMASK_ULL(39, 12)) | (iova & 0xfff);
out:
	hw_suspend(hd);
	return addr;
}

static phys_addr_t hw_iova_to_phys(struct iommu_domain *domain,
				   dma_addr_t iova)
{
	struct hw_domain *hd = to_hw_domain(domain);
	struct io_pgtable_ops *ops = hd->pgtbl_ops;

	if (!ops)
		return 0;

	if (hd->has_translation_ops)
		return hw_iova_to_phys_hard(domain, iova);

	return ops->iova_to_phys(ops, iova);
}

static const struct iommu_domain_ops hw_domain_ops = {
	.iova_to_phys	= hw_iova_to_phys,
};

static void hw_report_fault(struct iommu_domain *domain, dma_addr_t iova)
{
	pr_err("fault at %pad: hardware walk gives %pa\n", &iova,
	       &(phys_addr_t){ hw_iova_to_phys_hard(domain, iova) });
}
