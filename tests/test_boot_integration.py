"""Slow: build the tree named by $CI_BOOT_TREE and boot it on x86_64 (TCG)
with the emulated Intel IOMMU, through the same command line as `make boot`.
The first build of a tree takes tens of minutes on two cores; later ones
are served by ccache."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ci.boot import suites

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_boot_x86_64_intel_iommu(tmp_path):
    tree = os.environ.get('CI_BOOT_TREE')
    if not tree:
        pytest.skip('CI_BOOT_TREE is not set (a kernel tree to build and boot)')
    proc = subprocess.run([sys.executable, '-m', 'ci.boot', '--tree', tree,
                           '--arch', 'x86_64', '--machine', 'intel-iommu',
                           '--out', str(tmp_path)], cwd=REPO,
                          capture_output=True, text=True, timeout=4 * 3600)
    report = tmp_path / 'boot-x86_64-intel-iommu.json'
    assert report.exists(), proc.stdout + proc.stderr
    boot = json.loads(report.read_text())['boot']
    assert proc.returncode == 0, '\n'.join(boot['problems'])
    names = {s['name'] for s in boot['suites']}
    # what the tree has: 7.2's VFIO selftest, 6.12's LPAE boot selftest
    expect = suites.expected(Path(tree))
    assert {'iommufd', 'iommufd_fail_nth', 'vfio'} | set(expect.selftests) <= names
    assert ('vfio_dma_mapping_test' in names) == ('vfio_dma_mapping_test' in expect.programs)
    assert all(s['passed'] > 0 and s['failed'] == 0 for s in boot['suites'])
    assert (tmp_path / 'logs' / 'x86_64-intel-iommu' / 'console.log').stat().st_size > 0
