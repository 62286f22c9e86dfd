// SPDX-License-Identifier: GPL-2.0-only
/// Fix, not a shape: a lookup that masks the entry down to the page frame
/// and returns that, dropping the sub-page offset of iova.  iova_to_phys
/// promises the address of iova itself, and with a length the caller works
/// out the start of the leaf from it, so add the offset back:
///
///	v = E & MASK;		->  v = (E & MASK) + (iova & ~MASK);
///				or  v = (E & MASK) + OFFSET_FN(iova);
///	v = E & ~(SIZE - 1);	->  v = (E & ~(SIZE - 1)) + (iova & (SIZE - 1));
///
///   spatch --sp-file templates/add_offset.cocci -D fn=<name> -D mask=<MASK> \
///          [-D offset_fn=<helper>]
///   spatch --sp-file templates/add_offset.cocci -D fn=<name> -D size=<SIZE>
///
/// iova is fn's dma_addr_t parameter.  OFFSET_FN (e.g. offset_in_page when
/// the IOMMU page is PAGE_SIZE) keeps a deeply indented line short.  Runs
/// before the shape rule.
//
// Confidence: Moderate
// Options: --no-includes --include-headers

@script:python has_offset_fn@
f << virtual.offset_fn;
@@

@with_mask depends on !has_offset_fn@
identifier virtual.fn;
identifier virtual.mask;
identifier d, iova, v;
expression E;
typedef phys_addr_t, dma_addr_t;
@@
 phys_addr_t fn(struct iommu_domain *d, dma_addr_t iova) { <...
- v = E & mask;
+ v = (E & mask) + (iova & ~mask);
 ...> }

@with_mask_fn depends on has_offset_fn@
identifier virtual.fn;
identifier virtual.mask;
identifier virtual.offset_fn;
identifier d, iova, v;
expression E;
@@
 phys_addr_t fn(struct iommu_domain *d, dma_addr_t iova) { <...
- v = E & mask;
+ v = (E & mask) + offset_fn(iova);
 ...> }

@with_size@
identifier virtual.fn;
identifier virtual.size;
identifier d, iova, v;
expression E;
@@
 phys_addr_t fn(struct iommu_domain *d, dma_addr_t iova) { <...
- v = E & (~(size - 1));
+ v = (E & ~(size - 1)) + (iova & (size - 1));
 ...> }
