"""OUT/report.md and OUT/report.html from the results of one `make check` run.

The plain dict of the run (also saved as OUT/check.json) becomes one
document, a list of blocks (headings, paragraphs, tables, lists), that a
markdown and an HTML renderer write: the commit x arch matrix, checkpatch,
coverage, range-diff, recipients, boots and the timings.  Where markdown says
less (it is read in a terminal: counts, not names; no colours) a block
carries its markdown wording in `md`.  Links are relative to OUT, where the
logs are (OUT/logs/<arch>/...).
"""

from __future__ import annotations

import dataclasses
import html

from ci.check import boots as boots_mod

MARK = {'ok': 'ok', 'fail': 'FAIL', 'not built': '-', 'not run': 'n/a'}


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


@dataclasses.dataclass
class Cell:
    text: str
    link: str = ''              # relative to OUT
    cls: str | None = None      # HTML class: ok, fail, warn, skip
    title: str | None = None    # HTML tooltip: the errors behind a matrix cell
    code: bool = False
    pre: bool = False           # HTML keeps its lines
    md: str | None = None       # markdown's shorter text


@dataclasses.dataclass
class Heading:
    level: int
    text: str
    md: str | None = None       # markdown's line, verbatim
    cls: str | None = None      # HTML class: pass, failed


@dataclasses.dataclass
class Table:
    header: list[Cell]
    rows: list[list[Cell]]
    heading: Heading | None = None      # HTML writes it on the table's first line


@dataclasses.dataclass
class Bullets:
    heading: Heading | None
    items: list[str]


@dataclasses.dataclass
class Span:
    text: str
    kind: str = ''              # code, bold, link (to href), md (markdown only); '' plain
    href: str = ''


MD_SPAN = {'': '{t}', 'md': '{t}', 'code': '`{t}`', 'bold': '**{t}**', 'link': '[{t}]({h})'}
HTML_SPAN = {'': '{t}', 'md': '', 'code': '<code>{t}</code>', 'bold': '<b>{t}</b>',
             'link': '<a href="{h}">{t}</a>'}


@dataclasses.dataclass
class Para:
    spans: list[str | Span]
    cls: str | None = None


@dataclasses.dataclass
class MdOnly:
    """Lines only markdown has: the legend, and the details HTML gives as cell titles."""
    md: list[str]


def _head(*names: str) -> list[Cell]:
    return [Cell(n) for n in names]


def _matrix_cell(cell: dict | None) -> Cell:
    """A commit on an arch: its mark, its log, its colour, the errors behind it as the title."""
    if not cell:
        return Cell(MARK['not run'], cls='skip', title='')
    warnings = cell.get('new_warnings', [])
    text = MARK.get(cell['status'], cell['status']) + (f' +{len(warnings)}W' if warnings else '')
    cls = ('fail' if cell['status'] == 'fail' else 'warn' if warnings
           else 'ok' if cell['status'] == 'ok' else 'skip')
    title = '; '.join(cell.get('errors', []) + warnings
                      + ([cell['note']] if cell.get('note') else []))
    return Cell(text, cell.get('log', ''), cls, title)


def _matrix(data: dict) -> Table:
    runs = data.get('arch_runs', {})
    rows = [[Cell(str(n)), Cell(c['step']), Cell(c['commit'][:12], code=True)]
            + [_matrix_cell(runs.get(arch, {}).get('cells', {}).get(c['step']))
               for arch in data['arches']]
            for n, c in enumerate(data['series']['commits'], 1)]
    return Table(_head('#', 'step', 'commit', *data['arches']), rows)


LEGEND = ('`ok` built, `FAIL` an object did not compile, `+NW` N W=1 warnings the base '
          'commit does not have, `-` this config compiles none of the commit\'s files, '
          '`n/a` arch not run.')


def _arch_table(data: dict) -> Table:
    rows = []
    for arch in data['arches']:
        run = data.get('arch_runs', {}).get(arch)
        if not run:
            continue
        fails = (f' base commit fails: {", ".join(run["base_failed"])}'
                 if run['base_failed'] else '')
        first = run['error'].splitlines()[0] if run['error'] else ''
        rows.append([Cell(arch), Cell(data['arch_info'].get(arch, '')),
                     Cell(' '.join(run['subsystems'])),
                     Cell(str(run['base_objects']), run['base_log']),
                     Cell(run['error'] + fails, pre=True, md=first + fails)])
    return Table([Cell('arch'), Cell('config'), Cell('subsystems', md='subsystems built at base'),
                  Cell('base objects'), Cell('notes')], rows)


def _details(data: dict) -> list[str]:
    """Markdown's list of each failing or warning cell (HTML has them as cell titles)."""
    runs = data.get('arch_runs', {})
    lines = []
    for arch in data['arches']:
        for step, cell in runs.get(arch, {}).get('cells', {}).items():
            if cell['status'] == 'fail' or cell.get('new_warnings'):
                lines.append(f'- **{arch} {step}** ([log]({cell["log"]}))'
                             + (f': {cell["note"]}' if cell['note'] else ''))
                lines += [f'  - {_md_code(e)}'
                          for e in cell.get('errors', []) + cell.get('new_warnings', [])]
    return ['### Failures and new warnings', ''] + lines if lines else []


