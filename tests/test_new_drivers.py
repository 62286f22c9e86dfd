"""generator/new_drivers.py tries what templates/README.md says it tries."""

import pathlib
import re

import pytest

from generator import leaf_sizes, new_drivers
from generator.errors import Failure
from generator.inventory import Entry

REPO = pathlib.Path(__file__).resolve().parent.parent
README = REPO / 'templates' / 'README.md'


def _documented_tries() -> list[tuple[str, str]]:
    """(rule, defines) of each row of the README's table of tries."""
    text = README.read_text()
    section = text[text.index('## Trying the shapes'):]
    section = section[:section.index('\n## ', 1)]
    return re.findall(r'^\| \d+ \| `([^`]+)` \| (.*) \|$', section, re.M)


def test_the_readme_lists_the_tries_the_code_makes(tmp_path, monkeypatch):
    leaf = leaf_sizes.Leaf('IOPTE_MASK', 'SZ_64K', 12, 'iova & IOPTE_MASK')
    monkeypatch.setattr(new_drivers, 'smallest_page', lambda path: 'SZ_4K')
    monkeypatch.setattr(leaf_sizes, 'infer', lambda path, fn: [leaf])
    tried = []

    def refuse(tree, file, actions):
        shape, common = actions
        assert common.spec['cocci'] == 'templates/common.cocci'
        tried.append((shape.spec['cocci'], shape.spec['define']))
        return False

    monkeypatch.setattr(new_drivers, '_converts', refuse)
    entry = Entry('drivers/iommu/x.c', 1, 'implementer', 'x_iova_to_phys', 'ops', 'spatch')
    with pytest.raises(Failure, match='no rule matches drivers/iommu/x.c:x_iova_to_phys'):
        new_drivers.plan(tmp_path, [entry], log=lambda *_: None)

    documented = _documented_tries()
    assert [rule for rule, _ in documented] == [rule for rule, _ in tried]
    for (_, doc), (_, defines) in zip(documented, tried):
        # The README's placeholders, filled in as the code fills them.
        leaves = re.search(r'`leaves=([^`]+)`', doc).group(1)
        leaves = re.sub(r'=S$', '=SZ_4K', leaves.replace('KEY=SIZE,...,', 'IOPTE_MASK=SZ_64K,'))
        assert defines == {'fn': 'x_iova_to_phys', 'leaves': leaves}
