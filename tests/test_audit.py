"""generator/audit and cocci/audit/iova_to_phys.cocci.

The cases under tests/cocci/audit are small project-written C files; each
<case>.expected lists the findings (line kind method function) the audit must
report, no more and no fewer, so the look-alike traps check for false
positives.  patch_fixes.fixed.c is patch_fixes.c after patch mode.

Two tests read real trees and skip without them:
    IOVA_BASE_TREE=/path/to/linux-7.2   the tree the series starts from
    IOVA_TREE=/path/to/converted/linux  the generator's output
"""

import os
import pathlib
import re
import shutil
import subprocess

import pytest

from generator import audit
from generator.audit import report, rule
from generator.audit.findings import Kind


CASES = pathlib.Path(__file__).resolve().parent / 'cocci' / 'audit'
HEADER = 'audit_types.h'     # the ops structs, with the old member

pytestmark = pytest.mark.skipif(not shutil.which('spatch'),
                                reason='spatch not installed (Debian package coccinelle)')


def _expected(case: str) -> set[tuple[int, int, str, str]]:
    rows = set()
    for text in (CASES / f'{case}.expected').read_text().splitlines():
        text = text.split('#')[0].split()
        if text:
            rows.add((int(text[0]), int(text[1]), text[2], text[3]))
    return rows


def _copy(tmp_path: pathlib.Path, *names: str) -> pathlib.Path:
    for name in names:
        shutil.copy(CASES / name, tmp_path / name)
    for header in CASES.glob('*.h'):
        shutil.copy(header, tmp_path / header.name)
    return tmp_path


def _git(tree: pathlib.Path) -> pathlib.Path:
    """The audit greps with git: the files of a tree in its index."""
    if not (tree / '.git').exists():
        for args in (['init', '-q'], ['add', '.']):
            subprocess.run(['git', *args], cwd=tree, check=True)
    return tree


def _rows(result: audit.Audit) -> set[tuple[int, int, str, str]]:
    return {(f.line, f.kind, f.method, f.function) for f in result.findings}


CASE_NAMES = sorted(p.stem for p in CASES.glob('*.c') if not p.stem.endswith('.fixed'))


def test_every_case_has_expectations():
    assert CASE_NAMES
    for case in CASE_NAMES:
        assert (CASES / f'{case}.expected').is_file(), case


@pytest.mark.parametrize('case', CASE_NAMES)
def test_case_findings(tmp_path, case):
    tree = _git(_copy(tmp_path, f'{case}.c'))
    result = audit.find(tree, jobs=1, files=[f'{case}.c'])
    assert not result.warnings
    assert _rows(result) == _expected(case)
    assert all(f.file == f'{case}.c' for f in result.findings)


def test_kind_3_never_fails_the_audit(tmp_path):
    tree = _git(_copy(tmp_path, 'k3_loops.c'))
    result = audit.find(tree, jobs=1, files=['k3_loops.c'])
    assert result.count(Kind.LOOP) > 0 and not result.failed()


def test_trap_private_op_is_a_note_not_a_finding(tmp_path):
    tree = _git(_copy(tmp_path, 'trap_lookalikes.c'))
    result = audit.find(tree, jobs=1, files=['trap_lookalikes.c'])
    assert result.findings == []
    # mmu->ops->iova_to_phys() of the private struct: shown for a human to judge.
    assert [n.line for n in result.notes] == [29]


def test_patch_mode(tmp_path):
    tree = _git(_copy(tmp_path, 'patch_fixes.c'))
    before = audit.find(tree, jobs=1, files=['patch_fixes.c'])
    diff, warnings = rule.run(tree, ['patch_fixes.c'], 'patch', 1)
    assert not warnings
    patched = report.patched_lines(diff)
    left = {(f.kind, f.function) for f in before.findings if not report.is_patched(f, patched)}
    assert left == {(2, 'toy_fault'), (4, 'toy_busy_lookup')}

    subprocess.run(['patch', '-p1', '--quiet'], input=diff, text=True, cwd=tree, check=True)
    assert (tree / 'patch_fixes.c').read_text() == (CASES / 'patch_fixes.fixed.c').read_text()
    after = audit.find(tree, jobs=1, files=['patch_fixes.c'])
    assert {(f.kind, f.function) for f in after.findings} == left


