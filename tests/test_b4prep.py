"""generator/b4prep.py with the real b4: the series branch is one `b4 prep` manages.

On the fixture tree with a tiny get_maintainer.pl: b4 prep --show-info reads
the branch, b4 send -o writes the generator's patches (same bodies, the
cover letter's recipients), and after v2 is generated with PREV=v1,
b4 prep --compare-to v1 range-diffs the two.
"""

import email
import email.policy
import json
import os
import shutil
import subprocess

import pytest

import kernel_fixture
import test_versions
from generator import b4prep

AUTHOR_NAME, AUTHOR_EMAIL = 'Test Author', 'author@example.org'
pytestmark = pytest.mark.skipif(not shutil.which('b4'), reason='b4 is not installed')


@pytest.fixture
def tree(tmp_path):
    return kernel_fixture.write_tree(tmp_path / 'linux', dict(kernel_fixture.FILES,
                                                              **kernel_fixture.MAINTAINER_FILES))


def b4(work, *args):
    # b4 sends as the git user; the author runs it, so make that the author.
    env = dict(os.environ, GIT_CONFIG_COUNT='2', GIT_CONFIG_KEY_0='user.name',
               GIT_CONFIG_VALUE_0=AUTHOR_NAME, GIT_CONFIG_KEY_1='user.email',
               GIT_CONFIG_VALUE_1=AUTHOR_EMAIL, XDG_CACHE_HOME=str(work.parent / 'xdg-cache'))
    proc = subprocess.run(['b4', *args], cwd=work, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    return proc.stdout + proc.stderr


def _info(text):
    return dict(line.split(': ', 1) for line in text.splitlines() if ': ' in line)


def _body(text):
    """The message and its body above the "-- " signature (b4 writes a blank line
    before it that format-patch does not)."""
    msg = email.message_from_string(text, policy=email.policy.default)
    return msg, msg.get_payload(decode=True).decode().rsplit('\n-- \n', 1)[0].rstrip('\n')


def test_patches_carry_get_maintainer_recipients(tree, tmp_path):
    summary = test_versions._generate(tree, tmp_path, 1)
    out = tmp_path / 'out-v1'
    toy = email.message_from_string(next(out.glob('v1-0002-*')).read_text())
    assert toy['To'] == 'Io Maint <io-maint@example.org>,\n Io Rev <io-rev@example.org>'
    assert toy['Cc'] == 'iommu@lists.example.org'
    user = email.message_from_string(next(out.glob('v1-0005-*')).read_text())
    assert user['To'] == 'Misc Maint <misc@example.org>' and user['Cc'] == 'misc@lists.example.org'
    cover = email.message_from_string(next(out.glob('v1-0000-*')).read_text())
    assert ' '.join(cover['To'].split()) == ('Io Maint <io-maint@example.org>, Io Rev '
                                             '<io-rev@example.org>, Misc Maint <misc@example.org>')
    assert summary['b4']['cc'] == ['iommu@lists.example.org', 'misc@lists.example.org']


def test_b4_reads_the_branch_and_send_writes_the_same_patches(tree, tmp_path):
    summary = test_versions._generate(tree, tmp_path, 1)
    work, out = tmp_path / 'work', tmp_path / 'out-v1'
    info = _info(b4(work, 'prep', '--show-info'))
    assert info['branch'] == 'toy_series/v1'
    assert info['cover-subject'] == 'toy: a test series'
    assert info['revision'] == '1' and info['cover-strategy'] == 'branch-description'
    assert info['change-id'] == summary['b4']['change_id']
    # b4 0.12 takes the fork-point with base-branch as the series' start and
    # prints its parent as base-commit: one too low for this strategy.
    assert info['start-commit'] == summary['kernel']['base_commit']
    assert sum(k.startswith('commit-') for k in info) == 5
    cover = next(out.glob('v1-0000-*')).read_text()
    assert f'change-id: {summary["b4"]["change_id"]}\n' in cover

    b4_cover, cover_body = _send_matches(work, out, tmp_path / 'b4-out', 'v1')
    assert 'Motivation\n==========\n' in cover_body
    assert set(str(b4_cover['To']).replace(',', ' ').split()) >= {'<io-maint@example.org>',
                                                                  '<misc@example.org>'}
    assert 'iommu@lists.example.org' in str(b4_cover['Cc'])


def _send_matches(work, out, sent, version):
    """b4 send -o writes the generator's patches: the same bodies, From and
    subjects; returns b4's cover letter and its body."""
    b4(work, 'send', '-o', str(sent), '--no-sign')
    emls = sorted(sent.glob('*.eml'))
    patches = sorted(out.glob(f'{version}-*.patch'))
    assert len(emls) == len(patches) == 6
    for eml, patch in zip(emls[1:], patches[1:]):
        b4_msg, b4_body = _body(eml.read_text())
        our_msg, our_body = _body(patch.read_text())
        assert b4_body == our_body, eml.name
        assert b4_msg['From'] == our_msg['From']
        assert b4_msg['Subject'].split('] ', 1)[1] == our_msg['Subject'].split('] ', 1)[1]
    return _body(emls[0].read_text())


def test_b4_sends_v2_with_the_tags_the_thread_gave(tree, tmp_path):
    test_versions._generate(tree, tmp_path, 1)
    v1 = tmp_path / 'out-v1'
    thread = test_versions.write_thread(v1, tmp_path / 'v1.mbox')
    test_versions._generate(tree, tmp_path, 2, prev=str(v1), thread=thread)
    work, out = tmp_path / 'work', tmp_path / 'out-v2'
    b4_cover, cover_body = _send_matches(work, out, tmp_path / 'b4-out', 'v2')
    assert str(b4_cover['Subject']).startswith('[PATCH v2 0/5] ')
    sent = {str(m['Subject']).split('] ', 1)[1]: body for m, body in
            (_body(e.read_text()) for e in sorted((tmp_path / 'b4-out').glob('*.eml'))[1:])}
    tags = (f'{test_versions.REV_TOY}\n{test_versions.ACK}\n'
            f'Signed-off-by: {test_versions.AUTHOR}\n---\n')
    assert tags in sent['iommu/toy: return PHYS_ADDR_MAX on error']
    assert test_versions.REV_LIT not in sent['iommu/lit: add a helper']
    # b4 sends the cover letter the branch holds: the facts of Changes in v2.
    assert 'Changes in v2\n=============\n' in cover_body
    assert "3/5 iommu/lit: add a helper: code changed; the code changed, so v1's" in cover_body
    assert 'Link to v1: https://lore.kernel.org/r/' in cover_body


def test_compare_to_the_previous_version_after_a_regeneration(tree, tmp_path):
    v1 = test_versions._generate(tree, tmp_path, 1)
    v2 = test_versions._generate(tree, tmp_path, 2, prev=str(tmp_path / 'out-v1'))
    work = tmp_path / 'work'
    assert v2['b4']['change_id'] == v1['b4']['change_id']
    info = _info(b4(work, 'prep', '--show-info'))
    assert info['branch'] == 'toy_series/v2' and info['revision'] == '2'
    assert info['change-id'] == v1['b4']['change_id']
    assert info['series-v1'].startswith(f"{v1['kernel']['base_commit'][:12]}"
                                        '..sent/toy_series/v2-v1')
    text = b4(work, 'prep', '--compare-to', 'v1')
    assert ' ! 3:  ' in text and ' < -:  ' in text and '-:  ------- > 4:' in text
    tracking = json.loads(kernel_fixture.git(work, 'config', 'branch.toy_series/v2.b4-tracking'))
    assert tracking['series']['history']['v1'] == [v1['b4']['message_id']]


def test_change_id_has_b4_shape_and_depends_on_the_inputs():
    one = b4prep.new_change_id('iova_to_phys_length', 'a@x.org', 'ab' * 20, 1700000000)
    assert one == b4prep.new_change_id('iova_to_phys_length', 'a@x.org', 'ab' * 20, 1700000000)
    assert one.startswith('20231114-iova_to_phys_length-')     # b4's slug keeps _
    assert len(one.rsplit('-', 1)[1]) == 12
    assert one != b4prep.new_change_id('iova_to_phys_length', 'a@x.org', 'cd' * 20, 1700000000)
    assert b4prep.sent_tag('b4/foo', 2) == 'sent/foo-v2'
    assert b4prep.sent_tag('iova_to_phys_length/v3', 2) == 'sent/iova_to_phys_length/v3-v2'
