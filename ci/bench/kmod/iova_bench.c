// SPDX-License-Identifier: GPL-2.0
/*
 * iova_bench - page-table walks and time to traverse a mapped IOVA range,
 * before and after iova_to_phys_length.
 *
 * For ARM LPAE (4K granule), ARMv7s and the generic_pt formats amdv1,
 * vtdss, x86_64 and riscv64, each leaf size the format offers is tested
 * on its own: a table is created without hardware (io-pgtable with dummy
 * TLB ops, generic_pt as its KUnit tests do), range_mb of IOVA is mapped
 * with leaves of exactly that size (the output address is aligned to the
 * leaf and no more, so generic_pt's map_range() cannot pick a larger one),
 * then traversed
 *  (a) "old": one lookup per PAGE_SIZE (the old op where the tree still
 *      has it, else the new op with its length ignored);
 *  (b) "new": iova_to_phys_length(), stepping by the returned length
 *      (only on trees that have it).
 * Every step is checked against the mapping.  (b) must take exactly one
 * walk per leaf and (a) one per page; anything else is an error.
 *
 * io-pgtable formats are called through io_pgtable_ops; generic_pt ones
 * through the core (iommu_iova_to_phys(), iommu_iova_to_phys_length()) on
 * a domain whose ops are the format's IOMMU_PT_DOMAIN_OPS(), as callers do.
 *
 * Output, one line per case on the kernel log (parsed by ci/bench):
 *   iova_bench: start range=<bytes> reps=<n> page=<bytes> ...
 *   iova_bench: case fmt=<f> leaf=<bytes> method=old|new op=<what>
 *               walks=<n> expected=<n> ns=<rep1>,<rep2>,...
 *   iova_bench: skip fmt=<f> leaf=<bytes> reason=<why>
 *   iova_bench: error fmt=<f> leaf=<bytes> method=<m> <why>
 *   iova_bench: done cases=<n> errors=<n>
 * The module loads even when a case failed (a failed init makes busybox's
 * insmod try again, running everything twice): the "done" line tells.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/generic_pt/iommu.h>
#include <linux/io-pgtable.h>
#include <linux/iommu.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sizes.h>

static unsigned int range_mb = 1024;
module_param(range_mb, uint, 0444);
MODULE_PARM_DESC(range_mb, "IOVA range mapped and traversed, in MiB");

static unsigned int reps = 5;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "traversals timed per case and method");

#define MAX_REPS 64
#define MAX_LEAVES 4
/* 1G aligned, below 4G for ARMv7s */
#define IOVA_BASE SZ_1G
/* Output addresses are PHYS_BASE + leaf: aligned to the leaf, not to 2x */
#define PHYS_BASE SZ_2G

static struct device *bench_dev;

/* io-pgtable: dummy TLB maintenance, nothing caches these tables */
static void bench_tlb_flush_all(void *cookie)
{
}

static void bench_tlb_flush(unsigned long iova, size_t size, size_t granule,
			    void *cookie)
{
}

static void bench_tlb_add_page(struct iommu_iotlb_gather *gather,
			       unsigned long iova, size_t granule, void *cookie)
{
}

static const struct iommu_flush_ops bench_tlb_ops = {
	.tlb_flush_all = bench_tlb_flush_all,
	.tlb_flush_walk = bench_tlb_flush,
	.tlb_add_page = bench_tlb_add_page,
};

/* generic_pt: only needed if a format grows its top level */
struct bench_pt {
	union {
		struct iommu_domain domain;
		struct pt_iommu iommu;
		struct pt_iommu_amdv1 amdv1;
		struct pt_iommu_vtdss vtdss;
		struct pt_iommu_x86_64 x86_64;
		struct pt_iommu_riscv_64 riscv_64;
	};
	spinlock_t top_lock;
};

static void bench_change_top(struct pt_iommu *iommu_table,
			     phys_addr_t top_paddr, unsigned int top_level)
{
}

static spinlock_t *bench_get_top_lock(struct pt_iommu *iommu_table)
{
	return &container_of(iommu_table, struct bench_pt, iommu)->top_lock;
}

static const struct pt_iommu_driver_ops bench_driver_ops = {
	.change_top = bench_change_top,
	.get_top_lock = bench_get_top_lock,
};

