/* overlay: generic_pt step, replaces DOMAIN_NS(iova_to_phys) in iommu_pt.h */
/**
 * iova_to_phys_length() - Return the output address and leaf size of an IOVA
 * @domain: Table to query
 * @iova: IO virtual address to query, of any alignment
 * @length: Output, the size of the leaf translation that holds @iova
 *
 * The returned address includes the offset of @iova within its leaf. *@length
 * is the size of the whole leaf, so a contiguous entry (AMDv1 NL_SIZE, RISC-V
 * Svnapot) counts as one leaf. A leaf larger than a size_t can describe is
 * reported as the largest power of two a size_t holds, which is a naturally
 * aligned part of it and so translates linearly too.
 *
 * Context: The caller must hold a read range lock that includes @iova.
 *
 * Return: PHYS_ADDR_MAX if @iova is outside the table or has no translation;
 * *@length is then unspecified.
 */
phys_addr_t DOMAIN_NS(iova_to_phys_length)(struct iommu_domain *domain,
					   dma_addr_t iova, size_t *length)
{
	struct pt_iommu *iommu_table =
		container_of(domain, struct pt_iommu, domain);
	struct pt_iommu_iova_to_phys_args args;
	struct pt_range range;
	int ret;

	ret = make_range(common_from_iommu(iommu_table), &range, iova, 1);
	if (ret)
		return PHYS_ADDR_MAX;

	ret = pt_walk_range(&range, __iova_to_phys, &args);
	if (ret)
		return PHYS_ADDR_MAX;

	/* size_t is 32 bit on 32 bit kernels: report an aligned part there */
	*length = (size_t)1 << min_t(unsigned int, args.oa_lg2sz, BITS_PER_LONG - 1);
	return args.oa;
}
EXPORT_SYMBOL_NS_GPL(DOMAIN_NS(iova_to_phys_length), "GENERIC_PT_IOMMU");

phys_addr_t DOMAIN_NS(iova_to_phys)(struct iommu_domain *domain,
				    dma_addr_t iova)
{
	size_t length;
	phys_addr_t phys = DOMAIN_NS(iova_to_phys_length)(domain, iova, &length);

	/* Callers of ->iova_to_phys take 0 as "no translation" */
	return phys == PHYS_ADDR_MAX ? 0 : phys;
}
EXPORT_SYMBOL_NS_GPL(DOMAIN_NS(iova_to_phys), "GENERIC_PT_IOMMU");
