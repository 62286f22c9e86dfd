"""Command line: python3 -m generator {series,inventory,fetch,audit,deps} ..."""

import argparse
import json
import pathlib
import sys

from generator import debian, deps, inventory, kernel_tree, series
from generator.errors import Failure


def _tree(args) -> tuple[pathlib.Path, str, bool]:
    """(tree to read, description, is it the user's own tree)."""
    if args.kernel:
        tree = pathlib.Path(args.kernel).expanduser().resolve()
        kernel_tree.check_kernel(tree)
        if not (tree / '.git').exists():
            print(f'{tree} has no git: making a private copy with one base commit')
            return kernel_tree.private_copy(tree, debian.cache_dir()), f'copy of {tree}', False
        return tree, f'git tree {tree}', True
    return debian.source_tree(args.kver), f'Debian linux-source-{args.kver}', False


def cmd_series(args) -> int:
    tree, source, user_tree = _tree(args)
    branch = f'iova_to_phys_length/v{args.version}'
    work = (pathlib.Path(args.work).resolve() if args.work
            else kernel_tree.work_path(debian.cache_dir(), tree, branch))
    opts = series.Options(tree=tree, source=source, version=args.version,
                          out=pathlib.Path(args.out).resolve() if args.out else None,
                          work=work, author=args.author or None, user_tree=user_tree,
                          strict=args.strict,
                          local=pathlib.Path(args.local).resolve() if args.local else None)
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
    return audit.main(['--kernel', str(tree), '--mode', args.mode])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='python3 -m generator', description=__doc__)
    sub = parser.add_subparsers(dest='command', required=True)

    def tree_args(p):
        p.add_argument('--kernel', help='a kernel tree (git, or plain: copied)')
        p.add_argument('--kver', default='7.2', help='Debian linux-source release (default 7.2)')

    p = sub.add_parser('series', help='generate the patch series')
    tree_args(p)
    p.add_argument('--version', '-v', type=int, default=1, help='series version (vN)')
    p.add_argument('--out', help='output directory (default out/<release>/v<N>)')
    p.add_argument('--work', help='work tree path (default under the cache)')
    p.add_argument('--author', help='"Name <email>" (default: git config of the tree)')
    p.add_argument('--strict', action='store_true',
                   help='stop at a new caller no rule converts, instead of keeping it')
    p.add_argument('--local', help='your own [[step]]/[[kept]] entries (a steps.toml)')
    p.set_defaults(func=cmd_series)

    p = sub.add_parser('inventory', help='list the tree\'s iova_to_phys users')
    tree_args(p)
    p.add_argument('--json', action='store_true')
    p.set_defaults(func=cmd_inventory)

    p = sub.add_parser('fetch', help='fetch and unpack a Debian linux-source release')
    p.add_argument('--kver', default='7.2')
    p.set_defaults(func=cmd_fetch)

    p = sub.add_parser('deps', help='install the Debian packages a job needs')
    p.add_argument('job', choices=deps.ORDER)
    p.set_defaults(func=cmd_deps)

    p = sub.add_parser('audit', help='audit a tree for leftover iova_to_phys')
    tree_args(p)
    p.add_argument('--mode', default='report', choices=('report', 'org', 'context', 'patch'))
    p.set_defaults(func=cmd_audit)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except Failure as err:
        print(f'error: {err}', file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == '__main__':
    sys.exit(main())
