// The walk reports a size, but the result is not computed with it (a fixed
// 4K offset), and there is a second way out: the shape must not guess.
// expect: unchanged
// spatch: cocci/drivers/io_pgtable_leaf_size.cocci -D fn=baz_iova_to_phys

static phys_addr_t baz_iova_to_phys(struct io_pgtable_ops *ops, unsigned long iova)
{
	struct baz_pgtable *pt = to_baz_pgtable(ops);
	unsigned long leaf_size;
	u64 *entry;

	entry = baz_walk(pt, iova, &leaf_size);
	if (!entry)
		return 0;
	if (*entry & BAZ_FAULT)
		return BAZ_FAULT_ADDR;

	return (*entry & BAZ_ADDR) | (iova & 0xfff);
}

static struct io_pgtable *baz_alloc(struct io_pgtable_cfg *cfg, void *cookie)
{
	struct baz_pgtable *pt = baz_new(cfg);

	pt->iop.ops.iova_to_phys = baz_iova_to_phys;
	return &pt->iop;
}
