"""ci/check/boots.py: the boot reports of the series in the make check report."""
import json

from ci.check import boots, report


def suite(name, passed, failed=0, skipped=0, seconds=1.0):
    return {'name': name, 'passed': passed, 'failed': failed, 'skipped': skipped,
            'seconds': seconds, 'errors': [], 'failures': []}


def boot(machine, suites, problems=()):
    return {'arch': 'x86_64', 'machine': machine, 'tree': '/t', 'suites': suites,
            'findings': [], 'missing': [], 'errors': [], 'seconds': 9.0,
            'ok': not problems, 'problems': list(problems)}


def write(series, name, data):
    (series / 'boot').mkdir(exist_ok=True)
    (series / 'boot' / name).write_text(json.dumps(data))


def with_boots(found):
    """A check report with nothing but these boots."""
    return {'series': {'name': 's', 'version': 1, 'base': 'b' * 40, 'branch': 'x',
                       'commits': [], 'skipped': []},
            'arches': [], 'arch_runs': {}, 'arch_info': {}, 'timings': [], 'boots': found}


def test_no_boot_directory_is_not_run(tmp_path):
    assert boots.collect(tmp_path) == []
    assert '## Boots (make boot)\n\nnot run (`make boot` writes' in report.markdown(with_boots([]))
    assert boots.problems([]) == []


def test_boots_with_base_show_before_columns_and_only_regressions_fail(tmp_path):
    # intel: iommufd fails 5 on both kernels, not a regression
    write(tmp_path, 'boot-x86_64-intel-iommu.json', {
        'boot': boot('intel-iommu', [suite('iommufd', 236, 5, 5), suite('vfio', 15)],
                     ['iommufd: 5 failed']),
        'base': boot('intel-iommu', [suite('iommufd', 236, 5, 5)], ['iommufd: 5 failed']),
        'regressions': [], 'passed': True})
    # virtio: vfio regressed against the base
    write(tmp_path, 'boot-x86_64-virtio-iommu.json', {
        'boot': boot('virtio-iommu', [suite('vfio', 12, 3)], ['vfio: 3 failed']),
        'base': boot('virtio-iommu', [suite('vfio', 15)]),
        'regressions': ['vfio: regressed (4K.pieces)'], 'passed': False})
    write(tmp_path, 'boot-x86_64-intel-iommu.md', {'not': 'read'})
    found = boots.collect(tmp_path)
    assert [b['name'] for b in found] == ['x86_64 intel-iommu', 'x86_64 virtio-iommu']
    intel = found[0]
    assert intel['passed'] and intel['rows'][0]['before'] == {
        'passed': 236, 'failed': 5, 'skipped': 5}
    assert intel['rows'][1]['before'] is None   # vfio did not run on that base
    assert boots.problems(found) == ['boot x86_64 virtio-iommu: vfio: regressed (4K.pieces)']
    md = report.markdown(with_boots(found))
    assert '### x86_64 intel-iommu: PASS' in md and '### x86_64 virtio-iommu: FAIL' in md
    assert '| iommufd | 236 | 5 | 5 | 1.0 | 236 | 5 | 5 |' in md
    assert '| vfio | 15 | 0 | 0 | 1.0 | - | - | - |' in md
    assert '- vfio: regressed (4K.pieces)' in md
    page = report.to_html(with_boots(found))
    assert '<h3 class="failed">x86_64 virtio-iommu: FAIL</h3>' in page
    assert page.count('<th>suite</th>') == 2 and '<td class="fail">3</td>' in page
    assert '<ul><li>vfio: regressed (4K.pieces)</li></ul>' in page
    assert 'iommufd: 5 failed' not in md + page     # intel's problem is not a regression


def test_a_boot_without_base_fails_on_any_problem(tmp_path):
    write(tmp_path, 'boot-arm64-smmuv3.json', {
        'boot': boot('smmuv3', [suite('iommufd', 0, 1)], ['iommufd: 1 failed']),
        'base': None, 'regressions': None, 'passed': False})
    found = boots.collect(tmp_path)
    assert not found[0]['with_base'] and found[0]['rows'][0]['before'] is None
    assert boots.problems(found) == ['boot x86_64 smmuv3: iommufd: 1 failed']


def test_the_check_report_has_the_boots_and_fails_with_them(tmp_path):
    data = with_boots([{'name': 'x86_64 kunit', 'file': 'f', 'passed': False,
                        'with_base': False, 'problems': ['kunit: 1 failed'],
                        'rows': [{'suite': 'io-pgtable-arm-test', 'passed': 0, 'failed': 1,
                                  'skipped': 0, 'seconds': None, 'before': None}]}])
    assert report.problems(data) == ['boot x86_64 kunit: kunit: 1 failed']
    md = report.markdown(data)
    assert '## Boots (make boot)' in md and '| io-pgtable-arm-test | 0 | 1 | 0 | - |' in md
    assert '<h2>Boots (make boot)</h2>' in report.to_html(data)
