"""ci/check/report.py: the commit x arch matrix, problems, markdown and HTML."""

import html.parser
import json
import pathlib

import pytest

from ci.check import report


def _cell(status, warnings=(), log='', failed=(), note=''):
    return {'status': status, 'objects': [], 'failed': list(failed), 'errors': [],
            'new_warnings': list(warnings), 'log': log, 'seconds': 1.0, 'note': note}


def _run(cells, status='ok', error=''):
    return {'arch': 'x', 'status': status, 'error': error, 'timings': {}, 'subsystems':
            ['drivers/iommu'], 'base_objects': 80, 'base_failed': [], 'base_log':
            'logs/x86_64/base.log', 'cells': cells}


def _data(**over):
    data = {
        'series': {'name': 'iova_to_phys_length', 'version': 2, 'base': 'b' * 40,
                   'branch': 'iova_to_phys_length/v2', 'out': '/o', 'skipped': [],
                   'commits': [{'step': s, 'subject': s, 'commit': c * 40, 'patch': '',
                                'files': []} for s, c in (('core', '1'), ('drv', '2'),
                                                          ('fix', '3'))]},
        'arches': ['x86_64', 'arm'],
        'arch_info': {'x86_64': 'allmodconfig', 'arm': 'multi_v7'},
        'quick': False,
        'arch_runs': {
            'x86_64': _run({'core': _cell('ok', log='logs/x86_64/01-core.log'),
                            'drv': _cell('fail', log='logs/x86_64/02-drv.log',
                                         failed=['drivers/iommu/sprd-iommu.o']),
                            'fix': _cell('ok', warnings=['drivers/iommu/a.o: a.c: warning: w'],
                                         log='logs/x86_64/03-fix.log')}),
            'arm': _run({'core': _cell('ok'), 'drv': _cell('not built'),
                         'fix': _cell('not built')}),
        },
        'checkpatch': {'patches': 3, 'failing': [], 'allowed': [], 'stale': [], 'crashed': []},
        'coverage': {'enabled': True, 'arches': ['x86_64', 'arm'], 'covered': 9, 'total': 10,
                     'uncovered': [{'step': 'core', 'file': 'include/linux/iommu.h',
                                    'line': 1300, 'text': '\treturn a->b | c;',
                                    'reason': 'under 1228: #else (of 343: #ifdef CONFIG_IOMMU_API)'}]},
        'range_diff': {'file': 'range-diff-v1-v2.txt', 'against': 'v1'},
        'recipients': None,
        'timings': [('checkpatch', 3.2), ('x86_64: bisect', 100.0)],
    }
    data.update(over)
    return data


def _matrix_rows(md):
    return [line for line in md.splitlines() if line.startswith('| ') and '`' in line
            and line.split('|')[1].strip().isdigit()]


def test_markdown_matrix_marks_exactly_the_failing_cell():
    md = report.markdown(_data())
    rows = _matrix_rows(md)
    assert len(rows) == 3
    cells = [[c.strip() for c in row.split('|')[4:6]] for row in rows]
    assert cells[0] == ['ok', 'ok']
    assert cells[1] == ['[**FAIL**](logs/x86_64/02-drv.log)', '-']
    assert cells[2] == ['[ok +1W](logs/x86_64/03-fix.log)', '-']
    assert '**Result: FAIL**' in md
    assert '[range-diff-v1-v2.txt](range-diff-v1-v2.txt) against v1' in md
    assert '`include/linux/iommu.h:1300`' in md and 'CONFIG_IOMMU_API' in md
    assert '`return a->b \\| c;`' in md
    assert '| x86_64: bisect | 100.0 |' in md


def test_problems_list_failures_warnings_checkpatch_and_config_errors():
    data = _data()
    data['checkpatch']['failing'] = ['core: WARNING:LONG_LINE: x']
    data['arch_runs']['arm'] = _run({}, status='error', error='arm: CONFIG_MSM_IOMMU=y requested')
    got = report.problems(data)
    assert got == ['checkpatch: core: WARNING:LONG_LINE: x',
                   'x86_64: drv does not build: drivers/iommu/sprd-iommu.o',
                   'x86_64: fix: new W=1 warning: drivers/iommu/a.o: a.c: warning: w',
                   'arm: arm: CONFIG_MSM_IOMMU=y requested']


def test_a_clean_run_passes():
    data = _data()
    data['arch_runs']['x86_64']['cells']['drv'] = _cell('ok')
    data['arch_runs']['x86_64']['cells']['fix'] = _cell('ok')
    assert report.problems(data) == []
    assert '**Result: PASS**' in report.markdown(data)


class _Cells(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.cells, self._cls, self._text = [], None, ''

    def handle_starttag(self, tag, attrs):
        if tag == 'td':
            self._cls, self._text = dict(attrs).get('class'), ''

    def handle_data(self, data):
        self._text += data

    def handle_endtag(self, tag):
        if tag == 'td' and self._cls:
            self.cells.append((self._cls, self._text))
            self._cls = None


def test_html_colours_cells_and_escapes():
    data = _data()
    data['arch_runs']['x86_64']['cells']['core']['note'] = '<script>'
    page = report.to_html(data)
    assert '<script>' not in page
    p = _Cells()
    p.feed(page)
    assert p.cells[:6] == [('ok', 'ok'), ('ok', 'ok'), ('fail', 'FAIL'), ('skip', '-'),
                           ('warn', 'ok +1W'), ('skip', '-')]
    assert 'href="logs/x86_64/02-drv.log"' in page


def test_quick_run_says_what_was_left_out():
    data = _data(quick=True, coverage=None, range_diff=None)
    md = report.markdown(data)
    assert 'quick run' in md and 'not run (--quick)' in md and 'not run (no --prev)' in md


GOLDEN = pathlib.Path(__file__).parent / 'fixtures' / 'check_report'


@pytest.mark.parametrize('name', ['full', 'clean', 'bare'])
def test_report_files_match_the_golden_output(name):
    """report.md (and for the full run report.html) as the renderers of before the
    document model wrote them for the same check.json (made once from that code)."""
    data = json.loads((GOLDEN / f'{name}.json').read_text())
    assert report.markdown(data) == (GOLDEN / f'{name}.md').read_text()
    # One HTML golden: the pages share their head, a repeat the others would only add.
    if (GOLDEN / f'{name}.html').exists():
        assert report.to_html(data) == (GOLDEN / f'{name}.html').read_text()
    assert report.to_html(data).endswith('</body></html>\n')
