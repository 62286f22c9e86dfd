/* overlay: io-pgtable-selftests step, after arm_lpae_do_selftests() in
 * io-pgtable-arm-selftests.c, registered by
 * cocci/io-pgtable/lpae_kunit_last_iova.cocci.
 */
/*
 * Translate the last IOVA of the address space, where a walk that ends at
 * iova + 1 wraps to 0: 0xffffffff of a 32-bit table (the top of the space
 * on 32-bit kernels) and ~0UL of a TTBR1 table. Map the last block of each
 * size there and check phys and length at its last byte, and that the
 * empty table and the unmapped block have no translation.
 */
static void arm_lpae_test_last_iova(struct kunit *test)
{
	static const struct {
		enum io_pgtable_fmt fmt;
		unsigned int ias;
		unsigned long quirks;
		unsigned long last;
	} tables[] = {
		{ ARM_32_LPAE_S1, 32, 0, 0xffffffffUL },
		{ ARM_64_LPAE_S1, 48, IO_PGTABLE_QUIRK_ARM_TTBR1, ULONG_MAX },
	};
	const phys_addr_t paddr = (phys_addr_t)SZ_1G * 3;
	struct io_pgtable_cfg cfg = {
		.tlb = &dummy_tlb_ops,
		.coherent_walk = true,
		.oas = 40,
	};
	struct io_pgtable_ops *ops;
	unsigned long iova, last, size;
	struct device *dev;
	size_t mapped, length;
	int i, j;

	dev = kunit_device_register(test, "io-pgtable-test");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	cfg.iommu_dev = dev;

	for (i = 0; i < ARRAY_SIZE(tables); i++) {
		/* TTBR1 tables hold the upper half of a 64-bit space */
		if (tables[i].quirks & IO_PGTABLE_QUIRK_ARM_TTBR1 &&
		    BITS_PER_LONG == 32)
			continue;

		last = tables[i].last;
		cfg.ias = tables[i].ias;
		cfg.quirks = IO_PGTABLE_QUIRK_NO_WARN | tables[i].quirks;
		cfg.pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G;
		cfg_cookie = &cfg;
		ops = alloc_io_pgtable_ops(tables[i].fmt, &cfg, &cfg);
		KUNIT_ASSERT_NOT_NULL(test, ops);

		KUNIT_EXPECT_EQ(test, ops->iova_to_phys_length(ops, last, &length),
				PHYS_ADDR_MAX);

		for_each_set_bit(j, &cfg.pgsize_bitmap, BITS_PER_LONG) {
			size = 1UL << j;
			iova = last - (size - 1);
			KUNIT_ASSERT_EQ(test,
					ops->map_pages(ops, iova, paddr, size, 1,
						       IOMMU_READ | IOMMU_WRITE,
						       GFP_KERNEL, &mapped), 0);

			length = 0;
			KUNIT_EXPECT_EQ(test,
					ops->iova_to_phys_length(ops, last, &length),
					paddr + size - 1);
			KUNIT_EXPECT_EQ(test, length, (size_t)size);

			KUNIT_ASSERT_EQ(test,
					ops->unmap_pages(ops, iova, size, 1, NULL),
					(size_t)size);
			KUNIT_EXPECT_EQ(test,
					ops->iova_to_phys_length(ops, last, &length),
					PHYS_ADDR_MAX);
		}
		free_io_pgtable_ops(ops);
	}
}
