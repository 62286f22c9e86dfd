"""Every rule in cocci/ and templates/ opens with the kernel's header
(scripts/coccinelle/): SPDX line, `///` description, `// Confidence:`,
`// Options:` (what spatch.run passes), and the four coccicheck modes
declared virtual by a rule that reports."""

import pathlib
import re

import pytest

from generator import spatch

REPO = pathlib.Path(__file__).resolve().parent.parent
RULES = sorted([*(REPO / 'cocci').rglob('*.cocci'), *(REPO / 'templates').glob('*.cocci')])
MODES = {'patch', 'context', 'org', 'report'}


def _header(text: str) -> list[str]:
    """The comment lines before the first line of SmPL."""
    lines = text.split('\n')
    end = next(i for i, line in enumerate(lines) if not line.startswith('//'))
    return lines[:end]


@pytest.mark.parametrize('rule', RULES, ids=lambda p: str(p.relative_to(REPO)))
def test_rule_has_the_kernel_header(rule):
    text = rule.read_text()
    header = _header(text)
    assert header[0].startswith('// SPDX-License-Identifier: '), header[0]
    assert len(header) > 1 and header[1].startswith('/// '), 'a /// description follows'
    assert not text.lstrip('/ \n').startswith('/*')
    fields = [line.split(':', 1)[0] for line in header if re.match(r'^// [A-Z]\w+:', line)]
    assert fields.count('// Confidence') == 1 and fields.count('// Options') == 1, fields
    confidence = next(line for line in header if line.startswith('// Confidence:'))
    assert re.match(r'^// Confidence: (High|Moderate|Low)\b', confidence)
    assert spatch.options(rule), 'an empty Options line'


@pytest.mark.parametrize('rule', RULES, ids=lambda p: str(p.relative_to(REPO)))
def test_a_reporting_rule_declares_every_coccicheck_mode(rule):
    text = rule.read_text()
    declared = set(re.findall(r'^virtual (\w+)$', text, re.M))
    used = {word for cond in re.findall(r'^@[^@\n]*\bdepends on ([^@\n]*)@', text, re.M)
            for word in re.findall(r'\w+', cond)} & MODES
    assert used <= declared, f'modes used but not declared: {used - declared}'
    if declared & MODES:
        assert MODES <= declared, f'make coccicheck MODE= any of {sorted(MODES)}'


def test_the_audit_rule_is_the_one_that_reports():
    reporting = [r.relative_to(REPO).as_posix() for r in RULES
                 if re.search(r'^virtual report$', r.read_text(), re.M)]
    assert reporting == ['cocci/audit/iova_to_phys.cocci']
