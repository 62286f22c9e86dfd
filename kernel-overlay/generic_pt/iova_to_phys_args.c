/* overlay: generic_pt step, before __do_iova_to_phys() in iommu_pt.h */
struct pt_iommu_iova_to_phys_args {
	pt_oaddr_t oa;
	unsigned int oa_lg2sz;
};
