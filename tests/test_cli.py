"""python3 -m generator: bad input is one line on stderr and a non-zero exit."""

import pathlib
import subprocess
import sys

import kernel_fixture

REPO = pathlib.Path(__file__).resolve().parent.parent


def _run(*args, cwd=REPO):
    return subprocess.run([sys.executable, '-m', 'generator', *args], cwd=cwd,
                          capture_output=True, text=True)


def _one_line_error(proc, text):
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith('error: ') and text in lines[0], proc.stderr


def test_not_a_kernel_tree(tmp_path):
    _one_line_error(_run('series', '--kernel', str(tmp_path)), 'not a Linux kernel tree')


def test_dirty_tree(fixture_tree):
    (fixture_tree / 'drivers/iommu/toy.c').write_text('changed\n')
    _one_line_error(_run('series', '--kernel', str(fixture_tree)), 'uncommitted changes')


def test_already_converted(fixture_tree):
    (fixture_tree / 'include/linux/iommu.h').write_text(
        'struct iommu_domain_ops {\n\tphys_addr_t (*iova_to_phys_length)(void);\n};\n')
    kernel_fixture.git(fixture_tree, 'commit', '-qam', 'converted')
    _one_line_error(_run('series', '--kernel', str(fixture_tree)), 'already converted')


def test_spatch_missing(fixture_tree, tmp_path):
    env_path = tmp_path / 'bin'
    env_path.mkdir()
    (env_path / 'git').symlink_to('/usr/bin/git')
    proc = subprocess.run([sys.executable, '-m', 'generator', 'series', '--kernel',
                           str(fixture_tree)], cwd=REPO, capture_output=True, text=True,
                          env={'PATH': str(env_path), 'HOME': str(tmp_path)})
    _one_line_error(proc, 'spatch not found')


def test_spatch_too_old(fixture_tree, tmp_path):
    bin_dir = tmp_path / 'bin'
    bin_dir.mkdir()
    (bin_dir / 'spatch').write_text('#!/bin/sh\necho "spatch version 1.0.4 compiled with OCaml"\n')
    (bin_dir / 'spatch').chmod(0o755)
    (bin_dir / 'git').symlink_to('/usr/bin/git')
    proc = subprocess.run([sys.executable, '-m', 'generator', 'series', '--kernel',
                           str(fixture_tree)], cwd=REPO, capture_output=True, text=True,
                          env={'PATH': str(bin_dir), 'HOME': str(tmp_path)})
    _one_line_error(proc, 'spatch 1.0.4 is too old')


def test_plain_tree_gets_a_private_copy(tmp_path):
    plain = kernel_fixture.write_tree(tmp_path / 'plain', commit=False)
    proc = subprocess.run([sys.executable, '-m', 'generator', 'inventory', '--kernel', str(plain)],
                          cwd=REPO, capture_output=True, text=True,
                          env={'PATH': '/usr/bin:/bin', 'HOME': str(tmp_path),
                               'IOVA_CACHE': str(tmp_path / 'cache')})
    assert proc.returncode == 0, proc.stderr
    assert 'drivers/iommu/toy.c:12: implementer toy_iova_to_phys' in proc.stdout
    assert not (plain / '.git').exists()
