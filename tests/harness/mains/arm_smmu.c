// SPDX-License-Identifier: GPL-2.0
/*
 * arm-smmu: a stage-1 domain on an SMMU with address translation
 * operations (ARM_SMMU_FEAT_TRANS_OPS), where the old lookup asked the
 * hardware: write the page address to ATS1PR, poll ATSR, read PAR.  The
 * test models that register file from the same mappings as the domain's
 * io-pgtable (model_iop.h), with PAR in the formats the SMMU architecture
 * gives it:
 *
 * - 64-bit format (AArch64 and AArch32 long-descriptor contexts):
 *   PA[47:12] in bits [47:12], whatever the leaf size;
 * - 32-bit format (AArch32 short-descriptor contexts): PA[31:12] in bits
 *   [31:12], except for a 16M supersection (SS, bit 1), where bits [31:24]
 *   hold PA[31:24], bits [23:16] PA[39:32] and bits [15:12] are zero;
 * - F (bit 0) for a translation fault.
 *
 * A lookup must report the leaf the table has (the hardware cannot tell
 * its size), give PHYS_ADDR_MAX for a hole and for a domain without page
 * tables, and get the address right above 1T and all through a
 * supersection.
 */
#include "kstubs.h"

/* The hardware access the driver's lookup may use, modelled below. */
struct arm_smmu_device;
static int arm_smmu_rpm_get(struct arm_smmu_device *smmu);
static void arm_smmu_rpm_put(struct arm_smmu_device *smmu);
static void __iomem *arm_smmu_page(struct arm_smmu_device *smmu, int n);
static u32 arm_smmu_readl(struct arm_smmu_device *smmu, int page, int offset);
static void arm_smmu_writel(struct arm_smmu_device *smmu, int page,
			    int offset, u32 val);
static u64 arm_smmu_readq(struct arm_smmu_device *smmu, int page, int offset);
static void arm_smmu_writeq(struct arm_smmu_device *smmu, int page,
			    int offset, u64 val);
static u32 model_atsr(void __iomem *reg);
/* The translation completes at once: ATSR.ACTIVE is never seen set. */
#define readl_poll_timeout_atomic(addr, val, cond, delay_us, timeout_us) \
	({ (val) = model_atsr(addr); (cond) ? 0 : -ETIMEDOUT; })

#include HARNESS_EXTRACTED
#include "harness.h"
#include "model_iop.h"

static struct arm_smmu_domain dom;
static struct arm_smmu_device smmu;
static u64 ats_va;		/* the last address written to ATS1PR */
static int ats_ops;		/* how many translations the hardware did */

static int arm_smmu_rpm_get(struct arm_smmu_device *smmu) { return 0; }
static void arm_smmu_rpm_put(struct arm_smmu_device *smmu) { }

static void __iomem *arm_smmu_page(struct arm_smmu_device *smmu, int n)
{
	return NULL;
}

static u32 model_atsr(void __iomem *reg)
{
	return 0;
}

static void model_ats1pr(int offset, u64 va)
{
	if (offset != ARM_SMMU_CB_ATS1PR) {
		fprintf(stderr, "write to an unmodelled register 0x%x\n", offset);
		exit(2);
	}
	ats_va = va;
	ats_ops++;
}

static void arm_smmu_writel(struct arm_smmu_device *smmu, int page,
			    int offset, u32 val)
{
	model_ats1pr(offset, val);
}

static void arm_smmu_writeq(struct arm_smmu_device *smmu, int page,
			    int offset, u64 val)
{
	model_ats1pr(offset, val);
}

static u64 model_par(void)
{
	struct model_mapping *m = model_find(ats_va);
	u64 pa;

	if (!m)
		return ARM_SMMU_CB_PAR_F;
	pa = m->pa + (ats_va - m->iova);
	if (dom.cfg.fmt != ARM_SMMU_CTX_FMT_AARCH32_S)
		return pa & GENMASK_ULL(47, 12);
	if (m->size == SZ_16M)
		return (pa & GENMASK_ULL(31, 24)) |
		       ((pa >> 32) & 0xff) << 16 | BIT(1);
	return pa & GENMASK_ULL(31, 12);
}

