"""The boots of the series (`make boot` writes <series>/boot/boot-*.json)
as rows for the make check report: one table per boot, with the base
kernel's counts as the before columns when the boot had a base."""
from __future__ import annotations

import json
from pathlib import Path

COLUMNS = ('passed', 'failed', 'skipped')


def collect(series_dir: Path) -> list[dict]:
    """Every boot report of the series, sorted by arch and machine:
    {name, passed, problems, rows: [{suite, passed, failed, skipped,
    seconds, before: {...} or None}]}."""
    boots = []
    for path in sorted((series_dir / 'boot').glob('boot-*.json')):
        data = json.loads(path.read_text())
        boot, base = data['boot'], data.get('base')
        before = {s['name']: s for s in base['suites']} if base else {}
        rows = [{'suite': s['name'], **{c: s[c] for c in COLUMNS}, 'seconds': s['seconds'],
                 'before': ({c: before[s['name']][c] for c in COLUMNS}
                            if s['name'] in before else None)}
                for s in boot['suites']]
        boots.append({'name': f'{boot["arch"]} {boot["machine"]}', 'file': path.name,
                      'passed': data['passed'], 'with_base': base is not None,
                      'problems': data['regressions'] if base else boot['problems'],
                      'rows': rows})
    return boots


def problems(boots: list[dict]) -> list[str]:
    return [f'boot {b["name"]}: {p}' for b in boots if not b['passed'] for p in b['problems']]


def _before(row: dict) -> list[str]:
    return [str(row['before'][c]) for c in COLUMNS] if row['before'] else ['-'] * 3


def markdown(boots: list[dict]) -> list[str]:
    if not boots:
        return ['not run (`make boot` writes its reports to the series directory, boot/)']
    lines = []
    for b in boots:
        lines += [f'### {b["name"]}: {"PASS" if b["passed"] else "FAIL"}', '',
                  '| suite | passed | failed | skipped | time (s) | before: passed | failed '
                  '| skipped |', '|---|---|---|---|---|---|---|---|']
        for r in b['rows']:
            seconds = '-' if r['seconds'] is None else f'{r["seconds"]:.1f}'
            lines.append('| ' + ' | '.join([r['suite']] + [str(r[c]) for c in COLUMNS]
                                          + [seconds] + _before(r)) + ' |')
        lines += [''] + [f'- {p}' for p in b['problems'] if not b['passed']]
    return lines


def html(boots: list[dict], escape) -> list[str]:
    if not boots:
        return ['<p>not run (<code>make boot</code> writes its reports to the series '
                'directory, boot/)</p>']
    out = []
    for b in boots:
        out.append(f'<h3 class="{"pass" if b["passed"] else "failed"}">{escape(b["name"])}: '
                   f'{"PASS" if b["passed"] else "FAIL"}</h3>')
        out.append('<table><tr><th>suite</th><th>passed</th><th>failed</th><th>skipped</th>'
                   '<th>time (s)</th><th>before: passed</th><th>failed</th><th>skipped</th></tr>')
        for r in b['rows']:
            seconds = '-' if r['seconds'] is None else f'{r["seconds"]:.1f}'
            cls = 'fail' if r['failed'] else 'ok'
            out.append(f'<tr><td>{escape(r["suite"])}</td>'
                       + ''.join(f'<td class="{cls}">{r[c]}</td>' for c in COLUMNS)
                       + f'<td>{seconds}</td>'
                       + ''.join(f'<td>{v}</td>' for v in _before(r)) + '</tr>')
        out.append('</table>')
        if not b['passed']:
            out.append('<ul>' + ''.join(f'<li>{escape(p)}</li>' for p in b['problems'])
                       + '</ul>')
    return out
