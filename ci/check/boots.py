"""The boots of the series (`make boot` writes <series>/boot/boot-*.json)
as rows for the make check report (report.py lays them out: one table per
boot, with the base kernel's counts as the before columns when the boot
had a base)."""
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
