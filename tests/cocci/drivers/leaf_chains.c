// Two-level table: else-if chains of leaves, braceless and braced, a final
// else that only logs, a multi-variable declaration, a named ops struct.
// spatch: templates/leaf.cocci -D fn=two_iova_to_phys -D leaves=big_offs=BIG_SIZE,mid_offs=MID_SIZE,small_offs=SMALL_SIZE,huge_offs=HUGE_SIZE
// spatch: templates/common.cocci -D fn=two_iova_to_phys

static phys_addr_t two_iova_to_phys(struct iommu_domain *domain,
				    dma_addr_t iova)
{
	struct two_domain *td = to_two_domain(domain);
	u32 *l1, *l2;
	phys_addr_t table, phys = 0;

	l1 = td->pgtable + l1_index(iova);
	if (l1_is_huge(*l1)) {
		phys = huge_frame(*l1) + huge_offs(iova);
	} else if (l1_is_table(*l1)) {
		l2 = l2_entry(*l1, iova);
		if (l2_is_big(*l2))
			phys = big_frame(*l2) + big_offs(iova);
		else if (l2_is_mid(*l2))
			phys = mid_frame(*l2) + mid_offs(iova);
		else
			dev_err(td->dev, "bogus entry 0x%x at 0x%llx\n", *l2,
				(unsigned long long)iova);
	} else {
		if (l1_is_small(*l1))
			phys = small_frame(*l1) + small_offs(iova);
	}

	return phys;
}

static const struct iommu_domain_ops two_domain_ops = {
	.attach_dev	= two_attach_dev,
	.iova_to_phys	= two_iova_to_phys,
};
