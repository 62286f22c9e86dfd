/* overlay: callers-iommu-debug-pagealloc step, replaces __iommu_debug_update_iova() */
static void __iommu_debug_update_iova(struct iommu_domain *domain,
				      unsigned long iova, size_t size, bool inc)
{
	size_t off = 0, end;
	size_t page_size = iommu_debug_page_size(domain);

	if (WARN_ON(check_add_overflow(iova, size, &end)))
		return;

	/*
	 * One lookup per leaf: a leaf translates linearly, so the smallest
	 * pages of it that lie in the range follow from its address.
	 */
	while (off < size) {
		size_t length, in_leaf, n;
		phys_addr_t phys;

		phys = iommu_iova_to_phys_length(domain, iova + off, &length);
		if (phys == PHYS_ADDR_MAX) {
			off += page_size;
			continue;
		}

		in_leaf = min(length - ((iova + off) & (length - 1)), size - off);
		for (n = 0; n < in_leaf; n += page_size) {
			if (inc)
				iommu_debug_inc_page(phys + n);
			else
				iommu_debug_dec_page(phys + n);
		}
		off += n;
	}
}
