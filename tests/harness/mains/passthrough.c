// SPDX-License-Identifier: GPL-2.0
/*
 * Drivers whose lookup hands the domain's io-pgtable ops the iova
 * (apple-dart, ipmmu-vmsa, qcom_iommu, arm-smmu-v3): the phys and length
 * of the walk (model_iop.h) must come through unchanged for any leaf size,
 * a miss must stay PHYS_ADDR_MAX, and where the driver checks for a
 * domain without page tables (NULL ops) that must be PHYS_ADDR_MAX too.
 *
 * The case sets DOMAIN_TYPE (the driver's domain struct), DOMAIN_MEMBER
 * (its struct iommu_domain), OPS_MEMBER (its io_pgtable_ops pointer) and
 * CHECKS_NULL_OPS.
 */
#include "kstubs.h"
#include HARNESS_EXTRACTED
#include "harness.h"
#include "model_iop.h"

static struct DOMAIN_TYPE dom;

static phys_addr_t lookup(u64 iova, size_t *length)
{
#ifdef HARNESS_LEGACY
	*length = SZ_4K;
	return HARNESS_FN(&dom.DOMAIN_MEMBER, iova);
#else
	return HARNESS_FN(&dom.DOMAIN_MEMBER, iova, length);
#endif
}

int main(void)
{
	const struct { const char *size; u64 iova, len, pa; } leaves[] = {
		{ "4K", 0x10003000, SZ_4K, 0x87654000 },
		{ "16K", 0x10014000, SZ_16K, 0x4567c000 },
		{ "2M", 0x40200000, SZ_2M, 0x1234600000ULL },
		{ "1G", 0x7f80000000ULL, SZ_1G, 0x40000000 },
	};
	char id[96];
	unsigned int i;

	dom.OPS_MEMBER = &model_ops;
	for (i = 0; i < ARRAY_SIZE(leaves); i++)
		model_map(leaves[i].iova, leaves[i].len, leaves[i].pa);
	for (i = 0; i < ARRAY_SIZE(leaves); i++) {
		snprintf(id, sizeof(id), "%s/%s", HARNESS_CASE, leaves[i].size);
		check_leaf_offsets(id, leaves[i].iova, leaves[i].pa, leaves[i].len);
	}
	snprintf(id, sizeof(id), "%s/hole/miss", HARNESS_CASE);
	check_hole(id, 0x50000000);
#if CHECKS_NULL_OPS
	dom.OPS_MEMBER = NULL;
	snprintf(id, sizeof(id), "%s/hole/no-pgtable", HARNESS_CASE);
	check_hole(id, 0x10003000);
#endif
	return harness_done();
}
