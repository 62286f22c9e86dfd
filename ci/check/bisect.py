"""Bisect builds: every commit of the series, on one arch, object by object.

At the base commit the touched subsystems (the Kbuild directories of the
files the series changes, outside include/) are built whole with W=1; their
.o.cmd files then say which objects the configuration compiles and which
files each one reads.  For each commit, the objects that read a file the
commit changes are rebuilt (single Kbuild targets, W=1, make -k -O), plus
those that failed at the commit before, so a breakage stays red until a
commit really fixes it.

A cell is `fail` when an object fails to compile (or make fails), `ok`
otherwise, `not built` when the arch compiles none of the commit's files.
W=1 warnings are compared per object with the base commit's, as multisets of
(file, message) without line numbers: a warning is new if the base build of
that object did not have it.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import pathlib
import subprocess
import time

from ci.check import arches, gitrepo, kbuild

KBUILD_FILES = ('Makefile', 'Kbuild')
SOURCES = ('.c', '.h', '.S')
NOT_KERNEL = ('include', 'Documentation', 'tools', 'scripts', 'samples', 'usr')


@dataclasses.dataclass
class Cell:
    status: str                                 # ok, fail, not built
    objects: list[str] = dataclasses.field(default_factory=list)
    failed: list[str] = dataclasses.field(default_factory=list)
    new_warnings: list[str] = dataclasses.field(default_factory=list)
    errors: list[str] = dataclasses.field(default_factory=list)
    log: str = ''                               # relative to the series directory
    seconds: float = 0.0
    note: str = ''


@dataclasses.dataclass
class ArchRun:
    arch: str
    status: str = 'ok'                          # ok, fail, error (config, prepare ...)
    error: str = ''
    timings: dict[str, float] = dataclasses.field(default_factory=dict)
    subsystems: list[str] = dataclasses.field(default_factory=list)
    base_objects: int = 0
    base_failed: list[str] = dataclasses.field(default_factory=list)
    base_log: str = ''
    cells: dict[str, Cell] = dataclasses.field(default_factory=dict)


def subsystems(files: list[str], is_file) -> list[str]:
    """Directories to build whole at the base commit.

    The nearest directory with a Makefile or Kbuild above each changed source
    file outside include/ (and arch/*/include/), tools/ and the like; a
    directory whose ancestor is listed is dropped (make builds it anyway).
    """
    dirs = set()
    for f in files:
        p = pathlib.PurePosixPath(f)
        if len(p.parts) < 2 or p.parts[0] in NOT_KERNEL:
            continue
        if p.parts[0] == 'arch' and len(p.parts) > 3 and p.parts[2] == 'include':
            continue
        if p.suffix not in SOURCES and p.name not in KBUILD_FILES:
            continue
        d = p.parent
        while str(d) != '.' and not any(is_file(f'{d}/{n}') for n in KBUILD_FILES):
            d = d.parent
        if str(d) != '.':
            dirs.add(str(d))
    return sorted(d for d in dirs if not any(d.startswith(o + '/') for o in dirs))


def targets_for(changed: list[str], index: kbuild.Index, carried: set[str]) -> list[str]:
    """Objects to rebuild for a commit: users of its changed files, plus carried failures."""
    return sorted(set(index.users({f for f in changed if f.endswith(SOURCES)})) | carried)


def new_dirs(changed: list[str], added: list[str], index: kbuild.Index, is_file) -> list[str]:
    """Directory targets for what single objects cannot cover: new .c files, Makefiles."""
    dirs = set()
    known = {c.source for c in index.objects.values()}
    for f in changed:
        p = pathlib.PurePosixPath(f)
        if (f in added and p.suffix == '.c' and f not in known) or p.name in KBUILD_FILES:
            dirs.update(subsystems([f], is_file))
    return sorted(dirs)


def judge(targets: list[str], parsed: dict[str, kbuild.ObjectOutput], returncode: int,
          base: dict[str, list[kbuild.Diag]], now: dict[str, list[kbuild.Diag]],
          tail: str = '', dirs: tuple[str, ...] = ()) -> Cell:
    """The cell of one commit on one arch from what make printed.

    Objects make compiled on the way (prepare: scripts/mod/empty.o ...) count
    only when they fail; their warnings are not the series' business.
    """
    failed = sorted(o for o, r in parsed.items() if r.failed)
    ours = set(targets)
    compiled = sorted(o for o, r in parsed.items() if r.compiled and o.endswith('.o')
                      and (o in ours or any(o.startswith(d + '/') for d in dirs)))
    cell = Cell('fail' if failed or returncode else 'ok', objects=sorted(ours | set(compiled)),
                failed=failed)
    for obj in failed:
        cell.errors += [f'{obj}: {d}' for d in parsed[obj].diags if d.kind == 'error'][:5]
    for obj in (o for o in compiled if o not in failed):
        cell.new_warnings += [f'{obj}: {d}' for d in kbuild.new_warnings(base.get(obj, []),
                                                                          now.get(obj, []))]
    if returncode and not failed:
        cell.note = f'make exit {returncode}: {tail}'.strip()
    return cell


class WarningStore:
    """Each object's diagnostics from the build that made its current .o file.

    Kept in the build directory, keyed by object, with the .o's mtime: an
    object make does not recompile keeps its record, and a record whose .o has
    changed behind our back is not trusted (the base build recompiles it).
    """

    def __init__(self, build: pathlib.Path):
        self.build = build
        self.path = build / 'ci-check-warnings.json'
        self.records = json.loads(self.path.read_text()) if self.path.exists() else {}

    def _mtime(self, obj: str) -> int | None:
        try:
            return (self.build / obj).stat().st_mtime_ns
        except FileNotFoundError:
            return None

    def valid(self, obj: str) -> bool:
        rec = self.records.get(obj)
        return rec is not None and rec['mtime_ns'] == self._mtime(obj)

    def get(self, obj: str) -> list[kbuild.Diag]:
        rec = self.records.get(obj)
        return [kbuild.Diag(*d) for d in rec['diags']] if rec else []

    def update(self, parsed: dict[str, kbuild.ObjectOutput]) -> None:
        """Records of what this make compiled, dropping what failed; saved."""
        for obj, out in parsed.items():
            mtime = self._mtime(obj)
            if out.compiled and not out.failed and mtime is not None:
                self.records[obj] = {'mtime_ns': mtime,
                                     'diags': [dataclasses.astuple(d) for d in out.diags]}
            elif out.failed:
                self.records.pop(obj, None)
        self.save()

    def save(self) -> None:
        tmp = self.path.with_suffix('.tmp')
        tmp.write_text(json.dumps(self.records))
        tmp.replace(self.path)


class Builder:
    """make for one arch in its build directory, logs in the series directory."""

    def __init__(self, arch: arches.Arch, srctree: pathlib.Path, build: pathlib.Path,
                 env: dict, jobs: int, logs: pathlib.Path, out: pathlib.Path):
        self.arch = arch
        self.srctree = srctree
        self.build = build
        # Kbuild unexports LC_ALL; LANG and LC_MESSAGES reach gcc.
        self.env = dict(env, LC_ALL='C', LANG='C', LC_MESSAGES='C')
        self.make = arches.make_args(arch, srctree, build, env, jobs)
        self.logs = logs
        self.out = out

    def run(self, targets: list[str], log_name: str) -> tuple[dict, int, str, str]:
        """Build targets with W=1; per-object output, exit status, log path, last line."""
        args = self.make + ['-k', '-O', 'W=1', *targets]
        proc = subprocess.run(args, capture_output=True, text=True, env=self.env,
                              stdin=subprocess.DEVNULL)
        text = proc.stdout + proc.stderr
        log = self.logs / log_name
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(f'$ {" ".join(args)}\n{text}\n[exit {proc.returncode}]\n')
        lines = [line for line in text.splitlines() if line.strip()]
        tail = lines[-1] if lines else ''
        return (kbuild.parse_output(text, str(self.srctree)), proc.returncode,
                str(log.relative_to(self.out)), tail)


def run_arch(arch: arches.Arch, series, srctree: pathlib.Path, env: dict, jobs: int,
             progress, on_commit=None, log=print) -> ArchRun:
    """Configure, base build and one build per commit on one arch.

    on_commit(index, commit, builder, kindex) runs after each commit's build
    with the tree still at that commit (coverage uses it); its time is
    counted apart, as 'coverage'.
    """
    result = ArchRun(arch.name)
    t0 = time.monotonic()
    progress.set(f'{arch.name}: configure + prepare')
    gitrepo.checkout(srctree, series.base)
    try:
        build, timings = arches.setup(arch, srctree, series.base, env, log, jobs)
    except arches.ConfigError as e:
        result.status, result.error = 'error', str(e)
        result.base_log = _keep_config_logs(arch, srctree, series.out)
        return result
    result.timings.update(timings)

    repo = series.worktree
    at_tip = functools.partial(gitrepo.exists, repo, series.tip)     # at_tip(path): in the tip?
    result.subsystems = subsystems(gitrepo.touched_files(repo, series.base, series.tip), at_tip)
    builder = Builder(arch, srctree, build, env, jobs, series.out / 'logs' / arch.name,
                      series.out)
    store = WarningStore(build)
    t = time.monotonic()
    progress.set(f'{arch.name}: base build of {" ".join(result.subsystems)}')
    index, base = _base_build(builder, store, result)
    result.base_objects = len(base)
    result.timings['base'] = round(time.monotonic() - t, 1)

    t = time.monotonic()
    coverage_s = 0.0
    carried: set[str] = set()
    for i, c in enumerate(series.commits):
        where = f'{i + 1}/{len(series.commits)} {c.commit[:12]} {c.step}'
        progress.set(f'{arch.name}: commit {where}')
        gitrepo.checkout(srctree, c.commit)
        started = time.monotonic()
        cell = _commit_cell(builder, store, index, base, repo, series.parent(i), c,
                            f'{i + 1:02d}-{c.step}.log', carried, at_tip, result.subsystems)
        if cell.log:    # built: what failed is rebuilt at the next commit
            carried = set(cell.failed)
        cell.seconds = round(time.monotonic() - started, 1)
        result.cells[c.step] = cell
        if cell.status == 'fail':
            result.status = 'fail'
            log(f'{arch.name}: {c.step} FAILS: {", ".join(cell.failed) or cell.note}')
        if on_commit:
            started = time.monotonic()
            progress.set(f'{arch.name}: coverage {where}')
            on_commit(i, c, builder, index)
            coverage_s += time.monotonic() - started
    result.timings['bisect'] = round(time.monotonic() - t - coverage_s, 1)
    if on_commit:
        result.timings['coverage'] = round(coverage_s, 1)
    result.timings['total'] = round(time.monotonic() - t0, 1)
    gitrepo.checkout(srctree, series.base)
    return result


def _keep_config_logs(arch: arches.Arch, srctree: pathlib.Path, out: pathlib.Path) -> str:
    """The config and prepare logs of a failed setup, copied beside the series; the last one."""
    logs = out / 'logs' / arch.name
    logs.mkdir(parents=True, exist_ok=True)
    last = ''
    for what in ('config', 'prepare'):
        kept = arches.build_dir(arch, srctree) / f'ci-check-{what}.log'
        if kept.exists():
            (logs / kept.name).write_text(kept.read_text(errors='replace'))
            last = str((logs / kept.name).relative_to(out))
    return last


def _base_build(builder: Builder, store: WarningStore, result: ArchRun) -> tuple:
    """Build the subsystems whole at the base commit: (object index, base warnings by
    object); sets result.base_log and base_failed."""
    build, srctree = builder.build, str(builder.srctree)
    index = kbuild.Index(build, srctree, result.subsystems)
    for obj in list(index.objects):
        if not store.valid(obj):
            (build / obj).unlink(missing_ok=True)
    if result.subsystems:
        parsed, rc, result.base_log, _ = builder.run([d + '/' for d in result.subsystems],
                                                     'base.log')
        store.update(parsed)
        result.base_failed = sorted(o for o, r in parsed.items() if r.failed)
    index = kbuild.Index(build, srctree, result.subsystems)
    return index, {obj: store.get(obj) for obj in index.objects if store.valid(obj)}


def _commit_cell(builder: Builder, store: WarningStore, index, base: dict, repo, parent: str,
                 c, log_name: str, carried: set[str], at_tip, subsystems: list[str]) -> Cell:
    """Rebuild what commit c changes (the tree at c) and judge it against the base."""
    changed = gitrepo.changed_files(repo, parent, c.commit)
    added = gitrepo.changed_files(repo, parent, c.commit, '--diff-filter=A')
    targets = targets_for(changed, index, carried)
    dirs = new_dirs(changed, added, index, at_tip)
    if not targets and not dirs:
        return Cell('not built', note='this config compiles none of its files')
    parsed, rc, log_path, tail = builder.run(targets + [d + '/' for d in dirs], log_name)
    store.update(parsed)
    index.refresh(targets)
    index.scan(dirs)
    now = {o: store.get(o) for o in parsed}
    return dataclasses.replace(judge(targets, parsed, rc, base, now, tail,
                                     tuple(subsystems) + tuple(dirs)), log=log_path)
