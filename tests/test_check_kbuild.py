"""ci/check/kbuild.py: make -O output per object, W=1 warning sets, .o.cmd files."""

from ci.check import kbuild

SRC = '/cache/check/src/linux'

OUTPUT = f'''\
  DESCEND objtool
  CC [M]  drivers/iommu/sprd-iommu.o
{SRC}/drivers/iommu/sprd-iommu.c: In function 'sprd_iommu_iova_to_phys':
{SRC}/drivers/iommu/sprd-iommu.c:375:23: warning: variable 'unused_pages' set but not used [-Wunused-but-set-variable]
  375 |         unsigned long unused_pages;
      |                       ^~~~~~~~~~~~
  CC      drivers/iommu/fsl_pamu.o
In file included from {SRC}/drivers/iommu/fsl_pamu.c:9:
{SRC}/drivers/iommu/fsl_pamu.h:13:10: fatal error: asm/fsl_pamu_stash.h: No such file or directory
compilation terminated.
make[5]: *** [{SRC}/scripts/Makefile.build:294: drivers/iommu/fsl_pamu.o] Error 1
  CC      drivers/iommu/iommu.o
drivers/iommu/iommu.o: warning: objtool: iommu_map+0x1a3: unreachable instruction
make[4]: *** [{SRC}/scripts/Makefile.build:555: drivers/iommu] Error 2
make: *** [Makefile:260: __sub-make] Error 2
'''


def test_parse_output_attributes_diagnostics_to_the_object_block():
    objs = kbuild.parse_output(OUTPUT, SRC)
    sprd = objs['drivers/iommu/sprd-iommu.o']
    assert sprd.compiled and not sprd.failed
    assert sprd.diags == [kbuild.Diag('drivers/iommu/sprd-iommu.c', 'warning',
                                      "variable 'unused_pages' set but not used "
                                      "[-Wunused-but-set-variable]")]
    pamu = objs['drivers/iommu/fsl_pamu.o']
    assert pamu.failed
    assert pamu.diags == [kbuild.Diag('drivers/iommu/fsl_pamu.h', 'error',
                                      'asm/fsl_pamu_stash.h: No such file or directory')]
    iommu = objs['drivers/iommu/iommu.o']
    assert iommu.compiled and not iommu.failed
    assert iommu.diags == [kbuild.Diag('drivers/iommu/iommu.o', 'warning',
                                       'objtool: iommu_map: unreachable instruction')]
    # directory and top-level make errors are not objects
    assert set(objs) == {'drivers/iommu/sprd-iommu.o', 'drivers/iommu/fsl_pamu.o',
                         'drivers/iommu/iommu.o'}


def test_locale_quotes_are_made_ascii():
    text = ('  CC      drivers/iommu/a.o\n'
            f"{SRC}/drivers/iommu/a.c:3:5: warning: unused variable \u2018x\u2019 [-Wunused-variable]\n")
    assert kbuild.parse_output(text, SRC)['drivers/iommu/a.o'].diags[0].message == \
        "unused variable 'x' [-Wunused-variable]"


def test_new_warnings_compares_multisets_not_counts():
    a = kbuild.Diag('f.c', 'warning', "unused variable 'x' [-Wunused-variable]")
    b = kbuild.Diag('f.c', 'warning', "unused variable 'y' [-Wunused-variable]")
    err = kbuild.Diag('f.c', 'error', 'expected ;')
    # same count, different warning: y is new although the number did not change
    assert kbuild.new_warnings([a], [b]) == [b]
    # a second copy of a known warning is new
    assert kbuild.new_warnings([a], [a, a]) == [a]
    # a warning that went away is not reported; errors are not warnings
    assert kbuild.new_warnings([a, b], [b, err]) == []
    assert kbuild.new_warnings([], []) == []


CMD = f'''\
savedcmd_drivers/iommu/sprd-iommu.o := ccache gcc -Wp,-MMD,drivers/iommu/.sprd-iommu.o.d -nostdinc -I{SRC}/include -DMODULE -DKBUILD_BASENAME='"sprd_iommu"' -c -o drivers/iommu/sprd-iommu.o {SRC}/drivers/iommu/sprd-iommu.c   ; ./tools/objtool/objtool --orc --module drivers/iommu/sprd-iommu.o

source_drivers/iommu/sprd-iommu.o := {SRC}/drivers/iommu/sprd-iommu.c

deps_drivers/iommu/sprd-iommu.o := \\
  {SRC}/include/linux/compiler-version.h \\
    $(wildcard include/config/CC_VERSION_TEXT) \\
  {SRC}/include/linux/iommu.h \\
  include/generated/autoconf.h \\
  {SRC}/drivers/iommu/sprd-iommu.h \\
  {SRC}/drivers/iommu/generic_pt/fmt/../kunit_iommu_pt.h \\

drivers/iommu/sprd-iommu.o: $(deps_drivers/iommu/sprd-iommu.o)

$(deps_drivers/iommu/sprd-iommu.o):
'''


