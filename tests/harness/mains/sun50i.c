// SPDX-License-Identifier: GPL-2.0
/*
 * sun50i-iommu: DTE/PTE table with 4K pages, encoded with the driver's
 * sun50i_mk_dte()/sun50i_mk_pte().
 */
#include "kstubs.h"
#include HARNESS_EXTRACTED
#include "harness.h"

static struct sun50i_iommu_domain dom;

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
	u32 iova = 0x40100000;
	u32 pa = 0x87654000;
	u32 *pt;

	dom.dt = alloc_low(DT_SIZE, DT_SIZE);
	pt = alloc_low(PT_SIZE, PT_SIZE);
	dom.dt[sun50i_iova_get_dte_index(iova)] = sun50i_mk_dte(virt_to_phys(pt));
	pt[sun50i_iova_get_pte_index(iova + SZ_4K)] =
		sun50i_mk_pte(pa, IOMMU_READ | IOMMU_WRITE);
	pt[sun50i_iova_get_pte_index(iova + 2 * SZ_4K)] =
		sun50i_mk_pte(0x3000, IOMMU_READ);

	check_leaf_offsets("sun50i/4K", iova + SZ_4K, pa, SZ_4K);
	check_leaf("sun50i/4K/next", iova + 2 * SZ_4K + 0x8, 0x3008, SZ_4K);
	check_hole("sun50i/hole/invalid-pte", iova + 0x234);
	check_hole("sun50i/hole/invalid-dte", iova + SZ_1M + 0x1000);
	return harness_done();
}
