// SPDX-License-Identifier: GPL-2.0-only
/// Shape for an io_pgtable_ops.iova_to_phys whose walk helper already reports
/// the size of the leaf it found through an out parameter (AMD's v1 and v2
/// fetch_pte()), and whose result keeps the offset below that size:
///
///	p = walk(..., &size);
///	if (<no leaf>)
///		return 0;
///	... size - 1 ...	(the offset mask of the result)
///	return <address>;
///
///   spatch --sp-file cocci/drivers/io_pgtable_leaf_size.cocci -D fn=<old name>
///
/// fn becomes fn_length(ops, iova, size_t *length), `*length = size;` comes
/// before the last return, and `return 0;` becomes PHYS_ADDR_MAX.  Then
/// cocci/io-pgtable/add_length_op.cocci registers fn_length next to fn and
/// defines fn again as the wrapper its ->iova_to_phys users need until they
/// are converted.
///
/// All or nothing: nothing changes unless fn is set as
/// io_pgtable_ops.iova_to_phys (assignment or compound literal), the size is
/// not written after the walk and is used as "size - 1", and the only returns
/// are the check's `return 0;` and the last one.
//
// Confidence: High
// Options: --no-includes --include-headers

@initialize:python@
@@
known = set()
refused = []

@script:python setup@
fn << virtual.fn;
@@
known.clear()
del refused[:]

@set_assign depends on setup@
identifier virtual.fn;
expression E;
@@
 E.iova_to_phys = fn;

@set_literal depends on setup@
identifier virtual.fn;
expression E;
@@
 E = (struct io_pgtable_ops) { ..., .iova_to_phys = fn, ... };

@shape depends on set_assign || set_literal@
identifier virtual.fn;
identifier ops, iova, p, s, walk;
expression list ES;
expression C, R, E;
position pz, pr;
typedef phys_addr_t;
@@
 phys_addr_t fn(struct io_pgtable_ops *ops, unsigned long iova)
 {
 ...
 p = walk(ES, &s);
 if (C)
	return@pz 0;
 ... when != s = E
     when != &s
 return@pr R;
 }

@script:python@
pz << shape.pz;
pr << shape.pr;
@@
known.add((pz[0].line, pz[0].column))
known.add((pr[0].line, pr[0].column))

@mask depends on shape@
identifier virtual.fn;
identifier shape.s;
@@
 fn(...) { <+... s - 1 ...+> }

@script:python depends on shape && !mask@
@@
refused.append("the leaf size is not the offset mask")

@other_return depends on shape@
identifier virtual.fn;
position p;
@@
 fn(...) { <+... return@p ...; ...+> }

@script:python@
p << other_return.p;
@@
if (p[0].line, p[0].column) not in known:
    refused.append("another return at line %s" % p[0].line)

@script:python accept depends on shape@
@@
if refused:
    cocci.include_match(False)

@script:python newname depends on accept@
fn << virtual.fn;
fnl;
@@
coccinelle.fnl = cocci.make_ident(fn + "_length")

@depends on accept@
identifier virtual.fn;
identifier newname.fnl;
identifier shape.ops, shape.iova, shape.p, shape.s, shape.walk;
expression list shape.ES;
expression shape.C, shape.R;
@@
 phys_addr_t
-fn(struct io_pgtable_ops *ops, unsigned long iova)
+fnl(struct io_pgtable_ops *ops, unsigned long iova, size_t *length)
 {
 ...
 p = walk(ES, &s);
 if (C)
-	return 0;
+	return PHYS_ADDR_MAX;
 ...
+ *length = s;
 return R;
 }
