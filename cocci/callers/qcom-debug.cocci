// SPDX-License-Identifier: GPL-2.0-only
/// iommu/arm-smmu-qcom: qcom_smmu_context_fault() logs the software walk of
/// the faulting address through ops->iova_to_phys_length.  Only the sentinel
/// of the failed-walk test changes: PHYS_ADDR_MAX, not 0.
//
// Confidence: High
// Options: --no-includes

@walk@
identifier ops, phys_soft;
expression A;
@@
 qcom_smmu_context_fault(...)
 {
 <...
-phys_soft = ops->iova_to_phys(ops, A);
+phys_soft = ops->iova_to_phys_length(ops, A, &leaf_len);
 ...>
 }

@failed depends on walk@
identifier walk.phys_soft;
@@
 qcom_smmu_context_fault(...)
 {
 <...
-!phys_soft
+phys_soft == PHYS_ADDR_MAX
 ...>
 }

@decl depends on walk@
identifier walk.phys_soft;
@@
 qcom_smmu_context_fault(...)
 {
 ...
 phys_addr_t phys_soft;
+size_t leaf_len;
 ...
 }
