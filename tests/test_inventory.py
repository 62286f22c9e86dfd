"""generator/inventory.py on a fixture tree: spatch and token pass together."""

import pytest

import kernel_fixture
from generator import inventory
from generator.errors import Failure


def _by_kind(entries):
    return {(e.kind, e.file, e.function) for e in entries}


def test_finds_every_shape(fixture_tree):
    found = _by_kind(inventory.take(fixture_tree))
    assert ('implementer', 'drivers/iommu/toy.c', 'toy_iova_to_phys') in found
    assert ('implementer', 'drivers/iommu/lit.c', 'lit_iova_to_phys') in found
    assert ('macro-implementer', 'drivers/iommu/mac.c', 'MAC_COMMON_OPS') in found
    assert ('macro-use', 'drivers/iommu/mac.c', 'MAC_COMMON_OPS') in found
    assert ('op-call', 'drivers/iommu/iommu.c', 'iommu_iova_to_phys') in found
    assert ('wrapper-call', 'drivers/misc/user.c', 'user_lookup') in found


def test_ignores_look_alikes_and_declarations(fixture_tree):
    entries = inventory.take(fixture_tree)
    assert not [e for e in entries if e.function == 'private_iova_to_phys']
    assert not [e for e in entries if e.file == 'include/linux/iommu.h']


def test_methods_are_named(fixture_tree):
    entries = inventory.take(fixture_tree)
    assert {e.method for e in entries if e.kind.startswith('macro')} == {'tokens'}
    assert {e.method for e in entries if not e.kind.startswith('macro')} == {'spatch'}


def test_call_in_macro_body_names_the_macro(fixture_tree):
    (fixture_tree / 'drivers/iommu/odd.c').write_text(
        '#include <linux/iommu.h>\n'
        '#define LOOKUP(d, i) ((d)->ops->iova_to_phys((d), (i)))\n')
    kernel_fixture.git(fixture_tree, 'add', '-A')
    found = _by_kind(inventory.take(fixture_tree))
    assert ('op-call', 'drivers/iommu/odd.c', 'LOOKUP') in found


def test_unparsable_use_is_reported_not_skipped(fixture_tree):
    # A function spatch cannot parse hides its call from the rule; the
    # token cross-check must name the line instead of skipping it.
    (fixture_tree / 'drivers/iommu/odd.c').write_text(
        '#include <linux/iommu.h>\n'
        'int odd(struct iommu_domain *d)\n{\n'
        '\treturn d->ops->iova_to_phys(d, 0) + ;\n}\n')
    kernel_fixture.git(fixture_tree, 'add', '-A')
    with pytest.raises(Failure, match=r'drivers/iommu/odd.c:4'):
        inventory.take(fixture_tree)
