"""generator/versions.py: v2 from v1 and its review thread, on the fixture tree.

v1 has five patches: core, toy, lit-helper, mac-helper, user-helper.  v2
changes lit-helper's code, drops mac-helper, adds user-comment before
user-helper (which changes user-helper's context only).  The thread has
tags on the cover letter and on toy, lit-helper and user-helper.
"""

import email.message
import email.utils
import json
import mailbox
import pathlib

import pytest

import kernel_fixture
from generator import series, trailers
from generator.errors import Failure

REPO = pathlib.Path(__file__).resolve().parent.parent
BASE_MANIFEST = REPO / 'tests/fixtures/series/manifest.toml'
FIXTURES = REPO / 'tests/fixtures/versions'
AUTHOR = 'Test Author <author@example.org>'

ACK = 'Acked-by: Maint Ainer <maint@example.org>'
REV_TOY = 'Reviewed-by: Rev One <rev1@example.org>'
REV_LIT = 'Reviewed-by: Rev Two <rev2@example.org>'
TEST_LIT = 'Tested-by: Tess Ter <tess@example.org>'
TEST_USER = 'Tested-by: Nes Ted <nested@example.org>'
SUGGEST_USER = 'Suggested-by: Sub Ject <subject@example.org>'


def _manifest(tmp_path, version):
    path = tmp_path / f'manifest-v{version}.toml'
    path.write_text(BASE_MANIFEST.read_text() + (FIXTURES / f'steps_v{version}.toml').read_text())
    return path


def _quiet(*_):
    pass


def _generate(tree, tmp_path, version, out=None, **kw):
    opts = series.Options(tree=tree, source='fixture', version=version,
                          out=out or tmp_path / f'out-v{version}', work=tmp_path / 'work',
                          author=AUTHOR, user_tree=True, manifest=_manifest(tmp_path, version),
                          **kw)
    return series.generate(opts, log=_quiet)


def _reply(parent, sender, body, subject=None, refs=True, in_reply_to=True):
    msg = email.message.EmailMessage()
    msg['From'] = sender
    msg['Subject'] = subject or 'Re: ' + ' '.join(str(parent['Subject']).split())
    msg['Message-Id'] = email.utils.make_msgid(domain='example.org')
    if in_reply_to:
        msg['In-Reply-To'] = parent['Message-Id']
    if refs:
        msg['References'] = ' '.join(filter(None, [str(parent.get('References', '')),
                                                    str(parent['Message-Id'])]))
    msg.set_content(body)
    return msg


def write_thread(out: pathlib.Path, path: pathlib.Path, resent: bool = False) -> pathlib.Path:
    """The v1 thread as b4 mbox writes it: the patches themselves, then replies.

    resent: the patches went out under other Message-Ids (b4 send makes its
    own), so only their subjects tie them to v1's files.
    """
    patches = sorted(out.glob('v1-*.patch'))
    sent = [email.message_from_string(p.read_text()) for p in patches]
    if resent:
        for n, msg in enumerate(sent):
            del msg['Message-Id'], msg['In-Reply-To'], msg['References']
            msg['Message-Id'] = f'<b4-sent-{n}@example.org>'
            if n:
                msg['In-Reply-To'] = msg['References'] = '<b4-sent-0@example.org>'
    cover, core, toy, lit, mac, user = sent
    review_user = _reply(user, 'Rev Three <rev3@example.org>',
                         '> +int user_helper(void)\n\nLooks fine, but let a tester say.\n')
    replies = [
        _reply(cover, 'Maint Ainer <maint@example.org>', f'For the series:\n\n{ACK}\n'),
        _reply(toy, 'Rev One <rev1@example.org>',
               f'> Signed-off-by: {AUTHOR}\n> Reviewed-by: Quoted Person <quoted@example.org>\n'
               f'\n{REV_TOY}\n\n-- \nReviewed-by: Signature <sig@example.org>\n'),
        # References only, no In-Reply-To.
        _reply(lit, 'Rev Two <rev2@example.org>', f'{REV_LIT}\n{TEST_LIT}\n', in_reply_to=False),
        review_user,
        # A reply to a reply: it belongs to the patch its parent answers.
        _reply(review_user, 'Nes Ted <nested@example.org>', f'Ran it.\n\n{TEST_USER}\n'),
        # Neither In-Reply-To nor References: found by its subject.
        _reply(user, 'Sub Ject <subject@example.org>', f'{SUGGEST_USER}\n', refs=False,
               in_reply_to=False),
        # The author's own reply carries no review tag.
        _reply(mac, AUTHOR, 'Reviewed-by: Test Author <author@example.org>\n'),
    ]
    box = mailbox.mbox(str(path))
    for msg in sent + replies:
        box.add(msg)
    box.flush()
    box.close()
    return path


