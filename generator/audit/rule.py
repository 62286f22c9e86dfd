"""Running cocci/audit/iova_to_phys.cocci, and reading its report and org lines."""

import os
import pathlib
import re
import tempfile

from generator import spatch
from generator.audit.findings import Finding, Kind

RULE = spatch.REPO / 'cocci' / 'audit' / 'iova_to_phys.cocci'
# The op calls are matched by type: spatch needs the ops structs and struct
# iommu_domain.  Forcing in just these two headers (plus each file's local
# ones) costs a tenth of --all-includes and finds the same.
TYPE_HEADERS = ('include/linux/iommu.h', 'include/linux/io-pgtable.h')


def run(tree: pathlib.Path, files: list[str], mode: str, jobs: int,
        rule: pathlib.Path = RULE) -> tuple[str, list[str]]:
    """Run the rule in one mode; returns (stdout, warnings), the warnings
    being spatch's standard error lines on timeouts and parse exceptions.

    The options are this run's, not the rule header's --all-includes (what
    make coccicheck uses): the two type headers and local includes find the
    same in a tenth of the time."""
    if not files:
        return '', []
    with tempfile.NamedTemporaryFile('w', suffix='.groups', delete=False) as groups:
        # One group per file: a plain file list would be one group, one job.
        groups.write('\n\n'.join(files) + '\n')
    args = ['-D', mode, '--file-groups', groups.name, '--timeout', '200',
            '--local-includes', '--include-headers-for-types', '--include-headers',
            '-I', 'include']
    for header in TYPE_HEADERS:
        if (tree / header).is_file():
            args += ['--include', header]
    if jobs > 1:
        args += ['--jobs', str(jobs), '--chunksize', '1']
    if mode in ('report', 'org'):
        args.append('--no-show-diff')
    if mode == 'patch':
        args += ['--patch', '.']
    try:
        proc = spatch.invoke(rule, args, cwd=tree, env=dict(os.environ, PYTHONUNBUFFERED='1'))
    finally:
        os.unlink(groups.name)
    warnings = [w for w in proc.stderr.splitlines()
                if re.search(r'timeout|EXN|Fatal|error', w, re.I)
                and 'not used in the - or context code' not in w]
    return proc.stdout, warnings


_REPORT_LINE = re.compile(
    r'^(?P<file>[^:\s]+):(?P<line>\d+):\d+-\d+: kind (?P<kind>\d): (?P<reason>.*) '
    r'\(in (?P<function>[^()]*)\)$')
_ORG_LINE = re.compile(
    r'^\* TODO \[\[view:(?P<file>[^:]+)::face=[^:]*::linb=(?P<line>\d+)::.*?\]'
    r'\[kind (?P<kind>\d): (?P<reason>.*) \(in (?P<function>[^()]*)\)\]\]$')


def parse(output: str) -> list[Finding]:
    """Findings from the rule's report or org lines."""
    found = set()
    for line in output.splitlines():
        m = _REPORT_LINE.match(line) or _ORG_LINE.match(line)
        if m:
            found.add(Finding(m['file'], int(m['line']), Kind(int(m['kind'])),
                              m['function'], 'spatch', m['reason']))
    return sorted(found)
