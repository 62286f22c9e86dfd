"""Bad input to `python3 -m generator series` (and make series): one line
on stderr, a non-zero exit, nothing written, no traceback.  Each case runs
the command line in a process of its own on a fixture tree."""

import pathlib
import shutil
import subprocess

import pytest

import generator_run as gr
import kernel_fixture
from generator.kernel_tree import git


def _nothing_written(out: pathlib.Path) -> None:
    assert not out.exists()
    assert not list(out.parent.glob(f'.{out.name}.*'))


def test_out_inside_the_source_tree(fixture_tree, tmp_path):
    out = fixture_tree / 'out'
    gr.one_line_error(gr.run(fixture_tree, out, tmp_path / 'cache'),
                      f'OUT={out} is inside the kernel tree {fixture_tree}')
    _nothing_written(out)
    assert git(fixture_tree, 'status', '--porcelain') == ''


def test_out_not_writable(fixture_tree, tmp_path):
    """A read-only file system (root may write anywhere else), mounted in a
    mount namespace of the run's own."""
    ro = tmp_path / 'ro'
    ro.mkdir()
    out = ro / 'series'
    mount = ['unshare', '--mount', 'sh', '-c', f'mount -t tmpfs -o ro,size=64k tmpfs {ro} && '
             'exec "$@"', 'sh']
    proc = gr.run(fixture_tree, out, tmp_path / 'cache', prefix=mount)
    gr.one_line_error(proc, f'OUT={out}', 'not writable')
    assert not (tmp_path / 'cache' / 'work').exists(), 'the run went on before failing'


def test_out_under_a_file(fixture_tree, tmp_path):
    (tmp_path / 'file').write_text('')
    gr.one_line_error(gr.run(fixture_tree, tmp_path / 'file' / 'out', tmp_path / 'cache'),
                      'is not a directory')


@pytest.mark.parametrize('version', ['0', '-1', 'abc', '1.5', ''])
def test_version_must_be_a_positive_integer(fixture_tree, tmp_path, version):
    out = tmp_path / 'out'
    gr.one_line_error(gr.run(fixture_tree, out, tmp_path / 'cache', '--version', version),
                      f'V={version}: the series version must be a positive integer')
    _nothing_written(out)


def test_make_passes_v_through_quoted(tmp_path):
    proc = subprocess.run(['make', '-n', 'series', 'V=a b'], cwd=gr.REPO, capture_output=True,
                          text=True)
    assert '--version "a b"' in proc.stdout


def test_kver_with_kernel_says_kernel_would_win(fixture_tree, tmp_path):
    out = tmp_path / 'out'
    gr.one_line_error(gr.run(fixture_tree, out, tmp_path / 'cache', '--kver', '6.12'),
                      'KVER=6.12 and KERNEL=', 'KERNEL would win', 'give only one')
    _nothing_written(out)


def test_make_passes_kver_given_with_kernel_but_not_its_default():
    def cmd(*args):
        return subprocess.run(['make', '-n', 'series', *args], cwd=gr.REPO, capture_output=True,
                              text=True, env={'PATH': '/usr/bin:/bin'}).stdout.splitlines()[-1]
    assert '--kver' not in cmd('KERNEL=/k')
    assert '--kernel "/k" --kver "6.12"' in cmd('KERNEL=/k', 'KVER=6.12')


def test_a_bare_repository(fixture_tree, tmp_path):
    bare = tmp_path / 'bare.git'
    subprocess.run(['git', 'clone', '-q', '--bare', str(fixture_tree), str(bare)], check=True)
    out = tmp_path / 'out'
    gr.one_line_error(gr.run(bare, out, tmp_path / 'cache'), 'a bare git repository')
    _nothing_written(out)


def test_a_shallow_clone_without_its_base(fixture_tree, tmp_path):
    shallow = tmp_path / 'shallow'
    subprocess.run(['git', 'clone', '-q', '--depth', '1', f'file://{fixture_tree}', str(shallow)],
                   check=True)
    for pack in (shallow / '.git/objects/pack').iterdir():     # HEAD's objects are gone
        pack.unlink()
    out = tmp_path / 'out'
    gr.one_line_error(gr.run(shallow, out, tmp_path / 'cache'), 'shallow clone without its HEAD')
    _nothing_written(out)


def test_a_shallow_clone_with_its_base_is_based_on_head(fixture_tree, tmp_path):
    shallow = tmp_path / 'shallow'
    subprocess.run(['git', 'clone', '-q', '--depth', '1', f'file://{fixture_tree}', str(shallow)],
                   check=True)
    proc = gr.run(shallow, tmp_path / 'out', tmp_path / 'cache')
    assert proc.returncode == 0, proc.stderr
    assert f'base {git(shallow, "rev-parse", "HEAD")[:12]}' in proc.stdout


def test_a_detached_head_on_local_commits_names_the_base(fixture_tree, tmp_path):
    git(fixture_tree, 'tag', 'v9.1')
    (fixture_tree / 'drivers/misc/user.c').write_text('/* local */\n')
    subprocess.run(['git', '-C', str(fixture_tree), 'commit', '-qam', 'local'], check=True,
                   env=kernel_fixture.ENV)
    git(fixture_tree, 'checkout', '-q', '--detach')
    head = git(fixture_tree, 'rev-parse', 'HEAD')[:12]
    out = tmp_path / 'out'
    gr.one_line_error(gr.run(fixture_tree, out, tmp_path / 'cache'),
                      f'detached HEAD {head} is 1 local commit after v9.1',
                      f'would be based on {head}, not on v9.1')
    _nothing_written(out)
    # detached at the release itself is fine
    git(fixture_tree, 'checkout', '-q', 'v9.1')
    assert gr.run(fixture_tree, out, tmp_path / 'cache').returncode == 0


def test_a_cache_on_a_full_disk(fixture_tree, tmp_path):
    """IOVA_CACHE on a 16 KiB tmpfs of the run's own mount namespace."""
    cache = tmp_path / 'cache'
    cache.mkdir()
    out = tmp_path / 'out'
    mount = ['unshare', '--mount', 'sh', '-c', f'mount -t tmpfs -o size=16k tmpfs {cache} && '
             'exec "$@"', 'sh']
    proc = gr.run(fixture_tree, out, cache, prefix=mount)
    gr.one_line_error(proc, 'no space left on the device of the cache', 'IOVA_CACHE')
    _nothing_written(out)


def test_no_traceback_for_an_unexpected_os_error(fixture_tree, tmp_path):
    """The cache path is a file: mkdir fails with an OSError of its own."""
    cache = tmp_path / 'cache'
    cache.write_text('')
    gr.one_line_error(gr.run(fixture_tree, tmp_path / 'out', cache), str(cache))


@pytest.fixture(autouse=True)
def _unshare_available():
    if not shutil.which('unshare'):
        pytest.fail('unshare (util-linux) is needed for the mount-namespace cases')
