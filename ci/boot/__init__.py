"""Build a small test kernel, boot it under QEMU with each emulated IOMMU
and report the in-kernel and user-space IOMMU test suites per boot.

    python3 -m ci.boot --tree <kernel tree> [--arch x86_64|arm64]
                       [--machine kunit|intel-iommu|amd-iommu|virtio-iommu|smmuv3|...]
                       [--test <one of a machine's tests>...]
                       [--base <base tree, or a commit of --tree>] [--accel tcg|kvm]
                       --out <dir>
    python3 -m ci.boot --tree <kernel tree> --arch <arch> --config-only --out <dir>

The harness is ci/guest's; ci/boot gives it data and judges the boots:
 - build.py: ci/boot's fragments (common.config + <arch>.config, on the
   arch's defconfig, kvm_guest.config on x86_64), the test programs after
   the kernel: the kernel's iommufd (and VFIO) selftests and ours
   (vfio_map_test.c, iommufd_access_test.c), static, in /tests of the
   initramfs with init.sh. A kernel test program that does not build
   against the tree's own headers (Debian's 6.12 ships iommufd selftests
   written for 6.16's uapi) is a failed suite of every boot that would
   run it, with its first error;
 - suites.py: what the tree has, and so what each boot must report: the
   KUnit suites (io-pgtable, generic_pt), the io-pgtable boot selftests
   (v7s; LPAE where it is not KUnit yet) and the kernel's test programs;
 - run.py: the machines of the arch (ci/guest/qemu.py), booted with the
   test guest's kernel parameters; init.sh runs the KUnit suites through
   debugfs on the IOMMU-less "kunit" machines and the user-space tests on
   the IOMMU machines (the VFIO tests on every IOMMU; those without
   interrupt remapping boot with allow_unsafe_interrupts);
 - results.py: KTAP and kselftest TAP parsed with the tree's kunit_parser,
   the one-line results of the io-pgtable boot selftests;
 - scan.py: WARN, BUG, KASAN, lockdep, IOMMU fault reports on the console;
 - report.py: a markdown table and JSON per boot.

Output in <out>: boot-<arch>-<machine>.md and .json (with the base run as
the "before" columns when --base is given), build-<arch>.json (build times),
logs/<arch>-<machine>[-base]/{console,results,qemu}.log and the build logs.
Exit status: 0 when every boot passed, 1 when any suite failed, a required
suite is missing, the console has a bug report or a boot did not finish
(with --base: when a case fails that does not fail on the base, or any of
the boot-level problems), 2 when the build or the config check failed.

Any directory can be --tree, so a test can boot a copy of a tree with one
driver mutated (e.g. over-reporting its length) and expect exit status 1;
the copy is compiled at the same mounted path as every other tree, so
ccache rebuilds only the mutated files.
"""