def test_parse_cmd_reads_source_and_tree_deps():
    cmd = kbuild.parse_cmd(CMD, SRC)
    assert cmd.obj == 'drivers/iommu/sprd-iommu.o'
    assert cmd.source == 'drivers/iommu/sprd-iommu.c'
    assert cmd.deps == {'include/linux/compiler-version.h', 'include/linux/iommu.h',
                        'drivers/iommu/sprd-iommu.h', 'drivers/iommu/sprd-iommu.c',
                        'drivers/iommu/generic_pt/kunit_iommu_pt.h',
                        'include/generated/autoconf.h'}


def test_parse_cmd_skips_link_steps():
    assert kbuild.parse_cmd('savedcmd_drivers/iommu/arm/arm_smmu.o := ld -r -o x.o a.o\n',
                            SRC) is None


def test_preprocess_command_keeps_flags_and_drops_objtool_and_depfile():
    cmd = kbuild.preprocess_command(kbuild.parse_cmd(CMD, SRC), '/tmp/out.i')
    assert cmd.startswith('ccache gcc ')
    assert '-E -o /tmp/out.i' in cmd and ' -c ' not in cmd
    assert 'objtool' not in cmd and '-MMD' not in cmd
    assert "-DKBUILD_BASENAME='\"sprd_iommu\"'" in cmd
    assert cmd.rstrip().endswith(f'{SRC}/drivers/iommu/sprd-iommu.c')


def _write_cmd(build, obj, source, deps):
    path = kbuild.cmd_path(build, obj)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ''.join(f'  {SRC}/{d} \\\n' for d in deps)
    path.write_text(f'savedcmd_{obj} := gcc -c -o {obj} {SRC}/{source}\n\n'
                    f'source_{obj} := {SRC}/{source}\n\ndeps_{obj} := \\\n{lines}\n')


def test_index_finds_the_objects_that_read_a_header(tmp_path):
    _write_cmd(tmp_path, 'drivers/iommu/a.o', 'drivers/iommu/a.c', ['include/linux/iommu.h'])
    _write_cmd(tmp_path, 'drivers/iommu/amd/b.o', 'drivers/iommu/amd/b.c',
               ['include/linux/iommu.h', 'drivers/iommu/amd/amd_iommu.h'])
    _write_cmd(tmp_path, 'drivers/iommu/c.o', 'drivers/iommu/c.c', ['include/linux/slab.h'])
    _write_cmd(tmp_path, 'drivers/vfio/d.o', 'drivers/vfio/d.c', ['include/linux/iommu.h'])
    index = kbuild.Index(tmp_path, SRC)
    index.scan(['drivers/iommu'])
    assert index.users({'include/linux/iommu.h'}) == ['drivers/iommu/a.o', 'drivers/iommu/amd/b.o']
    assert index.users({'drivers/iommu/amd/amd_iommu.h'}) == ['drivers/iommu/amd/b.o']
    # the object compiled from a changed file comes first
    assert index.users({'include/linux/iommu.h', 'drivers/iommu/amd/b.c'})[0] == \
        'drivers/iommu/amd/b.o'
    assert index.users({'drivers/iommu/c.c'}) == ['drivers/iommu/c.o']
    assert index.users({'Documentation/x.rst'}) == []
    kbuild.cmd_path(tmp_path, 'drivers/iommu/c.o').unlink()
    index.refresh(['drivers/iommu/c.o'])
    assert 'drivers/iommu/c.o' not in index.objects


def test_a_late_diagnostic_goes_to_the_object_of_its_source():
    """Seen on 6.12: dmar.c's warning printed after virtio-iommu.o's quiet
    line; it belongs to dmar.o, which the same output compiled."""
    text = (f'  CC      drivers/iommu/intel/dmar.o\n'
            f'  CC [M]  drivers/iommu/virtio-iommu.o\n'
            f"{SRC}/drivers/iommu/intel/dmar.c:1074:35: warning: '%d' directive writing "
            f'between 1 and 10 bytes into a region of size 9 [-Wformat-overflow=]\n'
            f'{SRC}/include/linux/iommu.h:10:1: warning: a header warning\n')
    objs = kbuild.parse_output(text, SRC)
    assert [d.file for d in objs['drivers/iommu/intel/dmar.o'].diags] == [
        'drivers/iommu/intel/dmar.c']
    # a header's diagnostic has no object of its own: it stays in the block
    assert [d.file for d in objs['drivers/iommu/virtio-iommu.o'].diags] == [
        'include/linux/iommu.h']
    # a source this output did not compile keeps the block's object too
    alone = kbuild.parse_output(text.replace('  CC      drivers/iommu/intel/dmar.o\n', ''), SRC)
    assert 'drivers/iommu/intel/dmar.o' not in alone
    assert len(alone['drivers/iommu/virtio-iommu.o'].diags) == 2
