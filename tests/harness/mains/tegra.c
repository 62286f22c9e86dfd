// SPDX-License-Identifier: GPL-2.0
/*
 * tegra-smmu: 1024 x 1024 PD/PT of 4K pages.  The PD entry holds the PT's
 * pfn, the driver also keeps the PT's CPU address in as->pts[], and a PTE
 * is pfn | attributes with pfn_mask set from the SoC's address bits (34
 * here, as on Tegra124 and later).
 */
#include "kstubs.h"
#define BIT_MASK(nr) (1UL << ((nr) % BITS_PER_LONG))
#include HARNESS_EXTRACTED
#include "harness.h"

static struct tegra_smmu_as as;
static struct tegra_smmu smmu;

static phys_addr_t lookup(u64 iova, size_t *length)
{
#ifdef HARNESS_LEGACY
	*length = SZ_4K;
	return HARNESS_FN(&as.domain, iova);
#else
	return HARNESS_FN(&as.domain, iova, length);
#endif
}

static u32 pte_for(u64 pa)
{
	/* as __tegra_smmu_map() */
	return SMMU_PHYS_PFN(pa) | SMMU_PTE_NONSECURE | SMMU_PTE_READABLE |
	       SMMU_PTE_WRITABLE;
}

int main(void)
{
	unsigned long iova = 0x80400000;
	u64 pa = 0x312345000ULL;
	struct tegra_pt *pt;

	smmu.pfn_mask = BIT_MASK(34 - SMMU_PTE_SHIFT) - 1;
	as.smmu = &smmu;
	as.pd = alloc_low(SMMU_SIZE_PD, SMMU_SIZE_PD);
	as.pts = calloc(SMMU_NUM_PDE, sizeof(*as.pts));
	pt = alloc_low(SMMU_SIZE_PT, SMMU_SIZE_PT);
	as.pts[iova_pd_index(iova)] = pt;
	as.pd->val[iova_pd_index(iova)] =
		SMMU_MK_PDE(virt_to_phys(pt), SMMU_PDE_ATTR | SMMU_PDE_NEXT);
	*tegra_smmu_pte_offset(pt, iova + SZ_4K) = pte_for(pa);
	*tegra_smmu_pte_offset(pt, iova + 2 * SZ_4K) = pte_for(0x7000);

	check_leaf_offsets("tegra/4K", iova + SZ_4K, pa, SZ_4K);
	check_leaf("tegra/4K/next", iova + 2 * SZ_4K + 0x18, 0x7018, SZ_4K);
	check_hole("tegra/hole/empty-pte", iova + 0x234);
	check_hole("tegra/hole/no-pt", iova + SZ_4M + 0x1000);
	return harness_done();
}
