"""generator/spatch.py: a rule's options come from its `// Options:` line."""

import pathlib
import subprocess

import pytest

from generator import anchors, inventory, new_callers, new_drivers, spatch
from generator.errors import Failure

REPO = pathlib.Path(__file__).resolve().parent.parent
DEFAULT = ('--no-includes', '--include-headers')

# The options each caller passed by hand before the rules' headers gave them
# (the manifest's steps are held by tests/test_manifest.py): the command
# lines must stay the same.
HARD_CODED_BEFORE = {
    inventory.RULE: DEFAULT,                # inventory.py, with -j 2 of its own
    anchors.LOCATE_FUNCTION: DEFAULT,
    new_callers.RULE: DEFAULT,
    new_callers.LOOP_RULE: DEFAULT,
    **{shape: DEFAULT for shape in new_drivers.SHAPES},
    new_drivers.COMMON: DEFAULT,
}


@pytest.mark.parametrize('rule', sorted(HARD_CODED_BEFORE), ids=lambda p: p.name)
def test_callers_get_the_options_they_hard_coded(rule):
    assert spatch.options(rule) == HARD_CODED_BEFORE[rule]


def _rule(tmp_path, header: str) -> pathlib.Path:
    path = tmp_path / 'r.cocci'
    path.write_text('// SPDX-License-Identifier: GPL-2.0-only\n/// r\n' + header
                    + '\n@@\n@@\n- a\n+ b\n')
    return path


def test_options_are_read_as_coccicheck_reads_them(tmp_path):
    assert spatch.options(_rule(tmp_path, '// Options: --no-includes  --smpl-spacing')) == \
        ('--no-includes', '--smpl-spacing')


@pytest.mark.parametrize('header, found', [('// Confidence: High', 0),
                                           ('// Options: -a\n// Options: -b', 2)])
def test_a_rule_needs_one_options_line(tmp_path, header, found):
    with pytest.raises(Failure, match=rf'r.cocci:1: a rule needs one "// Options:" line in '
                                      rf'its header, found {found}'):
        spatch.options(_rule(tmp_path, header))


def test_run_puts_the_rule_options_before_the_extra_ones(tmp_path, monkeypatch):
    rule = _rule(tmp_path, '// Options: --no-includes --include-headers')
    seen = []

    def fake_run(cmd, **kw):
        seen.append(cmd)
        return subprocess.CompletedProcess(cmd, 0, 'out', '')

    monkeypatch.setattr(spatch.subprocess, 'run', fake_run)
    assert spatch.run(rule, [pathlib.Path('a.c')], cwd=tmp_path, defines={'fn': 'f'},
                      in_place=True, extra=['-j', '2']) == 'out'
    # The command line the callers built before, options by hand included.
    assert seen == [['spatch', '--very-quiet', '--sp-file', str(rule), '--in-place',
                     '-D', 'fn=f', '--no-includes', '--include-headers', '-j', '2', 'a.c']]
