// SPDX-License-Identifier: GPL-2.0
/*
 * exynos-iommu: two-level table, 1M sections in lv1, 64K large pages (16
 * identical lv2 entries) and 4K small pages in lv2.  Tables are built with
 * the driver's own mk_lv*ent_* encoders, for the v1-v3 layout
 * (PG_ENT_SHIFT 0, 32-bit phys) and the v5 layout (shift 4, 36-bit phys).
 */
#include "kstubs.h"
#include HARNESS_EXTRACTED
#include "harness.h"

static struct exynos_iommu_domain dom;

static phys_addr_t lookup(u64 iova, size_t *length)
{
#ifdef HARNESS_LEGACY
	*length = SPAGE_SIZE;
	return HARNESS_FN(&dom.domain, iova);
#else
	return HARNESS_FN(&dom.domain, iova, length);
#endif
}

static sysmmu_pte_t *new_lv2_table(sysmmu_iova_t iova)
{
	sysmmu_pte_t *lv2 = alloc_low(LV2TABLE_SIZE, LV2TABLE_SIZE);

	*section_entry(dom.pgtable, iova) = mk_lv1ent_page(virt_to_phys(lv2));
	return lv2;
}

static void run(const char *layout, short shift, u64 phys_high)
{
	const int prot = 3;	/* IOMMU_READ | IOMMU_WRITE */
	sysmmu_iova_t sect_iova = 0x10000000, page_iova = 0x20000000;
	u64 sect_pa = phys_high | 0x45600000;
	u64 lpage_pa = phys_high | 0x3ab50000;
	u64 spage_pa = phys_high | 0x12345000;
	sysmmu_pte_t *lv2;
	char id[64];
	int i;

	PG_ENT_SHIFT = shift;
	LV1_PROT = shift ? SYSMMU_V5_LV1_PROT : SYSMMU_LV1_PROT;
	LV2_PROT = shift ? SYSMMU_V5_LV2_PROT : SYSMMU_LV2_PROT;

	/* As exynos_iommu_domain_alloc_paging(): every lv1 entry is a link
	 * to the shared zero lv2 table. */
	zero_lv2_table = alloc_low(LV2TABLE_SIZE, LV2TABLE_SIZE);
	dom.pgtable = alloc_low(LV1TABLE_SIZE, LV1TABLE_SIZE);
	for (i = 0; i < NUM_LV1ENTRIES; i++)
		dom.pgtable[i] = ZERO_LV2LINK;

	*section_entry(dom.pgtable, sect_iova) = mk_lv1ent_sect(sect_pa, prot);

	lv2 = new_lv2_table(page_iova);
	/* 64K at page_iova + 64K: 16 copies, as lv2set_page() writes them. */
	for (i = 0; i < SPAGES_PER_LPAGE; i++)
		lv2[lv2ent_offset(page_iova + LPAGE_SIZE) + i] =
			mk_lv2ent_lpage(lpage_pa, prot);
	/* 4K at page_iova + 12K */
	lv2[lv2ent_offset(page_iova + 3 * SPAGE_SIZE)] =
		mk_lv2ent_spage(spage_pa, prot);

	snprintf(id, sizeof(id), "exynos/%s/1M", layout);
	check_leaf_offsets(id, sect_iova, sect_pa, SECT_SIZE);
	snprintf(id, sizeof(id), "exynos/%s/64K", layout);
	check_leaf_offsets(id, page_iova + LPAGE_SIZE, lpage_pa, LPAGE_SIZE);
	/* every one of the 16 copies describes the whole 64K page */
	snprintf(id, sizeof(id), "exynos/%s/64K/copy15", layout);
	check_leaf(id, page_iova + LPAGE_SIZE + 15 * SPAGE_SIZE + 0x10,
		   lpage_pa + 15 * SPAGE_SIZE + 0x10, LPAGE_SIZE);
	snprintf(id, sizeof(id), "exynos/%s/4K", layout);
	check_leaf_offsets(id, page_iova + 3 * SPAGE_SIZE, spage_pa, SPAGE_SIZE);

	snprintf(id, sizeof(id), "exynos/%s/hole/zero-lv2link", layout);
	check_hole(id, 0x30000000 + 0x1234);
	snprintf(id, sizeof(id), "exynos/%s/hole/lv2-fault", layout);
	check_hole(id, page_iova + 2 * SPAGE_SIZE + 0x10);
	snprintf(id, sizeof(id), "exynos/%s/hole/lv1-fault", layout);
	dom.pgtable[lv1ent_offset(0x40000000)] = 0;
	check_hole(id, 0x40000000 + 0x4321);
	snprintf(id, sizeof(id), "exynos/%s/hole/after-section", layout);
	check_hole(id, sect_iova + SECT_SIZE);
}

int main(void)
{
	run("v1", SYSMMU_PG_ENT_SHIFT, 0);
	run("v5", SYSMMU_V5_PG_ENT_SHIFT, 0x800000000ULL);
	return harness_done();
}
