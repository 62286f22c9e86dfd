"""The audit rule runs as the kernel's own tools run it: `make coccicheck
COCCI=cocci/audit/iova_to_phys.cocci MODE=report M=drivers/iommu` inside
the base 7.2 tree (a scratch worktree of it), and reports what
`make audit`'s spatch pass reports there."""

import os
import pathlib
import re
import shutil
import subprocess

import pytest

from generator import audit
from generator.audit import rule

REPO = pathlib.Path(__file__).resolve().parent.parent
RULE = REPO / 'cocci' / 'audit' / 'iova_to_phys.cocci'
SUBDIR = 'drivers/iommu'

pytestmark = pytest.mark.skipif(not shutil.which('spatch'),
                                reason='spatch is not installed (Debian package coccinelle)')


@pytest.fixture(scope='module')
def base_worktree(series_env, tmp_path_factory):
    base = pathlib.Path(os.environ['IOVA_BASE_TREE'])
    path = tmp_path_factory.mktemp('coccicheck') / 'linux'
    subprocess.run(['git', '-C', str(base), 'worktree', 'add', '-q', '--detach', str(path),
                    'HEAD'], check=True)
    yield path
    subprocess.run(['git', '-C', str(base), 'worktree', 'remove', '--force', str(path)],
                   check=True)


def test_coccicheck_reports_what_make_audit_reports(base_worktree, base_audit):
    proc = subprocess.run(['make', 'coccicheck', f'COCCI={RULE}', 'MODE=report',
                           f'M={SUBDIR}', 'J=2'], cwd=base_worktree,
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-2000:]
    # M= makes spatch print paths relative to the directory.
    output = re.sub(r'^\./', SUBDIR + '/', proc.stdout, flags=re.M)
    assert 'EXN' not in output, [line for line in output.splitlines() if 'EXN' in line]
    from_coccicheck = {(f.file, f.line, f.kind) for f in rule.parse(output)}

    # the worktree is at the base commit: make audit's findings there, under M=
    from_audit = {(f.file, f.line, f.kind) for f in base_audit.findings
                  if f.file.startswith(SUBDIR + '/') and 'spatch' in f.method}
    assert from_coccicheck == from_audit
    kinds = {kind for _, _, kind in from_coccicheck}
    assert {1, 2, 3} <= kinds
    # the worktree is left as it was: coccicheck writes nothing into the tree
    status = subprocess.run(['git', '-C', str(base_worktree), 'status', '--porcelain',
                             '--ignored'], capture_output=True, text=True, check=True).stdout
    assert status == ''
