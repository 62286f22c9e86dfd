// SPDX-License-Identifier: GPL-2.0
/*
 * The fake IOMMU domain of callers_stubs.h: leaves in a sorted array.
 */
#include "callers_stubs.h"

unsigned long callers_warnings;
FILE *callers_log;

/* The next hex number of a command line the mains read, or exit 2. */
unsigned long callers_num(char **cursor)
{
	char *tok = strtok_r(NULL, " \t\n", cursor);

	if (!tok) {
		fprintf(stderr, "missing number\n");
		exit(2);
	}
	return strtoul(tok, NULL, 16);
}

void callers_domain_init(struct iommu_domain *d, unsigned long pgsize_bitmap)
{
	memset(d, 0, sizeof(*d));
	d->pgsize_bitmap = pgsize_bitmap;
	d->fail_map_after = -1;
	d->fail_unmap_after = -1;
}

/*
 * Index of the first leaf that ends at or above iova.  Compare last bytes:
 * the top leaf of the 64-bit space ends at 0.
 */
static size_t first_above(struct iommu_domain *d, u64 iova)
{
	size_t lo = 0, hi = d->nr;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (d->leaves[mid].iova + (d->leaves[mid].size - 1) < iova)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct callers_leaf *callers_find_leaf(struct iommu_domain *d, u64 iova)
{
	size_t i = first_above(d, iova);

	if (i < d->nr && d->leaves[i].iova <= iova)
		return &d->leaves[i];
	return NULL;
}

int callers_add_leaf(struct iommu_domain *d, u64 iova, u64 size, phys_addr_t phys)
{
	size_t i = first_above(d, iova);

	if (i < d->nr && d->leaves[i].iova <= iova + (size - 1))
		return -EEXIST;
	if (d->nr == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		d->leaves = realloc(d->leaves, d->cap * sizeof(*d->leaves));
		if (!d->leaves)
			abort();
	}
	memmove(&d->leaves[i + 1], &d->leaves[i], (d->nr - i) * sizeof(*d->leaves));
	d->leaves[i] = (struct callers_leaf){ iova, size, phys };
	d->nr++;
	return 0;
}

static void remove_leaf(struct iommu_domain *d, size_t i)
{
	memmove(&d->leaves[i], &d->leaves[i + 1], (d->nr - i - 1) * sizeof(*d->leaves));
	d->nr--;
}

/* Remove every leaf that overlaps [iova, iova + size). */
void callers_punch_hole(struct iommu_domain *d, u64 iova, u64 size)
{
	size_t i = first_above(d, iova);

	while (i < d->nr && d->leaves[i].iova <= iova + (size - 1))
		remove_leaf(d, i);
}

void callers_print_leaves(struct iommu_domain *d)
{
	size_t i;

	printf(" leaves=");
	for (i = 0; i < d->nr; i++)
		printf("%s%llx+%llx>%llx", i ? "," : "",
		       (unsigned long long)d->leaves[i].iova,
		       (unsigned long long)d->leaves[i].size,
		       (unsigned long long)d->leaves[i].phys);
}

phys_addr_t iommu_iova_to_phys_length(struct iommu_domain *d, dma_addr_t iova,
				      size_t *length)
{
	const struct callers_leaf *leaf = callers_find_leaf(d, iova);

	d->lookups++;
	if (!leaf)
		return PHYS_ADDR_MAX;
	*length = leaf->size;
	return leaf->phys + (iova - leaf->iova);
}

/* The wrapper as the core keeps it: 0 for "no translation". */
phys_addr_t iommu_iova_to_phys(struct iommu_domain *d, dma_addr_t iova)
{
	size_t length;
	phys_addr_t phys = iommu_iova_to_phys_length(d, iova, &length);

	return phys == PHYS_ADDR_MAX ? 0 : phys;
}

/* The largest page size that fits, as the core's iommu_pgsize() picks it. */
static u64 pick_pgsize(struct iommu_domain *d, u64 iova, phys_addr_t paddr, u64 size)
{
	u64 best = 0;
	int bit;

	for (bit = 0; bit < 64; bit++) {
		u64 pg = 1ULL << bit;

		if (!(d->pgsize_bitmap & pg))
			continue;
		if (pg > size || ((iova | paddr) & (pg - 1)))
			continue;
		best = pg;
	}
	return best;
}

int iommu_map(struct iommu_domain *d, unsigned long iova, phys_addr_t paddr,
	      size_t size, int prot, gfp_t gfp)
{
	unsigned long start = iova;

	(void)prot;
	(void)gfp;
	if (callers_log)
		fprintf(callers_log, " map=%lx+%zx>%llx", iova, size,
			(unsigned long long)paddr);
	if (d->fail_map_after == 0) {
		if (callers_log)
			fprintf(callers_log, "!fail");
		return -ENOMEM;
	}
	if (d->fail_map_after > 0)
		d->fail_map_after--;
	while (size) {
		u64 pg = pick_pgsize(d, iova, paddr, size);

		if (!pg || callers_add_leaf(d, iova, pg, paddr)) {
			if (iova != start)
				iommu_unmap(d, start, iova - start);
			return -EINVAL;
		}
		iova += pg;
		paddr += pg;
		size -= pg;
	}
	return 0;
}

size_t iommu_unmap(struct iommu_domain *d, unsigned long iova, size_t size)
{
	size_t unmapped = 0;

	if (d->fail_unmap_after == 0) {
		if (callers_log)
			fprintf(callers_log, " unmap=%lx+%zx:0!fail", iova, size);
		return 0;
	}
	if (d->fail_unmap_after > 0)
		d->fail_unmap_after--;
	while (unmapped < size) {
		size_t i = first_above(d, iova + unmapped);

		if (i == d->nr || d->leaves[i].iova != iova + unmapped)
			break;
		unmapped += d->leaves[i].size;
		remove_leaf(d, i);
	}
	if (callers_log)
		fprintf(callers_log, " unmap=%lx+%zx:%zx", iova, size, unmapped);
	return unmapped;
}

size_t iommu_unmap_fast(struct iommu_domain *d, unsigned long iova, size_t size,
			struct iommu_iotlb_gather *gather)
{
	(void)gather;
	return iommu_unmap(d, iova, size);
}
