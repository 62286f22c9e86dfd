"""ci.check end to end on scratch series of the 7.2 tree, with real builds.

Slow (minutes each, real x86_64 allmodconfig object builds): run with
    CHECK_SLOW=1 /usr/bin/python3 -m pytest -v tests/test_check_builds.py
They share $IOVA_CACHE/check (default ~/.cache/iova-to-phys-length) with `make
check`.  The tree is $KERNEL_TREE, else Debian's 7.2 tree as `make series`
gets it.
"""

import json
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time
import uuid

import pytest

from ci.check import main, recipients, scratch
from debian_trees import debian_tree

pytestmark = [
    pytest.mark.skipif(not os.environ.get('CHECK_SLOW'), reason='slow: set CHECK_SLOW=1'),
]


@pytest.fixture(scope='module')
def tree():
    return debian_tree('7.2', 'KERNEL_TREE')


@pytest.fixture
def make_series(tmp_path, tree):
    made = []

    def make(variant, token=''):
        branch = f'scratch/check-test-{variant}-{uuid.uuid4().hex[:8]}'
        work, out = tmp_path / f'work-{variant}', tmp_path / f'out-{variant}'
        scratch.make(tree, work, out, branch, variant, token)
        made.append((work, branch))
        return out
    yield make
    for work, branch in made:
        scratch.remove(tree, work, branch)


def _cells(out, arch='x86_64'):
    data = json.loads((out / 'check.json').read_text())
    return {step: cell for step, cell in data['arch_runs'][arch]['cells'].items()}, data


def test_a_broken_commit_turns_exactly_its_cell_red(make_series):
    out = make_series('broken')
    assert main.main(['--series', str(out), '--quick']) == 1
    cells, data = _cells(out)
    assert {s: c['status'] for s, c in cells.items()} == {
        'core-helper': 'ok', 'drivers-comment': 'fail', 'sprd-fix': 'ok'}
    assert cells['drivers-comment']['failed'] == ['drivers/iommu/sprd-iommu.o']
    assert any('sprd-iommu.c' in e and 'error' in e for e in cells['drivers-comment']['errors'])
    assert (out / cells['drivers-comment']['log']).is_file()
    # the header commit rebuilt the users of include/linux/iommu.h, not just one object
    assert len(cells['core-helper']['objects']) > 20
    assert 'drivers/iommu/sprd-iommu.o' in cells['sprd-fix']['objects']
    assert data['checkpatch']['failing'] == []
    md = (out / 'report.md').read_text()
    assert '[**FAIL**](logs/x86_64/02-drivers-comment.log)' in md


def test_new_w1_warning_coverage_and_recipients(make_series):
    out = make_series('warn')
    assert main.main(['--series', str(out), '--arches', 'x86_64']) == 1
    cells, data = _cells(out)
    assert {s: c['status'] for s, c in cells.items()} == {
        'core-helper': 'ok', 'drivers-comment': 'ok', 'sprd-fix': 'ok'}
    assert [s for s, c in cells.items() if c['new_warnings']] == ['sprd-fix']
    assert 'unused_pages' in cells['sprd-fix']['new_warnings'][0]
    assert 'Wunused-but-set-variable' in cells['sprd-fix']['new_warnings'][0]

    cov = data['coverage']
    where = {(u['file'], u['reason'].split(':')[0]) for u in cov['uncovered']}
    # the !CONFIG_IOMMU_API stub and the 32-bit ARM only msm driver are not compiled on x86_64
    assert {u['file'] for u in cov['uncovered']} == {'include/linux/iommu.h',
                                                      'drivers/iommu/msm_iommu.c'}
    msm = [u for u in cov['uncovered'] if u['file'] == 'drivers/iommu/msm_iommu.c']
    assert msm and 'CONFIG_MSM_IOMMU (x86_64=n)' in msm[0]['reason']
    stub = [u for u in cov['uncovered'] if u['file'] == 'include/linux/iommu.h']
    assert len(stub) == 4 and all('CONFIG_IOMMU_API' in u['reason'] for u in stub), where
    assert cov['covered'] == cov['total'] - len(cov['uncovered']) and cov['covered'] >= 5

    patch = next(out.glob('v1-0003-*.patch')).read_text()
    head = patch.split('\n\n', 1)[0]
    assert '\nTo: ' in head and 'iommu@lists.linux.dev' in head
    before = {p.name: p.read_text() for p in out.glob('v1-*.patch')}
    recipients.write_all(main.check_worktree_path(main.series_mod.load(out)), out,
                         [n for n in sorted(before) if '0000' not in n],
                         'v1-0000-cover-letter.patch')
    assert {p.name: p.read_text() for p in out.glob('v1-*.patch')} == before


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.mark.parametrize('how', [
    'CCACHE_PREFIX',
    pytest.param('CC', marks=pytest.mark.skipif(
        os.environ.get('CHECK_SLOW', '') < '2',
        reason='CC="distcc gcc" changes every command line, so Kbuild rebuilds all: '
               'CHECK_SLOW=2')),
])
def test_builds_go_through_distcc(make_series, tmp_path, monkeypatch, how):
    if not shutil.which('distccd'):
        pytest.fail('distccd not found: make test installs Debian package distcc')
    out = make_series('clean', token=uuid.uuid4().hex)     # a code change no cache has seen
    port = _free_port()
    # distccd started as root serves as user distccd, which cannot enter
    # pytest's root-only tmp_path: its log goes to a directory it can write
    logdir = pathlib.Path(tempfile.mkdtemp(prefix='distccd-'))
    logdir.chmod(0o777)
    log = logdir / 'distccd.log'
    daemon = subprocess.Popen(['distccd', '--no-detach', '--daemon', '--allow', '127.0.0.1',
                               '--listen', '127.0.0.1', '--port', str(port), '--jobs', '2',
                               '--log-file', str(log), '--log-level', 'info'])
    try:
        time.sleep(1)
        if how == 'CC':
            monkeypatch.setenv('CC', 'distcc gcc')
        else:
            monkeypatch.setenv('CC', 'ccache gcc')
            monkeypatch.setenv('CCACHE_PREFIX', 'distcc')
        monkeypatch.setenv('DISTCC_HOSTS', f'127.0.0.1:{port}/2')
        monkeypatch.setenv('DISTCC_FALLBACK', '0')          # fail rather than compile here
        monkeypatch.setenv('DISTCC_SKIP_LOCAL_RETRY', '1')
        assert main.main(['--series', str(out), '--quick']) == 0
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)
    cells, _ = _cells(out)
    assert {c['status'] for c in cells.values()} == {'ok'}
    served = log.read_text()
    shutil.rmtree(logdir)
    assert 'COMPILE_OK' in served and 'sprd-iommu.c' in served