def _checkpatch(cp: dict | None) -> list:
    if not cp:
        return [Para(['not run'])]
    blocks = [Para([f'{cp["patches"]} patches: {len(cp["failing"])} failing, '
                    f'{len(cp["allowed"])} allowed',
                    Span(' by ci/check/checkpatch-allow.toml', 'md'),
                    f', {len(cp["stale"])} stale allow entries.'])]
    for title, key in (('Failing', 'failing'), ('Allowed', 'allowed'),
                       ('Stale allow entries', 'stale'), ('Not judged', 'crashed')):
        if cp[key]:
            blocks.append(Bullets(Heading(3, title, md=f'{title}:'), cp[key]))
    return blocks


def _coverage(cov: dict | None, quick: bool) -> list:
    if not (cov and cov.get('enabled')):
        return [Para(['not run', Span(' (--quick)' if quick else '', 'md')])]
    blocks = [Para([f'{cov["covered"]} of {cov["total"]} added code lines compiled by at least '
                    f'one config ({", ".join(cov["arches"])}).'])]
    if cov['uncovered']:
        blocks.append(Table(_head('step', 'line', 'text', 'why not compiled'), [
            [Cell(u['step']), Cell(f'{u["file"]}:{u["line"]}', code=True),
             Cell(u['text'].strip()[:80], code=True, md=u['text'].strip()[:60]),
             Cell(u['reason'])] for u in cov['uncovered']]))
    return blocks


BOOT_HEAD = ('suite', 'passed', 'failed', 'skipped', 'time (s)', 'before: passed', 'failed',
             'skipped')


def _boots(found: list[dict]) -> list:
    """Per boot (boots.collect): its verdict, its suites against the base, its problems."""
    if not found:
        return [Para(['not run (', Span('make boot', 'code'),
                      ' writes its reports to the series directory, boot/)'])]
    blocks = []
    for b in found:
        rows = [[Cell(r['suite'])]
                + [Cell(str(r[c]), cls='fail' if r['failed'] else 'ok') for c in boots_mod.COLUMNS]
                + [Cell('-' if r['seconds'] is None else f'{r["seconds"]:.1f}')]
                + [Cell(str(r['before'][c]) if r['before'] else '-') for c in boots_mod.COLUMNS]
                for r in b['rows']]
        blocks += [Heading(3, f'{b["name"]}: {"PASS" if b["passed"] else "FAIL"}',
                           cls='pass' if b['passed'] else 'failed'),
                   Table(_head(*BOOT_HEAD), rows)]
        if not b['passed'] and b['problems']:
            blocks.append(Bullets(None, b['problems']))
    return blocks


def document(data: dict) -> list:
    """The report as blocks, for markdown() and to_html()."""
    s = data['series']
    bad = problems(data)
    quick = data.get('quick')
    rd = data.get('range_diff')
    rec = data.get('recipients')
    blocks = [
        Heading(1, f'make check: {s["name"]} v{s["version"]}'),
        Para(['Base ', Span(s['base'][:12], 'code'), ', branch ', Span(s['branch'], 'code'),
              f', {len(s["commits"])} commits',
              Span(f', {len(s["skipped"])} steps not applied' if s['skipped'] else '', 'md'),
              Span('; quick run (x86_64 builds and checkpatch only)' if quick else '', 'md'),
              '.']),
        Para([Span(f'Result: {"FAIL" if bad else "PASS"}', 'bold'),
              Span(f' ({len(bad)} problems, listed at the end)' if bad else '', 'md')],
             cls='failed' if bad else 'pass'),
        Heading(2, 'Builds (W=1, each commit, objects it changes)'),
        _matrix(data), MdOnly([LEGEND]), _arch_table(data), MdOnly(_details(data)),
        Heading(2, 'checkpatch --strict'), *_checkpatch(data.get('checkpatch')),
        Heading(2, 'Changed-line coverage'), *_coverage(data.get('coverage'), quick),
        Heading(2, 'Range-diff'),
        Para([Span(rd['file'], 'link', rd['file']), ' against ', rd['against']] if rd
             else ['not run (no --prev)']),
        Heading(2, 'Recipients',
                md='## Recipients (get_maintainer.pl, written into the patch headers)'),
        (Table(_head('patch', 'To', 'Cc'),
               [[Cell(name), Cell(', '.join(r['to']), md=str(len(r['to']))),
                 Cell(', '.join(r['cc']), md=str(len(r['cc'])))] for name, r in rec.items()])
         if rec else Para(['not run', Span(' (--quick)' if quick else '', 'md')])),
        Heading(2, 'Boots (make boot)'),
        *_boots(data.get('boots', [])),
        Table(_head('phase', 'seconds'), [[Cell(name), Cell(f'{sec:.1f}')]
                                          for name, sec in data.get('timings', [])],
              heading=Heading(2, 'Timings')),
    ]
    if bad:
        blocks.append(Bullets(Heading(2, 'Problems'), bad))
    return blocks


