"""Generator of the "iommu: introduce iova_to_phys_length" patch series."""
