"""Build the callers' IOVA stepping loops from a kernel tree and run them on a
fake IOMMU domain.

    python3 tests/callers/stepping.py --base BASE_TREE --converted TREE

Each program (PROGRAMS) names a kernel file, the functions to take from it
and the test main that drives them.  The functions, and whatever they use
from the same file, are cut out of the tree at run time by
tests/harness/extract.py; nothing of the kernel is kept in this repository.
The kernel API they call comes from include/callers_stubs.h and the fake
domain (fake_domain.c), whose leaves are aligned powers of two of any size
the scenario allows: 2K, 4K, 64K, 2M, ...

A test main reads commands on stdin and prints one line per command.  The
same commands are run on the functions of the base tree (the per-page loops)
and of the converted tree (the leaf-stepping loops); tests compare the lines,
and compare both with a model of the per-page result (scenarios.py).
"""

import argparse
import dataclasses
import hashlib
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / 'harness'))

import extract  # noqa: E402

REPO = HERE.parent.parent
# The manifest steps whose loops the harness runs, in series order.
STEPS = ('callers-iommufd-pages', 'callers-vfio-unmap', 'callers-vfio-replay',
         'callers-iommu-direct-mappings', 'callers-iommu-debug-pagealloc')

CFLAGS = ['-std=gnu11', '-O1', '-g', '-fwrapv', '-Wall', '-Wno-unused-function',
          '-Werror=implicit-function-declaration', '-Werror=int-conversion',
          '-Werror=incompatible-pointer-types', '-Werror=return-type']


@dataclasses.dataclass(frozen=True)
class Program:
    name: str
    main: str                   # test main in this directory
    file: str                   # kernel file the functions come from
    roots: tuple[str, ...]      # functions the main calls
    exclude: tuple[str, ...]    # names the main supplies instead


PROGRAMS = {
    'iommufd': Program(
        'iommufd', 'iommufd_main.c', 'drivers/iommu/iommufd/pages.c',
        ('batch_clear', 'batch_add_pfn', 'batch_skip_carry', 'batch_to_domain',
         'batch_from_domain', 'batch_from_domain_continue', 'raw_pages_from_domain',
         'iopt_area_unpin_domain', 'iopt_area_unmap_domain_range'),
        ('iopt_pages_sub_npinned',)),
    'vfio': Program(
        'vfio', 'vfio_main.c', 'drivers/vfio/vfio_iommu_type1.c',
        ('vfio_unmap_unpin', 'vfio_iommu_replay'),
        ('unmap_unpin_fast', 'unmap_unpin_slow', 'vfio_sync_unpin', 'vfio_lock_acct',
         'vfio_pin_pages_remote', 'vfio_unpin_pages_remote', 'vfio_batch_init',
         'vfio_batch_fini', 'vfio_batch_unpin', 'tag:vfio_iommu', 'tag:vfio_domain',
         'tag:vfio_dma', 'tag:vfio_batch', 'tag:vfio_regions')),
    'direct': Program(
        'direct', 'direct_main.c', 'drivers/iommu/iommu.c',
        ('iommu_create_device_direct_mappings',),
        ('iommu_get_resv_regions', 'iommu_put_resv_regions', 'iommu_is_dma_domain',
         'iommu_map', 'iommu_unmap', 'iommu_iova_to_phys', 'iommu_iova_to_phys_length')),
    'debug': Program(
        'debug', 'debug_main.c', 'drivers/iommu/iommu-debug-pagealloc.c',
        ('__iommu_debug_map', '__iommu_debug_unmap_begin', '__iommu_debug_unmap_end'),
        ('iommu_debug_inc_page', 'iommu_debug_dec_page')),
}


class BuildError(Exception):
    pass


def convert(base: pathlib.Path, dest: pathlib.Path) -> pathlib.Path:
    """A git tree at dest holding base's copies of the files the harness
    reads, with the STEPS of the manifest applied by the generator."""
    sys.path.insert(0, str(REPO))
    from generator import manifest, steps
    files = sorted({p.file for p in PROGRAMS.values()})
    for rel in files:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pathlib.Path(base) / rel, dest / rel)
    git = ['git', '-C', str(dest), '-c', 'user.name=harness', '-c', 'user.email=harness@localhost']
    subprocess.run(git + ['init', '-q'], check=True)
    subprocess.run(git + ['add', '-A'], check=True)
    subprocess.run(git + ['commit', '-q', '-m', 'base'], check=True)
    loaded = manifest.load()
    for step_id in STEPS:
        steps.apply(loaded.step(step_id), dest)
        subprocess.run(git + ['commit', '-q', '-a', '-m', step_id], check=True)
    return dest


