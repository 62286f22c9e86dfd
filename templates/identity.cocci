// SPDX-License-Identifier: GPL-2.0-only
/// Shape "identity": the domain translates every address of its aperture
/// to itself and has no page table.
///
///	if (iova < FIRST || iova > LAST)
///		return 0;
///	return iova;
///
///   spatch --sp-file templates/identity.cocci -D fn=<old name>
///
/// The whole aperture translates linearly, but it need not be aligned or a
/// power of two in size (nor fit a size_t: fsl_pamu's is 64 GiB on 32-bit
/// PowerPC), so *length is the largest naturally aligned power-of-two block
/// around iova inside [FIRST, LAST], capped to a size_t:
/// iommu_range_block_length(), added to <linux/iommu.h> earlier in the
/// series.  Then templates/common.cocci renames the function, adds the
/// parameter and turns `return 0;` into PHYS_ADDR_MAX.
///
/// All or nothing: nothing changes unless the function's initialiser is
/// found, the aperture test is there, and every return is `return 0;` or
/// returns iova.
//
// Confidence: Moderate
// Options: --no-includes --include-headers

@initialize:python@
@@
refused = []

@script:python setup@
fn << virtual.fn;
@@
del refused[:]

@init_literal depends on setup@
identifier virtual.fn;
@@
 &(const struct iommu_domain_ops) { ..., .iova_to_phys = fn, ... }

@init_named depends on setup@
identifier virtual.fn;
identifier I;
@@
 struct iommu_domain_ops I = { ..., .iova_to_phys = fn, ... };

@script:python init_macro depends on setup@
m << virtual.init_in_macro;
@@

@aperture depends on init_literal || init_named || init_macro@
identifier virtual.fn;
identifier d, iova;
expression FIRST, LAST;
typedef phys_addr_t, dma_addr_t;
@@
 phys_addr_t fn(struct iommu_domain *d, dma_addr_t iova) {
 ... when any
 if (iova < FIRST || iova > LAST)
	return 0;
 ... when any
 return iova;
 }

@other_return depends on aperture@
identifier virtual.fn;
identifier aperture.iova;
expression R;
position p;
@@
 fn(...) { <+...
(
 return 0;
|
 return iova;
|
 return@p R;
)
 ...+> }

@script:python@
r << other_return.R;
@@
refused.append("return " + r)

@other_write depends on aperture@
identifier virtual.fn;
identifier aperture.iova;
expression E;
assignment operator aop;
@@
 fn(...) { <+... \( iova aop E \| iova++ \| iova-- \| ++iova \| --iova \| &iova \) ...+> }

@script:python depends on other_write@
fn << virtual.fn;
@@
refused.append("iova changes")

@script:python accept depends on aperture@
fn << virtual.fn;
@@
if refused:
    cocci.include_match(False)

@depends on accept@
identifier virtual.fn;
identifier aperture.iova;
expression aperture.FIRST, aperture.LAST;
@@
 fn(...) { <...
+ *length = iommu_range_block_length(iova, iova, FIRST, LAST);
  return iova;
 ...> }
