"""The arches and configs of the bisect builds, and their build directories.

Each arch has a base config target and a fragment in ci/check/configs/
(common.config is added to all).  x86_64 takes the fragment as
KCONFIG_ALLCONFIG for allmodconfig; the others append it to their defconfig
and run olddefconfig.  Every line of the fragments must hold in the final
.config, or the arch fails loudly before anything is built; a symbol that
the tree's Kconfig does not define (CONFIG_GENERIC_PT on 6.12, say) is left
out of that check and logged, so one fragment serves every release.

Build directories live in ~/.cache/iova-to-phys-length/check/build/<tree>/<arch>
(or under $IOVA_CACHE), out of tree, one per source tree so that checking a
7.2 and a 6.12 series in turn rebuilds neither, configured and prepared once
per fragment set, then built incrementally.
"""

from __future__ import annotations

import functools
import hashlib
import json
import pathlib
import re
import shlex
import shutil
import subprocess
import time

from ci import kconfig
from ci.arches import Arch
from generator import debian

CONFIGS = pathlib.Path(__file__).resolve().parent / 'configs'
# The generator's cache ($IOVA_CACHE, else $XDG_CACHE_HOME/iova-to-phys-length):
# one place decides it, so a check worktree is made where its source is.
CACHE = debian.cache_dir()
STAMP = 'ci-check-stamp.json'


def fragments(arch: Arch) -> list[pathlib.Path]:
    """common.config and the arch's own, in ci/check/configs/."""
    return [CONFIGS / 'common.config', CONFIGS / f'{arch.name}.config']


QUICK = ('x86_64',)


def compiler(arch: Arch, env: dict) -> str:
    """CC= for this arch: the user's CC launchers (ccache, distcc ...) + <cross>gcc.

    CC="distcc gcc" or CC="ccache gcc" (with CCACHE_PREFIX=distcc) from the
    user's environment keep their launchers; the last word, the compiler,
    gets the arch's cross prefix.  Default: ccache when installed.
    """
    words = shlex.split(env.get('CC', ''))
    if not words:
        words = (['ccache'] if shutil.which('ccache') else []) + ['gcc']
    name = pathlib.PurePosixPath(words[-1]).name
    words[-1] = arch.cross + re.sub(r'^.*-(?=(gcc|cc)(-[\d.]+)?$)', '', name)
    return ' '.join(shlex.quote(w) for w in words)


def make_args(arch: Arch, srctree: pathlib.Path, build: pathlib.Path, env: dict,
              jobs: int = 2) -> list[str]:
    args = ['nice', '-n', '10', 'make', '-C', str(srctree), f'O={build}',
            f'ARCH={arch.kernel_arch}', f'CC={compiler(arch, env)}', f'-j{jobs}']
    if arch.cross:
        args.append(f'CROSS_COMPILE={arch.cross}')
    return args


class ConfigError(Exception):
    pass


def build_dir(arch: Arch, srctree: pathlib.Path) -> pathlib.Path:
    return CACHE / 'check' / 'build' / srctree.name / arch.name


@functools.lru_cache(maxsize=None)
def _symbols_at(srctree: pathlib.Path, base_commit: str) -> frozenset[str]:
    """kconfig.symbols() of srctree checked out at base_commit (the key
    only): setup() of each arch runs at the base, and one walk of the
    tree's Kconfig files serves all six."""
    return frozenset(kconfig.symbols(srctree))


def setup(arch: Arch, srctree: pathlib.Path, base_commit: str, env: dict, log,
          jobs: int = 2) -> tuple[pathlib.Path, dict]:
    """Configure (if needed), verify and prepare the arch's build directory.

    Returns the directory and the seconds of each: {'config', 'prepare'}.
    """
    build = build_dir(arch, srctree)
    want, undefined = kconfig.defined_only(kconfig.requested(fragments(arch)),
                                           _symbols_at(srctree, base_commit))
    if undefined:
        log(f'{arch.name}: not in this tree\'s Kconfig, not required: {", ".join(undefined)}')
    key = hashlib.sha256(json.dumps([arch.check_config, base_commit, compiler(arch, env),
                                     [f.read_text() for f in fragments(arch)]]).encode()).hexdigest()
    stamp_path = build / STAMP
    stamp = json.loads(stamp_path.read_text()) if stamp_path.exists() else {}
    if stamp.get('srctree') not in (None, str(srctree)) and build.exists():
        log(f'{arch.name}: build directory was for {stamp.get("srctree")}: starting afresh')
        shutil.rmtree(build)
        stamp = {}
    build.mkdir(parents=True, exist_ok=True)
    make = make_args(arch, srctree, build, env, jobs)
    t = time.monotonic()
    if stamp.get('config') != key or not (build / '.config').exists():
        merged = build / 'ci-check-fragment.config'
        merged.write_text(''.join(f.read_text() for f in fragments(arch)))
        if arch.check_config.endswith(('allmodconfig', 'allyesconfig')):
            _run(make + ['-s', f'KCONFIG_ALLCONFIG={merged}', arch.check_config], build, 'config',
                 env)
        else:
            _run(make + ['-s', arch.check_config], build, 'config', env)
            with open(build / '.config', 'a') as f:
                f.write(merged.read_text())
            _run(make + ['-s', 'olddefconfig'], build, 'config', env)
    final = kconfig.parse((build / '.config').read_text())
    optional = set().union(*(kconfig.optional(f.read_text()) for f in fragments(arch)))
    soft = kconfig.mismatches({s: v for s, v in want.items() if s in optional}, final)
    if soft:
        log(f'{arch.name}: optional, did not take: ' + '; '.join(soft))
    bad = kconfig.mismatches({s: v for s, v in want.items() if s not in optional}, final)
    if bad:
        stamp_path.unlink(missing_ok=True)
        raise ConfigError(f'{arch.name}: the config fragments did not take: ' + '; '.join(bad))
    timings = {'config': round(time.monotonic() - t, 1)}
    t = time.monotonic()
    _run(make + ['-s', 'prepare'], build, 'prepare', env)
    timings['prepare'] = round(time.monotonic() - t, 1)
    stamp_path.write_text(json.dumps({'srctree': str(srctree), 'config': key}) + '\n')
    return build, timings


def _run(args: list[str], build: pathlib.Path, what: str, env: dict) -> None:
    proc = subprocess.run(args, capture_output=True, text=True, env=dict(env, LC_ALL='C'))
    (build / f'ci-check-{what}.log').write_text(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        tail = '\n'.join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
        raise ConfigError(f'{" ".join(args[3:])} failed (exit {proc.returncode}):\n{tail}')


def symbol_values(build: pathlib.Path, symbols: list[str]) -> dict[str, str]:
    config = build / '.config'
    if not config.exists():
        return {}
    values = kconfig.parse(config.read_text())
    return {s: values.get(s, 'n') for s in symbols}