/* One table of either family */
struct bench_table {
	struct io_pgtable_cfg cfg;
	struct io_pgtable_ops *ops;
	struct bench_pt *pt;
};

struct bench_fmt {
	const char *name;
	unsigned long leaves[MAX_LEAVES];
	int (*create)(const struct bench_fmt *fmt, struct bench_table *t);
	int pgtable_fmt;		/* io-pgtable formats */
	unsigned long pgsize_bitmap;
	unsigned int ias;
};

static int pgtable_create(const struct bench_fmt *fmt, struct bench_table *t)
{
	t->cfg = (struct io_pgtable_cfg) {
		.tlb = &bench_tlb_ops,
		.iommu_dev = bench_dev,
		.coherent_walk = true,
		.pgsize_bitmap = fmt->pgsize_bitmap,
		.ias = fmt->ias,
		.oas = fmt->ias,
	};
	t->ops = alloc_io_pgtable_ops(fmt->pgtable_fmt, &t->cfg, &t->cfg);
	return t->ops ? 0 : -ENOMEM;
}

static struct bench_pt *pt_alloc(void)
{
	struct bench_pt *pt = kzalloc(sizeof(*pt), GFP_KERNEL);

	if (!pt)
		return NULL;
	spin_lock_init(&pt->top_lock);
	pt->iommu.nid = NUMA_NO_NODE;
	pt->iommu.iommu_device = bench_dev;
	pt->iommu.driver_ops = &bench_driver_ops;
	return pt;
}

/*
 * The configurations the drivers use (amd, intel second and first stage,
 * riscv), features included: a format refuses a table without the
 * features it forces (amdv1: dynamic top, riscv: detailed gather).
 * DEFINE_PT_CREATE(fmt, cfg fields): the format's domain ops and create().
 */
#define DEFINE_PT_CREATE(fmt, ...)						\
static const struct iommu_domain_ops bench_##fmt##_ops = {			\
	IOMMU_PT_DOMAIN_OPS(fmt),						\
};										\
										\
static int fmt##_create(const struct bench_fmt *f, struct bench_table *t)	\
{										\
	struct pt_iommu_##fmt##_cfg cfg = {					\
		.common.hw_max_vasz_lg2 = 48,					\
		.common.hw_max_oasz_lg2 = 52,					\
		__VA_ARGS__							\
	};									\
										\
	t->pt = pt_alloc();							\
	if (!t->pt)								\
		return -ENOMEM;							\
	t->pt->domain.ops = &bench_##fmt##_ops;					\
	return pt_iommu_##fmt##_init(&t->pt->fmt, &cfg, GFP_KERNEL);		\
}

DEFINE_PT_CREATE(amdv1,
		 .common.features = BIT(PT_FEAT_DYNAMIC_TOP) |
				    BIT(PT_FEAT_AMDV1_ENCRYPT_TABLES) |
				    BIT(PT_FEAT_AMDV1_FORCE_COHERENCE) |
				    BIT(PT_FEAT_FLUSH_RANGE),
		 .starting_level = 2)
DEFINE_PT_CREATE(vtdss, .common.features = BIT(PT_FEAT_FLUSH_RANGE), .top_level = 3)
DEFINE_PT_CREATE(x86_64,
		 .common.features = BIT(PT_FEAT_SIGN_EXTEND) | BIT(PT_FEAT_FLUSH_RANGE),
		 .top_level = 3)
DEFINE_PT_CREATE(riscv_64,
		 .common.features = BIT(PT_FEAT_SIGN_EXTEND) | BIT(PT_FEAT_FLUSH_RANGE) |
				    BIT(PT_FEAT_RISCV_SVNAPOT_64K) |
				    BIT(PT_FEAT_DETAILED_GATHER))

static const struct bench_fmt formats[] = {
	{ "lpae", { SZ_4K, SZ_2M, SZ_1G }, pgtable_create, ARM_64_LPAE_S1,
	  SZ_4K | SZ_2M | SZ_1G, 48 },
	{ "v7s", { SZ_4K, SZ_64K, SZ_1M, SZ_16M }, pgtable_create, ARM_V7S,
	  SZ_4K | SZ_64K | SZ_1M | SZ_16M, 32 },
	{ "amdv1", { SZ_4K, SZ_64K, SZ_2M, SZ_1G }, amdv1_create },
	{ "vtdss", { SZ_4K, SZ_2M, SZ_1G }, vtdss_create },
	{ "x86_64", { SZ_4K, SZ_2M, SZ_1G }, x86_64_create },
	{ "riscv64", { SZ_4K, SZ_64K, SZ_2M, SZ_1G }, riscv_64_create },
};

