// An io-pgtable format whose walk reports the leaf size through an out
// parameter, its ops filled in field by field.
// spatch: cocci/drivers/io_pgtable_leaf_size.cocci -D fn=bar_iova_to_phys
// spatch: cocci/io-pgtable/add_length_op.cocci -D fn=bar_iova_to_phys -D fn_length=bar_iova_to_phys_length

static u64 *bar_walk(struct bar_pgtable *pt, unsigned long iova,
		     unsigned long *size)
{
	*size = SZ_4K;
	return pt->entries + (iova >> 12);
}

static phys_addr_t bar_iova_to_phys(struct io_pgtable_ops *ops, unsigned long iova)
{
	struct bar_pgtable *pt = to_bar_pgtable(ops);
	unsigned long mask, leaf_size;
	u64 *entry;

	entry = bar_walk(pt, iova, &leaf_size);
	if (!entry || !(*entry & BAR_VALID))
		return 0;

	mask = leaf_size - 1;
	return (*entry & BAR_ADDR & ~mask) | (iova & mask);
}

static struct io_pgtable *bar_alloc(struct io_pgtable_cfg *cfg, void *cookie)
{
	struct bar_pgtable *pt = bar_new(cfg);

	pt->iop.ops.map_pages = bar_map_pages;
	pt->iop.ops.iova_to_phys = bar_iova_to_phys;
	return &pt->iop;
}
