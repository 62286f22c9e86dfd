"""The kernel trees the tests read, got the way `make series` gets them.

debian_tree(kver) is Debian's linux-source-<kver> through generator.debian
(the mirror of the machine's apt sources, the cache under $IOVA_CACHE),
whatever point release the mirror serves today: no test names one.  An
environment variable may name another tree instead.  A test that needs a
tree it cannot get fails, saying why; it does not skip.
"""

import functools
import os
import pathlib

import pytest

from generator import debian
from generator.errors import Failure


@functools.lru_cache(maxsize=None)
def _fetched(kver: str) -> pathlib.Path | str:
    try:
        return debian.source_tree(kver, log=lambda *_: None)
    except Failure as err:
        return f'no Debian linux-source-{kver} tree: {err}'
    except OSError as err:
        return f'no Debian linux-source-{kver} tree: {err}'


def debian_tree(kver: str = '7.2', env: str | None = None,
                needs: str = 'drivers/iommu/iommu.c') -> pathlib.Path:
    """$<env> if set, else the cached (fetched if need be) Debian tree of
    kver; pytest.fail when it has no <needs>."""
    given = os.environ.get(env) if env else None
    tree = pathlib.Path(given) if given else _fetched(kver)
    if isinstance(tree, str):
        pytest.fail(tree)
    if not (tree / needs).exists():
        pytest.fail(f'{tree}: no {needs}' + (f' (from ${env})' if given else ''))
    return tree


def other_trees(kver: str = '7.2') -> list[pathlib.Path]:
    """The Debian trees of every release the generator serves but kver."""
    return [debian_tree(other) for other in debian.KVER_SUITES if other != kver]


def tree_for(step, env: str, needs: str = 'drivers/iommu/iommu.c') -> pathlib.Path:
    """The first tree a manifest step is written for: $<env> (skip when the
    step is for another shape), else Debian's 7.2, else the other releases
    the generator serves (a 6.12-only step is tested on 6.12).  A step no
    Debian tree has the shape for is dead: fail."""
    from generator import steps
    if os.environ.get(env):
        base = debian_tree('7.2', env, needs)
        missing = steps.missing_requirements(step, base)
        if missing:
            pytest.skip(f'{step.id} is for trees of another shape: {base} lacks {missing[0]}')
        return base
    trees = [debian_tree('7.2', needs=needs), *other_trees('7.2')]
    for tree in trees:
        if not steps.missing_requirements(step, tree):
            return tree
    pytest.fail(f'{step.id}: no Debian tree has its shape ({", ".join(map(str, trees))})')
