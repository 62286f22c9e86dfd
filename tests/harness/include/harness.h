/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checks shared by the per-driver cases.
 *
 * A case includes kstubs.h, then the definitions extracted from the kernel
 * tree (HARNESS_EXTRACTED), then this file, and provides
 *
 *	static phys_addr_t lookup(u64 iova, size_t *length);
 *
 * which calls the driver's function on the case's domain.  In converted
 * mode (the tree has <fn>_length) it passes length through; in legacy mode
 * (HARNESS_LEGACY: the tree still has the old op) it stores the smallest
 * leaf size of the format there, which is what the core's fallback does for
 * an unconverted driver.
 *
 * Each check prints one line, "ok ID" or "not ok ID # why"; IDs are
 * "<case>/<what>/<kind>" where kind is phys, length or error, so that the
 * pytest driver can group them by leaf size and by kind.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <inttypes.h>
#include <stdarg.h>
#include <sys/mman.h>

int harness_warnings;
int harness_messages;
static int harness_checks;
static int harness_failed;

static phys_addr_t lookup(u64 iova, size_t *length);

/* A value a driver would never store by accident. */
#define LENGTH_POISON ((size_t)0x5a5a5a5a5a5a5a5aULL)

static void report(bool ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void report(bool ok, const char *fmt, ...)
{
	va_list ap;

	harness_checks++;
	if (!ok)
		harness_failed++;
	printf(ok ? "ok " : "not ok ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/*
 * Zeroed, aligned memory whose address fits in 32 bits, so that a 32-bit
 * page table entry can hold the physical address of a lower-level table.
 */
static void *alloc_low(size_t size, size_t align)
{
	static char *arena;
	static size_t used;
	const size_t arena_size = 64 << 20;
	size_t start;

	if (!arena) {
		arena = mmap(NULL, arena_size, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS |
			     (sizeof(void *) > 4 ? MAP_32BIT : 0), -1, 0);
		if (arena == MAP_FAILED ||
		    (u64)(uintptr_t)arena + arena_size > (1ULL << 32)) {
			fprintf(stderr, "cannot map page table memory below 4 GiB\n");
			exit(2);
		}
	}
	start = (used + align - 1) & ~(align - 1);
	if (start + size > arena_size) {
		fprintf(stderr, "page table arena exhausted\n");
		exit(2);
	}
	used = start + size;
	return arena + start;
}

static bool is_pow2(u64 x)
{
	return x && !(x & (x - 1));
}

/*
 * iova must translate to phys, and *length must be exactly leaf (the size
 * of the leaf translation the case built there).  Independently of the
 * expected value, the reported block [iova & ~(length-1), +length) must
 * translate linearly: its first and last bytes are looked up too, so an
 * over-reported length shows even if the expectation were wrong.  And it
 * must map onto the aligned physical block of the same size, as the
 * contract promises: (phys ^ iova) & (length - 1) == 0.
 */
static void check_leaf(const char *id, u64 iova, phys_addr_t phys, u64 leaf)
{
	size_t length = LENGTH_POISON;
	phys_addr_t got = lookup(iova, &length);

	report(got == phys, "%s/phys # iova 0x%" PRIx64 ": expected 0x%" PRIx64
	       ", got 0x%" PRIx64, id, iova, phys, got);
	report(length == leaf, "%s/length # iova 0x%" PRIx64 ": expected 0x%"
	       PRIx64 ", got 0x%zx", id, iova, leaf, length);
	if (got != phys)
		return;
	if (!is_pow2(length)) {
		report(false, "%s/length-block # length 0x%zx is not a power of two",
		       id, length);
		return;
	}
	report(!(((u64)phys ^ iova) & ((u64)length - 1)),
	       "%s/length-aligned # iova 0x%" PRIx64 " and phys 0x%" PRIx64
	       " are at different offsets in a 0x%zx block", id, iova, phys,
	       length);
	{
		u64 first = iova & ~((u64)length - 1);
		u64 last = first + length - 1;
		size_t l1 = LENGTH_POISON, l2 = LENGTH_POISON;
		phys_addr_t p1 = lookup(first, &l1);
		phys_addr_t p2 = lookup(last, &l2);

		report(p1 == phys - (iova - first) && p2 == phys + (last - iova),
		       "%s/length-block # block 0x%" PRIx64 "+0x%zx: first -> 0x%"
		       PRIx64 ", last -> 0x%" PRIx64 ", linear would be 0x%" PRIx64
		       ", 0x%" PRIx64, id, first, length, p1, p2,
		       phys - (iova - first), phys + (last - iova));
	}
}

/*
 * The length the contract asks of a translation that is linear over
 * [first, last] but not a radix leaf (virtio mappings, an aperture): the
 * largest naturally aligned power of two block that contains iova and lies
 * inside [first, last], and that a size_t can hold.
 */
static u64 largest_block(u64 iova, u64 first, u64 last)
{
	int k;

	for (k = (int)(8 * sizeof(size_t)) - 1; k > 0; k--) {
		u64 size = 1ULL << k;
		u64 start = iova & ~(size - 1);

		if (start >= first && start + (size - 1) <= last)
			return size;
	}
	return 1;
}

/*
 * largest_block(), further capped to the alignment phys and iova share:
 * what the contract asks of a linear range whose physical address is not
 * aligned like its IOVA.
 */
static u64 largest_aligned_block(u64 iova, u64 phys, u64 first, u64 last)
{
	u64 size = largest_block(iova, first, last);

	while (size > 1 && ((iova ^ phys) & (size - 1)))
		size >>= 1;
	return size;
}

/* iova must not translate: the function returns PHYS_ADDR_MAX. */
static void check_hole(const char *id, u64 iova)
{
	size_t length = LENGTH_POISON;
	phys_addr_t got = lookup(iova, &length);

	report(got == PHYS_ADDR_MAX, "%s/error # iova 0x%" PRIx64
	       ": expected PHYS_ADDR_MAX, got 0x%" PRIx64, id, iova, got);
}

/* Offsets into a leaf of size leaf that exercise every smaller boundary. */
static u64 offset_in(u64 leaf, int which)
{
	switch (which) {
	case 0:
		return 0;
	case 1:		/* odd, crosses every smaller power of two */
		return (leaf >> 1) + (leaf >> 3) + 0x123;
	default:
		return leaf - 1;
	}
}

/* check_leaf at the first, a middle and the last byte of a leaf. */
static void check_leaf_offsets(const char *id, u64 iova_base,
			       phys_addr_t phys_base, u64 leaf)
{
	char name[160];
	int k;

	for (k = 0; k < 3; k++) {
		u64 off = offset_in(leaf, k);

		snprintf(name, sizeof(name), "%s/+0x%" PRIx64, id, off);
		check_leaf(name, iova_base + off, phys_base + off, leaf);
	}
}

static int harness_done(void)
{
	printf("harness: %d checks, %d failed\n", harness_checks, harness_failed);
	return harness_failed ? 1 : 0;
}

#endif /* HARNESS_H */
