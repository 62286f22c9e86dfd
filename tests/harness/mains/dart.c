// SPDX-License-Identifier: GPL-2.0
/*
 * io-pgtable-dart: one leaf size, the format's page (4K on DART1, 16K on
 * DART2 with its shifted 42-bit PA).  Geometry as dart_alloc_pgtable()
 * derives it; tables are installed with the file's dart_install_table()
 * and leaves written by its dart_init_pte().
 */
#include "kstubs.h"
#define cmpxchg64_relaxed(p, o, n) __sync_val_compare_and_swap(p, o, n)
#include HARNESS_EXTRACTED
#include "harness.h"

static struct dart_io_pgtable data;

static phys_addr_t lookup(u64 iova, size_t *length)
{
#ifdef HARNESS_LEGACY
	*length = data.iop.cfg.pgsize_bitmap;
	return HARNESS_FN(&data.iop.ops, iova);
#else
	return HARNESS_FN(&data.iop.ops, iova, length);
#endif
}

static void setup(enum io_pgtable_fmt fmt, unsigned int pg_shift,
		  unsigned int ias, unsigned int oas)
{
	int max_tbl_bits = pg_shift == 12 ? DART_MAX_TABLE_BITS : 0;
	int va_bits, levels, i;

	memset(&data, 0, sizeof(data));
	data.iop.fmt = fmt;
	data.iop.cfg.pgsize_bitmap = 1UL << pg_shift;
	data.iop.cfg.ias = ias;
	data.iop.cfg.oas = oas;
	data.bits_per_level = pg_shift - ilog2(sizeof(dart_iopte));
	va_bits = ias - pg_shift;
	levels = max_t(int, 2, (va_bits - max_tbl_bits + data.bits_per_level - 1) /
		       data.bits_per_level);
	data.tbl_bits = max_t(int, 0, va_bits - data.bits_per_level * levels);
	data.levels = levels + 1;
	for (i = 0; i < (1 << data.tbl_bits); i++)
		data.pgd[i] = alloc_low(DART_GRANULE(&data), DART_GRANULE(&data));
}

static void map(u64 iova, u64 pa)
{
	int level = data.levels;
	dart_iopte *ptep = data.pgd[dart_get_index(&data, iova, level)];

	while (--level > 1) {
		ptep += dart_get_index(&data, iova, level);
		if (!*ptep)
			dart_install_table(alloc_low(DART_GRANULE(&data),
						     DART_GRANULE(&data)),
					   ptep, 0, &data);
		ptep = iopte_deref(*ptep, &data);
	}
	dart_init_pte(&data, iova, pa, 0, 1, ptep + dart_get_last_index(&data, iova));
}

int main(void)
{
	setup(APPLE_DART, 12, 32, 36);
	map(0xc0345000, 0x876543000ULL);
	map(0x00001000, 0x1000);
	check_leaf_offsets("dart/dart1/4K", 0xc0345000, 0x876543000ULL, SZ_4K);
	check_leaf("dart/dart1/4K/low", 0x1010, 0x1010, SZ_4K);
	check_hole("dart/dart1/hole/empty-pte", 0xc0346000 + 0x10);
	check_hole("dart/dart1/hole/no-table", 0x80000000);

	setup(APPLE_DART2, 14, 36, 42);
	map(0x812344000ULL, 0x3876548000ULL);
	check_leaf_offsets("dart/dart2/16K", 0x812344000ULL, 0x3876548000ULL, SZ_16K);
	check_hole("dart/dart2/hole/empty-pte", 0x812348000ULL);
	check_hole("dart/dart2/hole/no-table", 0x400000000ULL);
	return harness_done();
}
