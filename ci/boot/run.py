"""make boot: build a tree (and optionally its base), boot every machine
of the arch, write a markdown table and JSON per boot, exit non-zero on
any failure."""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

from ci import kconfig
from ci.arches import GUEST_ARCHES
from ci.guest import build as guest_build
from ci.guest import protocol, qemu

from . import build, report, results, scan, suites

# Huge pages: the iommufd dirty-tracking selftests map up to 128M of 2M
# pages, the VFIO tests 8M of 2M pages and one 1G page at a time.
HUGEPAGES = 'hugepagesz=2M hugepages=128 hugepagesz=1G hugepages=1'


def kernel_params(machine: qemu.Machine, test_timeout: int) -> list[str]:
    """The test guest's kernel parameters: strict invalidation, huge pages,
    and the tests its init runs (init.sh), KUnit among them."""
    return ['iommu.strict=1', HUGEPAGES, 'kunit.autorun=0',
            f'citests={",".join(machine.tests)}', f'citimeout={test_timeout}']


def required_suites(machine: qemu.Machine, expect: suites.Expected) -> list[str]:
    """What a boot of the machine must report for a tree with these tests:
    the KUnit suites on the kunit machines, the boot selftests everywhere,
    and the machine's test programs that the tree has."""
    programs = [t for t in suites.machine_tests(machine.tests, expect) if t != 'kunit']
    return (expect.kunit if machine.kunit else []) + expect.selftests + programs


def evaluate(machine: qemu.Machine, tree: str, run: qemu.Run, parser,
             expect: suites.Expected, unbuilt: dict[str, str] | None = None) -> report.Boot:
    """Everything the boot printed, judged against what the tree has; a
    program of the tree that did not build (unbuilt: its first error)
    counts as a failed suite."""
    unbuilt = unbuilt or {}
    boot = report.Boot(machine.arch, machine.name, tree, seconds=run.seconds)
    found = protocol.sections(run.results)
    boot.suites = [results.kunit_section_suite(parser, section)
                   for name, section in found.items()
                   if name.startswith(results.KUNIT_SECTION)]
    for selftest in (results.lpae_selftest_suite(run.console),
                     results.v7s_suite(run.console)):
        if selftest:
            boot.suites.append(selftest)
    for name in machine.tests:
        if name in unbuilt:
            boot.suites.append(results.Suite(name, errors=[f'did not build: {unbuilt[name]}']))
        elif name in found:
            boot.suites.append(results.tap_suite(parser, found[name]))
    seen = {s.name for s in boot.suites}
    boot.missing = [n for n in required_suites(machine, expect) if n not in seen]
    boot.findings = scan.scan(run.console)
    if run.timed_out:
        boot.errors.append(f'timed out after {run.seconds:.0f} s')
    elif run.exit_code:
        boot.errors.append(f'qemu exit code {run.exit_code}')
    if not protocol.finished(run.results):
        boot.errors.append('guest init did not finish (no "@@@ DONE")')
    return boot


def export_commit(tree: Path, commit: str) -> Path:
    """A commit of the tree's git repository, as a plain directory in the
    cache (git archive: nothing is written to the repository)."""
    rev = subprocess.run(['git', '-C', str(tree), 'rev-parse', '--verify',
                  commit + '^{commit}'], check=True, capture_output=True,
                 text=True).stdout.strip()
    dest = guest_build.CACHE / 'src' / rev[:12]
    if not (dest / 'Makefile').exists():
        dest.mkdir(parents=True, exist_ok=True)
        archive = subprocess.Popen(['git', '-C', str(tree), 'archive', rev],
                       stdout=subprocess.PIPE)
        subprocess.run(['tar', '-x', '-C', str(dest)], stdin=archive.stdout,
                   check=True)
        if archive.wait():
            raise guest_build.BuildError(f'git archive {rev} failed')
    return dest


def resolve_base(tree: Path, base: str) -> Path:
    if Path(base, 'Makefile').exists():
        return Path(base)
    return export_commit(tree, base)


