"""ci/boot/build.py: the test guest's fragments, build steps, test
programs and initramfs."""

import shutil
from pathlib import Path

import pytest

from ci.arches import GUEST_ARCHES
from ci.boot import build
from ci.guest import build as guest
from test_guest_build import elf, small_tree  # noqa: F401 (a fixture)
from test_guest_cpio import read_newc


def test_x86_64_configure_and_build_steps():
    arch, src, obj = GUEST_ARCHES['x86_64'], Path('/m/src'), Path('/m/obj')
    assert build.fragments('x86_64') == [build.HERE / 'common.config',
                                         build.HERE / 'x86_64.config']
    steps = build.build_steps(arch, src, obj)
    kernel = next(l for l in steps if l.endswith(' bzImage'))
    assert kernel.startswith('nice -n 10 make -C /m/src O=/m/obj ARCH=x86')
    assert "'CC=ccache gcc'" in kernel and f'-j{guest.JOBS}' in kernel
    assert any(l.endswith('headers_install') for l in steps)
    selftests = next(l for l in steps if 'selftests/iommu' in l)
    assert 'LDFLAGS=-static' in selftests and "'KHDR_INCLUDES=-isystem /m/obj/usr/include'" in selftests
    assert (f"'USERCFLAGS=-I/m/src/tools/testing/selftests "
            f"-include {build.HERE}/selftests_timeout_shim.h'") in selftests
    assert steps[-2].startswith('gcc -static') and steps[-2].endswith('vfio_map_test.c')
    # ours read the tree's iommufd selftest uapi (iommufd_test.h)
    assert steps[-1].endswith('iommufd_access_test.c')
    assert '-I/m/src/drivers/iommu/iommufd' in steps[-1]
    vfio = next(l for l in steps if 'selftests/vfio' in l)
    assert vfio.endswith('/m/obj/ci-tests/vfio/vfio_dma_mapping_test || true')
    assert "'LDFLAGS=-static -pthread'" in vfio
    # the kernel's programs may fail to build (reported per program), ours may not
    assert selftests.endswith(' || true') and ' -k ' in selftests
    assert not steps[-1].endswith('|| true')


# A build log where the iommufd selftests do not compile against the
# tree's uapi and the VFIO one does. Written for these tests.
PROGRAMS_LOG = f"""\
kernel build end 2.0
{build.SELFTESTS_MARK}iommu
make: Entering directory '/m/src/tools/testing/selftests/iommu'
  CC       iommufd
iommufd_utils.h:10:5: error: 'IOMMU_NEW_THING' undeclared (first use in this function)
iommufd_utils.h:11:5: error: 'IOMMU_OTHER' undeclared (first use in this function)
make: *** [../lib.mk:222: /m/obj/ci-tests/iommufd] Error 1
  CC       iommufd_fail_nth
make: *** [../lib.mk:222: /m/obj/ci-tests/iommufd_fail_nth] Error 1
{build.SELFTESTS_MARK}vfio
  CC       vfio_dma_mapping_test
{build.SELFTESTS_MARK}ours
"""


def test_first_error_of_a_program_is_from_its_own_make():
    first = "iommufd_utils.h:10:5: error: 'IOMMU_NEW_THING' undeclared (first use in this function)"
    assert build.first_error(PROGRAMS_LOG, 'iommufd') == first
    assert build.first_error(PROGRAMS_LOG, 'iommufd_fail_nth') == first
    assert build.first_error(PROGRAMS_LOG, build.VFIO_SELFTEST) == 'no error in the build log'
    vfio_failed = PROGRAMS_LOG.replace('  CC       vfio_dma_mapping_test',
                                       'make: *** [Makefile:9: vfio] Error 2')
    assert build.first_error(vfio_failed, build.VFIO_SELFTEST) == \
        'make: *** [Makefile:9: vfio] Error 2'


def test_vfio_selftests_shim_only_where_calloc_assert_is_missing(tmp_path):
    lib = tmp_path / 'tools/testing/selftests/vfio/lib'
    (lib / 'include').mkdir(parents=True)
    (lib / 'vfio_pci_device.c').write_text('p = calloc_assert(1, n);\n')
    assert build.vfio_selftests_cflags(tmp_path).startswith('-include ')
    assert build.vfio_selftests_cflags(tmp_path).endswith('vfio_selftests_shim.h')
    (lib / 'include' / 'libvfio.h').write_text(
        'static inline void *calloc_assert(size_t n, size_t s)\n{ }\n')
    assert build.vfio_selftests_cflags(tmp_path) == ''
    assert build.vfio_selftests_cflags(tmp_path / 'none') == ''


def test_arm64_steps_cross_compile():
    arch = GUEST_ARCHES['arm64']
    script = '\n'.join(build.build_steps(arch, Path('/s'), Path('/o')))
    assert "'CC=ccache aarch64-linux-gnu-gcc'" in script
    assert 'ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-' in script
    assert 'aarch64-linux-gnu-gcc -static' in script
    assert 'arch/arm64' not in script and script.count(' Image') == 1


