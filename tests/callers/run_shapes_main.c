// SPDX-License-Identifier: GPL-2.0
/*
 * Drive the contiguous-run functions of tests/fixtures/unseen/run_shapes.c
 * (run_for, run_while, run_do, run_overflow), as written and as the generic
 * rule converts them, on fake domains whose leaves are 4K, 64K, 2M or 1G.
 * Each call prints one line with its result and the walks it made; the
 * test compares the lines of the two builds, walks aside.
 */
#include <unistd.h>
#include "callers_stubs.h"

#define SZ_4K 0x1000UL
#define ENOENT 2

#include CALLERS_EXTRACTED

static struct iommu_domain dom;

/*
 * Four leaves of size sz from iova base, physically contiguous unless
 * shape says: "hole" (no leaf 2), "split" (leaf 2 elsewhere).
 */
static void build(u64 base, u64 sz, const char *shape)
{
	phys_addr_t phys = 0x4000000000ULL;
	int i;

	free(dom.leaves);
	callers_domain_init(&dom, sz);
	for (i = 0; i < 4; i++) {
		if (i == 2 && !strcmp(shape, "hole"))
			continue;
		callers_add_leaf(&dom, base + i * sz, sz,
				 phys + i * sz + (i == 2 && !strcmp(shape, "split") ? 64 * sz : 0));
	}
}

static void calls(const char *name, u64 base, u64 sz, u64 start, u64 limit)
{
	phys_addr_t phys = 0;
	u64 out = 0;
	size_t r;
	int ret;

	dom.lookups = 0;
	r = run_for(&dom, start, limit, &phys);
	printf("%s run_for start=%llx max=%llx -> %zx phys=%llx walks=%lu\n", name,
	       (unsigned long long)start, (unsigned long long)limit, r,
	       (unsigned long long)phys, dom.lookups);
	dom.lookups = 0;
	r = run_while(&dom, start, start + limit);
	printf("%s run_while start=%llx end=%llx -> %zx walks=%lu\n", name,
	       (unsigned long long)start, (unsigned long long)(start + limit), r,
	       dom.lookups);
	dom.lookups = 0;
	r = run_do(&dom, start, limit, PAGE_SIZE);
	printf("%s run_do start=%llx cap=%llx -> %zx walks=%lu\n", name,
	       (unsigned long long)start, (unsigned long long)limit, r, dom.lookups);
	dom.lookups = 0;
	r = run_do(&dom, start, limit, 4 * PAGE_SIZE);
	printf("%s run_do16 start=%llx cap=%llx -> %zx walks=%lu\n", name,
	       (unsigned long long)start, (unsigned long long)limit, r, dom.lookups);
	dom.lookups = 0;
	ret = run_overflow(&dom, start, start + limit - 1, &out);
	printf("%s run_overflow start=%llx last=%llx -> %d %llx walks=%lu\n", name,
	       (unsigned long long)start, (unsigned long long)(start + limit - 1), ret,
	       (unsigned long long)out, dom.lookups);
	(void)base;
	(void)sz;
}

int main(void)
{
	static const u64 sizes[] = { 0x1000, 0x10000, 0x200000, 0x40000000 };
	static const char *shapes[] = { "whole", "hole", "split" };
	char name[64];
	unsigned int i, j;

	alarm(120);
	for (i = 0; i < 4; i++) {
		u64 sz = sizes[i], base = 16 * sizes[3];

		for (j = 0; j < 3; j++) {
			build(base, sz, shapes[j]);
			snprintf(name, sizeof(name), "%llx/%s", (unsigned long long)sz, shapes[j]);
			/* the whole area, a run ending mid-leaf, past the end */
			calls(name, base, sz, base, 4 * sz);
			calls(name, base, sz, base, sz + sz / 2 + 0x1000);
			calls(name, base, sz, base + sz / 4, 3 * sz + sz / 2);
			calls(name, base, sz, base, 8 * sz);
			/* a hole at the start */
			calls(name, base, sz, base - sz, 2 * sz);
		}
		/* the last leaf of the address space: the overflow check stops it */
		free(dom.leaves);
		callers_domain_init(&dom, sz);
		callers_add_leaf(&dom, -sz, sz, 0x4000000000ULL);
		snprintf(name, sizeof(name), "%llx/top", (unsigned long long)sz);
		calls(name, -sz, sz, -sz, sz);
		calls(name, -sz, sz, -sz + sz / 2, sz / 2);
	}
	return 0;
}
