"""ci/check/checkpatch.py: parsing checkpatch output and the allow-list."""

import pathlib

import pytest

from ci.check import checkpatch

OUTPUT = '''\
WARNING:COMMIT_LOG_LONG_LINE: Prefer a maximum 75 chars per line (possible unwrapped commit description?)
#6: 
This is a test commit with a very long description line that goes beyond the limit.

ERROR:TRAILING_WHITESPACE: trailing whitespace
#21: FILE: drivers/iommu/sprd-iommu.c:378:
+^Iif (WARN_ON(iova < start || iova > end)) $

CHECK:PARENTHESIS_ALIGNMENT: Alignment should match open parenthesis
#40: FILE: include/linux/iommu.h:812:
+	phys_addr_t (*iova_to_phys_length)(struct iommu_domain *domain,

NOTE: For some of the reported defects, checkpatch may be able to
      mechanically convert to the typical style using --fix or --fix-inplace.
'''


def test_parse_reads_level_type_message_and_place():
    found = checkpatch.parse('core', OUTPUT)
    assert [(f.level, f.type) for f in found] == [
        ('WARNING', 'COMMIT_LOG_LONG_LINE'), ('ERROR', 'TRAILING_WHITESPACE'),
        ('CHECK', 'PARENTHESIS_ALIGNMENT')]
    assert found[0].patch_line == 6 and found[0].file == ''
    assert (found[1].file, found[1].line, found[1].patch_line) == \
        ('drivers/iommu/sprd-iommu.c', 378, 21)
    assert found[2].message == 'Alignment should match open parenthesis'
    assert found[2].where() == 'include/linux/iommu.h:812'
    assert str(found[2]) == ('core: CHECK:PARENTHESIS_ALIGNMENT: Alignment should match open '
                             'parenthesis (include/linux/iommu.h:812)')
    assert all(f.step == 'core' for f in found)


def test_parse_of_clean_output_is_empty():
    assert checkpatch.parse('x', 'total: 0 errors, 0 warnings, 0 checks, 10 lines checked\n') == []


def _allow(tmp_path, text):
    path = tmp_path / 'allow.toml'
    path.write_text(text)
    return checkpatch.load_allow(path)


def test_allow_matches_step_glob_type_and_regex(tmp_path):
    allow = _allow(tmp_path, '''
[[allow]]
step = "driver-*"
type = "PARENTHESIS_ALIGNMENT"
message = "^Alignment should match"
reason = "the template keeps the kernel's own alignment"
''')
    f = checkpatch.Finding('driver-msm', 'CHECK', 'PARENTHESIS_ALIGNMENT',
                           'Alignment should match open parenthesis')
    assert allow[0].matches(f)
    assert not allow[0].matches(dataclass_replace(f, step='core'))
    assert not allow[0].matches(dataclass_replace(f, type='LONG_LINE'))
    assert not allow[0].matches(dataclass_replace(f, message='Lines should not end with a ('))


def dataclass_replace(f, **kw):
    import dataclasses
    return dataclasses.replace(f, **kw)


def test_judge_errors_always_fail_and_unused_entries_are_stale(tmp_path):
    allow = _allow(tmp_path, '''
[[allow]]
step = "*"
type = "TRAILING_WHITESPACE"
message = "."
reason = "an allow entry cannot hide an error"

[[allow]]
step = "core"
type = "COMMIT_LOG_LONG_LINE"
message = "75 chars"
reason = "the cover letter quotes a URL"

[[allow]]
step = "core"
type = "LONG_LINE"
message = "."
reason = "matches nothing here"
''')
    result = checkpatch.judge(checkpatch.parse('core', OUTPUT), allow)
    assert [f.type for f in result.failing] == ['TRAILING_WHITESPACE', 'PARENTHESIS_ALIGNMENT']
    assert [(f.type, a.reason) for f, a in result.allowed] == [
        ('COMMIT_LOG_LONG_LINE', 'the cover letter quotes a URL')]
    assert [a.type for a in result.stale] == ['TRAILING_WHITESPACE', 'LONG_LINE']
    assert not result.ok


def test_judge_passes_when_everything_is_allowed(tmp_path):
    allow = _allow(tmp_path, '''
[[allow]]
step = "core"
type = "COMMIT_LOG_LONG_LINE"
message = "75 chars"
reason = "x"
''')
    found = [f for f in checkpatch.parse('core', OUTPUT) if f.level == 'WARNING']
    assert checkpatch.judge(found, allow).ok
    assert not checkpatch.judge(found, allow, crashed=['core: exit 2']).ok


@pytest.mark.parametrize('entry', [
    'step = "core"\ntype = "X"\nmessage = "."\n',                      # no reason
    'step = "core"\ntype = "X"\nmessage = "."\nreason = "  "\n',       # empty reason
    'step = "core"\ntype = "X"\nmessage = "."\nreason = "r"\nwhy = 1\n',  # unknown key
])
def test_allow_entries_need_every_field_and_no_others(tmp_path, entry):
    with pytest.raises(ValueError):
        _allow(tmp_path, '[[allow]]\n' + entry)


def test_bad_regex_is_refused(tmp_path):
    with pytest.raises(Exception):
        _allow(tmp_path, '[[allow]]\nstep="a"\ntype="X"\nmessage="("\nreason="r"\n')


def test_the_repository_allow_list_loads_and_has_reasons():
    entries = checkpatch.load_allow()
    assert all(e.reason for e in entries)
    assert checkpatch.ALLOW_FILE == pathlib.Path(checkpatch.__file__).parent / 'checkpatch-allow.toml'