def test_build_refuses_a_directory_that_is_not_a_kernel_tree(tmp_path):
    with pytest.raises(guest.BuildError, match='not a kernel tree'):
        build.build(tmp_path, 'x86_64', tmp_path / 'log')


def test_steps_build_only_the_wanted_kernel_programs():
    arch, src, obj = GUEST_ARCHES['x86_64'], Path('/m/src'), Path('/m/obj')
    lts = build.build_steps(arch, src, obj, '', ['iommufd', 'iommufd_fail_nth',
                                                 build.VFIO_TEST])
    assert not any('selftests/vfio' in l or build.VFIO_SELFTEST in l for l in lts)
    assert any('selftests/iommu' in l for l in lts)
    assert lts[-1].endswith('vfio_map_test.c')
    ours = build.build_steps(arch, src, obj, '', [build.VFIO_TEST])
    assert not any('selftests/' in l for l in ours)
    assert build.build_steps(arch, src, obj) == build.build_steps(
        arch, src, obj, '', build.PROGRAMS)


def test_programs_are_the_tree_own_and_ours(tmp_path):
    assert build.programs(tmp_path) == [build.VFIO_TEST, build.IOMMUFD_ACCESS_TEST]
    for name in ('iommu/iommufd.c', 'iommu/iommufd_fail_nth.c'):
        (tmp_path / 'tools/testing/selftests' / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / 'tools/testing/selftests' / name).write_text('int main(void) {}\n')
    assert build.programs(tmp_path) == build.SELFTESTS + list(build.OURS)
    vfio = tmp_path / 'tools/testing/selftests/vfio/vfio_dma_mapping_test.c'
    vfio.parent.mkdir()
    vfio.write_text('int main(void) {}\n')
    assert build.programs(tmp_path) == build.PROGRAMS


def test_build_reports_kernel_programs_that_do_not_build(small_tree, tmp_path, monkeypatch):
    tree, final, fragments = small_tree
    monkeypatch.setattr(build, 'fragments', lambda arch: fragments)
    final['text'] = 'CONFIG_A=y\n'
    for source in ('iommu/iommufd.c', 'iommu/iommufd_fail_nth.c',
                   'vfio/vfio_dma_mapping_test.c'):
        path = tree / 'tools/testing/selftests' / source
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('int main(void) {}\n')
    monkeypatch.setattr(guest, 'busybox', lambda arch: elf(tmp_path, 'busybox', False))
    configure_run = guest.Workspace.run
    made = [build.VFIO_SELFTEST, build.VFIO_TEST, build.IOMMUFD_ACCESS_TEST]

    def run(self, steps, log):
        if not any('ci-tests' in s for s in steps):
            return configure_run(self, steps, log)
        tests = self.obj_dir / 'ci-tests'
        shutil.rmtree(tests, ignore_errors=True)
        tests.mkdir()
        for name in made:
            elf(tests, name, False)
        return PROGRAMS_LOG
    monkeypatch.setattr(guest.Workspace, 'run', run)
    built = build.build(tree, 'x86_64', tmp_path / 'build.log')
    first = "iommufd_utils.h:10:5: error: 'IOMMU_NEW_THING' undeclared (first use in this function)"
    assert built.unbuilt == {'iommufd': first, 'iommufd_fail_nth': first}
    records = {r[0]: r for r in read_newc(built.initramfs.read_bytes())}
    assert records['init'][4] == (build.HERE / 'init.sh').read_bytes()
    assert 'lib/guest.sh' in records
    names = set(records)
    assert f'tests/{build.VFIO_SELFTEST}' in names and f'tests/{build.VFIO_TEST}' in names
    assert 'tests/iommufd' not in names
    # ours has to build
    made.remove(build.VFIO_TEST)
    with pytest.raises(guest.BuildError, match='vfio_map_test was not built'):
        build.build(tree, 'x86_64', tmp_path / 'build.log')


def test_arm64_test_programs_link_the_fetched_arm64_libraries():
    """-lcap and -luuid of the kernel's selftests come from Debian's arm64
    libcap-dev and uuid-dev, unpacked in the cache (no multiarch on the host)."""
    arch = GUEST_ARCHES['arm64']
    steps = build.build_steps(arch, Path('/m/src'), Path('/m/obj'))
    iommu = next(l for l in steps if 'selftests/iommu' in l)
    vfio = next(l for l in steps if 'selftests/vfio' in l and 'make' in l)
    for package in ('libcap-dev', 'uuid-dev'):
        root = guest.CACHE / 'sysroot-arm64' / package
        for line in (iommu, vfio):
            assert f'-L{root}/usr/lib/aarch64-linux-gnu' in line
            assert f'-isystem {root}/usr/include' in line
    assert 'CROSS_COMPILE=aarch64-linux-gnu-' in iommu
    # the iommufd selftests get the kselftest timeout shim, VFIO's library cannot
    assert 'selftests_timeout_shim.h' in iommu and 'selftests_timeout_shim.h' not in vfio
