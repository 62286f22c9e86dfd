"""Turn what a boot printed into per-suite results.

Two channels come back from the guest:
 - the kernel console, which carries the KTAP of the built-in KUnit suites
   and the results of the io-pgtable boot selftests (v7s; LPAE in trees
   where it is not a KUnit suite yet, such as 6.12);
 - the results port, on which the guest init writes each user-space test
   program's kselftest TAP and each KUnit suite's KTAP in a section of
   ci/guest's protocol (protocol.py).

Both kinds of TAP are parsed by the kernel's own
tools/testing/kunit/kunit_parser.py, loaded from the tree under test.
"""
from __future__ import annotations

import importlib
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from ci.guest.protocol import Section

from .scan import strip_prefix

TIMESTAMP = re.compile(r'^\s*\[\s*(\d+\.\d+)\]')

V7S_OK = 'arm-v7s io-pgtable: self test ok'
# arm_v7s_do_selftests: __FAIL() WARNs "selftest: test failed" (the text
# of a WARN has no pr_fmt prefix) at io-pgtable-arm-v7s.c, a failed
# allocation is a pr_err (with the prefix). Not LPAE's "selftest: test
# failed for fmt idx N", 6.12's LPAE boot selftest.
V7S_FAIL = re.compile(r'^(?:selftest: test failed|arm-v7s io-pgtable: selftest: .*|'
                      r'WARNING: .* at drivers/iommu/io-pgtable-arm-v7s\.c.*)$')
V7S_SUITE = 'io-pgtable-arm-v7s-selftest'

# The LPAE boot selftest (arm_lpae_do_selftests) prints a line per
# configuration it tests, a WARN for each one that fails and a summary.
LPAE_SUITE = 'io-pgtable-arm-lpae-selftest'
LPAE_CONFIG = re.compile(r'^arm-lpae io-pgtable: selftest: (pgsize_bitmap 0x[0-9a-f]+, IAS \d+)$')
LPAE_FAILED = re.compile(r'^(?:arm-lpae io-pgtable: )?selftest: '
                         r'(test failed for fmt idx \d+|failed to allocate io pgtable ops)$')
LPAE_DONE = re.compile(r'^arm-lpae io-pgtable: selftest: completed with (\d+) PASS (\d+) FAIL$')


@dataclass
class Suite:
    name: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float | None = None
    errors: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # failed cases, by path
    cases: list[str] = field(default_factory=list)     # every case: case[.param]

    @property
    def ok(self) -> bool:
        """Nothing failed, nothing went wrong and at least one case passed."""
        return not self.failed and not self.errors and self.passed > 0


def load_parser(tree: Path) -> ModuleType:
    """kunit_parser from the kernel tree (it imports kunit_printer beside it)."""
    kunit_dir = str(Path(tree) / 'tools' / 'testing' / 'kunit')
    if kunit_dir not in sys.path:
        sys.path.insert(0, kunit_dir)
    return importlib.import_module('kunit_parser')


def parse(parser: ModuleType, lines: list[str]):
    """parser.parse_run_tests, quiet. Up to 6.x it takes the lines alone
    and prints through the module's global printer, which is silenced
    here; later ones take a Printer."""
    if hasattr(parser, 'Printer'):
        return parser.parse_run_tests(lines, parser.Printer(print=False))
    printer = sys.modules['kunit_printer']
    parser.stdout = printer.Printer(io.StringIO())
    return parser.parse_run_tests(lines)


def failed_cases(parser: ModuleType, test, prefix: str = '') -> list[str]:
    """Names of the failed or crashed leaf cases under test, as
    'subtest.case' paths, so two runs can be compared case by case."""
    bad = (parser.TestStatus.FAILURE, parser.TestStatus.TEST_CRASHED)
    out = []
    for sub in test.subtests:
        path = f'{prefix}{sub.name}'
        if sub.subtests:
            out += failed_cases(parser, sub, path + '.')
        elif sub.status in bad:
            out.append(path)
    return out


def _from_test(parser: ModuleType, name: str, test) -> Suite:
    counts = test.counts
    suite = Suite(name, counts.passed, counts.failed, counts.skipped)
    suite.failures = failed_cases(parser, test)
    suite.cases = [path for case in test.subtests for path in
                   [case.name] + [f'{case.name}.{p.name}' for p in case.subtests]]
    if counts.crashed:
        suite.errors.append(f'{counts.crashed} crashed')
    if counts.errors:
        suite.errors.append(f'{counts.errors} KTAP parse errors')
    if test.status == parser.TestStatus.FAILURE_TO_PARSE_TESTS:
        suite.errors.append('no TAP output')
    return suite


