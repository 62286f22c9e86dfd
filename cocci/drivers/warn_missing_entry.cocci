// SPDX-License-Identifier: GPL-2.0-only
/// Fix, not a shape: a lookup that warns when the entry is missing and then
/// computes an address from it anyway (the iommufd mock domain of trees
/// without generic_pt: WARN_ON(!ent), then the address from xa_to_value(ent),
/// which is 0 for a missing entry).  Keep the warning and return "no
/// translation" there; templates/common.cocci then turns that `return 0;`
/// into PHYS_ADDR_MAX.
///
///	WARN_ON(!E);		->  if (WARN_ON(!E))
///	return <uses E>;		return 0;
///				    return <uses E>;
///
///   spatch --sp-file cocci/drivers/warn_missing_entry.cocci -D fn=<name>
///
/// Runs before the shape rule.  Nothing changes unless fn is an
/// iommu_domain_ops initialiser and the return right after the warning uses
/// the entry.
//
// Confidence: High
// Options: --no-includes --include-headers

@init_literal@
identifier virtual.fn;
@@
 &(struct iommu_domain_ops) { ..., .iova_to_phys = fn, ... }

@init_named@
identifier virtual.fn;
identifier I;
@@
 struct iommu_domain_ops I = { ..., .iova_to_phys = fn, ... };

@warn depends on init_literal || init_named@
identifier virtual.fn;
expression E, R;
@@
 fn(...) { <...
 WARN_ON(!E);
 return R;
 ...> }

@script:python uses depends on warn@
e << warn.E;
r << warn.R;
@@
import re
if not re.search(r"(?<![\w.>])" + re.escape(e) + r"(?!\w)", r):
    cocci.include_match(False)

@depends on uses@
identifier virtual.fn;
expression warn.E, warn.R;
@@
 fn(...) { <...
-WARN_ON(!E);
+if (WARN_ON(!E))
+	return 0;
 return R;
 ...> }
