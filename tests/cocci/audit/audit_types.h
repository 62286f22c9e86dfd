/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Just enough of the IOMMU types for the audit test cases; spatch takes
 * the member types from here, as it takes them from the kernel headers.
 */
#ifndef AUDIT_TYPES_H
#define AUDIT_TYPES_H

typedef unsigned long size_t;
typedef unsigned long long u64;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;

#define PHYS_ADDR_MAX	(~(phys_addr_t)0)
#define PAGE_SIZE	4096UL
#define SZ_4K		0x1000
#define NULL		((void *)0)

struct iommu_domain;
struct io_pgtable_ops;

struct iommu_domain_ops {
	int (*map_pages)(struct iommu_domain *domain, unsigned long iova);
	phys_addr_t (*iova_to_phys)(struct iommu_domain *domain,
				    dma_addr_t iova);
	phys_addr_t (*iova_to_phys_length)(struct iommu_domain *domain,
					   dma_addr_t iova, size_t *length);
};

struct iommu_domain {
	unsigned int type;
	const struct iommu_domain_ops *ops;
};

struct io_pgtable_ops {
	int (*unmap_pages)(struct io_pgtable_ops *ops, unsigned long iova);
	phys_addr_t (*iova_to_phys)(struct io_pgtable_ops *ops,
				    unsigned long iova);
	phys_addr_t (*iova_to_phys_length)(struct io_pgtable_ops *ops,
					   unsigned long iova, size_t *length);
};

struct iommu_ops {
	const struct iommu_domain_ops *default_domain_ops;
};

phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova);
phys_addr_t iommu_iova_to_phys_length(struct iommu_domain *domain,
				      dma_addr_t iova, size_t *length);

#endif
