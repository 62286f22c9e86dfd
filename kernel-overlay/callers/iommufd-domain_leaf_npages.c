/*
 * Count the pages whose first byte lies in the leaf translation of @length
 * bytes that holds @iova. @iova is @page_offset bytes into its page, so the
 * page count starts from the page holding @iova. A leaf that ends inside the
 * page still counts that page once, as pages are mapped whole.
 */
static unsigned long domain_leaf_npages(unsigned long iova, size_t length,
					unsigned int page_offset)
{
	size_t leaf_left = length - (iova & (length - 1));

	return DIV_ROUND_UP(page_offset + leaf_left, PAGE_SIZE);
}
