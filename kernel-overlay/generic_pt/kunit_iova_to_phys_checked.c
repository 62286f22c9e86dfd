/* overlay: generic_pt test step, before check_iova() in kunit_iommu_pt.h */
/*
 * Translate va with iommu_iova_to_phys_length() and check the length
 * contract: a power of two no smaller than the smallest page, and a linear
 * naturally aligned block, which is tested at its last byte once per block.
 */
static phys_addr_t iova_to_phys_checked(struct kunit *test, pt_vaddr_t va)
{
	struct kunit_iommu_priv *priv = test->priv;
	phys_addr_t res, last;
	size_t length;

	res = iommu_iova_to_phys_length(&priv->domain, va, &length);
	if (res == PHYS_ADDR_MAX)
		return res;

	KUNIT_ASSERT_TRUE(test, is_power_of_2(length));
	KUNIT_ASSERT_GE(test, (pt_vaddr_t)length, priv->smallest_pgsz);
	if (va & (length - 1))
		return res;
	last = iommu_iova_to_phys(&priv->domain, va + length - 1);
	KUNIT_ASSERT_EQ(test, last, res + length - 1);
	return res;
}
