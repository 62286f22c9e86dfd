/* overlay: added by generator/new_callers.py before the first function of a
 * file that cocci/callers/generic/contiguous-run.cocci converts. */
/* The leaf of the IOMMU page table that iova_leaf_to_phys() found last */
struct iova_leaf {
	dma_addr_t iova;
	phys_addr_t phys;
	size_t length;
};

/*
 * iommu_iova_to_phys() for a loop that steps through IOVA space, with one
 * page table walk per leaf: an address in the leaf found last is translated
 * from it, as a leaf translates linearly; any other is looked up with
 * iommu_iova_to_phys_length() and its leaf remembered. Like
 * iommu_iova_to_phys(), return 0 if @iova has no translation. The caller
 * must not change the mapping while it uses @leaf.
 */
static phys_addr_t iova_leaf_to_phys(struct iommu_domain *domain,
				     dma_addr_t iova, struct iova_leaf *leaf)
{
	phys_addr_t phys;
	size_t length;

	if (leaf->length && iova - leaf->iova < leaf->length)
		return leaf->phys + (iova - leaf->iova);
	phys = iommu_iova_to_phys_length(domain, iova, &length);
	if (phys == PHYS_ADDR_MAX)
		return 0;
	leaf->length = length;
	leaf->iova = iova & ~((dma_addr_t)length - 1);
	leaf->phys = phys - (iova - leaf->iova);
	return phys;
}
