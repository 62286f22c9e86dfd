"""Run the io-pgtable and generic_pt KUnit suites of a kernel tree and judge them.

    python3 -m ci.kunit --kernel TREE [--build-dir DIR] [--log FILE]

One kernel is built with the tree's own tools/testing/kunit/kunit.py (x86_64
under QEMU; ccache when installed) from two .kunitconfig files, the tree's
drivers/iommu/generic_pt/.kunitconfig and ci/iommu.kunitconfig, holding:

  - io-pgtable-arm-test      CONFIG_IOMMU_IO_PGTABLE_LPAE_KUNIT_TEST (KTAP)
  - the generic_pt suites    (KTAP), with IOMMUFD_TEST for the mock format
  - the ARMv7s selftest      CONFIG_IOMMU_IO_PGTABLE_ARMV7S_SELFTEST: a boot
                             initcall that prints "self test ok" or WARNs

The suites required are the ones the tree has, found as the boots find them
(ci/boot/suites.py); the console is read as the boots read it
(ci/boot/results.py: the tree's kunit_parser, its v7s judge).
The exit status is 0 only if every required suite ran at least one test,
nothing failed, crashed or failed to parse, and the v7s selftest passed.
"""

import argparse
import pathlib
import shutil
import subprocess
import sys
import time
from typing import Iterable

from ci.boot import results, suites as tree_suites

KUNITCONFIG = pathlib.Path(__file__).resolve().parent / 'iommu.kunitconfig'


def v7s_selftest(console: str) -> tuple[str, str]:
    """("pass" | "fail" | "missing", why) from the boots' judge of it."""
    suite = results.v7s_suite(console)
    if suite is None:
        return 'missing', 'no "self test ok" in the log'
    if not suite.ok:
        return 'fail', '; '.join(suite.failures + suite.errors)
    return 'pass', results.V7S_OK


def required(tree: pathlib.Path) -> list[str]:
    """The KUnit suites the tree has: io-pgtable's and generic_pt's."""
    return tree_suites.expected(tree).kunit


def decide(status: str, suites: list[results.Suite], v7s: tuple[str, str],
           required: Iterable[str], required_cases: Iterable[str] = ()) -> list[str]:
    """Every reason to fail; empty means the run passed."""
    problems = []
    if status != 'SUCCESS':
        problems.append(f'KTAP result: {status}')
    by_name = {s.name: s for s in suites}
    for s in suites:
        if s.failed or s.errors:
            problems.append(f'{s.name}: ' + ', '.join([f'{s.failed} failed'] + s.errors))
    for name in required:
        s = by_name.get(name)
        if s is None:
            problems.append(f'{name}: required suite did not run')
        elif s.passed == 0:
            problems.append(f'{name}: required suite passed no test ({s.skipped} skipped)')
    for want in required_cases:
        suite, _, case = want.partition('.')
        s = by_name.get(suite)
        if s is None or case not in s.cases:
            problems.append(f'{want}: required test case did not run')
    if v7s[0] != 'pass':
        problems.append(f'v7s selftest: {v7s[0]}: {v7s[1]}')
    return problems


def format_counts(suites: list[results.Suite]) -> str:
    width = max((len(s.name) for s in suites), default=5)
    return '\n'.join(f'{s.name:<{width}}  passed {s.passed:4d}  failed {s.failed}  '
                     f'skipped {s.skipped:3d}  ' + ('ok' if s.ok else '; '.join(s.errors) or 'FAIL')
                     for s in suites)


def kunit_command(tree: pathlib.Path, build_dir: pathlib.Path, *, jobs: int, timeout: int,
                  ccache: bool) -> list[str]:
    cmd = [sys.executable, str(tree / 'tools/testing/kunit/kunit.py'), 'run',
           '--arch=x86_64', f'--build_dir={build_dir}', f'--jobs={jobs}',
           f'--timeout={timeout}', '--raw_output=all',
           '--kunitconfig', str(tree / 'drivers/iommu/generic_pt'),
           '--kunitconfig', str(KUNITCONFIG),
           # Under TCG the default CPU model lacks CMPXCHG16B, which the kernel uses.
           '--qemu_args=-cpu max']
    if ccache:
        cmd += ['--make_options', 'CC=ccache gcc']
    return cmd


