"""Slow: build the generated tree (conftest's boot_tree: $CI_BOOT_TREE, else
the 7.2 series make test generates) and boot it on x86_64 (TCG) with the
emulated Intel IOMMU, through the same command line as `make boot`.
The first build of a tree takes tens of minutes on two cores; later ones
are served by ccache."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ci.boot import suites

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.full
def test_boot_x86_64_intel_iommu(tmp_path, boot_tree, boot_base, figures):
    """Every suite runs and passes something; what fails, fails on the
    base kernel too (7.2's iommufd selftests have 5 failures of their own),
    and the console of the generated kernel has no bug report."""
    tree = str(boot_tree)
    proc = subprocess.run([sys.executable, '-m', 'ci.boot', '--tree', tree,
                           '--arch', 'x86_64', '--machine', 'intel-iommu',
                           '--out', str(tmp_path)] + (['--base', boot_base] if boot_base else []),
                          cwd=REPO, capture_output=True, text=True, timeout=4 * 3600)
    report = tmp_path / 'boot-x86_64-intel-iommu.json'
    assert report.exists(), proc.stdout + proc.stderr
    data = json.loads(report.read_text())
    boot = data['boot']
    base = data['base'] or {'suites': []}
    before = {s['name']: s for s in base['suites']}
    figures(f'boot x86_64 intel-iommu: {"PASS" if data["passed"] else "FAIL"} in {boot["seconds"]} s'
            + (' (against the base)' if data['base'] else '') + ''.join(
                f'\n  {s["name"]:<30} {s["passed"]}/{s["failed"]}/{s["skipped"]}'
                + (f'   base {b["passed"]}/{b["failed"]}/{b["skipped"]}'
                   if (b := before.get(s['name'])) else '')
                for s in boot['suites']))
    assert proc.returncode == 0 and data['passed'], '\n'.join(
        data['regressions'] if boot_base else boot['problems'])
    names = {s['name'] for s in boot['suites']}
    # what the tree has: 7.2's VFIO selftest, 6.12's LPAE boot selftest
    expect = suites.expected(Path(tree))
    assert {'iommufd', 'iommufd_fail_nth', 'vfio'} | set(expect.selftests) <= names
    assert ('vfio_dma_mapping_test' in names) == ('vfio_dma_mapping_test' in expect.programs)
    assert all(s['passed'] > 0 for s in boot['suites'])
    assert boot['findings'] == [] and boot['errors'] == [] and boot['missing'] == []
    if not boot_base:
        assert all(s['failed'] == 0 for s in boot['suites'])
    assert (tmp_path / 'logs' / 'x86_64-intel-iommu' / 'console.log').stat().st_size > 0