def boot_all(tree: Path, arch: str, machines: list[str], out: Path, tag: str,
         args) -> tuple[dict[str, report.Boot], guest_build.Built]:
    expect = suites.expected(tree, kconfig.requested(build.fragments(arch)).get(
        'CONFIG_IOMMU_PT_KUNIT_TEST', 'n') != 'n')
    print(f'ci.boot: {tree} has the KUnit suites {", ".join(expect.kunit) or "(none)"}; '
          f'the boot selftests {", ".join(expect.selftests) or "(none)"}; '
          f'the test programs {", ".join(expect.programs) or "(none)"}', flush=True)
    print(f'ci.boot: building {tree} for {arch}', flush=True)
    built = build.build(tree, arch, out / 'logs' / f'build-{arch}{tag}.log')
    print(f'ci.boot: kernel build {built.kernel_seconds:.0f} s wall, '
          f'{built.kernel_cpu_seconds or 0:.0f} s CPU', flush=True)
    parser = results.load_parser(tree)
    boots = {}
    for program, error in built.unbuilt.items():
        print(f'ci.boot: {program} did not build (a failed suite of every boot '
              f'that runs it): {error}', flush=True)
    for name in machines:
        machine = qemu.MACHINES[name]
        machine = dataclasses.replace(machine, tests=suites.machine_tests(
            [t for t in machine.tests if not args.test or t in args.test], expect))
        runnable = dataclasses.replace(machine, tests=[t for t in machine.tests
                                                       if t not in built.unbuilt])
        logs = out / 'logs' / f'{arch}-{name}{tag}'
        print(f'ci.boot: booting {name}{tag}', flush=True)
        run = qemu.boot(runnable, built.image, built.initramfs,
                        kernel_params(runnable, args.test_timeout), logs,
                        args.timeout, args.accel)
        boots[name] = evaluate(machine, str(tree), run, parser, expect, built.unbuilt)
        print(f'ci.boot: {name}{tag}: {"PASS" if boots[name].ok else "FAIL"}'
              f' in {run.seconds:.0f} s', flush=True)
    return boots, built


def build_figures(built: guest_build.Built) -> dict:
    return {'kernel_wall_seconds': round(built.kernel_seconds, 1),
            'kernel_cpu_seconds': built.kernel_cpu_seconds,
            'obj': str(built.obj), 'log': str(built.log)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog='python3 -m ci.boot', description=__doc__)
    ap.add_argument('--tree', required=True, type=Path, help='kernel source tree to test')
    ap.add_argument('--arch', default='x86_64', choices=sorted(GUEST_ARCHES))
    ap.add_argument('--machine', action='append', choices=sorted(qemu.MACHINES),
            help='machine to boot (repeatable; default: all of the arch)')
    ap.add_argument('--base', help='base tree, or a commit of --tree, for the before column')
    ap.add_argument('--out', required=True, type=Path)
    ap.add_argument('--test', action='append', choices=sorted(
                        {t for m in qemu.MACHINES.values() for t in m.tests}),
                    help='run only this test of each machine (repeatable; default: all)')
    ap.add_argument('--timeout', type=int, default=1800, help='seconds per boot')
    ap.add_argument('--test-timeout', type=int, default=900,
            help='seconds per user-space test program in the guest')
    ap.add_argument('--accel', choices=['tcg', 'kvm'], default='tcg',
                    help='x86_64 accelerator (arm64 is always tcg). Default tcg: '
                    'this machine\'s /dev/kvm (kvm-pvm) hangs in the kernel '
                    'decompressor')
    ap.add_argument('--config-only', action='store_true',
                    help='only make the .config and check every requested symbol')
    args = ap.parse_args(argv)
    machines = args.machine or qemu.DEFAULT_MACHINES[args.arch]
    for name in machines:
        if qemu.MACHINES[name].arch != args.arch:
            ap.error(f'machine {name} is {qemu.MACHINES[name].arch}, not {args.arch}')
    if args.config_only:
        try:
            dotconfig = build.configure(args.tree, args.arch,
                                        args.out / 'logs' / f'config-{args.arch}.log')
        except guest_build.BuildError as err:
            print(f'ci.boot: {err}', file=sys.stderr)
            return 2
        print(f'ci.boot: {dotconfig}: every requested symbol that the tree defines is set')
        return 0
    if args.arch != 'x86_64' and args.accel == 'kvm':
        ap.error('--accel kvm is for x86_64 only')
    if args.accel == 'kvm' and not os.access('/dev/kvm', os.R_OK | os.W_OK):
        ap.error('--accel kvm needs /dev/kvm')
    args.out.mkdir(parents=True, exist_ok=True)

    try:
        boots, built = boot_all(args.tree, args.arch, machines, args.out, '', args)
        bases: dict[str, report.Boot] = {}
        builds = {'tree': build_figures(built)}
        if args.base:
            base_tree = resolve_base(args.tree, args.base)
            bases, base_built = boot_all(base_tree, args.arch, machines,
                             args.out, '-base', args)
            builds['base'] = build_figures(base_built)
    except (guest_build.BuildError, suites.LayoutError, subprocess.CalledProcessError) as err:
        print(f'ci.boot: {err}', file=sys.stderr)
        return 2

    (args.out / f'build-{args.arch}.json').write_text(json.dumps(builds, indent=1) + '\n')
    failed = False
    for name, boot in boots.items():
        base = bases.get(name)
        stem = args.out / f'boot-{args.arch}-{name}'
        stem.with_suffix('.md').write_text(report.markdown(boot, base))
        stem.with_suffix('.json').write_text(report.to_json(boot, base))
        print(report.markdown(boot, base))
        failed |= not report.passed(boot, base)
    return 1 if failed else 0
