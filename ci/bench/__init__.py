"""Benchmark: page-table walks and time, before and after the series, in
one run, with a plot.

    python3 -m ci.bench --series <series dir with series.json> --out <dir>
                        [--smoke] [--sections walks,e2e,tool] [--reps N]
                        [--rounds N] [--range-mb N] [--size-mb N]
                        [--check-report check.json] [--no-check-run]
                        [--accel tcg|kvm]

Sections:
 1. walks: kmod/iova_bench.c, an out-of-tree module built against the base
    kernel and the generated one (kernel.py), maps 1 GiB per format and
    leaf size and traverses it (a) one iova_to_phys per page, (b) one
    iova_to_phys_length per leaf; walk counts are checked (results.py).
 2. e2e: in the same boots (guest.py, ci/boot's intel-iommu machine),
    vfio_unmap_bench.c (VFIO type1) and iommufd_unmap_bench.c (iommufd
    mock domains) time map and unmap of 1 GiB.
    The two kernels boot in turn, --rounds times each (default 3 x 4
    repetitions), so that load on the shared host hits both alike. QEMU
    runs under TCG by default (this machine's KVM is kvm-pvm, which cannot
    boot a stock kernel): compare the columns, not native figures.
 3. tool: wall and CPU time of make series (cold, warm), the audit and
    the make check phases (tool.py).
Output in --out: results.json, bench.md (report.py), bench.png, logs/.

--smoke runs section 1 on the host (host_bench.c: the same walk loops on a
model page table, 4 MiB, one repetition) and section 3's audit only, in
seconds; tests/test_bench.py runs it under make test.
"""
