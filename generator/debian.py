"""Fetch a kernel tree from Debian's linux-source-X.Y package.

The mirror is read from the machine's apt configuration (deb822 .sources
files and one-line .list files), never written into this repository.  The
.deb and the unpacked tree are cached outside the repository; the unpacked
tree becomes a private git repository with one base commit whose id is
reproducible (fixed author and dates), so `base-commit:` in the series means
the same tree on every machine.
"""

import dataclasses
import fcntl
import hashlib
import lzma
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import urllib.request

from generator import kernel_tree
from generator.errors import Failure

# Which suite ships which linux-source release.  The archive is the source
# of truth for the version; this table only says where to look.
KVER_SUITES = {
    '7.2': 'sid',
    '6.12': 'bookworm-security',
}

APT_DIR = pathlib.Path('/etc/apt')


def cache_dir() -> pathlib.Path:
    if os.environ.get('IOVA_CACHE'):
        return pathlib.Path(os.environ['IOVA_CACHE'])
    base = os.environ.get('XDG_CACHE_HOME') or pathlib.Path.home() / '.cache'
    return pathlib.Path(base) / 'iova-to-phys-length'


@dataclasses.dataclass(frozen=True)
class AptSource:
    uri: str
    suites: tuple[str, ...]
    components: tuple[str, ...]


def _parse_deb822(text: str) -> list[AptSource]:
    sources = []
    for stanza in re.split(r'\n\s*\n', text):
        fields: dict[str, str] = {}
        key = None
        for line in stanza.splitlines():
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            if line[0] in ' \t' and key:
                fields[key] += ' ' + line.strip()
                continue
            key, _, value = line.partition(':')
            key = key.strip().lower()
            fields[key] = value.strip()
        if 'deb' not in fields.get('types', '').split() or \
                fields.get('enabled', 'yes').lower() == 'no':
            continue
        for uri in fields.get('uris', '').split():
            sources.append(AptSource(uri.rstrip('/'),
                                     tuple(fields.get('suites', '').split()),
                                     tuple(fields.get('components', '').split())))
    return sources


def _parse_one_line(text: str) -> list[AptSource]:
    sources = []
    for line in text.splitlines():
        line = re.sub(r'\[[^]]*\]', ' ', line.split('#', 1)[0]).split()
        if len(line) >= 3 and line[0] == 'deb':
            sources.append(AptSource(line[1].rstrip('/'), (line[2],), tuple(line[3:])))
    return sources


# How each kind of apt source file is read, by its suffix.
PARSERS = {'.list': _parse_one_line, '.sources': _parse_deb822}


def apt_sources(apt_dir: pathlib.Path = APT_DIR) -> list[AptSource]:
    """Every enabled `deb` source of the apt configuration under apt_dir."""
    parts = apt_dir / 'sources.list.d'
    paths = [path for path in [apt_dir / 'sources.list'] if path.is_file()]
    paths += sorted(parts.iterdir()) if parts.is_dir() else []
    return [src for path in paths if path.suffix in PARSERS
            for src in PARSERS[path.suffix](path.read_text())]


def mirror_for(suite: str, sources: list[AptSource]) -> str:
    """The mirror URI to fetch `suite` from.

    A security suite comes from the source that lists it.  Any other suite
    (sid is usually not configured on a stable machine) comes from the
    source that serves the main Debian archive: one with a non-security
    suite and the main component.
    """
    for src in sources:
        if suite in src.suites:
            return src.uri
    if suite.endswith('-security'):
        raise Failure(f'no apt source lists {suite}; add it to /etc/apt/sources.list.d')
    for src, _ in _archive_sources(sources):
        return src.uri
    raise Failure('no Debian archive mirror found in the apt configuration')


def _archive_sources(sources: list[AptSource]):
    """The sources that serve the main Debian archive (main component, not
    the security mirror), each with its suites that are not security ones."""
    for src in sources:
        suites = [s for s in src.suites if not s.endswith('-security')]
        if 'main' in src.components and suites and '/debian' in src.uri \
                and 'security' not in src.uri:
            yield src, suites


@dataclasses.dataclass(frozen=True)
class Package:
    name: str
    version: str
    filename: str
    sha256: str
    size: int


def _version_key(version: str) -> list:
    # Good enough for linux-source versions such as 6.12.117-1~deb12u1:
    # compare numeric runs numerically, '~' sorts before everything.
    return [(2, int(part)) if part.isdigit() else (0, 0) if part == '~' else (1, part)
            for part in re.findall(r'\d+|~|[A-Za-z]+|[.+-]', version)]


def find_package(packages_text: str, name: str) -> Package:
    best = None
    for stanza in packages_text.split('\n\n'):
        fields = dict(re.findall(r'^([A-Za-z0-9-]+): (.*)$', stanza, re.M))
        if fields.get('Package') != name:
            continue
        pkg = Package(name, fields['Version'], fields['Filename'],
                      fields['SHA256'], int(fields['Size']))
        if best is None or _version_key(pkg.version) > _version_key(best.version):
            best = pkg
    if best is None:
        raise Failure(f'{name} is not in the package index')
    return best


def _download(url: str, dest: pathlib.Path) -> None:
    tmp = dest.with_suffix(dest.suffix + '.part')
    try:
        with urllib.request.urlopen(url, timeout=60) as resp, open(tmp, 'wb') as out:
            shutil.copyfileobj(resp, out, 1 << 20)
    except OSError as err:
        raise Failure(f'cannot download {url}: {err}') from err
    tmp.rename(dest)