def _md_escape(text: str) -> str:
    return text.replace('|', '\\|').replace('<', '&lt;').replace('>', '&gt;')


def _md_code(text: str) -> str:
    """A code span inside a table cell: entities would show literally there."""
    return '`' + text.replace('`', "'").replace('|', '\\|') + '`'


# Markdown has no colours: of the matrix it links only the cells worth
# opening, a failure in bold; cells without a class (base objects) link too.
MD_LINKED = (None, 'fail', 'warn')


def _md_cell(cell: Cell) -> str:
    text = cell.text if cell.md is None else cell.md
    text = _md_code(text) if cell.code else _md_escape(text)
    if cell.link and cell.cls in MD_LINKED:
        bold = '**' if cell.cls == 'fail' else ''
        text = f'[{bold}{text}{bold}]({cell.link})'
    return text


def _md_heading(h: Heading) -> str:
    return h.md if h.md is not None else f'{"#" * h.level} {h.text}'


def _md_span(span: str | Span) -> str:
    return span if isinstance(span, str) else MD_SPAN[span.kind].format(t=span.text,
                                                                         h=span.href)


def _md_block(block) -> list[str]:
    if isinstance(block, Heading):
        return [_md_heading(block)]
    if isinstance(block, Para):
        return [''.join(map(_md_span, block.spans))]
    if isinstance(block, Table):
        return ([_md_heading(block.heading), ''] if block.heading else []) + [
            '| ' + ' | '.join(map(_md_cell, block.header)) + ' |',
            '|' + '---|' * len(block.header)] + [
            '| ' + ' | '.join(map(_md_cell, row)) + ' |' for row in block.rows]
    if isinstance(block, Bullets):
        return (([_md_heading(block.heading), ''] if block.heading else [])
                + [f'- {_md_escape(x)}' for x in block.items])
    return block.md


def markdown(data: dict) -> str:
    lines = []
    for block in document(data):
        part = _md_block(block)
        if part:
            lines += ([''] if lines else []) + part
    return '\n'.join(lines) + '\n'


STYLE = '''body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #999;padding:2px 8px;text-align:left}td.ok{background:#cfc}
td.fail{background:#f99;font-weight:bold}td.warn{background:#fe9}td.skip{color:#888}
code{font-size:90%}.pass{color:#070}.failed{color:#b00}'''


def _html_cell(cell: Cell, tag: str = 'td') -> str:
    e = html.escape
    text = f'<code>{e(cell.text)}</code>' if cell.code else e(cell.text)
    if cell.pre:
        text = f'<pre>{text}</pre>'
    if cell.link:
        text = f'<a href="{e(cell.link)}">{text}</a>'
    attrs = ((f' class="{cell.cls}"' if cell.cls is not None else '')
             + (f' title="{e(cell.title)}"' if cell.title is not None else ''))
    return f'<{tag}{attrs}>{text}</{tag}>'


def _html_heading(h: Heading) -> str:
    cls = f' class="{h.cls}"' if h.cls else ''
    return f'<h{h.level}{cls}>{html.escape(h.text)}</h{h.level}>'


def _html_span(span: str | Span) -> str:
    e = html.escape
    return e(span) if isinstance(span, str) else HTML_SPAN[span.kind].format(t=e(span.text),
                                                                             h=e(span.href))


def _html_block(block) -> list[str]:
    if isinstance(block, Heading):
        return [_html_heading(block)]
    if isinstance(block, Para):
        cls = f' class="{block.cls}"' if block.cls else ''
        return [f'<p{cls}>' + ''.join(map(_html_span, block.spans)) + '</p>']
    if isinstance(block, Table):
        return [(_html_heading(block.heading) if block.heading else '') + '<table><tr>'
                + ''.join(_html_cell(c, 'th') for c in block.header) + '</tr>'] + [
            '<tr>' + ''.join(map(_html_cell, row)) + '</tr>' for row in block.rows] + ['</table>']
    if isinstance(block, Bullets):
        return [(_html_heading(block.heading) if block.heading else '') + '<ul>'
                + ''.join(f'<li>{html.escape(x)}</li>' for x in block.items) + '</ul>']
    return []


def to_html(data: dict) -> str:
    title = html.escape(f'make check: {data["series"]["name"]} v{data["series"]["version"]}')
    out = ['<!DOCTYPE html><html><head><meta charset="utf-8">', f'<title>{title}</title>',
           f'<style>{STYLE}</style></head><body>']
    for block in document(data):
        out += _html_block(block)
    out.append('</body></html>')
    return '\n'.join(out) + '\n'