static void table_destroy(struct bench_table *t)
{
	if (t->ops)
		free_io_pgtable_ops(t->ops);
	if (t->pt) {
		pt_iommu_deinit(&t->pt->iommu);
		kfree(t->pt);
	}
	memset(t, 0, sizeof(*t));
}

static u64 table_pgsize_bitmap(struct bench_table *t)
{
	struct pt_iommu_info info = {};

	if (t->ops)
		return t->cfg.pgsize_bitmap;
	t->pt->iommu.ops->get_info(&t->pt->iommu, &info);
	return info.pgsize_bitmap;
}

static int table_map(struct bench_table *t, u64 iova, u64 phys, u64 size,
		     u64 leaf)
{
	const int prot = IOMMU_READ | IOMMU_WRITE;
	size_t mapped;
	int ret = 0;

	if (t->pt) {
		mapped = 0;
		ret = t->pt->iommu.ops->map_range(&t->pt->iommu, iova, phys, size,
						  prot, GFP_KERNEL, &mapped);
		return ret ?: (mapped == size ? 0 : -EIO);
	}
	/* As __iommu_map() does: map_pages() may stop at a table boundary */
	while (size) {
		mapped = 0;
		ret = t->ops->map_pages(t->ops, iova, phys, leaf, size / leaf,
					prot, GFP_KERNEL, &mapped);
		if (!mapped)
			return ret ?: -EIO;
		iova += mapped;
		phys += mapped;
		size -= mapped;
		cond_resched();
	}
	return 0;
}

#define WALK_CTX struct bench_table
#define WALK_PAGE PAGE_SIZE
#define WALK_PHYS_ERR PHYS_ADDR_MAX
#define WALK_NOW() ktime_get_ns()
#include "walk_bench.h"

#ifdef BENCH_PGTABLE_OLD
#define PGTABLE_HAS_OLD 1
#define PGTABLE_OLD_OP "io_pgtable_ops.iova_to_phys"
#define pgtable_old(t, iova) ((t)->ops->iova_to_phys((t)->ops, (iova)))
#else
/* The tree has removed the old op: the per-page walk uses the new one */
#define PGTABLE_HAS_OLD 0
#define PGTABLE_OLD_OP "io_pgtable_ops.iova_to_phys_length_per_page"
static size_t ignored_length;
#define pgtable_old(t, iova) \
	((t)->ops->iova_to_phys_length((t)->ops, (iova), &ignored_length))
#endif
#define pt_old(t, iova) iommu_iova_to_phys(&(t)->pt->domain, (iova))

DEFINE_WALK_OLD(pgtable, pgtable_old)
DEFINE_WALK_OLD(pt, pt_old)

#if defined(BENCH_HAVE_LENGTH) && defined(BENCH_PGTABLE_LENGTH)
#define HAVE_NEW 1
#define pgtable_new(t, iova, len) \
	((t)->ops->iova_to_phys_length((t)->ops, (iova), (len)))
#define pt_new(t, iova, len) iommu_iova_to_phys_length(&(t)->pt->domain, (iova), (len))
DEFINE_WALK_NEW(pgtable, pgtable_new)
DEFINE_WALK_NEW(pt, pt_new)
#else
#define HAVE_NEW 0
#endif

static unsigned int errors;
static unsigned int cases;

static void walk(struct bench_table *t, bool new, u64 iova, u64 size,
		 u64 phys, u64 leaf, struct walk_result *r)
{
	if (!new) {
		if (t->ops)
			walk_old_pgtable(t, iova, size, phys, r);
		else
			walk_old_pt(t, iova, size, phys, r);
		return;
	}
#if HAVE_NEW
	if (t->ops)
		walk_new_pgtable(t, iova, size, phys, leaf, r);
	else
		walk_new_pt(t, iova, size, phys, leaf, r);
#endif
}

