// SPDX-License-Identifier: GPL-2.0-only
/*
 * arm-smmu resolves stage-1 addresses with the ATS1PR hardware walk when
 * the SMMU has translation operations.  PAR returns the 4K page frame of
 * the address (PA[39:12]) whatever the leaf size, so that path reports
 * 4K: a naturally aligned 4K block inside any leaf translates linearly.
 * When the walk times out the helper falls back to the software walk,
 * which reports the real leaf.  Its errors become PHYS_ADDR_MAX.
 *
 *   spatch --sp-file cocci/drivers/arm_smmu_hard.cocci \
 *          -D fn=arm_smmu_iova_to_phys -D hard=arm_smmu_iova_to_phys_hard
 *
 * Run before cocci/drivers/io_pgtable.cocci and templates/common.cocci on
 * fn: after this rule fn returns the helper's result with `length`.
 */

@helper@
identifier virtual.hard;
identifier domain, iova;
typedef phys_addr_t, dma_addr_t;
@@
 phys_addr_t hard(struct iommu_domain *domain, dma_addr_t iova
+	, size_t *length
 ) {...}

@depends on helper@
identifier virtual.hard;
identifier addr, iova;
expression O, I, P;
@@
 hard(...) {
 <...
(
- return 0;
+ return PHYS_ADDR_MAX;
|
- phys_addr_t addr = 0;
+ phys_addr_t addr = PHYS_ADDR_MAX;
|
- O->iova_to_phys(O, I)
+ O->iova_to_phys_length(O, I, length)
|
  addr = (P & GENMASK_ULL(39, 12)) | (iova & 0xfff);
+ *length = SZ_4K;
)
 ...>
 }

@depends on helper@
identifier virtual.fn;
identifier virtual.hard;
expression D, I;
@@
 fn(...) { <...
- hard(D, I)
+ hard(D, I, length)
 ...> }
