// SPDX-License-Identifier: GPL-2.0
/*
 * The made-up drivers of tests/fixtures/unseen/drivers: each gives
 * unseen_alloc() (a paging domain) and unseen_map() (one leaf of a size of
 * its pgsize_bitmap).  Every leaf size of the bitmap is mapped and checked
 * at its first, a middle and its last byte; holes are an unmapped page next
 * to a mapped one, an unmapped top-level range and an address past the
 * table.
 */
#include "kstubs.h"

/* kstubs.h leaves the ops opaque; the drivers here initialise theirs. */
struct iommu_domain_ops {
	phys_addr_t (*iova_to_phys)(struct iommu_domain *domain, dma_addr_t iova);
	phys_addr_t (*iova_to_phys_length)(struct iommu_domain *domain,
					   dma_addr_t iova, size_t *length);
};

#include HARNESS_EXTRACTED
#include "harness.h"

static struct iommu_domain *dom;

static phys_addr_t lookup(u64 iova, size_t *length)
{
#ifdef HARNESS_LEGACY
	*length = (size_t)1 << __builtin_ctzl(dom->pgsize_bitmap);
	return HARNESS_FN(dom, iova);
#else
	return HARNESS_FN(dom, iova, length);
#endif
}

static void size_id(char *buf, size_t len, const char *what, u64 size)
{
	if (size >= SZ_1M)
		snprintf(buf, len, "%s/%lluM", what, (unsigned long long)(size >> 20));
	else
		snprintf(buf, len, "%s/%lluK", what, (unsigned long long)(size >> 10));
}

int main(void)
{
	u64 iova = 0x2000000, phys = 0x80000000, size, last = 0;
	char id[64];

	dom = unseen_alloc();
	for (size = SZ_4K; size <= SZ_2M; size <<= 1) {
		if (!(dom->pgsize_bitmap & size))
			continue;
		if (unseen_map(dom, iova, phys, size))
			return 2;
		size_id(id, sizeof(id), HARNESS_CASE, size);
		check_leaf_offsets(id, iova, phys, size);
		last = iova + size;
		iova += 0x400000;
		phys += 0x400000;
	}
	snprintf(id, sizeof(id), "%s/hole/next-page", HARNESS_CASE);
	check_hole(id, last + 0x10);
	snprintf(id, sizeof(id), "%s/hole/top-level", HARNESS_CASE);
	check_hole(id, 0x0c000000 + 0x123);
	snprintf(id, sizeof(id), "%s/hole/past-table", HARNESS_CASE);
	check_hole(id, 1ULL << 40);
	return harness_done();
}
