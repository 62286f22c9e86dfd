// The wrapper add_length_op.cocci left for an ops filled in field by field
// goes with its assignment.
// spatch: cocci/io-pgtable/remove_wrapper.cocci -D fn=bar_iova_to_phys

static phys_addr_t bar_iova_to_phys_length(struct io_pgtable_ops *ops,
					   unsigned long iova,
					   size_t *length)
{
	*length = SZ_4K;
	return bar_lookup(ops, iova);
}

static phys_addr_t bar_iova_to_phys(struct io_pgtable_ops *ops,
				    unsigned long iova)
{
	size_t length;
	phys_addr_t phys = bar_iova_to_phys_length(ops, iova, &length);

	/* Users of ->iova_to_phys take 0 as "no translation" */
	return phys == PHYS_ADDR_MAX ? 0 : phys;
}

static struct io_pgtable *bar_alloc(struct io_pgtable_cfg *cfg, void *cookie)
{
	struct bar_pgtable *pt = bar_new(cfg);

	pt->iop.ops.iova_to_phys = bar_iova_to_phys;
	pt->iop.ops.iova_to_phys_length = bar_iova_to_phys_length;
	return &pt->iop;
}