def _tags(message: str) -> list[str]:
    return [str(t) for t in trailers.in_message(message)]


def _log(work, base='main'):
    """{subject: commit message} of the branch."""
    out = {}
    for c in kernel_fixture.git(work, 'rev-list', '--reverse', f'{base}..HEAD').split():
        message = kernel_fixture.git(work, 'log', '-1', '--format=%B', c)
        out[message.split('\n', 1)[0]] = message + '\n'
    return out


@pytest.fixture
def v1(fixture_tree, tmp_path):
    summary = _generate(fixture_tree, tmp_path, 1)
    assert [s['id'] for s in summary['steps'] if s['status'] == 'applied'] == [
        'core', 'toy', 'lit-helper', 'mac-helper', 'user-helper']
    return tmp_path / 'out-v1'


@pytest.mark.parametrize('resent', [False, True], ids=['our-ids', 'b4-send-ids'])
def test_v2_carries_the_thread_tags_onto_the_right_patches(fixture_tree, tmp_path, v1, resent):
    thread = write_thread(v1, tmp_path / 'v1.mbox', resent)
    summary = _generate(fixture_tree, tmp_path, 2, prev=str(v1), thread=thread)
    messages = _log(tmp_path / 'work')
    assert list(messages) == ['iommu: add iova_to_phys_length for the test',
                              'iommu/toy: return PHYS_ADDR_MAX on error',
                              'iommu/lit: add a helper', 'misc/user: reword a comment',
                              'misc/user: add a helper']
    assert _tags(messages['iommu: add iova_to_phys_length for the test']) == [ACK]
    assert _tags(messages['iommu/toy: return PHYS_ADDR_MAX on error']) == [REV_TOY, ACK]
    assert _tags(messages['iommu/lit: add a helper']) == []          # its code changed
    assert _tags(messages['misc/user: reword a comment']) == []      # new in v2
    assert _tags(messages['misc/user: add a helper']) == [SUGGEST_USER, TEST_USER, ACK]
    # Above the author's sign-off, which stays last; nothing twice.
    toy = messages['iommu/toy: return PHYS_ADDR_MAX on error']
    assert toy.rstrip('\n').endswith(f'{REV_TOY}\n{ACK}\nSigned-off-by: {AUTHOR}')
    for message in messages.values():
        lines = [line for line in message.splitlines() if line]
        assert len(lines) == len(set(lines))
    # The patch files are the commits.
    patch = next((tmp_path / 'out-v2').glob('v2-0002-*.patch')).read_text()
    assert f'{REV_TOY}\n{ACK}\nSigned-off-by: {AUTHOR}\n---\n' in patch
    review = {p['subject']: p for p in summary['review']['patches']}
    assert review['iommu/lit: add a helper']['status'] == 'code changed'
    assert review['iommu/lit: add a helper']['tags_dropped'] == [TEST_LIT, REV_LIT, ACK]
    assert review['iommu/mac: add a helper']['status'] == 'dropped'
    assert review['misc/user: add a helper']['status'] == 'rebased only'
    assert review['iommu/toy: return PHYS_ADDR_MAX on error']['status'] == 'unchanged'