def _kernel_like(tmp_path: pathlib.Path, case: str, converted: bool = False) -> pathlib.Path:
    """A tree with one case; converted=True drops the old op members from
    the header, as the series' last commit does (else they are kind 0)."""
    tree = tmp_path / 'linux'
    (tree / 'drivers' / 'toy').mkdir(parents=True)
    (tree / 'Makefile').write_text('# not a kernel\n')
    _copy(tree / 'drivers' / 'toy', f'{case}.c')
    if converted:
        header = tree / 'drivers' / 'toy' / HEADER
        text, n = re.subn(r'\tphys_addr_t \(\*iova_to_phys\)\(.*?\);\n', '',
                          header.read_text(), flags=re.S)
        assert n == 2
        header.write_text(text)
    return _git(tree)


@pytest.mark.parametrize('case, status', [('k1_macro', 1), ('k3_loops', 0), ('trap_lookalikes', 0)])
def test_main(tmp_path, capsys, case, status):
    tree = _kernel_like(tmp_path, case, converted=True)
    assert audit.main(tree, jobs=1) == status
    out = capsys.readouterr().out
    for row in _expected(case):
        assert f'drivers/toy/{case}.c:{row[0]}: kind {row[1]} [{row[2]}] {row[3]}:' in out
    kind_1 = sum(1 for row in _expected(case) if row[1] == 1)
    assert f'kind 1: {kind_1:3d}' in out
    assert 'wall time' in out


def test_main_org_mode(tmp_path, capsys):
    tree = _kernel_like(tmp_path, 'k2_calls')
    assert audit.main(tree, 'org', jobs=1) == 1
    todo = [t for t in capsys.readouterr().out.splitlines()
            if t.startswith('* TODO [[view:drivers/toy/k2_calls.c::')]
    assert len(todo) == len(_expected('k2_calls'))


def test_main_members_fail_the_audit(tmp_path, capsys):
    tree = _kernel_like(tmp_path, 'k3_loops')
    assert audit.main(tree, jobs=1) == 1
    assert 'kind 0:   2' in capsys.readouterr().out


def test_parse_spatch_report_and_org():
    report_line = 'a/b.c:12:3-15: kind 1: .iova_to_phys = f initialises struct x (in ops)'
    org = ('* TODO [[view:a/b.c::face=ovl-face1::linb=12::colb=3::cole=15]'
           '[kind 1: .iova_to_phys = f initialises struct x (in ops)]]')
    assert rule.parse(report_line) == rule.parse(org) == [
        audit.Finding('a/b.c', 12, Kind.INITIALISER, 'ops', 'spatch',
                      '.iova_to_phys = f initialises struct x')]


def _tree_from(var: str) -> pathlib.Path:
    tree = os.environ.get(var)
    if not tree:
        pytest.skip(f'{var} is not set: point it at a kernel tree')
    return pathlib.Path(tree)