static u64 arm_smmu_readq(struct arm_smmu_device *smmu, int page, int offset)
{
	if (offset != ARM_SMMU_CB_PAR) {
		fprintf(stderr, "read of an unmodelled register 0x%x\n", offset);
		exit(2);
	}
	return model_par();
}

static u32 arm_smmu_readl(struct arm_smmu_device *smmu, int page, int offset)
{
	return arm_smmu_readq(smmu, page, offset);
}

static phys_addr_t lookup(u64 iova, size_t *length)
{
#ifdef HARNESS_LEGACY
	*length = SZ_4K;
	return HARNESS_FN(&dom.domain, iova);
#else
	return HARNESS_FN(&dom.domain, iova, length);
#endif
}

int main(void)
{
	/* which context formats have the leaf: LPAE (long), v7s (short) */
	enum { LONG = 1, SHORT = 2 };
	const struct {
		const char *size;
		u64 iova, len, pa;
		int fmts;
	} leaves[] = {
		{ "4K", 0x10003000, SZ_4K, 0x87654000, LONG | SHORT },
		{ "64K", 0x10030000, SZ_64K, 0x45670000, LONG | SHORT },
		{ "2M", 0x40200000, SZ_2M, 0x1234600000ULL, LONG },
		{ "1G", 0x7f80000000ULL, SZ_1G, 0x40000000, LONG },
		/* above 1T: PAR holds the address up to bit 47 */
		{ "2M", 0x40600000, SZ_2M, 0x12345600000ULL, LONG },
		/* a supersection (arm-smmu's v7s output size is 32 bits) */
		{ "16M", 0x12000000, SZ_16M, 0x81000000, SHORT },
	};
	const enum arm_smmu_context_fmt fmts[] = {
		ARM_SMMU_CTX_FMT_AARCH64, ARM_SMMU_CTX_FMT_AARCH32_S,
	};
	char id[96];
	unsigned int i, f;

	smmu.features = ARM_SMMU_FEAT_TRANS_OPS;
	dom.smmu = &smmu;
	dom.stage = ARM_SMMU_DOMAIN_S1;
	dom.pgtbl_ops = &model_ops;
	for (i = 0; i < ARRAY_SIZE(leaves); i++)
		model_map(leaves[i].iova, leaves[i].len, leaves[i].pa);
	for (f = 0; f < ARRAY_SIZE(fmts); f++) {
		const char *fmt = f ? "short" : "long";

		dom.cfg.fmt = fmts[f];
		for (i = 0; i < ARRAY_SIZE(leaves); i++) {
			if (!(leaves[i].fmts & (f ? SHORT : LONG)))
				continue;
			snprintf(id, sizeof(id), "%s/%s/%s/pa-%#llx", HARNESS_CASE,
				 leaves[i].size, fmt,
				 (unsigned long long)leaves[i].pa);
			check_leaf_offsets(id, leaves[i].iova, leaves[i].pa,
					   leaves[i].len);
		}
		snprintf(id, sizeof(id), "%s/hole/%s/miss", HARNESS_CASE, fmt);
		check_hole(id, 0x50000000);
	}
	dom.pgtbl_ops = NULL;
	snprintf(id, sizeof(id), "%s/hole/no-pgtable", HARNESS_CASE);
	check_hole(id, 0x10003000);
	/* A hole must not cost a hardware translation and its fault report. */
	dom.pgtbl_ops = &model_ops;
	ats_ops = 0;
	harness_messages = 0;
	lookup(0x50000000, &(size_t){ 0 });
	report(!ats_ops && !harness_messages,
	       "%s/hole/quiet/error # %d translations, %d messages",
	       HARNESS_CASE, ats_ops, harness_messages);
	return harness_done();
}
