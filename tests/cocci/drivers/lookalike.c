// A private lookup with the name and shape of an op, used by its driver
// but never as an iommu_domain_ops initialiser (as in media/ipu6): every
// rule leaves it alone.
// expect: unchanged
// spatch: cocci/drivers/io_pgtable.cocci -D fn=isp_mmu_iova_to_phys
// spatch: templates/leaf.cocci -D fn=isp_mmu_iova_to_phys -D leaves=*=SZ_4K
// spatch: templates/flat.cocci -D fn=isp_mmu_iova_to_phys -D size=SZ_4K
// spatch: templates/identity.cocci -D fn=isp_mmu_iova_to_phys
// spatch: templates/interval.cocci -D fn=isp_mmu_iova_to_phys
// spatch: templates/add_offset.cocci -D fn=isp_mmu_iova_to_phys -D mask=ISP_PAGE_MASK
// spatch: cocci/drivers/mtk_iommu_4gb.cocci -D fn=isp_dma_map
// spatch: cocci/drivers/msm_clock_errno.cocci -D fn=isp_dma_map
// spatch: cocci/drivers/software_walk.cocci -D fn=isp_dma_map -D hard=isp_hw_lookup
// spatch: templates/common.cocci -D fn=isp_mmu_iova_to_phys

phys_addr_t isp_mmu_iova_to_phys(struct isp_mmu_info *mmu_info, dma_addr_t iova)
{
	phys_addr_t phys = 0;
	u32 *l2_pt = isp_l2_table(mmu_info, iova);

	if (l2_pt)
		phys = (phys_addr_t)l2_pt[isp_l2_index(iova)] << ISP_PAGE_SHIFT;
	return phys + (iova & ~ISP_PAGE_MASK);
}

static int isp_dma_map(struct isp_device *isp, dma_addr_t iova)
{
	phys_addr_t phys = isp_mmu_iova_to_phys(isp->mmu, iova);

	return phys ? 0 : -EFAULT;
}
