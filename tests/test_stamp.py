"""generator/stamp.py and the Message-Ids: the same input gives byte-identical patches."""

import shutil
import time

import kernel_fixture
import test_versions


def _files(out):
    return {p.name: p.read_bytes() for p in sorted(out.glob('*.patch')) + sorted(out.glob('*.txt'))}


def test_two_runs_of_the_same_input_write_identical_patches(tmp_path, monkeypatch):
    tree = kernel_fixture.write_tree(tmp_path / 'linux', dict(kernel_fixture.FILES,
                                                              **kernel_fixture.MAINTAINER_FILES))
    v1 = test_versions._generate(tree, tmp_path, 1)
    first = _files(tmp_path / 'out-v1')
    shutil.copytree(tmp_path / 'out-v1', tmp_path / 'v1-first')
    thread = test_versions.write_thread(tmp_path / 'v1-first', tmp_path / 'v1.mbox')
    v2 = test_versions._generate(tree, tmp_path, 2, prev=str(tmp_path / 'v1-first'), thread=thread)
    second = _files(tmp_path / 'out-v2')
    time.sleep(1.1)     # a run a second later: git would stamp another date
    again = test_versions._generate(tree, tmp_path, 1)
    assert _files(tmp_path / 'out-v1') == first
    assert again['b4'] == v1['b4']
    assert [s['commit'] for s in again['steps']] == [s['commit'] for s in v1['steps']]
    test_versions._generate(tree, tmp_path, 2, prev=str(tmp_path / 'v1-first'), thread=thread)
    assert _files(tmp_path / 'out-v2') == second
    # What must change does: another version, other ids.
    assert v2['b4']['message_id'] != v1['b4']['message_id']
    assert '-v2-0-' in v2['b4']['message_id'] and v2['b4']['message_id'].endswith('@example.org')
    cover = (tmp_path / 'out-v2' / 'v2-0002-iommu-toy-return-PHYS_ADDR_MAX-on-error.patch')
    assert f'In-Reply-To: <{v2["b4"]["message_id"]}>\n' in cover.read_text()


def test_source_date_epoch_sets_the_dates(tmp_path, monkeypatch):
    tree = kernel_fixture.write_tree(tmp_path / 'linux')
    monkeypatch.setenv('SOURCE_DATE_EPOCH', '1700000000')
    test_versions._generate(tree, tmp_path, 1)
    patch = next((tmp_path / 'out-v1').glob('v1-0001-*')).read_text()
    assert 'Date: Tue, 14 Nov 2023 22:13:21 +0000\n' in patch
    cover = next((tmp_path / 'out-v1').glob('v1-0000-*')).read_text()
    assert 'Date: Tue, 14 Nov 2023 22:13:20 +0000\n' in cover
