/*
 * Find the physically contiguous run of pages that starts at @iova in @domain,
 * at most @size bytes long, one leaf of the IOMMU page table at a time. Set
 * *@phys to the physical address of @iova. Return the run length, rounded up
 * to whole pages, or 0 if @iova has no translation.
 *
 * A leaf smaller than PAGE_SIZE is rounded up to its page: the page was pinned
 * and mapped whole, and the unpin counts the run in pages, so a sub-page run
 * would leave its page pinned.
 */
static size_t vfio_find_phys_run(struct iommu_domain *domain, dma_addr_t iova,
				 size_t size, phys_addr_t *phys)
{
	phys_addr_t next;
	size_t len = 0;
	size_t leaf;

	*phys = iommu_iova_to_phys_length(domain, iova, &leaf);
	if (*phys == PHYS_ADDR_MAX)
		return 0;

	for (next = *phys; next == *phys + len;
	     next = iommu_iova_to_phys_length(domain, iova + len, &leaf)) {
		size_t leaf_left = leaf - ((iova + len) & (leaf - 1));

		len += round_up(min(leaf_left, size - len), PAGE_SIZE);
		if (len >= size)
			break;
	}
	return len;
}
