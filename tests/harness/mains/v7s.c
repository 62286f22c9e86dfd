// SPDX-License-Identifier: GPL-2.0
/*
 * io-pgtable-arm-v7s: 1M sections and 16M supersections (16 identical
 * entries with the CONT_SECTION bit) at level 1, 4K small and 64K large
 * pages (16 identical entries) at level 2.  Entries are encoded with the
 * file's paddr_to_iopte(), arm_v7s_prot_to_pte() and arm_v7s_pte_to_cont(),
 * as arm_v7s_init_pte() combines them, and tables installed as
 * arm_v7s_install_table() does.  Run plain (32-bit PA) and with the
 * MediaTek extension (PA bits 32-34 in attribute bits).
 */
#include "kstubs.h"
#include HARNESS_EXTRACTED
#include "harness.h"

static struct arm_v7s_io_pgtable data;

static phys_addr_t lookup(u64 iova, size_t *length)
{
#ifdef HARNESS_LEGACY
	*length = SZ_4K;
	return HARNESS_FN(&data.iop.ops, iova);
#else
	return HARNESS_FN(&data.iop.ops, iova, length);
#endif
}

static struct io_pgtable_cfg *cfg = &data.iop.cfg;

static void map(u64 iova, u64 pa, int lvl, bool cont)
{
	arm_v7s_iopte *ptep = data.pgd + ARM_V7S_LVL_IDX(iova, 1, cfg);
	arm_v7s_iopte pte;
	int i, n = cont ? ARM_V7S_CONT_PAGES : 1;

	if (lvl == 2) {
		if (!*ptep) {
			arm_v7s_iopte *l2 = alloc_low(ARM_V7S_TABLE_SIZE(2, cfg),
						      ARM_V7S_TABLE_SIZE(2, cfg));

			*ptep = virt_to_phys(l2) | ARM_V7S_PTE_TYPE_TABLE;
		}
		ptep = iopte_deref(*ptep, 1, &data) + ARM_V7S_LVL_IDX(iova, 2, cfg);
	}
	pte = arm_v7s_prot_to_pte(IOMMU_READ | IOMMU_WRITE, lvl, cfg);
	if (cont)
		pte = arm_v7s_pte_to_cont(pte, lvl);
	pte |= paddr_to_iopte(pa, lvl, cfg);
	for (i = 0; i < n; i++)
		ptep[i] = pte;
}

static void run(const char *name, unsigned long quirks, unsigned int ias,
		u64 high)
{
	char id[96];

	memset(&data, 0, sizeof(data));
	cfg->quirks = quirks;
	cfg->ias = ias;
	cfg->oas = quirks ? 35 : 32;
	data.pgd = alloc_low(ARM_V7S_TABLE_SIZE(1, cfg), ARM_V7S_TABLE_SIZE(1, cfg));

	map(0x10000000, high | 0x9ab00000, 1, false);
	map(0x21000000, high | 0xc5000000, 1, true);
	map(0x40010000, high | 0x3ab50000, 2, true);
	map(0x40003000, high | 0x12345000, 2, false);

	snprintf(id, sizeof(id), "v7s/%s/1M", name);
	check_leaf_offsets(id, 0x10000000, high | 0x9ab00000, SZ_1M);
	snprintf(id, sizeof(id), "v7s/%s/16M", name);
	check_leaf_offsets(id, 0x21000000, high | 0xc5000000, SZ_16M);
	snprintf(id, sizeof(id), "v7s/%s/16M/copy15", name);
	check_leaf(id, 0x21f00077, (high | 0xc5000000) + 0xf00077, SZ_16M);
	snprintf(id, sizeof(id), "v7s/%s/64K", name);
	check_leaf_offsets(id, 0x40010000, high | 0x3ab50000, SZ_64K);
	snprintf(id, sizeof(id), "v7s/%s/64K/copy15", name);
	check_leaf(id, 0x4001f008, (high | 0x3ab50000) + 0xf008, SZ_64K);
	snprintf(id, sizeof(id), "v7s/%s/4K", name);
	check_leaf_offsets(id, 0x40003000, high | 0x12345000, SZ_4K);

	if (ias > 32) {
		map(0x310000000ULL, high | 0x100000, 1, false);
		snprintf(id, sizeof(id), "v7s/%s/1M/iova34", name);
		check_leaf(id, 0x310012345ULL, high | 0x112345, SZ_1M);
	}
	snprintf(id, sizeof(id), "v7s/%s/hole/empty-l1", name);
	check_hole(id, 0x50001234);
	snprintf(id, sizeof(id), "v7s/%s/hole/empty-l2", name);
	check_hole(id, 0x40002010);
	snprintf(id, sizeof(id), "v7s/%s/hole/after-16M", name);
	check_hole(id, 0x22000000);
}

int main(void)
{
	run("plain", 0, 32, 0);
	/* as mtk_iommu_domain_finalise() sets it up, with a 34-bit iova */
	run("mtk-ext", IO_PGTABLE_QUIRK_ARM_NS | IO_PGTABLE_QUIRK_NO_PERMS |
	    IO_PGTABLE_QUIRK_ARM_MTK_EXT, 34, 0x500000000ULL);
	return harness_done();
}