def test_cover_letter_says_what_changed_and_saves_the_range_diff(fixture_tree, tmp_path, v1):
    thread = write_thread(v1, tmp_path / 'v1.mbox')
    _generate(fixture_tree, tmp_path, 2, prev=str(v1), thread=thread)
    out = tmp_path / 'out-v2'
    cover = next(out.glob('v2-0000-cover-letter.patch')).read_text()
    section = cover[cover.index('Changes in v2\n=============\n'):]
    section = section[:section.index('\n\n')]
    v1_id = email.message_from_string(next(v1.glob('v1-0000-*')).read_text())['Message-Id']
    assert section.splitlines()[2:] == [
        "- the test's v2 change",
        'Against v1, patch by patch (range-diff-v1-v2.txt):',
        f'- given on the cover letter, on every patch from v1 but those that drop them: {ACK}',
        '- 1/5 iommu: add iova_to_phys_length for the test: unchanged',
        f'- 2/5 iommu/toy: return PHYS_ADDR_MAX on error: unchanged; new tags: {REV_TOY}',
        f"- 3/5 iommu/lit: add a helper: code changed; the code changed, so v1's tags are "
        f'dropped: {TEST_LIT}, {REV_LIT}, {ACK}',
        '- 4/5 misc/user: reword a comment: new',
        f'- 5/5 misc/user: add a helper: rebased only; new tags: {SUGGEST_USER}, {TEST_USER}',
        '- dropped: "iommu/mac: add a helper" (v1 patch 4): no step of this version makes it',
        f'- Link to v1: https://lore.kernel.org/r/{v1_id.strip("<>")}']
    text = (out / 'range-diff-v1-v2.txt').read_text()
    assert '3:  ' in text and ' ! 3:  ' in text and '-:  ------- > 4:' in text
    assert '    -+	return 1;' in text and '    ++	return 2;' in text


def test_keep_trailers_changed_keeps_the_changed_patch_tags(fixture_tree, tmp_path, v1):
    thread = write_thread(v1, tmp_path / 'v1.mbox')
    _generate(fixture_tree, tmp_path, 2, prev=str(v1), thread=thread, keep_trailers='changed')
    assert _tags(_log(tmp_path / 'work')['iommu/lit: add a helper']) == [TEST_LIT, REV_LIT, ACK]


def test_v3_keeps_the_tags_v2_carries_without_a_thread(fixture_tree, tmp_path, v1):
    thread = write_thread(v1, tmp_path / 'v1.mbox')
    _generate(fixture_tree, tmp_path, 2, prev=str(v1), thread=thread)
    manifest = _manifest(tmp_path, 2)
    opts = series.Options(tree=fixture_tree, source='fixture', version=3, out=tmp_path / 'out-v3',
                          work=tmp_path / 'work3', author=AUTHOR, user_tree=True,
                          manifest=manifest, prev=str(tmp_path / 'out-v2'))
    summary = series.generate(opts, log=_quiet)
    messages = _log(tmp_path / 'work3')
    assert _tags(messages['iommu/toy: return PHYS_ADDR_MAX on error']) == [REV_TOY, ACK]
    assert _tags(messages['misc/user: add a helper']) == [SUGGEST_USER, TEST_USER, ACK]
    assert {p['status'] for p in summary['review']['patches']} == {'unchanged'}
    cover = next((tmp_path / 'out-v3').glob('v3-0000-*')).read_text()
    assert cover.count('- Link to v') == 2      # v1 and v2


def test_previous_as_a_branch(fixture_tree, tmp_path, v1):
    opts = series.Options(tree=fixture_tree, source='fixture', version=2, out=tmp_path / 'out-b',
                          work=tmp_path / 'work-b', author=AUTHOR, user_tree=True,
                          manifest=_manifest(tmp_path, 2), prev='toy_series/v1')
    summary = series.generate(opts, log=_quiet)
    assert summary['review']['previous'] == 'toy_series/v1'
    assert (tmp_path / 'out-b/range-diff-toy_series_v1-v2.txt').is_file()
    status = {p['subject']: p['status'] for p in summary['review']['patches']}
    assert status['iommu/lit: add a helper'] == 'code changed'
    assert status['iommu/mac: add a helper'] == 'dropped'


def test_bad_previous_and_thread(fixture_tree, tmp_path, v1):
    with pytest.raises(Failure, match='THREAD= is the review thread of the previous version'):
        _generate(fixture_tree, tmp_path, 2, thread=tmp_path / 'none.mbox')
    with pytest.raises(Failure, match='PREV=no/such: neither a series directory nor a branch'):
        _generate(fixture_tree, tmp_path, 2, prev='no/such')
    with pytest.raises(Failure, match='THREAD=.*no such file'):
        _generate(fixture_tree, tmp_path, 2, prev=str(v1), thread=tmp_path / 'none.mbox')
    with pytest.raises(Failure, match='must be higher'):
        _generate(fixture_tree, tmp_path, 1, prev=str(v1), out=tmp_path / 'o')
