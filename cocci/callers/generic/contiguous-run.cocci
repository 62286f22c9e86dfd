// SPDX-License-Identifier: GPL-2.0-only
/// The contiguous-run idiom in a caller no step knows: a loop that steps an
/// IOVA and stops when iommu_iova_to_phys() no longer gives the previous
/// physical address plus the step.  Every iommu_iova_to_phys(D, E) of the
/// function becomes iova_leaf_to_phys(D, E, &iova_leaf) (added to the file
/// by kernel-overlay/callers/generic-iova_leaf.c), which walks the page
/// table once per leaf and translates the other addresses of that leaf from
/// it.  The loop keeps its own steps, limits and result: each call returns
/// what iommu_iova_to_phys() returns.
///
///   spatch --sp-file cocci/callers/generic/contiguous-run.cocci -D fn=<function>
///
/// All or nothing: nothing changes unless fn calls iommu_iova_to_phys() in a
/// loop, compares a result with a sum (phys + step), uses one domain
/// expression for every call, calls nothing that could change the mapping
/// between two lookups (only the helpers in SAFE), and has no identifier
/// iova_leaf already.
//
// Confidence: Moderate
// Options: --no-includes --include-headers

@initialize:python@
@@
# Calls that cannot change a mapping: arithmetic and checking helpers.
SAFE = {"iommu_iova_to_phys", "check_add_overflow", "check_sub_overflow",
        "check_mul_overflow", "min", "max", "min_t", "max_t", "clamp",
        "clamp_t", "umin", "umax", "round_up", "round_down", "ALIGN",
        "ALIGN_DOWN", "IS_ALIGNED", "PAGE_ALIGN", "BIT", "BIT_ULL", "GENMASK",
        "GENMASK_ULL", "WARN_ON", "WARN_ON_ONCE", "likely", "unlikely",
        "lower_32_bits", "upper_32_bits", "PFN_DOWN", "PFN_UP", "PHYS_PFN",
        "sizeof", "offset_in_page"}

def norm(e):
    return " ".join(e.split())

domains = set()
results = set()         # identifiers a lookup is assigned to
compared = []           # operands compared with a sum
looped = []
refused = []

@script:python setup@
fn << virtual.fn;
@@
domains.clear()
results.clear()
del compared[:]
del looped[:]
del refused[:]

@lookup@
identifier virtual.fn;
expression D, E;
@@
 fn(...) { <+... iommu_iova_to_phys(D, E) ...+> }

@script:python@
d << lookup.D;
@@
domains.add(norm(d))

@assigned@
identifier virtual.fn;
expression D, E;
identifier N;
@@
 fn(...) { <+... \( N = iommu_iova_to_phys(D, E) \| *N = iommu_iova_to_phys(D, E) \) ...+> }

@script:python@
n << assigned.N;
@@
results.add(n)

@declared@
identifier virtual.fn;
expression D, E;
identifier N;
type T;
@@
 fn(...) { <+... T N = iommu_iova_to_phys(D, E); ...+> }

@script:python@
n << declared.N;
@@
results.add(n)

@sum@
identifier virtual.fn;
expression X, A, B;
@@
 fn(...) { <+... \( X != A + B \| X == A + B \| A + B != X \| A + B == X \) ...+> }

@script:python@
x << sum.X;
@@
compared.append(norm(x))

@inloop exists@
identifier virtual.fn;
position p;
expression D, E, D2, E2;
@@
 fn(...) {
 ... when any
 iommu_iova_to_phys@p(D, E)
 ...
 iommu_iova_to_phys@p(D2, E2)
 ... when any
 }

@script:python@
p << inloop.p;
@@
looped.append(p[0].line)

@called@
identifier virtual.fn;
identifier f;
@@
 fn(...) { <+... f(...) ...+> }

@script:python@
f << called.f;
@@
if f not in SAFE:
    refused.append("calls " + f + "()")

@taken@
identifier virtual.fn;
identifier i = iova_leaf;
@@
 fn(...) { <+... i ...+> }

@script:python depends on taken@
@@
refused.append("already has an identifier iova_leaf")

@script:python accept depends on lookup@
@@
if not looped:
    refused.append("no lookup in a loop")
if len(domains) != 1:
    refused.append("lookups in %d domains" % len(domains))
if not any(x in results or x.startswith("*") and x[1:] in results
           or "iommu_iova_to_phys" in x for x in compared):
    refused.append("no lookup compared with a sum")
if refused:
    print("REFUSED " + "; ".join(sorted(set(refused))))
    cocci.include_match(False)

@convert depends on accept@
identifier virtual.fn;
expression D, E;
@@
 fn(...) { <...
- iommu_iova_to_phys(D, E)
+ iova_leaf_to_phys(D, E, &iova_leaf)
 ...> }

// Declared first, before the own declarations of the function (it
// must have some, see generator/new_callers.py, so that the blank line after
// them stays where checkpatch wants it).
@depends on convert@
identifier virtual.fn;
@@
 fn(...) {
+struct iova_leaf iova_leaf = {};
 ... when any
 }
