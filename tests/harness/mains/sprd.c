// SPDX-License-Identifier: GPL-2.0
/*
 * sprd-iommu: a flat array of 32-bit pfns indexed from the aperture start,
 * 4K pages only; the driver's domain aperture is [0, 256M).  An empty
 * entry is 0 (sprd_iommu_unmap() clears it), so it must be a hole, and so
 * must anything outside the aperture.
 */
#include "kstubs.h"
#include HARNESS_EXTRACTED
#include "harness.h"

static struct sprd_iommu_domain dom;

static phys_addr_t lookup(u64 iova, size_t *length)
{
#ifdef HARNESS_LEGACY
	*length = SPRD_IOMMU_PAGE_SIZE;
	return HARNESS_FN(&dom.domain, iova);
#else
	return HARNESS_FN(&dom.domain, iova, length);
#endif
}

static void map_page(u64 iova, u32 pa)
{
	/* as sprd_iommu_map() */
	dom.pgt_va[(iova - dom.domain.geometry.aperture_start) >>
		   SPRD_IOMMU_PAGE_SHIFT] = pa >> SPRD_IOMMU_PAGE_SHIFT;
}

static void run(const char *name, u64 start)
{
	u64 end = start + SZ_256M - 1;
	char id[64];

	dom.domain.geometry.aperture_start = start;
	dom.domain.geometry.aperture_end = end;
	dom.domain.geometry.force_aperture = true;
	dom.pgt_va = alloc_low(SZ_256M / SPRD_IOMMU_PAGE_SIZE * sizeof(u32), SZ_4K);

	map_page(start + 0x123000, 0x87654000);
	map_page(end & ~(u64)(SZ_4K - 1), 0x5000);

	snprintf(id, sizeof(id), "sprd/%s/4K", name);
	check_leaf_offsets(id, start + 0x123000, 0x87654000, SZ_4K);
	snprintf(id, sizeof(id), "sprd/%s/4K/aperture-end", name);
	check_leaf(id, end, 0x5fff, SZ_4K);
	snprintf(id, sizeof(id), "sprd/%s/hole/empty", name);
	check_hole(id, start + 0x124000 + 0x42);
	snprintf(id, sizeof(id), "sprd/%s/hole/empty-page-start", name);
	check_hole(id, start + 0x125000);
	snprintf(id, sizeof(id), "sprd/%s/hole/past-aperture", name);
	check_hole(id, end + 1);
	if (start) {
		snprintf(id, sizeof(id), "sprd/%s/hole/below-aperture", name);
		check_hole(id, start - 1);
	}
}

int main(void)
{
	run("aperture0", 0);
	/* the function indexes from aperture_start: check a nonzero one */
	run("aperture256M", SZ_256M);
	return harness_done();
}
