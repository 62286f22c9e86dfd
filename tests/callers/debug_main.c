// SPDX-License-Identifier: GPL-2.0
/*
 * Drive the IOMMU debug page alloc sanitizer of
 * drivers/iommu/iommu-debug-pagealloc.c on a fake domain.
 *
 * __iommu_debug_map(), __iommu_debug_unmap_begin() and _end() (and what
 * they use from their file) are extracted from a kernel tree at test time
 * (CALLERS_EXTRACTED); this file supplies the refcount of each CPU page,
 * which the kernel keeps in page_ext, and calls them around iommu_map() and
 * iommu_unmap() as the core does.  Commands, one a line on stdin (numbers
 * are hex):
 *
 *   domain BITMAP        new empty domain
 *   map IOVA PHYS SIZE   iommu_map(), then __iommu_debug_map() if it mapped
 *   unmap IOVA SIZE      _unmap_begin(), iommu_unmap(), _unmap_end()
 *   unmap-leaves         "unmap" of each leaf left, one by one
 *
 * Each command prints the nonzero refcounts (phys of the CPU page: count),
 * the lookups it made and the warnings.
 */
#include "callers_stubs.h"

#define MAX_PAGES (1 << 17)

struct ref {
	phys_addr_t page;
	long count;
	bool used;
};

static struct ref refs[MAX_PAGES];

static struct ref *ref_of(phys_addr_t phys)
{
	phys_addr_t page = phys >> PAGE_SHIFT << PAGE_SHIFT;
	unsigned long i = (unsigned long)(page >> PAGE_SHIFT) * 2654435761UL % MAX_PAGES;

	while (refs[i].used && refs[i].page != page)
		i = (i + 1) % MAX_PAGES;
	refs[i].used = true;
	refs[i].page = page;
	return &refs[i];
}

/* The kernel's, with page_ext reduced to a table of counts per CPU page */
static void iommu_debug_inc_page(phys_addr_t phys)
{
	WARN_ON(++ref_of(phys)->count <= 0);
}

static void iommu_debug_dec_page(phys_addr_t phys)
{
	WARN_ON(--ref_of(phys)->count < 0);
}

#include CALLERS_EXTRACTED

static struct iommu_domain domain;

static int by_page(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;

	return x->page < y->page ? -1 : x->page > y->page;
}

static void print_state(void)
{
	static struct ref sorted[MAX_PAGES];
	size_t i, n = 0;

	for (i = 0; i < MAX_PAGES; i++)
		if (refs[i].used && refs[i].count)
			sorted[n++] = refs[i];
	qsort(sorted, n, sizeof(*sorted), by_page);
	printf(" refs=");
	for (i = 0; i < n; i++)
		printf("%s%llx:%ld", i ? "," : "", (unsigned long long)sorted[i].page,
		       sorted[i].count);
	printf(" lookups=%lx warns=%lx\n", domain.lookups, callers_warnings);
	domain.lookups = 0;
	callers_warnings = 0;
}

int main(void)
{
	char line[1 << 12];

	alarm(getenv("CALLERS_ALARM") ? atoi(getenv("CALLERS_ALARM")) : 20);
	while (fgets(line, sizeof(line), stdin)) {
		char *cursor;
		char *cmd = strtok_r(line, " \t\n", &cursor);
		unsigned long iova, size;

		if (!cmd)
			continue;
		if (!strcmp(cmd, "domain")) {
			callers_domain_init(&domain, callers_num(&cursor));
			printf("domain");
		} else if (!strcmp(cmd, "map")) {
			phys_addr_t phys;

			iova = callers_num(&cursor);
			phys = callers_num(&cursor);
			size = callers_num(&cursor);
			printf("map %lx", iova);
			if (!iommu_map(&domain, iova, phys, size, 0, 0))
				__iommu_debug_map(&domain, phys, size);
			else
				printf(" failed");
		} else if (!strcmp(cmd, "unmap")) {
			size_t unmapped;

			iova = callers_num(&cursor);
			size = callers_num(&cursor);
			printf("unmap %lx", iova);
			__iommu_debug_unmap_begin(&domain, iova, size);
			unmapped = iommu_unmap(&domain, iova, size);
			__iommu_debug_unmap_end(&domain, iova, size, unmapped);
			printf(" unmapped=%zx", unmapped);
		} else if (!strcmp(cmd, "unmap-leaves")) {
			printf("unmap-leaves");
			while (domain.nr) {
				iova = domain.leaves[0].iova;
				size = domain.leaves[0].size;
				__iommu_debug_unmap_begin(&domain, iova, size);
				__iommu_debug_unmap_end(&domain, iova, size,
							iommu_unmap(&domain, iova, size));
			}
		} else {
			fprintf(stderr, "unknown command %s\n", cmd);
			return 2;
		}
		print_state();
		fflush(stdout);
	}
	return 0;
}
