"""OUT/report.md and OUT/report.html from the results of one `make check` run.

Both are rendered from the same plain dict (also saved as OUT/check.json):
the commit x arch matrix, checkpatch, coverage, range-diff and the timings.
Links are relative to OUT, where the logs are (OUT/logs/<arch>/...).
"""

from __future__ import annotations

import html

from ci.check import boots as boots_mod

MARK = {'ok': 'ok', 'fail': 'FAIL', 'not built': '-', 'not run': 'n/a'}


def cell_text(cell: dict | None) -> str:
    if not cell:
        return MARK['not run']
    text = MARK.get(cell['status'], cell['status'])
    if cell.get('new_warnings'):
        text += f' +{len(cell["new_warnings"])}W'
    return text


def cell_class(cell: dict | None) -> str:
    if not cell:
        return 'skip'
    if cell['status'] == 'fail':
        return 'fail'
    if cell.get('new_warnings'):
        return 'warn'
    return {'ok': 'ok', 'not built': 'skip'}.get(cell['status'], 'skip')


def problems(data: dict) -> list[str]:
    """One line per reason the run fails; empty when it passes."""
    out = []
    cp = data.get('checkpatch')
    if cp:
        out += [f'checkpatch: {f}' for f in cp['failing']]
        out += [f'checkpatch did not run: {c}' for c in cp['crashed']]
    for arch, run in data.get('arch_runs', {}).items():
        if run['status'] == 'error':
            out.append(f'{arch}: {run["error"].splitlines()[0] if run["error"] else "error"}')
        for step, cell in run['cells'].items():
            if cell['status'] == 'fail':
                out.append(f'{arch}: {step} does not build: '
                           f'{", ".join(cell["failed"]) or cell["note"]}')
            for w in cell.get('new_warnings', []):
                out.append(f'{arch}: {step}: new W=1 warning: {w}')
    out += boots_mod.problems(data.get('boots', []))
    return out


def _md_escape(text: str) -> str:
    return text.replace('|', '\\|').replace('<', '&lt;').replace('>', '&gt;')


def _md_code(text: str) -> str:
    """A code span inside a table cell: entities would show literally there."""
    return '`' + text.replace('`', "'").replace('|', '\\|') + '`'


