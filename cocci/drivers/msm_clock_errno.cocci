// SPDX-License-Identifier: GPL-2.0-only
/// msm_iommu_iova_to_phys() stores the __enable_clocks() error code in the
/// phys_addr_t it returns, so a clock failure comes back as a huge "physical
/// address" (-EINVAL & ~0).  Test the call directly instead: the variable
/// keeps its "no translation" value, which templates/common.cocci turns
/// into PHYS_ADDR_MAX.  Run before templates/leaf.cocci, which accepts only
/// leaf values and zeros in that variable.
///
///   spatch --sp-file cocci/drivers/msm_clock_errno.cocci -D fn=msm_iommu_iova_to_phys
//
// Confidence: High
// Options: --no-includes --include-headers

@@
identifier virtual.fn;
identifier ret, l;
expression E;
typedef phys_addr_t;
@@
 fn(...) {
 ... when any
 phys_addr_t ret = 0;
 <...
- ret = __enable_clocks(E);
- if (ret)
+ if (__enable_clocks(E))
	goto l;
 ...>
 }
