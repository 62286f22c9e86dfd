"""make fresh-check: the README's two commands on a fresh Debian root.

This machine has every package installed already, so `make series` and
`make test` passing here proves nothing about a new machine.  This builds a
minimal Debian root with debootstrap (--variant=minbase, plus make: the one
program the README's commands need to start), from the mirror and release
this machine installs from (its apt configuration, as generator.debian reads
it), copies the repository in (git archive HEAD: what a clone holds, not out/),
and runs there, as root, with an empty cache:

    make series                        (no git identity there: signed off by a placeholder)
    make test PYTEST_ARGS=...          (default -m 'not slow': no kernel builds or boots)

printing each command's exit status and wall time.  The debootstrapped root
is cached as a tarball under the cache ($IOVA_CACHE/fresh), so a re-run
unpacks it in seconds; every run starts from a new copy of it.

    python3 -m ci.fresh [--pytest-args ARGS] [--keep] [--refresh]
"""

import argparse
import dataclasses
import os
import pathlib
import shlex
import shutil
import subprocess
import sys
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator import debian, runlock  # noqa: E402
from generator.errors import Failure  # noqa: E402

PYTEST_ARGS = "-m 'not slow'"
# The root's only extra package: without make there is no `make series`.
INCLUDE = ['make']
ROOT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'


@dataclasses.dataclass(frozen=True)
class Command:
    label: str
    shell: str


def commands(pytest_args: str = PYTEST_ARGS) -> list[Command]:
    """The README's two set-up commands, as run inside the root in /repo."""
    return [Command('make series', 'make series'),
            Command('make test', f'make test PYTEST_ARGS={shlex.quote(pytest_args)}')]


def root_sources(sources: list[debian.AptSource]) -> str:
    """deb822 sources for the root: this machine's Debian archive and
    security sources only (a third-party source would need its keyring)."""
    stanzas = []
    for src in sources:
        if '/debian' not in src.uri or 'main' not in src.components:
            continue
        stanzas.append(f'Types: deb\nURIs: {src.uri}\nSuites: {" ".join(src.suites)}\n'
                       f'Components: main\n'
                       'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n')
    if not stanzas:
        raise Failure('no Debian archive source in the apt configuration')
    return '\n'.join(stanzas)


def tarball_name(suite: str, arch: str) -> str:
    return f'root-{suite}-{arch}-minbase-{"+".join(INCLUDE)}.tar'


def result_line(label: str, rc: int, seconds: float) -> str:
    return f'{label}: exit {rc}, {seconds:.0f} s ({seconds / 60:.1f} min)'


def mounts_under(path: pathlib.Path, mountinfo: str | None = None) -> list[str]:
    """The mount points at or below path (debootstrap leaves /proc mounted in
    its target when run in a container): never delete or tar through them."""
    if mountinfo is None:
        mountinfo = pathlib.Path('/proc/self/mountinfo').read_text()
    top = str(path.resolve())
    points = [line.split()[4].replace('\\040', ' ') for line in mountinfo.splitlines()
              if len(line.split()) > 4]
    return sorted(p for p in points if p == top or p.startswith(top + '/'))


def _unmount_all(path: pathlib.Path) -> None:
    for point in reversed(mounts_under(path)):
        subprocess.run(['umount', '-l', point], check=False)
    left = mounts_under(path)
    if left:
        raise Failure(f'{left[0]} is still mounted: not removing {path}')


def _remove(path: pathlib.Path) -> None:
    if path.exists():
        _unmount_all(path)
        shutil.rmtree(path)


def root_tarball(cache: pathlib.Path, mirror: str, suite: str, refresh: bool) -> pathlib.Path:
    arch = subprocess.run(['dpkg', '--print-architecture'], capture_output=True, text=True,
                          check=True).stdout.strip()
    tarball = cache / tarball_name(suite, arch)
    if tarball.exists() and not refresh:
        print(f'root: {tarball} (cached)', flush=True)
        return tarball
    build = cache / 'debootstrap'
    _remove(build)
    started = time.monotonic()
    print(f'root: debootstrap --variant=minbase --include={",".join(INCLUDE)} {suite} {mirror}',
          flush=True)
    log = cache / 'debootstrap.log'
    with open(log, 'w') as out:
        rc = subprocess.run(['debootstrap', '--variant=minbase', f'--include={",".join(INCLUDE)}',
                             suite, str(build), mirror], stdout=out, stderr=subprocess.STDOUT
                            ).returncode
    _unmount_all(build)
    if rc != 0:
        raise Failure(f'debootstrap failed (exit {rc}): see {log}')
    part = tarball.with_suffix('.tar.part')
    subprocess.run(['tar', '--one-file-system', '-C', str(build), '-cf', str(part), '.'],
                   check=True)
    part.rename(tarball)
    _remove(build)
    print(f'root: {tarball} in {time.monotonic() - started:.0f} s', flush=True)
    return tarball


