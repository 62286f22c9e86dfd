// SPDX-License-Identifier: GPL-2.0
/*
 * mtk_iommu_v1: one flat 4M table of 32-bit descriptors covering a 4G
 * iova space with 4K pages; a descriptor is pa | F_DESC_VALID |
 * F_DESC_NONSEC (mtk_iommu_v1_map()) and 0 when unmapped, so even the
 * page at physical address 0 has a non-zero descriptor and translates.
 */
#include "kstubs.h"
/* <soc/mediatek/smi.h>, only for the driver's data struct to compile */
#define MTK_LARB_NR_MAX 32
struct mtk_smi_larb_iommu { struct device *dev; unsigned int mmu; };
#include HARNESS_EXTRACTED
#include "harness.h"

static struct mtk_iommu_v1_domain dom;

static phys_addr_t lookup(u64 iova, size_t *length)
{
#ifdef HARNESS_LEGACY
	*length = MT2701_IOMMU_PAGE_SIZE;
	return HARNESS_FN(&dom.domain, iova);
#else
	return HARNESS_FN(&dom.domain, iova, length);
#endif
}

static void map_page(u32 iova, u32 pa)
{
	dom.pgt_va[iova >> MT2701_IOMMU_PAGE_SHIFT] =
		pa | F_DESC_VALID | F_DESC_NONSEC;
}

int main(void)
{
	dom.pgt_va = alloc_low(M2701_IOMMU_PGT_SIZE, SZ_4K);
	map_page(0x12345000, 0x87654000);
	map_page(0xfffff000, 0x1000);
	map_page(0x22000000, 0);

	check_leaf_offsets("mtk_v1/4K", 0x12345000, 0x87654000, SZ_4K);
	check_leaf("mtk_v1/4K/last-page", 0xffffffff, 0x1fff, SZ_4K);
	check_leaf_offsets("mtk_v1/4K/pa-0", 0x22000000, 0, SZ_4K);
	check_hole("mtk_v1/hole/empty", 0x12346000 + 0x10);
	check_hole("mtk_v1/hole/empty-page-start", 0x12344000);
	return harness_done();
}