def extracted_text(tree: pathlib.Path, program: Program, replace=None) -> str:
    """The C text of program's functions in tree.  replace maps a function
    name to new text for it (tests use it to plant a bug)."""
    path = pathlib.Path(tree) / program.file
    source = extract.Source([(program.file, path.read_text())])
    return source.extract(list(program.roots), exclude=program.exclude, replace=replace)


def function_text(tree: pathlib.Path, program: Program, name: str) -> str:
    path = pathlib.Path(tree) / program.file
    return extract.Source([(program.file, path.read_text())]).get(name).text


def build(tree: pathlib.Path, program: Program, workdir: pathlib.Path,
          page_shift: int = 12, replace=None) -> pathlib.Path:
    """Compile program's functions from tree with its test main; returns the
    executable.  Builds are cached in workdir by content."""
    text = extracted_text(tree, program, replace)
    harness = ''.join((HERE / f).read_text() for f in
                      (program.main, 'fake_domain.c', 'include/callers_stubs.h'))
    key = hashlib.sha256(f'{page_shift}:{text}:{harness}'.encode()).hexdigest()[:16]
    exe = pathlib.Path(workdir) / f'{program.name}-{key}'
    if exe.exists():
        return exe
    src = pathlib.Path(workdir) / f'{program.name}-{key}.extracted.c'
    src.write_text(text)
    cmd = ['gcc', *CFLAGS, f'-DPAGE_SHIFT={page_shift}',
           f'-DCALLERS_EXTRACTED="{src}"', '-I', str(HERE / 'include'),
           str(HERE / program.main), str(HERE / 'fake_domain.c'), '-o', str(exe)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        raise BuildError(f'{program.name} from {tree} (PAGE_SHIFT={page_shift}):\n'
                         + proc.stderr[-4000:])
    return exe


def run(exe: pathlib.Path, script: str, alarm: int | None = None) -> list[str]:
    """Run the commands of script; one output line per command.  A run that
    takes more than alarm seconds is killed: a loop that stopped making
    progress."""
    alarm = alarm or int(os.environ.get('CALLERS_ALARM', '20'))
    env = dict(os.environ, CALLERS_ALARM=str(alarm))
    proc = subprocess.run([str(exe)], input=script, capture_output=True, text=True,
                          timeout=alarm + 60, env=env)
    if proc.returncode:
        why = 'killed by SIGALRM: a loop stopped making progress' \
            if proc.returncode == -14 else f'exit status {proc.returncode}'
        raise RuntimeError(f'{exe.name}: {why}\n{proc.stderr[-2000:]}\n'
                           f'last output: {proc.stdout[-500:]}')
    return proc.stdout.splitlines()


def fields(line: str) -> dict[str, str]:
    """'cmd a b key=v key=w' -> {'key': 'v w', ...}; '_' holds the rest."""
    out = {'_': []}
    for word in line.split():
        key, eq, value = word.partition('=')
        if eq:
            out[key] = f'{out[key]} {value}' if key in out else value
        else:
            out['_'].append(word)
    out['_'] = ' '.join(out['_'])
    return out


def main(argv=None) -> int:
    import scenarios
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--base', required=True, help='tree with the per-page loops')
    parser.add_argument('--converted', help='tree with the callers steps applied '
                        '(default: apply them to copies of the base files)')
    args = parser.parse_args(argv)
    work = pathlib.Path(tempfile.mkdtemp(prefix='callers-stepping-'))
    failures = 0
    try:
        converted = pathlib.Path(args.converted) if args.converted else \
            convert(pathlib.Path(args.base), work / 'converted')
        for check in scenarios.all_checks(pathlib.Path(args.base), converted, work):
            print(f'{"ok" if not check.problems else "not ok"} {check.name}')
            for problem in check.problems[:5]:
                print(f'    {problem}')
            failures += bool(check.problems)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.path.insert(0, str(HERE))
    sys.exit(main())
