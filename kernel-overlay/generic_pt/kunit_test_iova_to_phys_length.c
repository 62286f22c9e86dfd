/* overlay: generic_pt test step, after test_mixed() in kunit_iommu_pt.h */
/*
 * Map each supported page size on its own, contiguous sizes included, and
 * check that iommu_iova_to_phys_length() reports exactly that size with the
 * exact phys at the first byte, inside and at the last byte of the page;
 * that the bytes around it and the page once unmapped have no translation;
 * and that an IOVA past the table's VA range has none either.
 */
static void test_iova_to_phys_length(struct kunit *test)
{
	struct kunit_iommu_priv *priv = test->priv;
	struct pt_common *common = priv->common;
	struct pt_range range = pt_top_range(common);
	unsigned int pgsz_lg2, va_lg2;
	size_t length;

	for (pgsz_lg2 = 0; pgsz_lg2 != PT_VADDR_MAX_LG2; pgsz_lg2++) {
		pt_oaddr_t paddr = log2_set_mod(priv->test_oa, 0, pgsz_lg2);
		pt_vaddr_t len = log2_to_int(pgsz_lg2);
		pt_vaddr_t va = ALIGN(range.va + priv->smallest_pgsz * 256, len);
		pt_vaddr_t offsets[] = { 0, len / 2 + 42, len - 1 };
		unsigned int i;

		if (!(priv->safe_pgsize_bitmap & len))
			continue;

		do_map(test, va, paddr, len);
		for (i = 0; i != ARRAY_SIZE(offsets); i++) {
			length = 0;
			KUNIT_ASSERT_EQ(test,
					iommu_iova_to_phys_length(&priv->domain,
								  va + offsets[i],
								  &length),
					(phys_addr_t)(paddr + offsets[i]));
			KUNIT_ASSERT_EQ(test, (pt_vaddr_t)length, len);
		}
		KUNIT_ASSERT_EQ(test,
				iommu_iova_to_phys_length(&priv->domain, va - 1,
							  &length),
				PHYS_ADDR_MAX);
		KUNIT_ASSERT_EQ(test,
				iommu_iova_to_phys_length(&priv->domain,
							  va + len, &length),
				PHYS_ADDR_MAX);
		do_unmap(test, va, len);
		KUNIT_ASSERT_EQ(test,
				iommu_iova_to_phys_length(&priv->domain, va,
							  &length),
				PHYS_ADDR_MAX);
	}

	/* The first IOVA past the VA range, or the first non-canonical one */
	va_lg2 = common->max_vasz_lg2;
	if (pt_feature(common, PT_FEAT_SIGN_EXTEND))
		va_lg2--;
	if (va_lg2 < BITS_PER_TYPE(dma_addr_t))
		KUNIT_ASSERT_EQ(test,
				iommu_iova_to_phys_length(&priv->domain,
							  (dma_addr_t)1 << va_lg2,
							  &length),
				PHYS_ADDR_MAX);
}
