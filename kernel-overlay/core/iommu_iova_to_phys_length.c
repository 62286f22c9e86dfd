/**
 * iommu_iova_to_phys_length() - Translate an IOVA and report its leaf size
 * @domain: Domain to query
 * @iova: IO virtual address to translate, of any alignment
 * @length: Output, the size of the translation that holds @iova
 *
 * One page table walk returns both the physical address of @iova and the size
 * of the leaf translation holding it, so that a caller walking an IOVA range
 * can step by the real mapping granularity instead of PAGE_SIZE.
 *
 * On success, with phys the returned address, *@length is a power of two and
 * the naturally aligned IOVA block [@iova & ~(*@length - 1), +*@length)
 * translates linearly onto the naturally aligned physical block of the same
 * size: (phys ^ @iova) & (*@length - 1) == 0, and each address of the block
 * translates to (phys & ~(*@length - 1)) plus its offset in the block. The
 * length may be smaller than the leaf in the page table (for instance when the
 * leaf does not fit a size_t, or to keep the blocks aligned), never larger.
 * Nothing is said about the IOVAs outside the block: the next block may or may
 * not continue the same physical range.
 *
 * An identity domain translates every address to itself, so any aligned block
 * is linear; *@length is the largest power of two a size_t holds, which lets a
 * range walk cover the domain in one or two steps.
 *
 * The aperture is not checked here, as iommu_map() does not check it:
 * generic_pt maps the sign-extended upper half of its tables outside the
 * geometry it declares. A driver whose table decodes fewer bits than an IOVA
 * holds answers for the alias it would map; the DMA API, iommufd and VFIO
 * only use IOVAs inside the aperture.
 *
 * Return: The physical address of @iova, including its offset within the leaf,
 * or PHYS_ADDR_MAX if @iova has no translation or the domain cannot translate
 * (blocked, nested and SVA domains have no op). *@length is unspecified then.
 */
phys_addr_t iommu_iova_to_phys_length(struct iommu_domain *domain,
				      dma_addr_t iova, size_t *length)
{
	const struct iommu_domain_ops *ops = domain->ops;
	phys_addr_t phys;

	/* Static identity domains have no op at all, keep their short-cut */
	if (domain->type == IOMMU_DOMAIN_IDENTITY) {
		*length = SIZE_MAX / 2 + 1;
		return iova;
	}

	if (ops->iova_to_phys_length)
		return ops->iova_to_phys_length(domain, iova, length);

	if (!ops->iova_to_phys)
		return PHYS_ADDR_MAX;

	/*
	 * Not converted yet. Mappings are made of pages of at least the
	 * smallest size in pgsize_bitmap, with IOVA and physical address both
	 * aligned to it (iommu_map() checks), so a block of that size is
	 * linear and aligned. A domain without a bitmap (fsl_pamu) gets one
	 * byte, which is always true.
	 */
	phys = ops->iova_to_phys(domain, iova);
	if (!phys)
		return PHYS_ADDR_MAX;
	*length = domain->pgsize_bitmap ? 1UL << __ffs(domain->pgsize_bitmap) : 1;
	return phys;
}
EXPORT_SYMBOL_GPL(iommu_iova_to_phys_length);