def markdown(data: dict) -> str:
    s = data['series']
    arches = data['arches']
    runs = data.get('arch_runs', {})
    bad = problems(data)
    lines = [f'# make check: {s["name"]} v{s["version"]}', '',
             f'Base `{s["base"][:12]}`, branch `{s["branch"]}`, {len(s["commits"])} commits'
             + (f', {len(s["skipped"])} steps not applied' if s['skipped'] else '')
             + ('; quick run (x86_64 builds and checkpatch only)' if data.get('quick') else '')
             + '.', '',
             f'**Result: {"PASS" if not bad else "FAIL"}**'
             + (f' ({len(bad)} problems, listed at the end)' if bad else ''), '',
             '## Builds (W=1, each commit, objects it changes)', '',
             '| # | step | commit | ' + ' | '.join(arches) + ' |',
             '|---|---|---|' + '---|' * len(arches)]
    for n, c in enumerate(s['commits'], 1):
        cells = []
        for arch in arches:
            cell = runs.get(arch, {}).get('cells', {}).get(c['step'])
            text = cell_text(cell)
            if cell and cell.get('log') and cell['status'] == 'fail':
                text = f'[**{text}**]({cell["log"]})'
            elif cell and cell.get('log') and cell.get('new_warnings'):
                text = f'[{text}]({cell["log"]})'
            cells.append(text)
        lines.append(f'| {n} | {_md_escape(c["step"])} | `{c["commit"][:12]}` | '
                     + ' | '.join(cells) + ' |')
    lines += ['', '`ok` built, `FAIL` an object did not compile, `+NW` N W=1 warnings the base '
              'commit does not have, `-` this config compiles none of the commit\'s files, '
              '`n/a` arch not run.', '']
    lines += ['| arch | config | subsystems built at base | base objects | notes |',
              '|---|---|---|---|---|']
    for arch in arches:
        run = runs.get(arch)
        if not run:
            continue
        notes = run['error'].splitlines()[0] if run['error'] else ''
        if run['base_failed']:
            notes += f' base commit fails: {", ".join(run["base_failed"])}'
        base_link = f'[{run["base_objects"]}]({run["base_log"]})' if run['base_log'] else \
            str(run['base_objects'])
        lines.append(f'| {arch} | {_md_escape(data["arch_info"].get(arch, ""))} | '
                     f'{" ".join(run["subsystems"])} | {base_link} | {_md_escape(notes)} |')
    details = [(arch, step, cell) for arch in arches
               for step, cell in runs.get(arch, {}).get('cells', {}).items()
               if cell['status'] == 'fail' or cell.get('new_warnings')]
    if details:
        lines += ['', '### Failures and new warnings', '']
        for arch, step, cell in details:
            lines.append(f'- **{arch} {step}** ([log]({cell["log"]})){": " + cell["note"] if cell["note"] else ""}')
            for e in cell.get('errors', []) + cell.get('new_warnings', []):
                lines.append(f'  - {_md_code(e)}')
    lines += ['', '## checkpatch --strict', '']
    cp = data.get('checkpatch')
    if cp:
        lines.append(f'{cp["patches"]} patches: {len(cp["failing"])} failing, '
                     f'{len(cp["allowed"])} allowed by ci/check/checkpatch-allow.toml, '
                     f'{len(cp["stale"])} stale allow entries.')
        for title, key in (('Failing', 'failing'), ('Allowed', 'allowed'),
                           ('Stale allow entries', 'stale'), ('Not judged', 'crashed')):
            if cp[key]:
                lines += ['', f'{title}:', '']
                lines += [f'- {_md_escape(x)}' for x in cp[key]]
    else:
        lines.append('not run')
    lines += ['', '## Changed-line coverage', '']
    cov = data.get('coverage')
    if cov and cov.get('enabled'):
        lines.append(f'{cov["covered"]} of {cov["total"]} added code lines compiled by at least '
                     f'one config ({", ".join(cov["arches"])}).')
        if cov['uncovered']:
            lines += ['', '| step | line | text | why not compiled |', '|---|---|---|---|']
            for u in cov['uncovered']:
                where = f'{u["file"]}:{u["line"]}'
                lines.append(f'| {_md_escape(u["step"])} | {_md_code(where)} | '
                             f'{_md_code(u["text"].strip()[:60])} | {_md_escape(u["reason"])} |')
    else:
        lines.append('not run' + (' (--quick)' if data.get('quick') else ''))
    lines += ['', '## Range-diff', '']
    rd = data.get('range_diff')
    lines.append(f'[{rd["file"]}]({rd["file"]}) against {rd["against"]}' if rd else
                 'not run (no --prev)')
    rec = data.get('recipients')
    lines += ['', '## Recipients (get_maintainer.pl, written into the patch headers)', '']
    if rec:
        lines += ['| patch | To | Cc |', '|---|---|---|']
        for name, r in rec.items():
            lines.append(f'| {name} | {len(r["to"])} | {len(r["cc"])} |')
    else:
        lines.append('not run' + (' (--quick)' if data.get('quick') else ''))
    lines += ['', '## Boots (make boot)', ''] + boots_mod.markdown(data.get('boots', []))
    lines += ['', '## Timings', '', '| phase | seconds |', '|---|---|']
    lines += [f'| {name} | {sec:.1f} |' for name, sec in data.get('timings', [])]
    if bad:
        lines += ['', '## Problems', ''] + [f'- {_md_escape(b)}' for b in bad]
    return '\n'.join(lines) + '\n'


STYLE = '''body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #999;padding:2px 8px;text-align:left}td.ok{background:#cfc}
td.fail{background:#f99;font-weight:bold}td.warn{background:#fe9}td.skip{color:#888}
code{font-size:90%}.pass{color:#070}.failed{color:#b00}'''


def _a(href: str, text: str) -> str:
    return f'<a href="{html.escape(href)}">{text}</a>'


