// SPDX-License-Identifier: GPL-2.0-only
/// vfio/type1: vfio_unmap_unpin() finds each physically contiguous run with
/// vfio_find_phys_run() (kernel-overlay/callers/vfio-vfio_find_phys_run.c),
/// one IOMMU leaf at a time, instead of one page at a time.
///
/// The lines of the comment that moves carry their own indentation: spatch
/// indents only the first line of a comment it adds.
//
// Confidence: High
// Options: --no-includes

@run@
identifier domain, dma, pos, iova, phys, next, len;
@@
 vfio_unmap_unpin(...)
 {
 <...
-phys = iommu_iova_to_phys(domain->domain, iova);
-if (WARN_ON(!phys)) {
+/*
+		 * To optimize for fewer iommu_unmap() calls, each of which
+		 * may require hardware cache flushing, try to find the
+		 * largest contiguous physical memory chunk to unmap.
+		 */
+len = vfio_find_phys_run(domain->domain, iova, dma->size - pos, &phys);
+if (WARN_ON(!len)) {
 	pos += PAGE_SIZE;
 	continue;
 }
-for (len = PAGE_SIZE; pos + len < dma->size; len += PAGE_SIZE) {
-	next = iommu_iova_to_phys(domain->domain, iova + len);
-	if (next != phys + len)
-		break;
-}
 ...>
 }

@decl depends on run@
identifier run.next;
@@
 vfio_unmap_unpin(...)
 {
 <...
-phys_addr_t next;
 ...>
 }

// Trees whose loop steps an iova cursor to end, and whose runs stay one page
// long on an IOMMU with fine-grained superpages (domain->fgsp: it unmaps the
// whole superpage anyway): the same change, keeping that one-page limit.
@run_iova@
identifier domain, iova, end, phys, next, len;
@@
 vfio_unmap_unpin(...)
 {
 <...
-phys = iommu_iova_to_phys(domain->domain, iova);
-if (WARN_ON(!phys)) {
+/*
+		 * To optimize for fewer iommu_unmap() calls, each of which
+		 * may require hardware cache flushing, try to find the
+		 * largest contiguous physical memory chunk to unmap.
+		 */
+len = vfio_find_phys_run(domain->domain, iova,
+			 domain->fgsp ? PAGE_SIZE : end - iova, &phys);
+if (WARN_ON(!len)) {
 	iova += PAGE_SIZE;
 	continue;
 }
-for (len = PAGE_SIZE; !domain->fgsp && iova + len < end; len += PAGE_SIZE) {
-	next = iommu_iova_to_phys(domain->domain, iova + len);
-	if (next != phys + len)
-		break;
-}
 ...>
 }

@decl_iova depends on run_iova@
identifier run_iova.next;
@@
 vfio_unmap_unpin(...)
 {
 <...
-phys_addr_t next;
 ...>
 }