def tap_suite(parser: ModuleType, section: Section) -> Suite:
    """One kselftest program's results from its section."""
    test = parse(parser, section.lines)
    suite = _from_test(parser, section.name, test)
    suite.seconds = section.seconds
    if section.rc is None:
        suite.errors.append('did not finish')
    elif section.rc not in (0, 4):  # 4 is KSFT_SKIP: every case skipped
        suite.errors.append(f'exit code {section.rc}')
    return suite


def _stamp(line: str) -> float | None:
    match = TIMESTAMP.match(line)
    return float(match.group(1)) if match else None


def kunit_seconds(console: list[str], suite: str) -> float | None:
    """Time between a suite's "# Subtest:" line and its result line,
    from the printk time stamps."""
    start = end = None
    result = re.compile(r'\b(not )?ok \d+ ' + re.escape(suite) + r'(\s|$)')
    for line in console:
        if start is None and line.rstrip().endswith(f'# Subtest: {suite}'):
            start = _stamp(line)
        elif start is not None and result.search(line):
            end = _stamp(line)
            break
    if start is None or end is None:
        return None
    return round(end - start, 2)


def kunit_run(parser: ModuleType, console_log: str) -> tuple[str, list[Suite]]:
    """The KTAP result of the whole console (a TestStatus name; a run with
    parse errors is not SUCCESS) and every KUnit suite it reports."""
    lines = console_log.splitlines()
    main = parse(parser, lines)
    status = main.status.name
    if main.counts.errors and status == 'SUCCESS':
        status = 'FAILURE_TO_PARSE_TESTS'
    if main.status == parser.TestStatus.FAILURE_TO_PARSE_TESTS:
        return status, []
    suites = []
    for test in main.subtests:
        suite = _from_test(parser, test.name, test)
        suite.seconds = kunit_seconds(lines, test.name)
        suites.append(suite)
    return status, suites


def kunit_suites(parser: ModuleType, console_log: str) -> list[Suite]:
    """Every KUnit suite the console reports, as the kernel's parser sees it."""
    return kunit_run(parser, console_log)[1]


KUNIT_SECTION = 'kunit/'


def kunit_section_suite(parser: ModuleType, section: Section) -> Suite:
    """One KUnit suite from its debugfs results file: a KTAP document whose
    only subtest is the suite."""
    name = section.name[len(KUNIT_SECTION):]
    main = parse(parser, section.lines)
    found = [t for t in main.subtests if t.name == name]
    if not found:
        suite = Suite(name, errors=['no KTAP for the suite in its results file'])
    else:
        suite = _from_test(parser, name, found[0])
    suite.seconds = section.seconds
    if section.rc is None:
        suite.errors.append('did not finish')
    return suite


def v7s_suite(console_log: str) -> Suite | None:
    """The io-pgtable-arm-v7s boot selftest: one line when it passes, a
    WARN (or an allocation error) when it does not; None when it printed
    nothing. The one judge of it, for the boots and for ci/kunit.py; a
    second "self test ok" is an error (two kernels in one log)."""
    suite = None
    for line in console_log.splitlines():
        text = strip_prefix(line)
        if text == V7S_OK:
            suite = suite or Suite(V7S_SUITE)
            suite.passed += 1
        elif V7S_FAIL.match(text):
            suite = suite or Suite(V7S_SUITE)
            suite.failed += 1
            suite.failures.append(text)
    if suite and suite.passed > 1:
        suite.errors.append(f'"self test ok" {suite.passed} times')
    return suite


def lpae_selftest_suite(console_log: str) -> Suite | None:
    """The io-pgtable-arm LPAE boot selftest: its summary line gives the
    counts, each failure (a WARN, or an allocation error) is named after
    the configuration line before it. No line at all: None (the suite is
    missing); started but no summary, several summaries, or a summary that
    does not count the configurations tested: errors."""
    suite = None
    config = None
    tested = 0
    summaries = 0
    for line in console_log.splitlines():
        text = strip_prefix(line)
        started = LPAE_CONFIG.match(text)
        failed = LPAE_FAILED.match(text)
        done = LPAE_DONE.match(text)
        if not (started or failed or done):
            continue
        suite = suite or Suite(LPAE_SUITE)
        if started:
            config = started.group(1)
            tested += 1
        elif failed:
            suite.failures.append(f'{config or "before any configuration"}: {failed.group(1)}')
        else:
            summaries += 1
            suite.passed, suite.failed = int(done.group(1)), int(done.group(2))
    if suite is None:
        return None
    if summaries == 0:
        suite.errors.append(f'no summary line after {tested} configurations')
        suite.failed = len(suite.failures)
    elif summaries > 1:
        suite.errors.append(f'{summaries} summary lines')
    elif suite.passed + suite.failed != tested or suite.failed < len(suite.failures):
        suite.errors.append(f'summary says {suite.passed} PASS {suite.failed} FAIL, '
                            f'the log shows {tested} configurations, '
                            f'{len(suite.failures)} failed')
    return suite
