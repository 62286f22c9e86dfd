/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stand-in for an io-pgtable, for drivers whose iova_to_phys asks
 * dom->iop (msm's software walk, mtk's wrapper): it answers from a list of
 * mappings, through iova_to_phys_length and/or the old iova_to_phys,
 * whichever struct io_pgtable_ops has in the tree (HARNESS_OPS_LENGTH,
 * HARNESS_OPS_OLD, set by the case's probes).  Include after the
 * extracted definitions.
 */
#ifndef HARNESS_MODEL_IOP_H
#define HARNESS_MODEL_IOP_H

static struct model_mapping {
	u64 iova, size;
	u64 pa;
} model_maps[16];
static int model_nr_maps;

static void model_map(u64 iova, u64 size, u64 pa)
{
	model_maps[model_nr_maps++] = (struct model_mapping){ iova, size, pa };
}

static struct model_mapping *model_find(u64 iova)
{
	int i;

	for (i = 0; i < model_nr_maps; i++)
		if (iova >= model_maps[i].iova &&
		    iova - model_maps[i].iova < model_maps[i].size)
			return &model_maps[i];
	return NULL;
}

static phys_addr_t model_walk(unsigned long iova, size_t *length)
{
	struct model_mapping *m = model_find(iova);

	if (!m)
		return PHYS_ADDR_MAX;
	*length = m->size;
	return m->pa + (iova - m->iova);
}

#ifdef HARNESS_OPS_LENGTH
static phys_addr_t model_iova_to_phys_length(struct io_pgtable_ops *ops,
					     unsigned long iova, size_t *length)
{
	return model_walk(iova, length);
}
#endif
#ifdef HARNESS_OPS_OLD
static phys_addr_t model_iova_to_phys(struct io_pgtable_ops *ops,
				      unsigned long iova)
{
	size_t length;
	phys_addr_t phys = model_walk(iova, &length);

	return phys == PHYS_ADDR_MAX ? 0 : phys;
}
#endif

static struct io_pgtable_ops model_ops = {
#ifdef HARNESS_OPS_LENGTH
	.iova_to_phys_length = model_iova_to_phys_length,
#endif
#ifdef HARNESS_OPS_OLD
	.iova_to_phys = model_iova_to_phys,
#endif
};

#endif /* HARNESS_MODEL_IOP_H */
