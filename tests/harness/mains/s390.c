// SPDX-License-Identifier: GPL-2.0
/*
 * s390-iommu: region/segment/page tables of 4K pages.  The tables are built
 * by the driver's own dma_walk_cpu_trans()/dma_update_cpu_trans(), the
 * code its map path uses, for a region-third origin (aperture 4T) and a
 * region-second origin (aperture 8P).  A zero pte is *valid* in this
 * format (ZPCI_PTE_VALID is 0): fresh page tables are filled with
 * ZPCI_PTE_INVALID, and that is what a hole looks like.
 */
#include "kstubs.h"

struct kmem_cache { size_t size, align; };
static void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp);
static void kmem_cache_free(struct kmem_cache *c, void *p) { }
#define cmpxchg(p, o, n) __sync_val_compare_and_swap(p, o, n)
#define xchg(p, v) __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST)

#include HARNESS_EXTRACTED
#include "harness.h"

static void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp)
{
	return alloc_low(c->size, c->align);
}

static struct s390_domain dom;

static phys_addr_t lookup(u64 iova, size_t *length)
{
#ifdef HARNESS_LEGACY
	*length = SZ_4K;
	return HARNESS_FN(&dom.domain, iova);
#else
	return HARNESS_FN(&dom.domain, iova, length);
#endif
}

static void map_page(u64 iova, u64 pa)
{
	unsigned long *ptep = dma_walk_cpu_trans(&dom, iova, GFP_ATOMIC);

	if (!ptep) {
		fprintf(stderr, "dma_walk_cpu_trans failed\n");
		exit(2);
	}
	dma_update_cpu_trans(ptep, pa, ZPCI_PTE_VALID);
}

static void run(const char *name, u8 origin, u64 iova)
{
	u64 pa = 0x876543000ULL;
	char id[64];

	dom.origin_type = origin;
	dom.dma_table = dma_alloc_cpu_table(GFP_KERNEL);
	dom.domain.geometry.aperture_start = 0;
	dom.domain.geometry.aperture_end = max_tbl_size(&dom);

	map_page(iova, pa);
	map_page(iova + SZ_4K, 0);	/* phys 0 is a real page here */
	map_page(iova + 3 * SZ_4K, pa + SZ_1M);
	dma_update_cpu_trans(dma_walk_cpu_trans(&dom, iova + 3 * SZ_4K, GFP_ATOMIC),
			     0, ZPCI_PTE_INVALID);

	snprintf(id, sizeof(id), "s390/%s/4K", name);
	check_leaf_offsets(id, iova, pa, SZ_4K);
	snprintf(id, sizeof(id), "s390/%s/4K/phys0", name);
	check_leaf(id, iova + SZ_4K + 0x44, 0x44, SZ_4K);
	snprintf(id, sizeof(id), "s390/%s/hole/invalid-pte", name);
	check_hole(id, iova + 2 * SZ_4K + 0x10);
	snprintf(id, sizeof(id), "s390/%s/hole/unmapped-pte", name);
	check_hole(id, iova + 3 * SZ_4K);
	snprintf(id, sizeof(id), "s390/%s/hole/invalid-ste", name);
	check_hole(id, iova + 5 * SZ_1M);
	snprintf(id, sizeof(id), "s390/%s/hole/invalid-rte", name);
	check_hole(id, (iova ^ (1ULL << 41)) & ~(u64)0xfff);
	if (origin == ZPCI_TABLE_TYPE_RSX) {
		/* another region-second entry: no region-third table at all */
		snprintf(id, sizeof(id), "s390/%s/hole/invalid-rse", name);
		check_hole(id, (iova ^ (1ULL << 42)) & ~(u64)0xfff);
	}
	snprintf(id, sizeof(id), "s390/%s/hole/past-aperture", name);
	check_hole(id, dom.domain.geometry.aperture_end + 1);
}

int main(void)
{
	static struct kmem_cache region = { ZPCI_TABLE_SIZE, ZPCI_TABLE_ALIGN };
	static struct kmem_cache page = { ZPCI_PT_SIZE, ZPCI_PT_ALIGN };

	dma_region_table_cache = &region;
	dma_page_table_cache = &page;
	run("rtx", ZPCI_TABLE_TYPE_RTX, 0x123456000ULL);
	run("rsx", ZPCI_TABLE_TYPE_RSX, 0x50123456000ULL);
	return harness_done();
}
