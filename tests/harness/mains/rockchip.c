// SPDX-License-Identifier: GPL-2.0
/*
 * rockchip-iommu: DTE/PTE table with 4K pages only (the 4K..4M bitmap lets
 * one map call fill many PTEs; each PTE is still its own 4K leaf).  Both
 * descriptor layouts are run: v1 (32-bit phys) and v2 (40-bit phys), with
 * the driver's own ops tables and rk_mk_* encoders.
 */
#include "kstubs.h"
#include HARNESS_EXTRACTED
#include "harness.h"

static struct rk_iommu_domain dom;

static phys_addr_t lookup(u64 iova, size_t *length)
{
#ifdef HARNESS_LEGACY
	*length = SZ_4K;
	return HARNESS_FN(&dom.domain, iova);
#else
	return HARNESS_FN(&dom.domain, iova, length);
#endif
}

static void run(const char *layout, struct rk_iommu_ops *ops, u64 phys_high)
{
	u32 iova = 0x12400000;
	u64 pa = phys_high | 0x87654000;
	u64 next_pa = phys_high | 0x11111000;
	u32 *pt;
	char id[64];

	rk_ops = ops;
	dom.dt = alloc_low(NUM_DT_ENTRIES * sizeof(u32), SPAGE_SIZE);
	pt = alloc_low(NUM_PT_ENTRIES * sizeof(u32), SPAGE_SIZE);
	dom.dt[rk_iova_dte_index(iova)] = rk_ops->mk_dtentries(virt_to_phys(pt));
	/* two neighbouring pages that are not contiguous in phys */
	pt[rk_iova_pte_index(iova + SPAGE_SIZE)] =
		rk_ops->mk_ptentries(pa, IOMMU_READ | IOMMU_WRITE);
	pt[rk_iova_pte_index(iova + 2 * SPAGE_SIZE)] =
		rk_ops->mk_ptentries(next_pa, IOMMU_READ);

	snprintf(id, sizeof(id), "rockchip/%s/4K", layout);
	check_leaf_offsets(id, iova + SPAGE_SIZE, pa, SPAGE_SIZE);
	snprintf(id, sizeof(id), "rockchip/%s/4K/next", layout);
	check_leaf(id, iova + 2 * SPAGE_SIZE + 0x10, next_pa + 0x10, SPAGE_SIZE);
	snprintf(id, sizeof(id), "rockchip/%s/hole/invalid-pte", layout);
	check_hole(id, iova + 0x234);
	snprintf(id, sizeof(id), "rockchip/%s/hole/invalid-dte", layout);
	check_hole(id, iova + SZ_4M + 0x1000);
	snprintf(id, sizeof(id), "rockchip/%s/hole/cleared-pte", layout);
	pt[rk_iova_pte_index(iova + 3 * SPAGE_SIZE)] =
		rk_mk_pte_invalid(rk_ops->mk_ptentries(pa, IOMMU_READ));
	check_hole(id, iova + 3 * SPAGE_SIZE + 0x20);
}

int main(void)
{
	run("v1", &iommu_data_ops_v1, 0);
	run("v2", &iommu_data_ops_v2, 0xab00000000ULL);
	return harness_done();
}
