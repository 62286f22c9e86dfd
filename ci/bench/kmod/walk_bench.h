/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two ways of traversing a mapped IOVA range, shared by the kernel
 * module (iova_bench.c) and the host smoke variant (ci/bench/host_bench.c):
 *
 *  (a) the old way: one lookup per PAGE, as vfio_unmap_unpin() and
 *      batch_from_domain() did before the series;
 *  (b) the new way: one iova_to_phys_length() per leaf, stepping by the
 *      returned length.
 *
 * Each step is one call of the op, counted here.  Every result is checked
 * against the known mapping (phys0 + offset), so a wrong translation or
 * length stops the walk with a reason instead of a figure.
 *
 * The includer defines, before including this file:
 *   WALK_CTX              the type of the table handle
 *   WALK_PAGE             the stride of (a)
 *   WALK_PHYS_ERR         the error return of the new op (PHYS_ADDR_MAX)
 *   WALK_NOW()            a nanosecond clock (ktime_get_ns)
 * and the lookups are passed as macro arguments so that the loops call
 * them directly: an extra indirect call per step would weigh on (a) far
 * more than on (b).
 */
#ifndef WALK_BENCH_H
#define WALK_BENCH_H

struct walk_result {
	u64 walks;		/* calls of the op */
	u64 ns;			/* wall time of the traversal */
	int failed;
	char why[128];		/* first mismatch, when failed */
};

/* Define walk_old_<name>(): one LOOKUP(ctx, iova) per WALK_PAGE. */
#define DEFINE_WALK_OLD(name, LOOKUP)                                          \
static void walk_old_##name(WALK_CTX *ctx, u64 iova, u64 size, u64 phys0,    \
			    struct walk_result *r)                             \
{                                                                              \
	u64 off, start;                                                        \
	u64 phys;                                                              \
                                                                               \
	r->walks = 0;                                                          \
	r->failed = 0;                                                         \
	start = WALK_NOW();                                                    \
	for (off = 0; off < size; off += WALK_PAGE) {                          \
		phys = LOOKUP(ctx, iova + off);                                \
		r->walks++;                                                    \
		if (phys != phys0 + off) {                                     \
			r->failed = 1;                                         \
			snprintf(r->why, sizeof(r->why),                       \
				 "old: iova 0x%llx gave 0x%llx, expected 0x%llx", \
				 (unsigned long long)(iova + off),             \
				 (unsigned long long)phys,                     \
				 (unsigned long long)(phys0 + off));           \
			break;                                                 \
		}                                                              \
	}                                                                      \
	r->ns = WALK_NOW() - start;                                            \
}

/*
 * Define walk_new_<name>(): LOOKUP_LENGTH(ctx, iova, &length) once per
 * leaf.  The mapping is made of leaves of exactly @leaf bytes, so any
 * other length is reported (under-reporting is legal for the op but
 * would break the walk count the benchmark promises).
 */
#define DEFINE_WALK_NEW(name, LOOKUP_LENGTH)                                   \
static void walk_new_##name(WALK_CTX *ctx, u64 iova, u64 size, u64 phys0,    \
			    u64 leaf, struct walk_result *r)                   \
{                                                                              \
	u64 off, start;                                                        \
	u64 phys;                                                              \
	size_t length;                                                         \
                                                                               \
	r->walks = 0;                                                          \
	r->failed = 0;                                                         \
	start = WALK_NOW();                                                    \
	for (off = 0; off < size;) {                                           \
		length = 0;                                                    \
		phys = LOOKUP_LENGTH(ctx, iova + off, &length);                \
		r->walks++;                                                    \
		if (phys == WALK_PHYS_ERR || phys != phys0 + off ||            \
		    length != leaf) {                                          \
			r->failed = 1;                                         \
			snprintf(r->why, sizeof(r->why),                       \
				 "new: iova 0x%llx gave 0x%llx length 0x%llx, " \
				 "expected 0x%llx length 0x%llx",              \
				 (unsigned long long)(iova + off),             \
				 (unsigned long long)phys,                     \
				 (unsigned long long)length,                   \
				 (unsigned long long)(phys0 + off),            \
				 (unsigned long long)leaf);                    \
			break;                                                 \
		}                                                              \
		off += length - ((iova + off) & (length - 1));                 \
	}                                                                      \
	r->ns = WALK_NOW() - start;                                            \
}

#endif
