// SPDX-License-Identifier: GPL-2.0
/*
 * The core, iommu_iova_to_phys_length() (iommu_iova_to_phys() on the base
 * tree), over a model driver: a paging domain whose table, like rockchip's,
 * sun50i's, tegra's, vsi's, omap's and exynos', decodes only 32 IOVA bits,
 * with a forced aperture of [0, 4G); an identity domain without ops; a
 * blocked domain whose ops cannot translate.  The core does not check the
 * aperture (iommu_map() does not, and generic_pt maps outside it): an IOVA
 * past it gets the driver's answer, here the alias below 4G, on the base
 * tree and on the series alike.
 */
#include "kstubs.h"

#define IOMMU_DOMAIN_BLOCKED	0
#define IOMMU_DOMAIN_IDENTITY	1
#define IOMMU_DOMAIN_UNMANAGED	3

struct iommu_domain_ops {
	phys_addr_t (*iova_to_phys_length)(struct iommu_domain *domain,
					   dma_addr_t iova, size_t *length);
	phys_addr_t (*iova_to_phys)(struct iommu_domain *domain,
				    dma_addr_t iova);
};

#include HARNESS_EXTRACTED
#include "harness.h"

#define LEAF_4K_IOVA	0x20001000ULL
#define LEAF_4K_PHYS	0x90001000ULL
#define LEAF_2M_IOVA	0x10000000ULL
#define LEAF_2M_PHYS	0x80000000ULL

/* the model driver's table: two leaves, looked up by the low 32 bits */
static phys_addr_t model_lookup(dma_addr_t iova, size_t *length)
{
	u32 bits = iova;

	if (bits >= LEAF_2M_IOVA && bits < LEAF_2M_IOVA + SZ_2M) {
		*length = SZ_2M;
		return LEAF_2M_PHYS + (bits - LEAF_2M_IOVA);
	}
	if (bits >= LEAF_4K_IOVA && bits < LEAF_4K_IOVA + SZ_4K) {
		*length = SZ_4K;
		return LEAF_4K_PHYS + (bits - LEAF_4K_IOVA);
	}
	return PHYS_ADDR_MAX;
}

static phys_addr_t model_iova_to_phys_length(struct iommu_domain *domain,
					     dma_addr_t iova, size_t *length)
{
	return model_lookup(iova, length);
}

static phys_addr_t model_iova_to_phys(struct iommu_domain *domain,
				      dma_addr_t iova)
{
	size_t length;
	phys_addr_t phys = model_lookup(iova, &length);

	return phys == PHYS_ADDR_MAX ? 0 : phys;
}

static const struct iommu_domain_ops model_ops = {
	.iova_to_phys_length = model_iova_to_phys_length,
	.iova_to_phys = model_iova_to_phys,
};

static const struct iommu_domain_ops blocked_ops;

static struct iommu_domain paging = {
	.type = IOMMU_DOMAIN_UNMANAGED,
	.ops = &model_ops,
	.pgsize_bitmap = SZ_4K | SZ_2M,
	.geometry = { 0, 0xffffffffULL, true },
};

static struct iommu_domain identity = { .type = IOMMU_DOMAIN_IDENTITY };

static struct iommu_domain blocked = {
	.type = IOMMU_DOMAIN_BLOCKED,
	.ops = &blocked_ops,
};

static struct iommu_domain *dom;

static phys_addr_t lookup(u64 iova, size_t *length)
{
#ifdef HARNESS_LEGACY
	*length = SZ_4K;
	return HARNESS_FN(dom, iova);
#else
	return HARNESS_FN(dom, iova, length);
#endif
}

int main(void)
{
	dom = &paging;
	check_leaf_offsets("core/paging/4K", LEAF_4K_IOVA, LEAF_4K_PHYS, SZ_4K);
	check_leaf_offsets("core/paging/2M", LEAF_2M_IOVA, LEAF_2M_PHYS, SZ_2M);
	check_hole("core/hole/unmapped", 0x30000000);
	if (sizeof(dma_addr_t) > 4) {
		/* aliases of both leaves, 4G and 36G up: the driver answers */
		check_leaf("core/alias/past-aperture-4K", (1ULL << 32) + LEAF_4K_IOVA,
			   LEAF_4K_PHYS, SZ_4K);
		check_leaf("core/alias/past-aperture-2M",
			   (9ULL << 32) + LEAF_2M_IOVA + 0x123, LEAF_2M_PHYS + 0x123, SZ_2M);
	}

	dom = &identity;
	check_leaf("core/identity/low", 0x12345, 0x12345, SIZE_MAX / 2 + 1);
	check_leaf("core/identity/high", SIZE_MAX - 0x42, SIZE_MAX - 0x42,
		   SIZE_MAX / 2 + 1);

	dom = &blocked;
	check_hole("core/hole/blocked", LEAF_4K_IOVA);
	return harness_done();
}