static void run_method(const struct bench_fmt *fmt, struct bench_table *t,
		       u64 leaf, bool new, u64 size)
{
	const char *method = new ? "new" : "old";
	const char *op;
	u64 expected = new ? size / leaf : size / PAGE_SIZE;
	static u64 ns[MAX_REPS];
	struct walk_result r = {};
	char *list, *p;
	unsigned int i;

	if (new)
		op = t->ops ? "io_pgtable_ops.iova_to_phys_length" :
			      "iommu_iova_to_phys_length";
	else
		op = t->ops ? PGTABLE_OLD_OP : "iommu_iova_to_phys";

	for (i = 0; i < reps; i++) {
		walk(t, new, IOVA_BASE, size, PHYS_BASE + leaf, leaf, &r);
		if (r.failed) {
			pr_err("error fmt=%s leaf=%llu method=%s %s\n",
			       fmt->name, leaf, method, r.why);
			errors++;
			return;
		}
		if (r.walks != expected) {
			pr_err("error fmt=%s leaf=%llu method=%s walks=%llu expected=%llu: the walk count is wrong\n",
			       fmt->name, leaf, method, r.walks, expected);
			errors++;
			return;
		}
		ns[i] = r.ns;
		cond_resched();
	}

	list = kzalloc(reps * 21 + 1, GFP_KERNEL);
	if (!list) {
		errors++;
		return;
	}
	for (i = 0, p = list; i < reps; i++)
		p += sprintf(p, "%s%llu", i ? "," : "", ns[i]);
	pr_info("case fmt=%s leaf=%llu method=%s op=%s walks=%llu expected=%llu ns=%s\n",
		fmt->name, leaf, method, op, r.walks, expected, list);
	kfree(list);
	cases++;
}

static void run_case(const struct bench_fmt *fmt, u64 leaf, u64 size)
{
	struct bench_table t = {};
	int ret;

	ret = fmt->create(fmt, &t);
	if (ret) {
		pr_err("error fmt=%s leaf=%llu create: %d\n", fmt->name, leaf, ret);
		errors++;
		goto out;
	}
	if (!(table_pgsize_bitmap(&t) & leaf)) {
		pr_err("error fmt=%s leaf=%llu not in the page sizes 0x%llx\n",
		       fmt->name, leaf, table_pgsize_bitmap(&t));
		errors++;
		goto out;
	}
	ret = table_map(&t, IOVA_BASE, PHYS_BASE + leaf, size, leaf);
	if (ret) {
		pr_err("error fmt=%s leaf=%llu map: %d\n", fmt->name, leaf, ret);
		errors++;
		goto out;
	}
	run_method(fmt, &t, leaf, false, size);
	if (HAVE_NEW)
		run_method(fmt, &t, leaf, true, size);
out:
	table_destroy(&t);
}

static int __init iova_bench_init(void)
{
	u64 size = (u64)range_mb * SZ_1M;
	unsigned int f, l;

	/* ARMv7s: PHYS_BASE + leaf + size must stay below 4G */
	if (!reps || reps > MAX_REPS || !range_mb || range_mb > 1024) {
		pr_err("error reps must be 1..%d and range_mb 1..1024\n", MAX_REPS);
		return -EINVAL;
	}
	bench_dev = root_device_register(KBUILD_MODNAME);
	if (IS_ERR(bench_dev))
		return PTR_ERR(bench_dev);
	set_dev_node(bench_dev, NUMA_NO_NODE);

	pr_info("start range=%llu reps=%u page=%lu length_op=%d pgtable_old_op=%d\n",
		size, reps, PAGE_SIZE, HAVE_NEW, PGTABLE_HAS_OLD);
	for (f = 0; f < ARRAY_SIZE(formats); f++) {
		for (l = 0; l < MAX_LEAVES && formats[f].leaves[l]; l++) {
			u64 leaf = formats[f].leaves[l];

			if (leaf > size) {
				pr_info("skip fmt=%s leaf=%llu reason=larger_than_range\n",
					formats[f].name, leaf);
				continue;
			}
			run_case(&formats[f], leaf, size);
		}
	}
	pr_info("done cases=%u errors=%u\n", cases, errors);
	root_device_unregister(bench_dev);
	return 0;
}

static void __exit iova_bench_exit(void)
{
}

module_init(iova_bench_init);
module_exit(iova_bench_exit);
MODULE_IMPORT_NS("GENERIC_PT_IOMMU");
MODULE_DESCRIPTION("iova_to_phys versus iova_to_phys_length page-table walks");
MODULE_LICENSE("GPL");
