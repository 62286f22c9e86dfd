"""ci/boot/suites.py: what a boot of a tree must report, from the tree's
files. The trees here are written by the tests: a generic_pt + KUnit
layout (as in 7.2) and a boot-selftest layout without generic_pt and
without the VFIO selftests (as in 6.12)."""

import pytest

from ci.boot import results, suites
from ci.guest import qemu


def write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


PT = 'drivers/iommu/generic_pt/'

KUNIT_TREE = {
    'drivers/iommu/io-pgtable-arm.c': 'static int arm_lpae_map(void) { return 0; }\n',
    'drivers/iommu/io-pgtable-arm-ktest.c':
        'static struct kunit_suite lpae_suite = {\n\t.name = "lpae-suite",\n'
        '\t.test_cases = lpae_cases,\n};\nkunit_test_suite(lpae_suite);\n',
    'drivers/iommu/io-pgtable-arm-v7s.c':
        '#ifdef CONFIG_IOMMU_IO_PGTABLE_ARMV7S_SELFTEST\nstatic int t(void);\n#endif\n',
    PT + 'kunit_alpha.h':
        'static struct kunit_suite NS(a) = {\n\t.name = __stringify(NS(walk_test)),\n};\n',
    PT + 'kunit_beta.h':
        'static struct kunit_suite NS(b) = {\n\t.name = __stringify(NS(map_test)),\n};\n',
    PT + 'kunit_helpers.h': 'static void helper(void) {}\n',
    PT + 'fmt/Makefile': ('iommu_pt_fmt-$(CONFIG_IOMMU_PT_ONE) += one\n'
                          'iommu_pt_fmt-$(CONFIG_IOMMUFD_TEST) += fake\n'
                          'obj-y += other.o\n'),
    PT + 'fmt/iommu_one.c': '#define PT_FMT one\n#include "iommu_template.h"\n',
    PT + 'fmt/iommu_fake.c': '#define PT_FMT one\n#define PT_FMT_VARIANT fake\n',
    'tools/testing/selftests/iommu/iommufd.c': 'int main(void) {}\n',
    'tools/testing/selftests/iommu/iommufd_fail_nth.c': 'int main(void) {}\n',
    'tools/testing/selftests/vfio/vfio_dma_mapping_test.c': 'int main(void) {}\n',
}

SELFTEST_TREE = {
    'drivers/iommu/io-pgtable-arm.c':
        '#ifdef CONFIG_IOMMU_IO_PGTABLE_LPAE_SELFTEST\nstatic int t(void);\n#endif\n',
    'drivers/iommu/io-pgtable-arm-v7s.c':
        '#ifdef CONFIG_IOMMU_IO_PGTABLE_ARMV7S_SELFTEST\nstatic int t(void);\n#endif\n',
    'tools/testing/selftests/iommu/iommufd.c': 'int main(void) {}\n',
    'tools/testing/selftests/iommu/iommufd_fail_nth.c': 'int main(void) {}\n',
}


def test_a_kunit_tree_with_generic_pt_and_vfio_selftests(tmp_path):
    tree = write(tmp_path, KUNIT_TREE)
    expect = suites.expected(tree)
    assert expect.kunit == ['lpae-suite', 'one_walk_test', 'one_map_test',
                            'one_fake_walk_test', 'one_fake_map_test']
    assert expect.selftests == [results.V7S_SUITE]
    assert expect.programs == ['iommufd', 'iommufd_fail_nth', 'vfio_dma_mapping_test']


def test_generic_pt_suites_only_where_the_config_builds_them(tmp_path):
    tree = write(tmp_path, KUNIT_TREE)
    assert suites.expected(tree, generic_pt_kunit_built=False).kunit == ['lpae-suite']


def test_run_requires_no_generic_pt_suite_while_the_fragments_leave_them_out(tmp_path):
    from ci import kconfig
    from ci.boot import build
    for arch in ('x86_64', 'arm64'):
        wanted = kconfig.requested(build.fragments(arch))
        assert wanted.get('CONFIG_IOMMU_PT_KUNIT_TEST', 'n') == 'n', arch


def test_a_tree_with_boot_selftests_no_generic_pt_and_no_vfio_selftests(tmp_path):
    tree = write(tmp_path, SELFTEST_TREE)
    expect = suites.expected(tree)
    assert expect.kunit == []
    assert expect.selftests == [results.LPAE_SUITE, results.V7S_SUITE]
    assert expect.programs == ['iommufd', 'iommufd_fail_nth']


def test_a_selftest_counts_only_where_its_guard_is_in_the_source(tmp_path):
    tree = write(tmp_path, {'drivers/iommu/io-pgtable-arm.c': '/* LPAE_SELFTEST was here */\n'})
    assert suites.boot_selftests(tree) == []


def test_machine_tests_drop_only_the_kernel_programs_the_tree_lacks(tmp_path):
    expect = suites.expected(write(tmp_path, SELFTEST_TREE))
    intel = qemu.MACHINES['intel-iommu'].tests
    assert 'vfio_dma_mapping_test' in intel
    assert suites.machine_tests(intel, expect) == [
        t for t in intel if t != 'vfio_dma_mapping_test']
    # ours (vfio) and the KUnit runner stay
    assert 'vfio' in suites.machine_tests(intel, expect)
    assert suites.machine_tests(['kunit'], expect) == ['kunit']


def test_pt_prefix_follows_the_template():
    assert suites.pt_prefix('#define PT_FMT amdv1\n') == 'amdv1'
    assert suites.pt_prefix('#define PT_FMT riscv\n#define PT_FMT_VARIANT 64\n') == 'riscv_64'
    assert suites.pt_prefix('/* #define PT_FMT x */\n') is None


def test_a_kunit_suite_without_a_literal_name_is_a_layout_error(tmp_path):
    tree = write(tmp_path, {'drivers/iommu/io-pgtable-x.c':
                            'static struct kunit_suite s = {\n\t.name = SUITE_NAME,\n};\n'})
    with pytest.raises(suites.LayoutError, match='io-pgtable-x.c'):
        suites.expected(tree)


def test_generic_pt_suites_without_formats_or_format_name_are_layout_errors(tmp_path):
    files = {k: v for k, v in KUNIT_TREE.items() if k != PT + 'fmt/Makefile'}
    with pytest.raises(suites.LayoutError, match='no iommu_pt_fmt'):
        suites.expected(write(tmp_path / 'a', files))
    files = dict(KUNIT_TREE)
    files[PT + 'fmt/iommu_one.c'] = '#include "iommu_template.h"\n'
    with pytest.raises(suites.LayoutError, match='iommu_one.c: no #define PT_FMT'):
        suites.expected(write(tmp_path / 'b', files))


def test_the_real_trees(tmp_path):
    """Debian's 7.2 and 6.12 trees: the 7.2 list is the one the harness had
    written out by hand before it read trees."""
    from boot_tree import kernel_tree, lts_tree
    expect = suites.expected(kernel_tree())
    assert expect.kunit == ['io-pgtable-arm-test'] + [
        f'{fmt}_{kind}' for fmt in ('amdv1', 'amdv1_mock', 'vtdss', 'riscv_64', 'x86_64')
        for kind in ('fmt_test', 'iommu_test')]
    assert expect.selftests == [results.V7S_SUITE]
    assert 'vfio_dma_mapping_test' in expect.programs
    expect = suites.expected(lts_tree())
    assert expect.kunit == []
    assert expect.selftests == [results.LPAE_SUITE, results.V7S_SUITE]
    assert expect.programs == ['iommufd', 'iommufd_fail_nth']
