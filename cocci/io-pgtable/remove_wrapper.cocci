// SPDX-License-Identifier: GPL-2.0-only
/// Drop the io_pgtable_ops.iova_to_phys wrapper <fn> that
/// add_length_op.cocci added, and its initialiser or assignment, once every
/// caller uses ->iova_to_phys_length.
///
/// spatch -D fn=<wrapper>
//
// Confidence: High
// Options: --no-includes --include-headers
@ops@
identifier virtual.fn;
expression E;
@@
 E = (struct io_pgtable_ops) {
	...,
-	.iova_to_phys = fn,
	...
 };

@ops_assign@
identifier virtual.fn;
expression E;
@@
-E.iova_to_phys = fn;

@depends on ops || ops_assign@
typedef phys_addr_t;
identifier virtual.fn;
@@
- static phys_addr_t fn(...) { ... }
