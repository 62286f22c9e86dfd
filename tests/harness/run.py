"""Compile a driver's iova_to_phys[_length] from a kernel tree with a
per-driver test main, run it, and collect the checks it reports.

    python3 tests/harness/run.py --tree /path/to/linux [case ...]

Each case (cases.py) names the driver files, the function (its name before
conversion; the converted one is NAME_length) and the extra definitions its
test main uses.  The function and everything it needs from those files is
extracted at run time (extract.py); kernel API comes from include/kstubs.h.
If the tree has NAME_length the case runs in converted mode; if it only has
NAME, in legacy mode (HARNESS_LEGACY), where length is the format's smallest
leaf, as the core's fallback gives it for an unconverted driver.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import extract  # noqa: E402
from cases import CASES  # noqa: E402

CFLAGS = ["-std=gnu11", "-O1", "-g", "-fwrapv", "-fno-strict-aliasing",
          "-Wall", "-Wno-unused-function", "-Wno-unused-variable",
          "-Wno-unused-but-set-variable", "-Wno-address",
          "-Werror=implicit-function-declaration", "-Werror=int-conversion",
          "-Werror=incompatible-pointer-types", "-Werror=return-type"]

_LINE = re.compile(r"^(ok|not ok) (\S+)(?: # (.*))?$")


@dataclass
class Result:
    case: str
    mode: str = ""              # "converted", "legacy" or "" (not built)
    error: str = ""             # why nothing ran, if nothing ran
    returncode: int = None
    checks: dict = field(default_factory=dict)   # id -> (ok, detail)
    output: str = ""

    def ids(self, *parts):
        """Check IDs having every one of parts as a '/' component."""
        return [i for i in self.checks
                if all(p in i.split("/") for p in parts)]

    def failed(self, ids=None):
        ids = self.checks if ids is None else ids
        return [i for i in ids if not self.checks[i][0]]


def load_source(tree, case):
    texts = []
    for rel in case.files:
        path = Path(tree) / rel
        texts.append((rel, path.read_text()))
    return extract.Source(texts, case.only)


def converted_name(case):
    return case.function + "_length"


def mode_of(source, case):
    if source.has(converted_name(case), "function"):
        return "converted"
    if source.has(case.function, "function"):
        return "legacy"
    return ""


def extracted_text(tree, case, mutate=None):
    """(mode, C text) for case in tree; mutate(text) rewrites the function
    under test (tests use it to plant a bug)."""
    source = load_source(tree, case)
    mode = mode_of(source, case)
    if not mode:
        raise KeyError("%s: neither %s nor %s in %s" % (
            case.name, converted_name(case), case.function,
            ", ".join(case.files)))
    fn = converted_name(case) if mode == "converted" else case.function
    replace = {}
    if mutate:
        replace[fn] = mutate(source.get(fn).text)
    roots = [fn] + list(case.roots)
    return mode, source.extract(roots, case.exclude, replace)


_toolchain = {}


def _try(cc, cflags):
    """('' or why cc cannot build with cflags, the command prefix that runs
    what it builds).  A host kernel without IA32 emulation builds -m32 but
    refuses to exec it (ENOEXEC); qemu-i386 (qemu-user) then runs it."""
    with tempfile.TemporaryDirectory(prefix="iova-harness-cc-") as tmp:
        src = Path(tmp) / "t.c"
        exe = Path(tmp) / "t"
        src.write_text("int main(void) { return 7; }\n")
        built = subprocess.run([cc] + list(cflags) + [str(src), "-o", str(exe)],
                               capture_output=True, text=True)
        if built.returncode:
            return ("%s cannot build with %s (gcc-multilib missing?): %s" % (
                cc, " ".join(cflags), built.stderr.strip()[-300:]), [])
        for prefix in [[]] + ([["qemu-i386"]] if "-m32" in cflags else []):
            try:
                if subprocess.run(prefix + [str(exe)]).returncode == 7:
                    return "", prefix
            except OSError:
                pass
        return ("%s with %s builds a program this host cannot run%s" % (
            cc, " ".join(cflags),
            " (no IA32 emulation; install qemu-user)" if "-m32" in cflags else ""), [])


def _toolchain_of(cflags, cc):
    key = (cc, tuple(cflags))
    if key not in _toolchain:
        _toolchain[key] = _try(cc, cflags)
    return _toolchain[key]


def toolchain_problem(cflags, cc="gcc"):
    """Why cc cannot build and run a program with cflags here ('' if it
    can): -m32 needs gcc-multilib's parts, and qemu-user where the host
    kernel runs no 32-bit programs."""
    return _toolchain_of(cflags, cc)[0]


def run_case(tree, case, mutate=None, workdir=None, cc="gcc"):
    result = Result(case.name)
    try:
        mode, text = extracted_text(tree, case, mutate)
    except (KeyError, OSError, ValueError) as e:
        result.error = "extract: %s" % e
        return result
    result.mode = mode
    own_tmp = None
    if workdir is None:
        own_tmp = tempfile.TemporaryDirectory(prefix="iova-harness-")
        workdir = own_tmp.name
    try:
        work = Path(workdir)
        src = work / ("%s.extracted.c" % case.name)
        src.write_text(text)
        exe = work / case.name
        fn = converted_name(case) if mode == "converted" else case.function
        cmd = [cc] + CFLAGS + case.cflags + [
            "-I", str(HERE / "include"),
            '-DHARNESS_EXTRACTED="%s"' % src,
            "-DHARNESS_FN=%s" % fn,
            '-DHARNESS_CASE="%s"' % case.name,
            str(HERE / "mains" / case.source), "-o", str(exe)]
        if mode == "legacy":
            cmd.insert(1, "-DHARNESS_LEGACY=1")
        for macro, pattern in case.probes.items():
            if re.search(pattern, text):
                cmd.insert(1, "-D%s=1" % macro)
        built = subprocess.run(cmd, capture_output=True, text=True)
        if built.returncode:
            result.error = "compile failed (%s):\n%s" % (src, built.stderr)
            return result
        ran = subprocess.run(_toolchain_of(case.cflags, cc)[1] + [str(exe)],
                             capture_output=True, text=True,
                             timeout=120)
        result.returncode = ran.returncode
        result.output = ran.stdout + ran.stderr
        for line in ran.stdout.splitlines():
            m = _LINE.match(line)
            if m:
                result.checks[m.group(2)] = (m.group(1) == "ok",
                                             m.group(3) or "")
        if not result.checks:
            result.error = "no checks reported (exit %d):\n%s" % (
                ran.returncode, result.output[-2000:])
        return result
    finally:
        if own_tmp:
            own_tmp.cleanup()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tree", required=True, help="kernel tree")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print every failed check")
    ap.add_argument("cases", nargs="*", help="case names (default: all)")
    args = ap.parse_args(argv)
    names = args.cases or [c.name for c in CASES]
    by_name = {c.name: c for c in CASES}
    bad = 0
    for name in names:
        r = run_case(args.tree, by_name[name])
        if r.error:
            print("%-12s %-9s ERROR %s" % (name, r.mode, r.error))
            bad += 1
            continue
        failed = r.failed()
        print("%-12s %-9s %d checks, %d failed" % (
            name, r.mode, len(r.checks), len(failed)))
        if args.verbose:
            for i in failed:
                print("    not ok %s # %s" % (i, r.checks[i][1]))
        bad += bool(failed)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