def to_html(data: dict) -> str:
    e = html.escape
    s = data['series']
    arches = data['arches']
    runs = data.get('arch_runs', {})
    bad = problems(data)
    out = ['<!DOCTYPE html><html><head><meta charset="utf-8">',
           f'<title>make check: {e(s["name"])} v{s["version"]}</title>',
           f'<style>{STYLE}</style></head><body>',
           f'<h1>make check: {e(s["name"])} v{s["version"]}</h1>',
           f'<p>Base <code>{e(s["base"][:12])}</code>, branch <code>{e(s["branch"])}</code>, '
           f'{len(s["commits"])} commits.</p>',
           f'<p class="{"failed" if bad else "pass"}"><b>Result: {"FAIL" if bad else "PASS"}</b></p>',
           '<h2>Builds (W=1, each commit, objects it changes)</h2>',
           '<table><tr><th>#</th><th>step</th><th>commit</th>'
           + ''.join(f'<th>{e(a)}</th>' for a in arches) + '</tr>']
    for n, c in enumerate(s['commits'], 1):
        row = [f'<td>{n}</td><td>{e(c["step"])}</td><td><code>{e(c["commit"][:12])}</code></td>']
        for arch in arches:
            cell = runs.get(arch, {}).get('cells', {}).get(c['step'])
            text = e(cell_text(cell))
            if cell and cell.get('log'):
                text = _a(cell['log'], text)
            title = ''
            if cell:
                title = '; '.join(cell.get('errors', []) + cell.get('new_warnings', [])
                                  + ([cell['note']] if cell.get('note') else []))
            row.append(f'<td class="{cell_class(cell)}" title="{e(title)}">{text}</td>')
        out.append('<tr>' + ''.join(row) + '</tr>')
    out.append('</table>')
    out.append('<table><tr><th>arch</th><th>config</th><th>subsystems</th><th>base objects</th>'
               '<th>notes</th></tr>')
    for arch in arches:
        run = runs.get(arch)
        if not run:
            continue
        base = _a(run['base_log'], str(run['base_objects'])) if run['base_log'] else \
            str(run['base_objects'])
        notes = e(run['error']) if run['error'] else ''
        if run['base_failed']:
            notes += e(f' base commit fails: {", ".join(run["base_failed"])}')
        out.append(f'<tr><td>{e(arch)}</td><td>{e(data["arch_info"].get(arch, ""))}</td>'
                   f'<td>{e(" ".join(run["subsystems"]))}</td><td>{base}</td>'
                   f'<td><pre>{notes}</pre></td></tr>')
    out.append('</table>')
    cp = data.get('checkpatch')
    out.append('<h2>checkpatch --strict</h2>')
    if cp:
        out.append(f'<p>{cp["patches"]} patches: {len(cp["failing"])} failing, '
                   f'{len(cp["allowed"])} allowed, {len(cp["stale"])} stale allow entries.</p>')
        for title, key in (('Failing', 'failing'), ('Allowed', 'allowed'),
                           ('Stale allow entries', 'stale'), ('Not judged', 'crashed')):
            if cp[key]:
                out.append(f'<h3>{title}</h3><ul>' + ''.join(f'<li>{e(x)}</li>' for x in cp[key])
                           + '</ul>')
    else:
        out.append('<p>not run</p>')
    out.append('<h2>Changed-line coverage</h2>')
    cov = data.get('coverage')
    if cov and cov.get('enabled'):
        out.append(f'<p>{cov["covered"]} of {cov["total"]} added code lines compiled by at least '
                   f'one config ({e(", ".join(cov["arches"]))}).</p>')
        if cov['uncovered']:
            out.append('<table><tr><th>step</th><th>line</th><th>text</th><th>why not compiled'
                       '</th></tr>')
            for u in cov['uncovered']:
                out.append(f'<tr><td>{e(u["step"])}</td><td><code>{e(u["file"])}:{u["line"]}'
                           f'</code></td><td><code>{e(u["text"].strip()[:80])}</code></td>'
                           f'<td>{e(u["reason"])}</td></tr>')
            out.append('</table>')
    else:
        out.append('<p>not run</p>')
    out.append('<h2>Range-diff</h2>')
    rd = data.get('range_diff')
    out.append(f'<p>{_a(rd["file"], e(rd["file"]))} against {e(rd["against"])}</p>' if rd
               else '<p>not run (no --prev)</p>')
    rec = data.get('recipients')
    out.append('<h2>Recipients</h2>')
    if rec:
        out.append('<table><tr><th>patch</th><th>To</th><th>Cc</th></tr>')
        for name, r in rec.items():
            out.append(f'<tr><td>{e(name)}</td><td>{e(", ".join(r["to"]))}</td>'
                       f'<td>{e(", ".join(r["cc"]))}</td></tr>')
        out.append('</table>')
    else:
        out.append('<p>not run</p>')
    out.append('<h2>Boots (make boot)</h2>')
    out += boots_mod.html(data.get('boots', []), e)
    out.append('<h2>Timings</h2><table><tr><th>phase</th><th>seconds</th></tr>')
    out += [f'<tr><td>{e(n)}</td><td>{sec:.1f}</td></tr>' for n, sec in data.get('timings', [])]
    out.append('</table>')
    if bad:
        out.append('<h2>Problems</h2><ul>' + ''.join(f'<li>{e(b)}</li>' for b in bad) + '</ul>')
    out.append('</body></html>')
    return '\n'.join(out) + '\n'
