// SPDX-License-Identifier: GPL-2.0
/*
 * mtk_iommu: the walk is io-pgtable v7s (dom->iop, modelled by
 * model_iop.h); the driver's own part is the 4GB mode fix-up after it.
 * There, mtk_iommu_map() sets PA bit 32 for DRAM and the lookup clears it
 * again for anything at or above MTK_IOMMU_4GB_MODE_REMAP_BASE, a test
 * PHYS_ADDR_MAX also passes: the error must come through untouched, and
 * the length from the walk must be passed on, for every v7s leaf size.
 */
#include "kstubs.h"
/* <soc/mediatek/smi.h>, only for the driver's data struct to compile */
#define MTK_LARB_NR_MAX 32
struct mtk_smi_larb_iommu { struct device *dev; unsigned int mmu; };
#include HARNESS_EXTRACTED
#include "harness.h"
#include "model_iop.h"

static struct mtk_iommu_domain dom;
static struct mtk_iommu_bank_data bank;
static struct mtk_iommu_data data;

static phys_addr_t lookup(u64 iova, size_t *length)
{
#ifdef HARNESS_LEGACY
	*length = SZ_4K;
	return HARNESS_FN(&dom.domain, iova);
#else
	return HARNESS_FN(&dom.domain, iova, length);
#endif
}

static void run(const char *name, bool enable_4GB)
{
	/* CPU physical addresses in DRAM ("B" in the 4GB mode picture) */
	const struct { const char *size; u64 iova, len, pa; } leaves[] = {
		{ "4K", 0x10003000, SZ_4K, 0x40005000 },
		{ "64K", 0x10010000, SZ_64K, 0x7ab50000 },
		{ "1M", 0x10100000, SZ_1M, 0x9ab00000 },
		{ "16M", 0x21000000, SZ_16M, 0xc5000000 },
	};
	char id[96];
	unsigned int i;

	data.enable_4GB = enable_4GB;
	model_nr_maps = 0;
	for (i = 0; i < ARRAY_SIZE(leaves); i++)
		model_map(leaves[i].iova, leaves[i].len,
			  leaves[i].pa | (enable_4GB ? BIT_ULL(32) : 0));
	for (i = 0; i < ARRAY_SIZE(leaves); i++) {
		snprintf(id, sizeof(id), "mtk/%s/%s", name, leaves[i].size);
		check_leaf_offsets(id, leaves[i].iova, leaves[i].pa, leaves[i].len);
	}
	snprintf(id, sizeof(id), "mtk/%s/hole/empty", name);
	check_hole(id, 0x50000000);
}

int main(void)
{
	bank.parent_data = &data;
	dom.bank = &bank;
	dom.iop = &model_ops;
	run("4GB-mode", true);
	run("normal", false);
	return harness_done();
}
