// SPDX-License-Identifier: GPL-2.0-only
/* Kind 1 inside macro bodies, which only the token pass sees. */
#include "audit_types.h"

phys_addr_t toy_fmt_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova);

/* The ops type is in the macro body, as in s390-iommu.c. */
#define TOY_COMMON_OPS() \
	.default_domain_ops = &(const struct iommu_domain_ops) { \
		.map_pages	= NULL, \
		.iova_to_phys	= toy_fmt_iova_to_phys, \
	}

static const struct iommu_ops toy_iommu_ops = {
	TOY_COMMON_OPS()
};

/* The ops type is at the use, as with IOMMU_PT_DOMAIN_OPS(). */
#define TOY_DOMAIN_OPS(fmt) \
	.iova_to_phys = &toy_##fmt##_iova_to_phys

/* A wrapper macro, as in generic_pt/kunit_iommu.h. */
#define TOY_DOMAIN_OPS1(x) TOY_DOMAIN_OPS(x)

static const struct iommu_domain_ops toy_fmt_ops = {
	TOY_DOMAIN_OPS1(fmt),
};
