// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-iommu: mappings are nodes of an interval tree, one per map call
 * or identity range, of any size and alignment, never split.  A node is
 * linear, but it is not a radix leaf: the length must be the largest
 * naturally aligned power of two block around iova that lies inside the
 * node (the contract's power of two, never over-reporting) and maps onto
 * an aligned physical block, and for a node that spans the whole 64-bit
 * space it must still fit a size_t.
 */
#include "kstubs.h"
#include HARNESS_EXTRACTED
#include "harness.h"

static struct viommu_domain dom;

static phys_addr_t lookup(u64 iova, size_t *length)
{
#ifdef HARNESS_LEGACY
	*length = SZ_4K;
	return HARNESS_FN(&dom.domain, iova);
#else
	return HARNESS_FN(&dom.domain, iova, length);
#endif
}

/* The top of the iova space: interval tree nodes are unsigned long. */
#define TOP ((u64)ULONG_MAX)
#define HALF (TOP / 2 + 1)

static void reset(void)
{
	dom.mappings = RB_ROOT_CACHED;
}

static void map(u64 first, u64 last, u64 paddr)
{
	/* as viommu_add_mapping() */
	struct viommu_mapping *m = calloc(1, sizeof(*m));

	m->paddr = paddr;
	m->iova.start = first;
	m->iova.last = last;
	interval_tree_insert(&m->iova, &dom.mappings);
}

static void check_in(const char *id, u64 iova, u64 first, u64 last, u64 paddr)
{
	u64 phys = paddr + (iova - first);

	check_leaf(id, iova, phys, largest_aligned_block(iova, phys, first, last));
}

/* xorshift64: a fixed sequence, so that a failure can be reproduced */
static u64 rnd(void)
{
	static u64 x = 0x9e3779b97f4a7c15ULL;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

int main(void)
{
	char id[96];
	int i;

	reset();
	/* an unaligned node: 4K at its edges, bigger blocks inside */
	map(0x10001000, 0x10234fff, 0x80001000);
	check_in("virtio/interval/unaligned/first-page", 0x10001010,
		 0x10001000, 0x10234fff, 0x80001000);
	check_in("virtio/interval/unaligned/middle", 0x10101234,
		 0x10001000, 0x10234fff, 0x80001000);
	check_in("virtio/interval/unaligned/tail", 0x10234abc,
		 0x10001000, 0x10234fff, 0x80001000);
	check_in("virtio/interval/unaligned/last-byte", 0x10234fff,
		 0x10001000, 0x10234fff, 0x80001000);
	/* the next node starts right after, phys contiguous: still two nodes */
	map(0x10235000, 0x10235fff, 0x80235000);
	check_in("virtio/interval/adjacent", 0x10235800,
		 0x10235000, 0x10235fff, 0x80235000);
	/* a node of odd, sub-page size */
	map(0x20000100, 0x200001ff, 0x300);
	check_in("virtio/interval/sub-page", 0x20000180,
		 0x20000100, 0x200001ff, 0x300);
	/* an aligned 2M node is one 2M block */
	map(0x40200000, 0x403fffff, 0x7fe00000);
	check_in("virtio/interval/aligned-2M", 0x40234567,
		 0x40200000, 0x403fffff, 0x7fe00000);

	/*
	 * 2M of IOVA at 0x200000 mapped to 0x1000 (a 4K pgsize_bitmap allows
	 * it): the IOVA block is aligned, its memory is not, so the length is
	 * 4K, the alignment both share, not 2M
	 */
	map(0x200000, 0x3fffff, 0x1000);
	check_leaf("virtio/interval/misaligned-2M", 0x2ff123, 0x100123, SZ_4K);

	check_hole("virtio/hole/before", 0x10000fff);
	check_hole("virtio/hole/between", 0x10236000);
	check_hole("virtio/hole/far", 0x90000000);

	/* an identity node over the whole space (viommu_domain_map_identity
	 * style): its size does not fit a size_t */
	reset();
	map(0, TOP, 0);
	check_in("virtio/interval/identity-all/low", 0x12345678, 0, TOP, 0);
	check_in("virtio/interval/identity-all/high", TOP - 0x123456789abcdefULL % HALF,
		 0, TOP, 0);
	check_in("virtio/interval/identity-all/top", TOP, 0, TOP, 0);

	/* identity node that ends at the top of the space */
	reset();
	map(HALF + 0x5000, TOP, HALF + 0x5000);
	check_in("virtio/interval/identity-top/mid", HALF + HALF / 2 + 0x1234,
		 HALF + 0x5000, TOP, HALF + 0x5000);
	check_in("virtio/interval/identity-top/edge", HALF + 0x5001,
		 HALF + 0x5000, TOP, HALF + 0x5000);
	check_hole("virtio/hole/below-identity-top", HALF + 0x4fff);

	/* random nodes (any size and alignment), a random iova in each */
	for (i = 0; i < 200; i++) {
		u64 first = (unsigned long)(rnd() >> (rnd() % 64));
		u64 span = (unsigned long)(rnd() >> (rnd() % 64));
		u64 last = first + span > TOP ? TOP : first + span;
		u64 paddr = rnd() & 0xffffffffff000ULL;
		u64 iova;

		/* half of them page granular, as map calls make them */
		if (i % 2) {
			first &= ~0xfffULL;
			last |= 0xfff;
		}
		iova = first + (last - first ? rnd() % (last - first + 1) : 0);

		reset();
		map(first, last, paddr);
		snprintf(id, sizeof(id), "virtio/interval/random%d", i);
		check_in(id, iova, first, last, paddr);
	}
	return harness_done();
}
