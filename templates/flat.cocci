// SPDX-License-Identifier: GPL-2.0-only
/// Shape "flat": a single-level table of one entry per page, read into the
/// variable the function returns and then turned into the address:
///
///	pa = *(table + index);
///	pa = <address computed from pa>;
///	...
///	return pa;
///
///   spatch --sp-file templates/flat.cocci -D fn=<old name> -D size=<PAGE SIZE>
///
/// In such tables an unmapped entry is 0, and a mapped one is not (a valid
/// bit, where there is one, is set in every mapped entry, so even a page
/// at physical address 0 has a non-zero entry).  The address is now
/// computed only from a non-zero entry, and an empty entry gives "no
/// translation" (PHYS_ADDR_MAX); *length = <PAGE SIZE> follows either way
/// (it is unspecified when the result is PHYS_ADDR_MAX).  The computation
/// must include the sub-page offset (templates/add_offset.cocci first if it
/// does not).  Then templates/common.cocci renames the function, adds the
/// parameter and turns `return 0;` into PHYS_ADDR_MAX.
///
/// All or nothing: nothing changes unless the function's initialiser is
/// found, the two assignments follow each other, the second one uses the
/// entry and the function's iova parameter, and every return is `return 0;`
/// or returns that variable.
//
// Confidence: Moderate
// Options: --no-includes --include-headers

@initialize:python@
@@
import re

refused = []

@script:python setup@
fn << virtual.fn;
size << virtual.size;
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

@entry depends on init_literal || init_named || init_macro@
identifier virtual.fn;
identifier pa, iova, d;
expression T, E;
typedef phys_addr_t, dma_addr_t;
@@
 phys_addr_t fn(struct iommu_domain *d, dma_addr_t iova) {
 ... when any
 phys_addr_t pa;
 ... when any
 pa = *T;
 pa = E;
 ... when any
 return pa;
 }

// The second assignment must use the entry and add the sub-page offset.
@script:python@
pa << entry.pa;
iova << entry.iova;
e << entry.E;
@@
tokens = set(re.findall(r"\w+", e))
if pa not in tokens or iova not in tokens:
    refused.append("the address does not use both %s and %s" % (pa, iova))

@other_return depends on entry@
identifier virtual.fn;
identifier entry.pa;
expression R;
position p;
@@
 fn(...) { <+...
(
 return 0;
|
 return pa;
|
 return@p R;
)
 ...+> }

@script:python@
r << other_return.R;
@@
refused.append("return " + r)

@other_write depends on entry@
identifier virtual.fn;
identifier entry.pa;
expression entry.T, entry.E, E2;
assignment operator aop;
position p;
@@
 fn(...) { <+...
(
 pa = 0
|
 pa = *T
|
 pa = E
|
 pa aop@p E2
|
 pa++@p
|
 pa--@p
|
 ++pa@p
|
 --pa@p
|
 &pa@p
)
 ...+> }

@script:python@
p << other_write.p;
@@
refused.append("another write to the entry variable")

@script:python accept depends on entry@
fn << virtual.fn;
@@
if refused:
    cocci.include_match(False)

@depends on accept@
identifier virtual.fn;
identifier virtual.size;
identifier entry.pa;
expression entry.T, entry.E;
@@
 fn(...) { <...
  pa = *T;
- pa = E;
+ if (pa)
+	pa = E;
+ else
+	pa = PHYS_ADDR_MAX;
+ *length = size;
 ...> }
