// SPDX-License-Identifier: GPL-2.0-only
/// Register <fn>_length as io_pgtable_ops.iova_to_phys_length next to the
/// old .iova_to_phys = <fn> (initialiser or assignment), and define <fn> again as a thin wrapper that
/// maps PHYS_ADDR_MAX back to 0, so io-pgtable users that still call
/// ->iova_to_phys keep working until they are converted.
///
/// spatch -D fn=<old function> -D fn_length=<old function>_length
//
// Confidence: High
// Options: --no-includes --include-headers
@ops@
identifier virtual.fn;
identifier virtual.fn_length;
expression E;
@@
 E = (struct io_pgtable_ops) {
	...,
	.iova_to_phys = fn,
+	.iova_to_phys_length = fn_length,
	...
 };

// Formats that fill their io_pgtable_ops field by field (AMD v1 and v2).
@ops_assign@
identifier virtual.fn;
identifier virtual.fn_length;
expression E;
@@
 E.iova_to_phys = fn;
+E.iova_to_phys_length = fn_length;

@depends on ops || ops_assign@
typedef phys_addr_t;
identifier virtual.fn;
identifier virtual.fn_length;
@@
 static phys_addr_t fn_length(...)
 {
 ...
 }
+
+static phys_addr_t fn(struct io_pgtable_ops *ops, unsigned long iova)
+{
+	size_t length;
+	phys_addr_t phys = fn_length(ops, iova, &length);
+
+	/* Users of ->iova_to_phys take 0 as "no translation" */
+	return phys == PHYS_ADDR_MAX ? 0 : phys;
+}
