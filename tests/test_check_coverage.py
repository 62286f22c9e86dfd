"""ci/check/coverage.py: changed lines, marking, marker mapping, hiding #ifs, Makefile symbols."""

import subprocess

import pytest

from ci.check import coverage

DIFF = '''\
diff --git a/drivers/iommu/a.c b/drivers/iommu/a.c
index 1111111..2222222 100644
--- a/drivers/iommu/a.c
+++ b/drivers/iommu/a.c
@@ -10,0 +11,2 @@ static int f(void)
+	int x = 1;
+	return x;
@@ -40 +42 @@ static int g(void)
-	return 0;
+	return 1;
diff --git a/include/linux/old.h b/include/linux/old.h
deleted file mode 100644
--- a/include/linux/old.h
+++ /dev/null
@@ -1,3 +0,0 @@
-#ifndef OLD
-#define OLD
-#endif
diff --git a/drivers/iommu/b.c b/drivers/iommu/b.c
--- a/drivers/iommu/b.c
+++ b/drivers/iommu/b.c
@@ -5,2 +4,0 @@
-	a();
-	b();
'''


def test_added_lines_from_a_u0_diff():
    assert coverage.added_lines(DIFF) == {'drivers/iommu/a.c': [11, 12, 42]}


SOURCE = '''\
/* SPDX-License-Identifier: GPL-2.0 */
#include <linux/x.h>
#define TWICE(x) \\
	((x) + \\
	 (x))
/*
 * a comment
 */
static int f(int a)	/* trailing */
{
#ifdef CONFIG_FOO
	return TWICE(a);
#else
	return "/* not a comment */"[0];
#endif

	/* */ return a; // end
}'''


def test_classify_kinds():
    kinds = [k.kind for k in coverage.classify(SOURCE)]
    assert kinds == ['none', 'directive', 'directive', 'continuation', 'continuation',
                     'none', 'none', 'none', 'code', 'code', 'conditional', 'code',
                     'conditional', 'code', 'conditional', 'none', 'code', 'code']
    k = coverage.classify(SOURCE)
    assert k[3].directive == 3 and k[4].directive == 3
    assert k[16].column == SOURCE.split('\n')[16].index('return')


def test_mutate_and_map_markers_back_to_lines():
    kinds = coverage.classify(SOURCE)
    wanted = [1, 2, 4, 7, 11, 12, 14, 17]
    text, markers = coverage.mutate(SOURCE, kinds, wanted)
    # comment-only and #ifdef lines are not counted; the #define continuation maps to the
    # marker above its directive
    assert markers == {2: 2, 4: 3, 12: 12, 14: 14, 17: 17}
    lines = text.split('\n')
    assert '__jmake_2__' in lines[1] and lines[2].startswith('#include')
    assert lines[3] == '__jmake_3__' and lines[4].startswith('#define TWICE')
    assert '__jmake_17__ return a;' in text
    # a marker placed in code is still found after the preprocessor moved it
    assert coverage.covered_lines(markers, 'x __jmake_12__ y __jmake_3__') == {12, 4}


@pytest.mark.skipif(subprocess.run(['which', 'cpp'], capture_output=True).returncode,
                    reason='no cpp')
@pytest.mark.parametrize('define,expect', [('-DCONFIG_FOO', {2, 4, 12, 17}),
                                           ('-UCONFIG_FOO', {2, 4, 14, 17})])
def test_markers_through_the_real_preprocessor(tmp_path, define, expect):
    kinds = coverage.classify(SOURCE)
    text, markers = coverage.mutate(SOURCE, kinds, [2, 4, 12, 14, 17])
    (tmp_path / 'linux').mkdir()
    (tmp_path / 'linux/x.h').write_text('')
    (tmp_path / 'a.c').write_text(text)
    out = subprocess.run(['cpp', '-I', str(tmp_path), define, str(tmp_path / 'a.c')],
                         capture_output=True, text=True, check=True).stdout
    assert coverage.covered_lines(markers, out) == expect


def test_hiding_conditions_name_the_open_branches():
    assert coverage.hiding_conditions(SOURCE, 12) == ['11: #ifdef CONFIG_FOO']
    assert coverage.hiding_conditions(SOURCE, 14) == ['13: #else (of 11: #ifdef CONFIG_FOO)']
    assert coverage.hiding_conditions(SOURCE, 17) == []
    nested = '#if A\n#ifdef B\nx;\n#endif\n#elif C\ny;\n#endif\n'
    assert coverage.hiding_conditions(nested, 3) == ['1: #if A', '2: #ifdef B']
    assert coverage.hiding_conditions(nested, 6) == ['5: #elif C (of 1: #if A)']


