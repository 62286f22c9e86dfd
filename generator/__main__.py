"""Command line: python3 -m generator {series,inventory,fetch,audit,deps,show} ..."""

import argparse
import contextlib
import errno
import json
import pathlib
import re
import sys

from generator import (debian, deps, interrupt, inventory, kernel_tree, runlock, series,
                       seriesfile)
from generator.errors import Failure


def _tree(args) -> tuple[pathlib.Path, str, bool]:
    """(tree to read, description, is it the user's own tree)."""
    if args.kernel and args.kver:
        raise Failure(f'KVER={args.kver} and KERNEL={args.kernel} both given: KERNEL would win '
                      'and KVER be ignored; give only one of them')
    if args.kernel:
        tree = _path(args.kernel)
        kernel_tree.check_repository(tree)
        kernel_tree.check_kernel(tree)
        if not (tree / '.git').exists():
            print(f'{tree} has no git: making a private copy with one base commit')
            return kernel_tree.private_copy(tree, debian.cache_dir()), f'copy of {tree}', False
        return tree, f'git tree {tree}', True
    kver = args.kver or DEFAULT_KVER
    return debian.source_tree(kver), f'Debian linux-source-{kver}', False


DEFAULT_KVER = '7.2'


def _version(text: str) -> int:
    if not re.fullmatch(r'[1-9][0-9]*', text.strip()):
        raise Failure(f'V={text}: the series version must be a positive integer (1, 2, ...)')
    return int(text)


def _path(arg: str | None) -> pathlib.Path | None:
    return pathlib.Path(arg).expanduser().resolve() if arg else None


def cmd_series(args) -> int:
    version = _version(args.version)
    cache = debian.cache_dir()
    # The user's tree before anything is read or copied from it; then the
    # tree the series is made in (the Debian tree, a private copy) and the
    # work tree, which only the tree tells.
    given = [str(_path(args.kernel))] if args.kernel else []
    with contextlib.ExitStack() as locks:
        locks.enter_context(runlock.hold(cache, given, args.wait))
        tree, source, user_tree = _tree(args)
        branch = f'iova_to_phys_length/v{version}'
        work = (pathlib.Path(args.work).resolve() if args.work
                else kernel_tree.work_path(cache, tree, branch))
        more = [str(tree)] if str(tree) not in given else []
        locks.enter_context(runlock.hold(cache, more + [str(work)], args.wait))
        opts = series.Options(tree=tree, source=source, version=version, out=_path(args.out),
                              work=work, author=args.author or None, user_tree=user_tree,
                              strict=args.strict, local=_path(args.local),
                              prev=args.prev or None, thread=_path(args.thread),
                              keep_trailers=args.keep_trailers or '',
                              **({'manifest': pathlib.Path(args.manifest).resolve()}
                                 if args.manifest else {}))
        summary = series.generate(opts)
    print(f'branch {summary["branch"]} in {summary["worktree"]}')
    print(f'series in {summary["out"]}')
    return 0


def cmd_inventory(args) -> int:
    tree, _, _ = _tree(args)
    entries = inventory.take(tree)
    if args.json:
        print(json.dumps([e.as_dict() for e in entries], indent=1))
    else:
        print(inventory.format_entries(entries))
        print(f'{len(entries)} entries')
    return 0


def cmd_fetch(args) -> int:
    print(debian.source_tree(args.kver))
    return 0


def cmd_deps(args) -> int:
    return deps.ensure(args.job)


def cmd_audit(args) -> int:
    from generator import audit
    tree, _, _ = _tree(args)
    return audit.main(tree, args.mode)


def cmd_show(args) -> int:
    print(seriesfile.field(pathlib.Path(args.series), args.field))
    return 0


