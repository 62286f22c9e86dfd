// SPDX-License-Identifier: GPL-2.0-only
/// mtk_iommu_iova_to_phys() clears bit 32 of any result at or above
/// MTK_IOMMU_4GB_MODE_REMAP_BASE when the bank runs in 4GB mode.  Once
/// io-pgtable reports "no translation" as PHYS_ADDR_MAX, that sentinel is
/// above the remap base too and the mask would turn it into an address:
/// return it before the post-processing.  A leaf never straddles the remap
/// base (1 GiB aligned, leaves are at most 16 MiB), so the length io-pgtable
/// reported still holds after the mask.
///
/// Run before cocci/drivers/io_pgtable.cocci, which accepts post-processing
/// of the result only behind this test.
///
///   spatch --sp-file cocci/drivers/mtk_iommu_4gb.cocci -D fn=mtk_iommu_iova_to_phys
//
// Confidence: High
// Options: --no-includes --include-headers

@@
identifier virtual.fn;
identifier pa;
expression O, I, E;
statement S;
@@
 fn(...) { <...
  pa = O->iova_to_phys(O, I);
+ if (pa == PHYS_ADDR_MAX)
+	return pa;
  if (E)
	S
 ...> }
