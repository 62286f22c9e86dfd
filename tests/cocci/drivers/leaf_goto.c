// A 4K-only walk that leaves through a label, with "*" (smallest page size)
// as the key, as the generator instantiates it for a driver no step covers.
// spatch: templates/leaf.cocci -D fn=dte_iova_to_phys -D leaves=*=SZ_4K
// spatch: templates/common.cocci -D fn=dte_iova_to_phys

static phys_addr_t dte_iova_to_phys(struct iommu_domain *domain,
				    dma_addr_t iova)
{
	struct dte_domain *dd = to_dte_domain(domain);
	unsigned long flags;
	phys_addr_t pt_phys, phys = 0;
	u32 dte, pte;

	spin_lock_irqsave(&dd->lock, flags);
	dte = dd->dt[dte_index(iova)];
	if (!dte_valid(dte))
		goto out;

	pt_phys = dte_table(dte);
	pte = ((u32 *)phys_to_virt(pt_phys))[pte_index(iova)];
	if (!pte_valid(pte))
		goto out;

	phys = pte_frame(pte) + page_offset_of(iova);
out:
	spin_unlock_irqrestore(&dd->lock, flags);

	return phys;
}

static const struct iommu_ops dte_ops = {
	.default_domain_ops = &(const struct iommu_domain_ops) {
		.iova_to_phys	= dte_iova_to_phys,
	}
};