def make_root(tarball: pathlib.Path, root: pathlib.Path, sources: str) -> None:
    _remove(root)
    root.mkdir(parents=True)
    subprocess.run(['tar', '-C', str(root), '-xf', str(tarball)], check=True)
    (root / 'etc/apt/sources.list').unlink(missing_ok=True)
    (root / 'etc/apt/sources.list.d').mkdir(parents=True, exist_ok=True)
    (root / 'etc/apt/sources.list.d/debian.sources').write_text(sources)
    shutil.copyfile('/etc/resolv.conf', root / 'etc/resolv.conf')
    # The repository as a clone holds it: the files of HEAD, not out/ nor
    # uncommitted changes.
    dest = root / 'repo'
    dest.mkdir()
    archive = subprocess.Popen(['git', '-C', str(REPO), 'archive', '--format=tar', 'HEAD'],
                               stdout=subprocess.PIPE)
    unpack = subprocess.run(['tar', '-C', str(dest), '-xf', '-'], stdin=archive.stdout)
    if archive.wait() != 0 or unpack.returncode != 0:
        raise Failure('copying the repository into the root failed')
    head = subprocess.run(['git', '-C', str(REPO), 'log', '-1', '--format=%h %s'],
                          capture_output=True, text=True).stdout.strip()
    print(f'repository: HEAD {head}', flush=True)


def run_in_root(root: pathlib.Path, command: Command, log: pathlib.Path) -> tuple[int, float]:
    """Run command in /repo of root, as root, in a mount namespace of its
    own (the /dev, /proc and /sys mounts go away with it)."""
    # The root bound onto itself: in the chroot / is then a mount point, as
    # on a machine, so the tests' own `unshare --mount --propagation` works.
    inner = (f'mount --bind {root} {root} && '
             f'mount --rbind /dev {root}/dev && mount -t proc proc {root}/proc && '
             f'mount --rbind /sys {root}/sys && '
             f'exec chroot {root} /usr/bin/env -i HOME=/root PATH={ROOT_PATH} LANG=C.UTF-8 '
             f'TERM=dumb /bin/sh -c {shlex.quote("cd /repo && " + command.shell)}')
    started = time.monotonic()
    with open(log, 'w') as out:
        rc = subprocess.run(['unshare', '--mount', '--propagation', 'private', 'sh', '-c', inner],
                            stdout=out, stderr=subprocess.STDOUT).returncode
    return rc, time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='python3 -m ci.fresh', description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--pytest-args', default=PYTEST_ARGS)
    parser.add_argument('--keep', action='store_true', help='keep the root afterwards')
    parser.add_argument('--refresh', action='store_true', help='debootstrap the root again')
    args = parser.parse_args(argv)
    try:
        if os.geteuid() != 0:
            raise Failure('make fresh-check debootstraps and chroots: run it as root')
        for tool in ('debootstrap', 'unshare', 'chroot', 'tar'):
            if not shutil.which(tool):
                raise Failure(f'{tool} not found: install Debian package '
                              f'{"debootstrap" if tool == "debootstrap" else "util-linux"}')
        cache = debian.cache_dir() / 'fresh'
        cache.mkdir(parents=True, exist_ok=True)
        # One fresh check per cache: two would build and delete the same root.
        lock = runlock.hold(cache, [str(cache / 'root')], what='fresh root')
        lock.__enter__()
        sources = debian.apt_sources()
        mirror, suite = debian.machine_suite(sources)
        tarball = root_tarball(cache, mirror, suite, args.refresh)
        root = cache / 'root'
        make_root(tarball, root, root_sources(sources))
        print(f'root: {root} ({suite} from {mirror}), repository in /repo', flush=True)
        failed = 0
        for command in commands(args.pytest_args):
            log = cache / f'{command.label.replace(" ", "-")}.log'
            print(f'$ {command.shell}', flush=True)
            rc, seconds = run_in_root(root, command, log)
            for line in log.read_text(errors='replace').splitlines()[-12:]:
                print(f'  | {line}')
            print(result_line(command.label, rc, seconds) + f'   (log {log})', flush=True)
            failed += rc != 0
        if not args.keep:
            _remove(root)
        return 1 if failed else 0
    except Failure as err:
        print(f'error: {err}', file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main())
