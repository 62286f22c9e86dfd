/*
 * Store the pages from start_index to last_index, a whole leaf of the domain's
 * page table at a time. Return the next free slot of out_pages, or NULL if the
 * domain has no translation for an index.
 */
static struct page **raw_pages_from_domain(struct iommu_domain *domain,
					   struct iopt_area *area,
					   unsigned long start_index,
					   unsigned long last_index,
					   struct page **out_pages)
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
		/* A filled area is mapped in full, a hole is a bug */
		if (WARN_ON_ONCE(phys == PHYS_ADDR_MAX))
			return NULL;
		npages = min(domain_leaf_npages(iova, length, page_offset),
			     last_index - start_index + 1);
		pfn = PHYS_PFN(phys - page_offset);
		for (i = 0; i != npages; i++)
			*(out_pages++) = pfn_to_page(pfn + i);
		iova += npages * PAGE_SIZE - page_offset;
		page_offset = 0;
		start_index += npages;
	}
	return out_pages;
}
