// SPDX-License-Identifier: GPL-2.0
/*
 * vsi-iommu: rockchip-like DTE/PTE table with 4K pages and 40-bit phys in
 * the PTE, encoded with the driver's vsi_mk_dte()/vsi_mk_pte().
 */
#include "kstubs.h"
#include HARNESS_EXTRACTED
#include "harness.h"

static struct vsi_iommu_domain dom;

static phys_addr_t lookup(u64 iova, size_t *length)
{
#ifdef HARNESS_LEGACY
	*length = SZ_4K;
	return HARNESS_FN(&dom.domain, iova);
#else
	return HARNESS_FN(&dom.domain, iova, length);
#endif
}

int main(void)
{
	u32 iova = 0x40c00000;
	u64 pa = 0x7f12345000ULL;
	u32 *pt;

	dom.dt = alloc_low(NUM_DT_ENTRIES * sizeof(u32), SPAGE_SIZE);
	pt = alloc_low(NUM_PT_ENTRIES * sizeof(u32), SPAGE_SIZE);
	dom.dt[vsi_iova_dte_index(iova)] = vsi_mk_dte(virt_to_phys(pt));
	pt[vsi_iova_pte_index(iova + SPAGE_SIZE)] =
		vsi_mk_pte(pa, IOMMU_READ | IOMMU_WRITE);
	pt[vsi_iova_pte_index(iova + 2 * SPAGE_SIZE)] =
		vsi_mk_pte(0x2000, IOMMU_READ);

	check_leaf_offsets("vsi/4K", iova + SPAGE_SIZE, pa, SPAGE_SIZE);
	check_leaf("vsi/4K/low-phys", iova + 2 * SPAGE_SIZE + 0x8, 0x2008, SPAGE_SIZE);
	check_hole("vsi/hole/invalid-pte", iova + 0x234);
	check_hole("vsi/hole/invalid-dte", iova + SZ_4M + 0x1000);
	pt[vsi_iova_pte_index(iova + 3 * SPAGE_SIZE)] =
		vsi_mk_pte_invalid(vsi_mk_pte(pa, IOMMU_READ));
	check_hole("vsi/hole/cleared-pte", iova + 3 * SPAGE_SIZE + 0x20);
	return harness_done();
}
