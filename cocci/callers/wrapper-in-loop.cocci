// SPDX-License-Identifier: GPL-2.0-only
/// Report each iommu_iova_to_phys() call that control flow can reach again
/// from itself, that is a call inside a loop (for, while and do-while alike):
/// "LOOP file line function".  The callers steps convert the loops that step
/// through IOVA space; every other caller makes single lookups and keeps the
/// wrapper as a [[kept]] entry.  tests/test_callers_kept.py uses this to tell
/// the two apart.
//
// Confidence: High
// Options: --no-includes --include-headers

@loop exists@
position p;
expression D, A, D2, A2;
@@
 iommu_iova_to_phys@p(D, A)
 ...
 iommu_iova_to_phys@p(D2, A2)

@script:python@
p << loop.p;
@@
print("LOOP %s %s %s" % (p[0].file, p[0].line, p[0].current_element))
