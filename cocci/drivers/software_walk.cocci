// SPDX-License-Identifier: GPL-2.0-only
/// Fix, not a shape: a lookup that, for some domains, asks a hardware
/// translation helper instead of its io-pgtable (arm-smmu's ATS1PR walk):
///
///	if (COND)
///		return hard(domain, iova);
///	return ops->iova_to_phys(ops, iova);
///
/// The hardware cannot report the size of the leaf, and the io-pgtable is
/// the table it walks, so the lookup uses the software walk for every
/// domain: the test and the call go, and so does the helper, which has no
/// other user.
///
///   spatch --sp-file cocci/drivers/software_walk.cocci \
///          -D fn=arm_smmu_iova_to_phys -D hard=arm_smmu_iova_to_phys_hard
///
/// All or nothing: nothing changes unless fn returns hard's result under a
/// test and no other function of the file uses hard.  Run before
/// cocci/drivers/io_pgtable.cocci and templates/common.cocci on fn.
//
// Confidence: High
// Options: --no-includes --include-headers

@call@
identifier virtual.fn;
identifier virtual.hard;
expression C, D, I;
@@
 fn(...) { <...
 if (C)
	return hard(D, I);
 ...> }

@initialize:python@
@@
other_users = []

// A call of hard outside fn (and outside hard itself, if it recurses): a
// function pointer to it would leave the build broken, loudly.
@other_use depends on call@
identifier virtual.hard;
identifier f;
@@
 f(...) { <+... hard(...) ...+> }

@script:python depends on other_use@
f << other_use.f;
fn << virtual.fn;
hard << virtual.hard;
@@
if f not in (fn, hard):
    other_users.append(f)

@script:python accept depends on call@
@@
if other_users:
    cocci.include_match(False)

@depends on accept@
identifier virtual.fn;
identifier virtual.hard;
expression C, D, I;
@@
 fn(...) { <...
- if (C)
-	return hard(D, I);
 ...> }

@depends on accept@
identifier virtual.hard;
type T;
@@
- T hard(...) {...}
