// SPDX-License-Identifier: GPL-2.0-only
/* Patch mode: the mechanical fixes, and what it must leave alone. */
#include "audit_types.h"

struct toy_vm {
	struct io_pgtable_ops *pgtbl;
};

/* Only tested against 0: becomes a PHYS_ADDR_MAX test with a local length. */
int toy_unmap(struct toy_vm *vm, unsigned long iova, int heap)
{
	size_t length;
	struct io_pgtable_ops *ops = vm->pgtbl;

	if (!heap || ops->iova_to_phys_length(ops, iova, &length) != PHYS_ADDR_MAX)
		return ops->unmap_pages(ops, iova);
	return 0;
}

unsigned long toy_skip_holes(struct io_pgtable_ops *ops, unsigned long iova,
			     unsigned long size)
{
	size_t length;
	unsigned long done = 0;

	while (ops->iova_to_phys_length(ops, iova + done, &length) == PHYS_ADDR_MAX && done < size)
		done += SZ_4K;
	if (ops->iova_to_phys_length(ops, iova, &length) != PHYS_ADDR_MAX)
		done = 0;
	return done;
}

/* Returned from an iova_to_phys_length function: pass the length on. */
static phys_addr_t toy_iova_to_phys_length(struct iommu_domain *domain,
					   dma_addr_t iova, size_t *length)
{
	struct toy_vm *vm = (struct toy_vm *)domain;

	if (!vm->pgtbl)
		return PHYS_ADDR_MAX;
	return vm->pgtbl->iova_to_phys_length(vm->pgtbl, iova, length);
}

static phys_addr_t toy_pgt_lookup(struct io_pgtable_ops *ops,
				  unsigned long iova, size_t *size)
{
	phys_addr_t phys = PHYS_ADDR_MAX;

	if (iova & 1)
		phys = iova;
	*size = PAGE_SIZE;
	return phys;
}

/* The stored result is compared later: patch mode must not touch it. */
phys_addr_t toy_fault(struct toy_vm *vm, unsigned long iova)
{
	phys_addr_t soft = vm->pgtbl->iova_to_phys(vm->pgtbl, iova);

	if (soft == 0)
		return iova;
	return soft;
}

/* The 0 result is read before it is returned: not patched either. */
static phys_addr_t toy_busy_lookup(struct io_pgtable_ops *ops,
				   unsigned long iova, size_t *size)
{
	phys_addr_t phys = 0;

	if (iova & 1)
		phys = iova;
	*size = phys ? PAGE_SIZE : 0;
	return phys;
}

static const struct iommu_domain_ops toy_ops = {
	.iova_to_phys_length	= toy_iova_to_phys_length,
};

static const struct io_pgtable_ops toy_pgt_ops = {
	.iova_to_phys_length	= toy_pgt_lookup,
	.iova_to_phys_length	= toy_busy_lookup,
};
