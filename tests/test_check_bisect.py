"""ci/check/bisect.py: subsystems, objects per commit, the cell verdict, the warning store."""

import os

from ci.check import bisect, kbuild

SRC = '/src'


def test_subsystems_are_the_kbuild_dirs_of_changed_sources():
    have = {'drivers/iommu/Makefile', 'drivers/iommu/arm/arm-smmu-v3/Makefile',
            'drivers/vfio/Makefile', 'drivers/gpu/drm/panfrost/Makefile',
            'drivers/iommu/generic_pt/fmt/Makefile'}
    files = ['include/linux/iommu.h', 'drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c',
             'drivers/iommu/iommu.c', 'drivers/iommu/generic_pt/iommu_pt.h',
             'drivers/vfio/vfio_iommu_type1.c', 'drivers/gpu/drm/panfrost/panfrost_mmu.c',
             'tools/testing/selftests/iommu/iommufd.c', 'Documentation/x.rst',
             'arch/x86/include/asm/x.h', 'MAINTAINERS', 'drivers/iommu/Kconfig']
    assert bisect.subsystems(files, have.__contains__) == [
        'drivers/gpu/drm/panfrost', 'drivers/iommu', 'drivers/vfio']
    # a header in a directory without a Makefile belongs to the nearest one above
    assert bisect.subsystems(['drivers/iommu/generic_pt/iommu_pt.h'], have.__contains__) == \
        ['drivers/iommu']
    assert bisect.subsystems(['drivers/iommu/generic_pt/fmt/amdv1.h'], have.__contains__) == \
        ['drivers/iommu/generic_pt/fmt']


def _index(tmp_path, objects):
    index = kbuild.Index(tmp_path, SRC)
    for obj, (source, deps) in objects.items():
        index.objects[obj] = kbuild.CmdFile(obj, source, frozenset(deps) | {source}, '')
    return index


def test_targets_are_users_of_changed_files_plus_carried_failures(tmp_path):
    index = _index(tmp_path, {
        'drivers/iommu/iommu.o': ('drivers/iommu/iommu.c', {'include/linux/iommu.h'}),
        'drivers/iommu/sprd-iommu.o': ('drivers/iommu/sprd-iommu.c', {'include/linux/iommu.h'}),
        'drivers/iommu/iova.o': ('drivers/iommu/iova.c', {'include/linux/iova.h'}),
    })
    assert bisect.targets_for(['include/linux/iommu.h'], index, set()) == \
        ['drivers/iommu/iommu.o', 'drivers/iommu/sprd-iommu.o']
    assert bisect.targets_for(['drivers/iommu/iova.c', 'Documentation/a.rst'], index,
                              {'drivers/iommu/sprd-iommu.o'}) == \
        ['drivers/iommu/iova.o', 'drivers/iommu/sprd-iommu.o']
    # msm_iommu.c is not compiled by this config: nothing to build
    assert bisect.targets_for(['drivers/iommu/msm_iommu.c'], index, set()) == []


def test_new_files_and_makefile_changes_need_directory_builds(tmp_path):
    index = _index(tmp_path, {'drivers/iommu/iommu.o': ('drivers/iommu/iommu.c', set())})
    have = {'drivers/iommu/Makefile'}.__contains__
    assert bisect.new_dirs(['drivers/iommu/new.c', 'drivers/iommu/Makefile'],
                           ['drivers/iommu/new.c'], index, have) == ['drivers/iommu']
    assert bisect.new_dirs(['drivers/iommu/iommu.c'], [], index, have) == []


def _out(compiled=True, failed=False, diags=()):
    return kbuild.ObjectOutput(compiled, failed, list(diags))


W_OLD = kbuild.Diag('drivers/iommu/a.c', 'warning', 'old one [-Wx]')
W_NEW = kbuild.Diag('drivers/iommu/a.c', 'warning', 'new one [-Wy]')
ERR = kbuild.Diag('drivers/iommu/b.c', 'error', "expected ';' before '}' token")


def test_judge_ok_fail_and_new_warnings():
    targets = ['drivers/iommu/a.o', 'drivers/iommu/b.o']
    parsed = {'drivers/iommu/a.o': _out(diags=[W_OLD, W_NEW]),
              'drivers/iommu/b.o': _out(failed=True, diags=[ERR])}
    base = {'drivers/iommu/a.o': [W_OLD]}
    now = {'drivers/iommu/a.o': [W_OLD, W_NEW]}
    cell = bisect.judge(targets, parsed, 2, base, now)
    assert cell.status == 'fail'
    assert cell.failed == ['drivers/iommu/b.o']
    assert cell.errors == [f'drivers/iommu/b.o: {ERR}']
    assert cell.new_warnings == [f'drivers/iommu/a.o: {W_NEW}']

    ok = bisect.judge(targets[:1], {'drivers/iommu/a.o': _out(diags=[W_OLD])}, 0, base,
                      {'drivers/iommu/a.o': [W_OLD]})
    assert (ok.status, ok.failed, ok.new_warnings) == ('ok', [], [])


def test_judge_ignores_warnings_of_objects_prepare_rebuilt():
    parsed = {'drivers/iommu/a.o': _out(diags=[W_OLD]),
              'scripts/mod/empty.o': _out(diags=[W_NEW]),
              'drivers/iommu/amd/new.o': _out(diags=[W_NEW])}
    cell = bisect.judge(['drivers/iommu/a.o'], parsed, 0, {'drivers/iommu/a.o': [W_OLD]},
                        {o: r.diags for o, r in parsed.items()}, dirs=('drivers/iommu',))
    assert cell.objects == ['drivers/iommu/a.o', 'drivers/iommu/amd/new.o']
    assert cell.new_warnings == [f'drivers/iommu/amd/new.o: {W_NEW}']
    broken = bisect.judge([], {'scripts/mod/empty.o': _out(failed=True)}, 2, {}, {})
    assert broken.status == 'fail' and broken.failed == ['scripts/mod/empty.o']


def test_judge_fails_when_make_fails_without_an_object_to_blame():
    cell = bisect.judge(['drivers/iommu/a.o'], {}, 2, {}, {}, tail='No rule to make target')
    assert cell.status == 'fail' and 'No rule to make target' in cell.note


def test_warning_store_trusts_a_record_only_for_the_same_object_file(tmp_path):
    obj = tmp_path / 'drivers/iommu/a.o'
    obj.parent.mkdir(parents=True)
    obj.write_text('1')
    store = bisect.WarningStore(tmp_path)
    store.update({'drivers/iommu/a.o': _out(diags=[W_OLD])})
    store.save()
    again = bisect.WarningStore(tmp_path)
    assert again.valid('drivers/iommu/a.o') and again.get('drivers/iommu/a.o') == [W_OLD]
    st = obj.stat()
    os.utime(obj, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert not again.valid('drivers/iommu/a.o')
    again.update({'drivers/iommu/a.o': _out(failed=True)})
    assert again.get('drivers/iommu/a.o') == []
    assert not bisect.WarningStore(tmp_path / 'none').valid('drivers/iommu/a.o')
