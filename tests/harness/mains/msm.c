// SPDX-License-Identifier: GPL-2.0
/*
 * msm_iommu: the lookup asks the hardware (write V2PPR, read PAR) of the
 * first context bank of the first attached IOMMU.  The test models that
 * register file: a V2PPR write translates the page through a list of
 * mappings and sets PAR as the ARMv7 PAR reads, PA[31:12] for a page or
 * section, PA[31:24] with NOFAULT_SS for a supersection, FAULT for a miss.
 * The domain's io-pgtable (model_iop.h) answers from the same mappings,
 * so a conversion may use either.  PAR can only tell 4K from 16M, so those are
 * the sizes checked; a fault, an empty context list and a clock that does
 * not enable must all give PHYS_ADDR_MAX.
 */
#include "kstubs.h"

static u32 readl(const volatile void *addr);
static void writel(u32 val, volatile void *addr);
static int clk_enable(struct clk *clk);
static void clk_disable(struct clk *clk) { }

#include HARNESS_EXTRACTED
#include "harness.h"
#include "model_iop.h"

#define CTX 1			/* the context bank of the test's master */

static struct msm_priv priv;
static struct msm_iommu_dev iommu;
static struct msm_iommu_ctx_dev master;
static u32 regs[2][1 << CTX_SHIFT >> 2];
static int clk_error;

static int clk_enable(struct clk *clk)
{
	return clk_error;
}

static u32 *reg(const volatile void *addr)
{
	uintptr_t off = (uintptr_t)addr - (uintptr_t)regs;

	if (off >= sizeof(regs)) {
		fprintf(stderr, "register access outside the model: %p\n", addr);
		exit(2);
	}
	return &regs[0][off / 4];
}

static u32 readl(const volatile void *addr)
{
	return *reg(addr);
}

static void writel(u32 val, volatile void *addr)
{
	u32 *r = reg(addr);
	uintptr_t off = (uintptr_t)r - (uintptr_t)regs;

	*r = val;
	if ((off & ((1 << CTX_SHIFT) - 1)) == V2PPR) {
		int ctx = off >> CTX_SHIFT;
		u32 va = val & V2Pxx_VA;
		struct model_mapping *m = model_find(va);
		u32 *par = &regs[ctx][PAR / 4];

		if (!m)
			*par = FAULT;
		else if (m->size == SZ_16M)
			*par = (u32)(m->pa & 0xff000000) | PAR_NOFAULT_SS;
		else
			*par = (u32)((m->pa + (va - m->iova)) & 0xfffff000);
	}
}

static phys_addr_t lookup(u64 iova, size_t *length)
{
#ifdef HARNESS_LEGACY
	*length = SZ_4K;
	return HARNESS_FN(&priv.domain, iova);
#else
	return HARNESS_FN(&priv.domain, iova, length);
#endif
}

int main(void)
{
	INIT_LIST_HEAD(&priv.list_attached);
	INIT_LIST_HEAD(&iommu.ctx_list);
	priv.iop = &model_ops;
	iommu.base = regs;
	master.num = CTX;
	list_add_tail(&iommu.dom_node, &priv.list_attached);

	/* no context bank yet */
	check_hole("msm/hole/no-context", 0x10000000);

	list_add_tail(&master.list, &iommu.ctx_list);
	model_map(0x10003000, SZ_4K, 0x87654000);
	model_map(0x21000000, SZ_16M, 0xc5000000);

	check_leaf_offsets("msm/4K", 0x10003000, 0x87654000, SZ_4K);
	check_leaf_offsets("msm/16M", 0x21000000, 0xc5000000, SZ_16M);
	check_hole("msm/hole/fault", 0x10004000 + 0x10);
	check_hole("msm/hole/after-16M", 0x22000000);

	clk_error = -EINVAL;
	check_hole("msm/hole/clock-error", 0x10003010);
	return harness_done();
}
