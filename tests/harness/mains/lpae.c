// SPDX-License-Identifier: GPL-2.0
/*
 * io-pgtable-arm (LPAE): the length is the block size of the level the walk
 * stopped at.  Geometry as arm_lpae_alloc_pgtable() derives it; leaves are
 * encoded with the file's paddr_to_iopte() and ARM_LPAE_PTE_* bits, as
 * arm_lpae_init_pte() writes them: page (type 3) at level 3, block (type 1)
 * above.  Granules: 4K (4K/2M/1G), 16K (16K/32M), and 64K (64K/512M, plus
 * 4T at level 1 with a 52-bit address space, whose PA bits 51:48 are
 * packed into 15:12).
 *
 * The last IOVA of the address space, ~0UL in a TTBR1 table, is checked
 * apart ("last-iova" checks): a walk that ends at iova + 1 wraps to 0
 * there and visits nothing.
 */
#include "kstubs.h"
#include HARNESS_EXTRACTED
#include "harness.h"

static struct arm_lpae_io_pgtable data;

static phys_addr_t lookup(u64 iova, size_t *length)
{
#ifdef HARNESS_LEGACY
	*length = ARM_LPAE_GRANULE(&data);
	return HARNESS_FN(&data.iop.ops, iova);
#else
	return HARNESS_FN(&data.iop.ops, iova, length);
#endif
}

static void setup(unsigned int pg_shift, unsigned int ias)
{
	int levels, va_bits;

	memset(&data, 0, sizeof(data));
	data.iop.fmt = ARM_64_LPAE_S1;
	data.iop.cfg.ias = ias;
	data.iop.cfg.oas = ias;
	data.iop.cfg.pgsize_bitmap = 1UL << pg_shift;
	data.bits_per_level = pg_shift - ilog2(sizeof(arm_lpae_iopte));
	va_bits = ias - pg_shift;
	levels = DIV_ROUND_UP(va_bits, data.bits_per_level);
	data.start_level = ARM_LPAE_MAX_LEVELS - levels;
	data.pgd_bits = va_bits - data.bits_per_level * (levels - 1);
	data.pgd = alloc_low(max(ARM_LPAE_PGD_SIZE(&data), (size_t)64),
			     max(ARM_LPAE_PGD_SIZE(&data), (size_t)64));
}

/* The pte slot for iova at level lvl, installing tables on the way. */
static arm_lpae_iopte *slot(u64 iova, int lvl)
{
	arm_lpae_iopte *ptep = data.pgd;
	int l;

	for (l = data.start_level; l < lvl; l++) {
		arm_lpae_iopte *pte = ptep + ARM_LPAE_LVL_IDX(iova, l, &data);

		if (!*pte) {
			void *table = alloc_low(ARM_LPAE_GRANULE(&data),
						ARM_LPAE_GRANULE(&data));

			*pte = paddr_to_iopte(virt_to_phys(table), &data) |
			       ARM_LPAE_PTE_TYPE_TABLE;
		}
		ptep = iopte_deref(*pte, &data);
	}
	return ptep + ARM_LPAE_LVL_IDX(iova, lvl, &data);
}

static void map(u64 iova, u64 pa, int lvl)
{
	arm_lpae_iopte pte = ARM_LPAE_PTE_AF | ARM_LPAE_PTE_SH_IS |
			     ARM_LPAE_PTE_nG;

	pte |= lvl == ARM_LPAE_MAX_LEVELS - 1 ? ARM_LPAE_PTE_TYPE_PAGE :
						 ARM_LPAE_PTE_TYPE_BLOCK;
	*slot(iova, lvl) = pte | paddr_to_iopte(pa, &data);
}

static void leaf(const char *id, u64 iova, u64 pa, int lvl)
{
	map(iova, pa, lvl);
	check_leaf_offsets(id, iova, pa, ARM_LPAE_BLOCK_SIZE(lvl, &data));
}

/*
 * A leaf of level lvl holding the last IOVA of the space: iova ~0 must give
 * the last byte of the leaf and its size.  Not a "phys" check: the base
 * tree's walk wraps there, and its phys checks must pass.
 */
static void check_last(const char *id, u64 pa, int lvl)
{
	u64 size = ARM_LPAE_BLOCK_SIZE(lvl, &data);
	size_t length = LENGTH_POISON;
	phys_addr_t got;

	map(~0ULL, pa, lvl);
	got = lookup(~0ULL, &length);
	report(got == pa + size - 1 && length == size,
	       "%s/last-iova # iova ~0: expected 0x%" PRIx64 " +0x%" PRIx64
	       ", got 0x%" PRIx64 " +0x%zx", id, pa + size - 1, size, got,
	       length);
}

int main(void)
{
	setup(12, 48);
	leaf("lpae/granule4K/4K", 0x12345000ULL, 0x876543000ULL, 3);
	leaf("lpae/granule4K/2M", 0x40200000ULL, 0x1234600000ULL, 2);
	leaf("lpae/granule4K/1G", 0x7f80000000ULL, 0x40000000ULL, 1);
	check_hole("lpae/granule4K/hole/empty-l3", 0x12344000ULL + 0x10);
	check_hole("lpae/granule4K/hole/empty-l0", 0x900000000000ULL);
	check_hole("lpae/granule4K/hole/after-1G", 0x7fc0000000ULL);
	/* an entry with a reserved type (0) at level 2 */
	*slot(0x40600000ULL, 2) = paddr_to_iopte(0x1000000, &data);
	check_hole("lpae/granule4K/hole/invalid-l2", 0x40600000ULL + 0x123);

	/* TTBR1: the table translates the top of the space, up to ~0UL */
	setup(12, 48);
	data.iop.cfg.quirks = IO_PGTABLE_QUIRK_ARM_TTBR1;
	{
		size_t length;

		report(lookup(~0ULL, &length) == PHYS_ADDR_MAX,
		       "lpae/ttbr1/empty/last-iova # iova ~0 in an empty table");
	}
	/* each leaf replaces the table entry the smaller one was under */
	check_last("lpae/ttbr1/4K", 0x876543000ULL, 3);
	check_last("lpae/ttbr1/2M", 0x1234600000ULL, 2);
	check_last("lpae/ttbr1/1G", 0x40000000ULL, 1);

	setup(14, 48);
	leaf("lpae/granule16K/16K", 0x12344000ULL, 0x876548000ULL, 3);
	leaf("lpae/granule16K/32M", 0x42000000ULL, 0x1236000000ULL, 2);
	check_hole("lpae/granule16K/hole/empty-l3", 0x12340000ULL);

	setup(16, 52);
	leaf("lpae/granule64K/64K", 0x12340000ULL, 0x8876540000ULL, 3);
	leaf("lpae/granule64K/512M", 0x60000000ULL, 0x3460000000ULL, 2);
	leaf("lpae/granule64K/4T", 0x8000000000000ULL, 0xc000000000000ULL, 1);
	check_hole("lpae/granule64K/hole/empty-l3", 0x12350000ULL);
	check_hole("lpae/granule64K/hole/empty-l1", 0x4000000000000ULL);
	return harness_done();
}