def test_include_guards_are_not_hiding_conditions():
    header = '#ifndef _A_H\n#define _A_H\n#ifndef CONFIG_X\nint a;\n#endif\nint b;\n#endif\n'
    assert coverage.hiding_conditions(header, 4) == ['3: #ifndef CONFIG_X']
    assert coverage.hiding_conditions(header, 6) == []


MAKEFILE = '''\
obj-y += arm/ iommufd/
obj-$(CONFIG_AMD_IOMMU) += amd/
obj-$(CONFIG_FSL_PAMU) += fsl_pamu.o fsl_pamu_domain.o
obj-$(CONFIG_ARM_SMMU) += arm_smmu.o
arm_smmu-objs += arm-smmu.o arm-smmu-impl.o \\
	arm-smmu-nvidia.o
arm_smmu-$(CONFIG_ARM_SMMU_QCOM) += arm-smmu-qcom.o
'''


def test_makefile_symbols_follow_composite_objects():
    assert coverage.makefile_symbols(MAKEFILE, 'fsl_pamu_domain.o') == ['CONFIG_FSL_PAMU']
    assert coverage.makefile_symbols(MAKEFILE, 'arm-smmu-qcom.o') == \
        ['CONFIG_ARM_SMMU_QCOM', 'CONFIG_ARM_SMMU']
    assert coverage.makefile_symbols(MAKEFILE, 'arm-smmu-nvidia.o') == ['CONFIG_ARM_SMMU']
    assert coverage.makefile_symbols(MAKEFILE, 'amd/') == ['CONFIG_AMD_IOMMU']
    assert coverage.makefile_symbols(MAKEFILE, 'iommufd/') == []


def test_kconfig_path_walks_up_the_makefiles(tmp_path):
    (tmp_path / 'drivers/iommu/amd').mkdir(parents=True)
    (tmp_path / 'drivers/Makefile').write_text('obj-$(CONFIG_IOMMU_SUPPORT) += iommu/\n')
    (tmp_path / 'drivers/iommu/Makefile').write_text(MAKEFILE)
    (tmp_path / 'drivers/iommu/amd/Makefile').write_text('obj-y += iommu.o init.o\n'
                                                         'obj-$(CONFIG_AMD_IOMMU_DEBUGFS) += debugfs.o\n')
    assert coverage.kconfig_path(tmp_path, 'drivers/iommu/amd/debugfs.c') == \
        ['CONFIG_IOMMU_SUPPORT', 'CONFIG_AMD_IOMMU', 'CONFIG_AMD_IOMMU_DEBUGFS']
    assert coverage.kconfig_path(tmp_path, 'drivers/iommu/fsl_pamu.c') == \
        ['CONFIG_IOMMU_SUPPORT', 'CONFIG_FSL_PAMU']


def test_tracker_unions_arches_and_explains_what_is_left():
    t = coverage.Tracker()
    t.add('drv', 'drivers/iommu/a.c', SOURCE, [9, 12, 14, 17])
    t.add('drv', 'drivers/iommu/b.c', '/* only a comment */\n', [1])
    assert t.wanted('drv') == {'drivers/iommu/a.c': [9, 12, 14, 17]}
    t.record('drv', 'x86_64', {'drivers/iommu/a.c': {9, 14, 17}}, {'drivers/iommu/a.c': 1})
    assert t.wanted('drv') == {'drivers/iommu/a.c': [12]}
    t.record('drv', 'arm', {'drivers/iommu/a.c': set()}, {'drivers/iommu/a.c': 1})
    assert t.counts() == (3, 4)
    assert t.uncovered() == [('drv', 'drivers/iommu/a.c', 12, '\treturn TWICE(a);')]
    assert coverage.explain(SOURCE, 'drivers/iommu/a.c', 12, t.users[('drv', 'drivers/iommu/a.c')],
                            [], {}) == 'under 11: #ifdef CONFIG_FOO'


def test_explain_names_the_kconfig_symbol_of_a_file_no_config_builds():
    why = coverage.explain('int x;\n', 'drivers/iommu/fsl_pamu.c', 1, {'x86_64': 0, 'arm': 0},
                           ['CONFIG_FSL_PAMU'],
                           {'x86_64': {'CONFIG_FSL_PAMU': 'n'}, 'arm': {'CONFIG_FSL_PAMU': 'n'}})
    assert why == ('no checked config compiles drivers/iommu/fsl_pamu.c: needs '
                   'CONFIG_FSL_PAMU (x86_64=n; arm=n)')
    assert 'header' in coverage.explain('int x;\n', 'include/linux/a.h', 1, {}, [], {})
