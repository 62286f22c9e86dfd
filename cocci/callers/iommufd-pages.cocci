// SPDX-License-Identifier: GPL-2.0-only
/// iommufd: the callers of batch_from_domain() and raw_pages_from_domain()
/// once these stop at a hole in the domain (kernel-overlay/callers/iommufd-*):
/// - iopt_area_unpin_domain() warns about a hole and steps over it instead of
///   spinning (an empty batch stays empty only at a hole: a full one holds a
///   run, maybe of 0 pages),
/// - iopt_pages_fill_from_domain() reports a NULL from raw_pages_from_domain(),
/// - iopt_pages_fill_xarray() stops on that error instead of storing pages
///   that were never read.
//
// Confidence: High
// Options: --no-includes

@unpin@
identifier batch, domain, area, start, last, bli, start_index, end_index;
@@
 iopt_area_unpin_domain(...)
 {
 <...
 unsigned long start = max(start_index, *end_index);
 ...
 batch_from_domain(batch, domain, area, start, last);
+if (WARN_ON_ONCE(!batch->end)) {
+	/* A hole: leave its page pinned */
+	*end_index = start + 1;
+	start_index = start + 1;
+	continue;
+}
 bli = start_index + batch->total_pfns - 1;
 ...>
 }

@fill_from_domain@
identifier out_pages;
@@
 iopt_pages_fill_from_domain(...)
 {
 <...
 out_pages = raw_pages_from_domain(...);
+if (!out_pages)
+	return -EINVAL;
 ...>
 }

@fill_xarray@
identifier rc, err;
expression E1, E2, E3, E4;
@@
 iopt_pages_fill_xarray(...)
 {
 <...
-iopt_pages_fill_from_domain(E1, E2, E3, E4);
+rc = iopt_pages_fill_from_domain(E1, E2, E3, E4);
+if (rc)
+	goto err;
 rc = pages_to_xarray(...);
 if (rc)
 	goto err;
 ...>
 }
