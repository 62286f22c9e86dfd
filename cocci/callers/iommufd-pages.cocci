// SPDX-License-Identifier: GPL-2.0-only
/// iommufd: the callers of batch_from_domain() and raw_pages_from_domain()
/// once these stop at a hole in the domain (kernel-overlay/callers/iommufd-*):
/// - iopt_area_unpin_domain() must not spin when nothing was read,
/// - iopt_pages_fill_from_domain() reports a NULL from raw_pages_from_domain(),
/// - iopt_pages_fill_xarray() stops on that error instead of storing pages
///   that were never read.
//
// Options: --no-includes

@unpin@
identifier batch, domain, area, start, last, bli, start_index;
@@
 iopt_area_unpin_domain(...)
 {
 <...
 batch_from_domain(batch, domain, area, start, last);
+if (!batch->total_pfns)
+	/* A hole in the domain, the rest stays pinned */
+	break;
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
