// SPDX-License-Identifier: GPL-2.0
/*
 * omap-iommu: 1M sections and 16M supersections (16 identical pgd entries)
 * in the first level, 4K small and 64K large pages (16 identical ptes) in
 * the second, encoded with the driver's omap-iopgtable.h definitions.
 * The lookup goes through the first attached omap_iommu's iopgd.
 */
#include "kstubs.h"
#include HARNESS_EXTRACTED
#include "harness.h"

static struct omap_iommu_domain dom;
static struct omap_iommu_device attached;
static struct omap_iommu oiommu;
static struct device dev = { "omap-iommu" };

static phys_addr_t lookup(u64 iova, size_t *length)
{
#ifdef HARNESS_LEGACY
	*length = IOPTE_SIZE;
	return HARNESS_FN(&dom.domain, iova);
#else
	return HARNESS_FN(&dom.domain, iova, length);
#endif
}

static u32 *new_l2_table(u32 da)
{
	u32 *l2 = alloc_low(IOPTE_TABLE_SIZE, IOPTE_TABLE_SIZE);

	*iopgd_offset(&oiommu, da) = virt_to_phys(l2) | IOPGD_TABLE;
	return l2;
}

int main(void)
{
	u32 sect_da = 0x10000000, super_da = 0x21000000, page_da = 0x40000000;
	u32 sect_pa = 0x9ab00000, super_pa = 0xc5000000;
	u32 large_pa = 0x3ab50000, small_pa = 0x12345000;
	u32 *l2;
	int i;

	oiommu.dev = &dev;
	oiommu.iopgd = alloc_low(IOPGD_TABLE_SIZE, IOPGD_TABLE_SIZE);
	attached.iommu_dev = &oiommu;
	attached.pgtable = oiommu.iopgd;
	dom.iommus = &attached;
	dom.num_iommus = 1;

	/* As iopgd_alloc_section()/iopgd_alloc_super()/iopte_alloc_*(). */
	*iopgd_offset(&oiommu, sect_da) = (sect_pa & IOSECTION_MASK) | IOPGD_SECTION;
	for (i = 0; i < 16; i++)
		*(iopgd_offset(&oiommu, super_da) + i) =
			(super_pa & IOSUPER_MASK) | IOPGD_SUPER;
	l2 = new_l2_table(page_da);
	for (i = 0; i < 16; i++)
		l2[iopte_index(page_da + IOLARGE_SIZE) + i] =
			(large_pa & IOLARGE_MASK) | IOPTE_LARGE;
	l2[iopte_index(page_da + 3 * IOPTE_SIZE)] =
		(small_pa & IOPAGE_MASK) | IOPTE_SMALL;

	check_leaf_offsets("omap/1M", sect_da, sect_pa, IOSECTION_SIZE);
	check_leaf_offsets("omap/16M", super_da, super_pa, IOSUPER_SIZE);
	check_leaf("omap/16M/copy15", super_da + 15 * IOSECTION_SIZE + 0x77,
		   super_pa + 15 * IOSECTION_SIZE + 0x77, IOSUPER_SIZE);
	check_leaf_offsets("omap/64K", page_da + IOLARGE_SIZE, large_pa, IOLARGE_SIZE);
	check_leaf("omap/64K/copy15", page_da + IOLARGE_SIZE + 15 * IOPTE_SIZE + 8,
		   large_pa + 15 * IOPTE_SIZE + 8, IOLARGE_SIZE);
	check_leaf_offsets("omap/4K", page_da + 3 * IOPTE_SIZE, small_pa, IOPTE_SIZE);

	check_hole("omap/hole/empty-pgd", 0x50000000 + 0x1234);
	check_hole("omap/hole/empty-pte", page_da + 2 * IOPTE_SIZE + 0x10);
	check_hole("omap/hole/after-super", super_da + IOSUPER_SIZE);
	return harness_done();
}