def _sha256(path: pathlib.Path) -> str:
    with open(path, 'rb') as f:
        return hashlib.file_digest(f, 'sha256').hexdigest()


def _dpkg_arch() -> str:
    try:
        return subprocess.run(['dpkg', '--print-architecture'], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return 'amd64'


def fetch(mirror: str, suite: str, arch: str, name: str,
          log=print) -> tuple[Package, pathlib.Path]:
    """Download (or reuse) the newest <name> of <suite> in the binary-<arch>
    index of the mirror, checked against the index's SHA256."""
    debs = cache_dir() / 'debs'
    debs.mkdir(parents=True, exist_ok=True)
    index_url = f'{mirror}/dists/{suite}/main/binary-{arch}/Packages.xz'
    log(f'index: {index_url}')
    try:
        with urllib.request.urlopen(index_url, timeout=60) as resp:
            packages = lzma.decompress(resp.read()).decode('utf-8', 'replace')
    except OSError as err:
        raise Failure(f'cannot read the package index {index_url}: {err}') from err
    pkg = find_package(packages, name)
    deb = debs / pathlib.PurePosixPath(pkg.filename).name
    if not deb.exists() or _sha256(deb) != pkg.sha256:
        log(f'download: {mirror}/{pkg.filename} ({pkg.size >> 20} MiB)')
        _download(f'{mirror}/{pkg.filename}', deb)
        if _sha256(deb) != pkg.sha256:
            deb.unlink()
            raise Failure(f'{deb.name}: SHA256 mismatch against the index')
    return pkg, deb


def fetch_deb(kver: str, log=print) -> tuple[Package, pathlib.Path]:
    """Download (or reuse) linux-source-<kver>; returns the package and the .deb."""
    if kver not in KVER_SUITES:
        raise Failure(f'KVER={kver} is not known; use one of {", ".join(KVER_SUITES)} '
                      'or KERNEL=<tree>')
    suite = KVER_SUITES[kver]
    # Architecture-all packages are listed in every binary-<arch> index; the
    # binary-all index of a suite with No-Support-for-Architecture-all may
    # lag behind (seen on bookworm-security), so read the machine's own.
    return fetch(mirror_for(suite, apt_sources()), suite, _dpkg_arch(),
                 f'linux-source-{kver}', log)


def machine_suite(sources: list[AptSource]) -> tuple[str, str]:
    """The mirror and release this machine installs its packages from: the
    first suite of the main archive that is not an -updates one."""
    for src, suites in _archive_sources(sources):
        releases = [s for s in suites if not s.endswith('-updates')]
        if releases:
            return src.uri, releases[0]
    raise Failure('no Debian archive mirror found in the apt configuration')


def fetch_foreign(name: str, arch: str, dest: pathlib.Path, log=print) -> pathlib.Path:
    """The files of Debian package <name> built for another architecture
    (busybox-static:arm64 for an arm64 guest), unpacked into dest once, from
    the suite and mirror the machine's own packages come from."""
    stamp = dest / '.deb'
    if stamp.exists():     # unpacked before: no index download per build
        return dest
    mirror, suite = machine_suite(apt_sources())
    pkg, deb = fetch(mirror, suite, arch, name, log)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    subprocess.run(['dpkg-deb', '-x', str(deb), str(dest)], check=True)
    stamp.write_text(deb.name)
    return dest


def unpack(pkg: Package, deb: pathlib.Path, log=print) -> pathlib.Path:
    """Unpack the .deb's source tarball into a cached git repository."""
    dest = cache_dir() / 'src' / deb.stem.removesuffix('_all')
    if (dest / '.git').is_dir() and kernel_tree.git(dest, 'rev-parse', '--verify', '-q', 'HEAD',
                                                    check=False):
        return dest
    log(f'unpack: {deb.name} -> {dest}')
    prefix = f'unpack-{deb.stem}-'
    for stale in cache_dir().glob(prefix + '*'):     # a run killed mid-unpack
        shutil.rmtree(stale, ignore_errors=True)
    with tempfile.TemporaryDirectory(dir=cache_dir(), prefix=prefix) as tmp:
        tmpdir = pathlib.Path(tmp)
        subprocess.run(['dpkg-deb', '-x', str(deb), str(tmpdir / 'deb')], check=True)
        tarballs = list((tmpdir / 'deb/usr/src').glob('linux-source-*.tar.*'))
        if len(tarballs) != 1:
            raise Failure(f'{deb.name}: expected one source tarball, found {len(tarballs)}')
        subprocess.run(['tar', '-xf', str(tarballs[0]), '-C', str(tmpdir)], check=True)
        top = tmpdir / tarballs[0].name.split('.tar.')[0]
        if dest.exists():
            shutil.rmtree(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        top.rename(dest)
    kernel_tree.commit_all(dest, f'{pkg.name} {pkg.version}', f'Debian {pkg.name}')
    return dest


def source_tree(kver: str, log=print) -> pathlib.Path:
    """The cached git tree of linux-source-<kver>, fetched and unpacked if needed."""
    cache_dir().mkdir(parents=True, exist_ok=True)
    # Two runs at once (make series while make test runs) must not unpack
    # into the same place: the second waits for the first.
    with open(cache_dir() / f'.lock-linux-source-{kver}', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        pkg, deb = fetch_deb(kver, log)
        return unpack(pkg, deb, log)