def main(argv: list[str] | None = None) -> int:
    # Progress lines as they happen when stdout is a pipe (tee, CI logs, a
    # test reading them), not in one block at exit.
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(prog='python3 -m generator', description=__doc__)
    sub = parser.add_subparsers(dest='command', required=True)

    def tree_args(p):
        p.add_argument('--kernel', help='a kernel tree (git, or plain: copied)')
        p.add_argument('--kver', help=f'Debian linux-source release (default {DEFAULT_KVER})')

    p = sub.add_parser('series', help='generate the patch series')
    tree_args(p)
    p.add_argument('--version', '-v', default='1', help='series version (vN)')
    p.add_argument('--wait', action='store_true',
                   help='wait for another run on the same tree instead of stopping')
    p.add_argument('--manifest', help=argparse.SUPPRESS)    # tests: a fixture manifest
    p.add_argument('--out', help='output directory (default out/<release>/v<N>)')
    p.add_argument('--work', help='work tree path (default under the cache)')
    p.add_argument('--author', help='"Name <email>" (default: git config of the tree)')
    p.add_argument('--strict', action='store_true',
                   help='stop at a new caller no rule converts, instead of keeping it')
    p.add_argument('--local', help='your own [[step]]/[[kept]] entries (a steps.toml)')
    p.add_argument('--prev', help='the previous version: its series directory or branch')
    p.add_argument('--thread', help='the review thread of the previous version (mbox)')
    p.add_argument('--keep-trailers', choices=('changed',),
                   help='changed: a patch whose code changed keeps its review tags')
    p.set_defaults(func=cmd_series)

    p = sub.add_parser('inventory', help='list the tree\'s iova_to_phys users')
    tree_args(p)
    p.add_argument('--json', action='store_true')
    p.set_defaults(func=cmd_inventory)

    p = sub.add_parser('fetch', help='fetch and unpack a Debian linux-source release')
    p.add_argument('--kver', default=DEFAULT_KVER)
    p.set_defaults(func=cmd_fetch)

    p = sub.add_parser('deps', help='install the Debian packages a job needs')
    p.add_argument('job', choices=deps.ORDER)
    p.set_defaults(func=cmd_deps)

    p = sub.add_parser('audit', help='audit a tree for leftover iova_to_phys')
    tree_args(p)
    p.add_argument('--mode', default='report', choices=('report', 'org', 'context', 'patch'))
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser('show', help='print a field of a series directory\'s series.json')
    p.add_argument('field', help='dotted name: worktree, kernel.base_commit, ...')
    p.add_argument('--series', default='.', help='the series directory (default .)')
    p.set_defaults(func=cmd_show)

    args = parser.parse_args(argv)
    interrupt.install()
    try:
        return args.func(args)
    except OSError as err:
        print(f'error: {_os_error(err)}', file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Failure) as err:
        # A Failure after a signal: a child killed by the same Ctrl-C failed first.
        if isinstance(err, Failure) and not interrupt.received:
            full = _full_disk()
            print(f'error: {full}: {err}' if full else f'error: {err}', file=sys.stderr)
            return 1
        line, status = interrupt.message()
        print(line, file=sys.stderr)
        return status


def _full_disk() -> str:
    """'no space left ...' when the cache's file system is full: git says
    so in words of its own ("could not reset index file"), if at all."""
    import os
    cache = debian.cache_dir()
    place = next((p for p in (cache, *cache.parents) if p.exists()), None)
    try:
        st = os.statvfs(place)
    except (OSError, TypeError):
        return ''
    if st.f_bavail * st.f_frsize >= 256 << 10:
        return ''
    return (f'no space left on the device of the cache {cache} '
            f'({st.f_bavail * st.f_frsize >> 10} KiB free): free some, or set IOVA_CACHE elsewhere')


def _os_error(err: OSError) -> str:
    """One line for an OSError, a full disk above all (shutil.Error lists
    one (src, dst, why) per file it could not copy)."""
    if isinstance(err.args[0] if err.args else None, list) and err.args[0]:
        src, dst, why = err.args[0][0]
        if 'No space left' in str(why):
            return f'no space left on the device of {dst}: free some, or set IOVA_CACHE elsewhere'
        return f'cannot copy {src} to {dst}: {why}'
    where = err.filename or ''
    if err.errno == errno.ENOSPC:
        return (f'no space left on the device of {where or "the cache"}: free some, '
                'or set IOVA_CACHE elsewhere')
    return f'{where + ": " if where else ""}{err.strerror or err}'


if __name__ == '__main__':
    sys.exit(main())
