// SPDX-License-Identifier: GPL-2.0-only
/* Kind 2: calls through the op, found by type whatever the names. */
#include "audit_types.h"

struct toy_priv {
	struct io_pgtable_ops *pgtbl;
	struct iommu_domain domain;
};

phys_addr_t toy_local(struct toy_priv *priv, unsigned long iova)
{
	struct io_pgtable_ops *walker = priv->pgtbl;

	return walker->iova_to_phys(walker, iova);
}

phys_addr_t toy_member(struct toy_priv *priv, unsigned long iova)
{
	return priv->pgtbl->iova_to_phys(priv->pgtbl, iova);
}

phys_addr_t toy_domain(struct iommu_domain *d, dma_addr_t iova)
{
	if (!d->ops->iova_to_phys)
		return 0;
	return d->ops->iova_to_phys(d, iova);
}

phys_addr_t toy_embedded(struct toy_priv *priv, dma_addr_t iova)
{
	return priv->domain.ops->iova_to_phys(&priv->domain, iova);
}