def without_kvm(cmd: list[str]) -> list[str]:
    """cmd in a private mount namespace where /dev/kvm is /dev/null.

    kunit.py always asks QEMU for "-accel kvm" first.  The nested KVM of this
    project's machines stops the guest whatever the CPU model (an emulation
    failure on CMPXCHG16B with qemu64, MSR 0x10a with host or max); with KVM
    unusable QEMU falls back to TCG, which is slower and works.
    """
    return ['unshare', '--mount', '--', 'sh', '-c',
            'mount --bind /dev/null /dev/kvm && exec "$@"', 'sh', *cmd]


def run(tree: pathlib.Path, build_dir: pathlib.Path, log: pathlib.Path, *, jobs: int,
        timeout: int, kvm: bool) -> tuple[int, float]:
    """Build and boot; the console log goes to log. Returns (exit code, seconds)."""
    cmd = kunit_command(tree, build_dir, jobs=jobs, timeout=timeout,
                        ccache=shutil.which('ccache') is not None)
    if not kvm and pathlib.Path('/dev/kvm').exists():
        cmd = without_kvm(cmd)
    print('+', ' '.join(cmd), flush=True)
    started = time.monotonic()
    with log.open('w') as out:
        rc = subprocess.run(['nice', *cmd], cwd=tree, stdout=out, stderr=subprocess.STDOUT,
                            check=False).returncode
    return rc, time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--kernel', required=True, type=pathlib.Path, help='kernel source tree')
    ap.add_argument('--build-dir', type=pathlib.Path,
                    help='out-of-tree build directory (default: /tmp/kunit-<tree name>)')
    ap.add_argument('--log', type=pathlib.Path, help='console log (default: BUILD_DIR/kunit.log)')
    ap.add_argument('--parse-only', action='store_true', help='judge an existing --log')
    ap.add_argument('--require-case', action='append', default=[], metavar='SUITE.CASE',
                    help='a test case that must have run (repeatable)')
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--timeout', type=int, default=1800, help='seconds for the tests to run')
    ap.add_argument('--kvm', action='store_true',
                    help='let QEMU use KVM (default: TCG, see without_kvm())')
    args = ap.parse_args(argv)

    tree = args.kernel.resolve()
    build_dir = (args.build_dir or pathlib.Path('/tmp') / f'kunit-{tree.name}').resolve()
    if build_dir == tree or tree in build_dir.parents:
        ap.error('the build directory must be outside the tree')
    log = args.log or build_dir / 'kunit.log'
    if not (tree / 'tools/testing/kunit/kunit_parser.py').is_file():
        ap.error(f'{tree}: no tools/testing/kunit/kunit_parser.py: not a kernel tree?')
    parser = results.load_parser(tree)
    rc, seconds = 0, 0.0
    if not args.parse_only:
        build_dir.mkdir(parents=True, exist_ok=True)
        rc, seconds = run(tree, build_dir, log, jobs=args.jobs, timeout=args.timeout,
                          kvm=args.kvm)
    console = log.read_text(errors='replace')
    status, suites = results.kunit_run(parser, console)
    v7s = v7s_selftest(console)
    problems = decide(status, suites, v7s, required(tree), args.require_case)
    if rc:
        problems.insert(0, f'kunit.py exited {rc} (see {log})')
    print(format_counts(suites))
    print(f'v7s selftest: {v7s[0]} ({v7s[1]})')
    total = [sum(getattr(s, k) for s in suites) for k in ('passed', 'failed', 'skipped')]
    print(f'{len(suites)} suites, {total[0]} passed, {total[1]} failed, {total[2]} skipped'
          + (f', {seconds:.0f} s' if seconds else ''))
    for problem in problems:
        print('FAIL:', problem)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
