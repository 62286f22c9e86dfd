// SPDX-License-Identifier: GPL-2.0-only
/// vfio/type1: vfio_iommu_replay() finds each physically contiguous run with
/// vfio_find_phys_run(), one IOMMU leaf at a time, both when it copies the
/// mappings of the first domain and when its unwind unmaps and unpins what it
/// mapped into the new domain.
///
/// The unwind also moves past each run by what iommu_unmap() unmapped: the
/// per-page loop found the run's pages again as holes, one walk each, and
/// when iommu_unmap() unmapped nothing it found the same run again, unpinned
/// it again and never ended.  A run that stays mapped stays pinned, with a
/// warning: unpinning pages a device can still reach would be worse.
//
// Confidence: High
// Options: --no-includes

@copy@
identifier d, dma, pos, iova, phys, size, p, i;
@@
 vfio_iommu_replay(...)
 {
 <...
-phys = iommu_iova_to_phys(d->domain, iova);
-if (WARN_ON(!phys)) {
+size = vfio_find_phys_run(d->domain, iova, dma->size - pos, &phys);
+if (WARN_ON(!size)) {
 	pos += PAGE_SIZE;
 	continue;
 }
-size = PAGE_SIZE;
-p = phys + size;
-i = iova + size;
-while (pos + size < dma->size && p == iommu_iova_to_phys(d->domain, i)) {
-	size += PAGE_SIZE;
-	p += PAGE_SIZE;
-	i += PAGE_SIZE;
-}
 ...>
 }

@unwind@
identifier domain, dma, pos, iova, phys, size, p, i;
@@
 vfio_iommu_replay(...)
 {
 <...
-phys = iommu_iova_to_phys(domain->domain, iova);
-if (!phys) {
+size = vfio_find_phys_run(domain->domain, iova, dma->size - pos, &phys);
+if (!size) {
 	pos += PAGE_SIZE;
 	continue;
 }
-size = PAGE_SIZE;
-p = phys + size;
-i = iova + size;
-while (pos + size < dma->size && p == iommu_iova_to_phys(domain->domain, i)) {
-	size += PAGE_SIZE;
-	p += PAGE_SIZE;
-	i += PAGE_SIZE;
-}
-iommu_unmap(domain->domain, iova, size);
-vfio_unpin_pages_remote(dma, iova, phys >> PAGE_SHIFT, size >> PAGE_SHIFT, true);
+unmapped = iommu_unmap(domain->domain, iova, size);
+if (WARN_ON(!unmapped)) {
+	/* Still mapped: leave it pinned */
+	pos += size;
+	continue;
+}
+vfio_unpin_pages_remote(dma, iova, phys >> PAGE_SHIFT,
+			unmapped >> PAGE_SHIFT, true);
+pos += unmapped;
 ...>
 }

// The unwind's count of what iommu_unmap() unmapped, declared after its size
// (before the rules below drop the cursor i that follows it).
@unwind_unmapped depends on unwind@
identifier unwind.size, unwind.i;
@@
 vfio_iommu_replay(...)
 {
 <...
 size_t size;
+size_t unmapped;
 dma_addr_t i;
 ...>
 }

// The cursors p and i of both loops are unused now.
@copy_decl depends on copy@
identifier copy.p, copy.i;
type T;
@@
 vfio_iommu_replay(...)
 {
 <...
(
-T p;
|
-T i;
)
 ...>
 }

@unwind_decl depends on unwind@
identifier unwind.p, unwind.i;
type T;
@@
 vfio_iommu_replay(...)
 {
 <...
(
-T p;
|
-T i;
)
 ...>
 }

// Trees whose loops step an iova cursor to dma->iova + dma->size rather than
// a pos offset: the same change.
@copy_iova@
identifier d, dma, iova, phys, size, p, i;
@@
 vfio_iommu_replay(...)
 {
 <...
-phys = iommu_iova_to_phys(d->domain, iova);
-if (WARN_ON(!phys)) {
+size = vfio_find_phys_run(d->domain, iova, dma->iova + dma->size - iova,
+			  &phys);
+if (WARN_ON(!size)) {
 	iova += PAGE_SIZE;
 	continue;
 }
-size = PAGE_SIZE;
-p = phys + size;
-i = iova + size;
-while (i < dma->iova + dma->size && p == iommu_iova_to_phys(d->domain, i)) {
-	size += PAGE_SIZE;
-	p += PAGE_SIZE;
-	i += PAGE_SIZE;
-}
 ...>
 }

@unwind_iova@
identifier domain, dma, iova, phys, size, p, i;
@@
 vfio_iommu_replay(...)
 {
 <...
-phys = iommu_iova_to_phys(domain->domain, iova);
-if (!phys) {
+size = vfio_find_phys_run(domain->domain, iova,
+			  dma->iova + dma->size - iova, &phys);
+if (!size) {
 	iova += PAGE_SIZE;
 	continue;
 }
-size = PAGE_SIZE;
-p = phys + size;
-i = iova + size;
-while (i < dma->iova + dma->size &&
-       p == iommu_iova_to_phys(domain->domain, i)) {
-	size += PAGE_SIZE;
-	p += PAGE_SIZE;
-	i += PAGE_SIZE;
-}
-iommu_unmap(domain->domain, iova, size);
-vfio_unpin_pages_remote(dma, iova, phys >> PAGE_SHIFT, size >> PAGE_SHIFT, true);
+unmapped = iommu_unmap(domain->domain, iova, size);
+if (WARN_ON(!unmapped)) {
+	/* Still mapped: leave it pinned */
+	iova += size;
+	continue;
+}
+vfio_unpin_pages_remote(dma, iova, phys >> PAGE_SHIFT,
+			unmapped >> PAGE_SHIFT, true);
+iova += unmapped;
 ...>
 }

@unwind_iova_unmapped depends on unwind_iova@
identifier unwind_iova.size, unwind_iova.i;
@@
 vfio_iommu_replay(...)
 {
 <...
 size_t size;
+size_t unmapped;
 dma_addr_t i;
 ...>
 }

@copy_iova_decl depends on copy_iova@
identifier copy_iova.p, copy_iova.i;
type T;
@@
 vfio_iommu_replay(...)
 {
 <...
(
-T p;
|
-T i;
)
 ...>
 }

@unwind_iova_decl depends on unwind_iova@
identifier unwind_iova.p, unwind_iova.i;
type T;
@@
 vfio_iommu_replay(...)
 {
 <...
(
-T p;
|
-T i;
)
 ...>
 }