# The trees: the generated 7.2 tree and its base (tests/conftest.py),
# unless IOVA_TREE / IOVA_BASE_TREE are set.
def test_base_tree(capsys, base_audit):
    """The 7.2 tree: what kernel-notes sections 2-3 list, and no look-alike."""
    result = base_audit
    with capsys.disabled():
        print(f'\naudit of IOVA_BASE_TREE: {result.seconds:.1f}s, '
              + ', '.join(f'kind {k:d}: {result.count(k)}' for k in Kind))
    assert not result.warnings
    init = {(f.file, f.method) for f in result.findings if f.kind == 1}
    drivers = ['apple-dart.c', 'arm/arm-smmu-v3/arm-smmu-v3.c', 'arm/arm-smmu/arm-smmu.c',
               'arm/arm-smmu/qcom_iommu.c', 'exynos-iommu.c', 'fsl_pamu_domain.c',
               'ipmmu-vmsa.c', 'msm_iommu.c', 'mtk_iommu.c', 'mtk_iommu_v1.c',
               'omap-iommu.c', 'rockchip-iommu.c', 'sprd-iommu.c', 'sun50i-iommu.c',
               'tegra-smmu.c', 'virtio-iommu.c', 'vsi-iommu.c',
               'io-pgtable-arm.c', 'io-pgtable-arm-v7s.c', 'io-pgtable-dart.c']
    for name in drivers:
        assert (f'drivers/iommu/{name}', 'spatch+tokens') in init, name
    assert ('drivers/iommu/s390-iommu.c', 'tokens') in init
    assert ('include/linux/generic_pt/iommu.h', 'tokens') in init
    assert len(init) == len(drivers) + 2

    calls = {(f.file, f.function) for f in result.findings if f.kind == 2}
    for site in [('drivers/iommu/apple-dart.c', 'apple_dart_iova_to_phys'),
                 ('drivers/iommu/ipmmu-vmsa.c', 'ipmmu_iova_to_phys'),
                 ('drivers/iommu/mtk_iommu.c', 'mtk_iommu_iova_to_phys'),
                 ('drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c', 'arm_smmu_iova_to_phys'),
                 ('drivers/iommu/arm/arm-smmu/arm-smmu.c', 'arm_smmu_iova_to_phys'),
                 ('drivers/iommu/arm/arm-smmu/arm-smmu.c', 'arm_smmu_iova_to_phys_hard'),
                 ('drivers/iommu/arm/arm-smmu/qcom_iommu.c', 'qcom_iommu_iova_to_phys'),
                 ('drivers/iommu/arm/arm-smmu/arm-smmu-qcom-debug.c', 'qcom_smmu_context_fault'),
                 ('drivers/gpu/drm/panfrost/panfrost_mmu.c', 'panfrost_mmu_unmap'),
                 ('drivers/gpu/drm/panthor/panthor_mmu.c', 'panthor_vm_unmap_pages'),
                 ('drivers/iommu/iommufd/selftest.c', 'iommufd_test_md_check_pa'),
                 ('drivers/iommu/iommu.c', 'iommu_iova_to_phys'),
                 ('drivers/iommu/io-pgtable-arm-selftests.c', 'arm_lpae_run_tests'),
                 ('drivers/iommu/io-pgtable-arm-v7s.c', 'arm_v7s_do_selftests')]:
        assert site in calls, site
    assert result.count(4) == 0
    assert result.count(0) == 4          # two members and their kernel-doc

    loops = {f.function for f in result.findings if f.kind == 3}
    assert {'batch_from_domain', 'raw_pages_from_domain', 'vfio_unmap_unpin',
            'vfio_iommu_replay', 'iommu_create_device_direct_mappings'} <= loops
    lookalike = ('ipu6', 'ipu7', 'nicvf', 'otx2', 'qcom_iova_to_phys', 'dpaa2', 'caam')
    assert not [f for f in result.findings if f.kind != 3 and any(
        s in f.file or s in f.function for s in lookalike)]
    assert result.notes == []


@pytest.fixture(scope='module')
def generated(series_env):
    return audit.find(_tree_from('IOVA_TREE'))


def test_generated_tree_has_no_leftovers(generated):
    """The generator's output: nothing of the old op is left."""
    assert not generated.warnings
    left = [f for f in generated.findings if f.kind in (1, 2, 4)]
    assert left == [], '\n'.join(f'{f.file}:{f.line}: kind {f.kind} {f.reason}' for f in left)
    # The base tree has no private iova_to_phys fields (test_base_tree), so
    # any field use left here is the op, whatever spatch made of it.
    assert generated.notes == []


def test_generated_tree_drops_the_members(generated):
    members = [f for f in generated.findings if f.kind == 0]
    assert members == [], '\n'.join(f'{f.file}:{f.line}: {f.reason}' for f in members)
