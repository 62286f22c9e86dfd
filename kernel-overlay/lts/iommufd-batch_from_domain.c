/* overlay: batch_from_domain() for trees whose pfn_batch has only batch_add_pfn() */
/*
 * Fill the batch with pfns from the domain, a whole leaf of the domain's
 * page table at a time. When the batch is full, or it reaches last_index, or
 * the domain has no translation for an index, the function will return. The
 * caller should use batch->total_pfns to determine the starting point for the
 * next iteration.
 */
static void batch_from_domain(struct pfn_batch *batch,
			      struct iommu_domain *domain,
			      struct iopt_area *area, unsigned long start_index,
			      unsigned long last_index)
{
	unsigned int page_offset = 0;
	unsigned long iova;

	iova = iopt_area_index_to_iova(area, start_index);
	if (start_index == iopt_area_index(area))
		page_offset = area->page_offset;
	while (start_index <= last_index) {
		unsigned long npages, pfn, i;
		phys_addr_t phys;
		size_t length;

		phys = iommu_iova_to_phys_length(domain, iova, &length);
		/*
		 * A hole is a bug, or IOVA that iopt_area_unpin_domain()
		 * already unmapped and looks at again for a contiguous run:
		 * the caller tells which.
		 */
		if (phys == PHYS_ADDR_MAX)
			return;
		npages = min(domain_leaf_npages(iova, length, page_offset),
			     last_index - start_index + 1);
		pfn = PHYS_PFN(phys - page_offset);
		/* The pages of a leaf extend the batch's last run */
		for (i = 0; i != npages; i++) {
			if (!batch_add_pfn(batch, pfn + i))
				return;
		}
		iova += npages * PAGE_SIZE - page_offset;
		page_offset = 0;
		start_index += npages;
	}
}
