// The LPAE walk written as a loop over the levels that jumps to a label at
// the leaf: the block size of that level is the length.
// spatch: cocci/io-pgtable/arm_lpae_length.cocci
// spatch: cocci/io-pgtable/add_length_op.cocci -D fn=arm_lpae_iova_to_phys -D fn_length=arm_lpae_iova_to_phys_length

static phys_addr_t arm_lpae_iova_to_phys(struct io_pgtable_ops *ops,
					 unsigned long iova)
{
	struct lpae_data *data = to_lpae_data(ops);
	lpae_pte pte, *ptep = data->root;
	int lvl = data->first_level;

	while (lvl < LPAE_LEVELS) {
		if (!ptep)
			return 0;
		pte = ptep[lpae_index(iova, lvl, data)];
		if (!pte)
			return 0;
		if (lpae_is_leaf(pte, lvl))
			goto leaf;
		ptep = lpae_next_table(pte, data);
		lvl++;
	}
	return 0;

leaf:
	iova &= (ARM_LPAE_BLOCK_SIZE(lvl, data) - 1);
	return lpae_pte_addr(pte, data) | iova;
}

static struct io_pgtable *lpae_alloc(struct io_pgtable_cfg *cfg, void *cookie)
{
	struct lpae_data *data = lpae_new(cfg);

	data->iop.ops = (struct io_pgtable_ops) {
		.map_pages	= lpae_map_pages,
		.iova_to_phys	= arm_lpae_iova_to_phys,
	};
	return &data->iop;
}
