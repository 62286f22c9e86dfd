/* overlay: include/linux/iommu.h, after struct iommu_domain_ops.  A helper
 * for the drivers whose translations are ranges rather than aligned
 * power-of-two leaves (fsl_pamu's aperture, virtio-iommu's mappings).
 */
/**
 * iommu_range_block_length() - length for iova_to_phys_length() in a range
 * @iova: the address translated
 * @phys: the physical address @iova translates to
 * @first: first IOVA of the range containing @iova that translates linearly
 * @last: last IOVA of that range
 *
 * A range need not be aligned nor a power of two in size, nor its physical
 * address aligned like its IOVA, but iova_to_phys_length() reports a naturally
 * aligned power-of-two block that maps onto a naturally aligned physical block.
 * Return the largest such block that contains @iova, lies within
 * [@first, @last] and has @iova and @phys at the same offset, capped at the
 * largest power of two a size_t holds.
 */
static inline size_t iommu_range_block_length(dma_addr_t iova, phys_addr_t phys,
					      dma_addr_t first, dma_addr_t last)
{
	/* the largest power of two that both a size_t and a dma_addr_t hold */
	unsigned int max_order = min(sizeof(size_t), sizeof(dma_addr_t)) * BITS_PER_BYTE - 1;
	unsigned int order;

	for (order = 0; order < max_order; order++) {
		dma_addr_t mask = ((dma_addr_t)2 << order) - 1;

		/* stop before the block iova & ~mask .. iova | mask leaves the range */
		if ((iova & ~mask) < first || (iova | mask) > last)
			break;
		/* or before phys stops being at iova's offset in it */
		if (((u64)iova ^ phys) & mask)
			break;
	}
	return (size_t)1 << order;
}
