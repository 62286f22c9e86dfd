"""A small scratch series in the shape the generator writes, to exercise ci.check.

    python3 -m ci.check.scratch --kernel TREE --work DIR --out DIR [--variant clean|broken|warn]

Three commits on a new branch in a worktree of TREE, each placed by an anchor
string (no kernel source is copied):
  1 include/linux/iommu.h: a helper in the CONFIG_IOMMU_API part and a line in
    the !CONFIG_IOMMU_API stub part (no config of ci.check compiles that one).
  2 drivers/iommu/sprd-iommu.c and msm_iommu.c: a comment and a code line each
    (msm is 32-bit ARM only).  'broken' leaves out a semicolon in sprd.
  3 drivers/iommu/sprd-iommu.c again: fixes the semicolon ('broken'), or adds a
    set-but-unused variable, a W=1 warning ('warn'), or only a comment.
Then git format-patch and series.json (generator/seriesfile.py, without the
parts only a generator run has: inventory, spatch, b4).
"""

import argparse
import os
import pathlib
import subprocess
import sys

from generator import seriesfile

AUTHOR = ('Check Scratch', 'check-scratch@example.org')


def _git(tree, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME=AUTHOR[0], GIT_AUTHOR_EMAIL=AUTHOR[1],
               GIT_COMMITTER_NAME=AUTHOR[0], GIT_COMMITTER_EMAIL=AUTHOR[1])
    return subprocess.run(['git', '-C', str(tree), *args], check=True, text=True,
                          capture_output=True, env=env).stdout.strip()


def _insert(path: pathlib.Path, anchor: str, text: str, after: bool = True) -> None:
    """Insert text on its own lines after (or before) the first line holding anchor."""
    lines = path.read_text().splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if anchor in line]
    if not hits:
        raise SystemExit(f'{path}: anchor {anchor!r} not found')
    at = hits[0] + (1 if after else 0)
    lines[at:at] = [t + '\n' for t in text.split('\n')]
    path.write_text(''.join(lines))


def _replace(path: pathlib.Path, old: str, new: str) -> None:
    text = path.read_text()
    if text.count(old) != 1:
        raise SystemExit(f'{path}: {old!r} found {text.count(old)} times, want 1')
    path.write_text(text.replace(old, new))


STUB_HELPER = '''\
static inline bool iommu_domain_has_iova_to_phys(struct iommu_domain *domain)
{
	return false;
}'''

API_HELPER = '''\
/* Whether iommu_iova_to_phys() can translate in this domain at all. */
static inline bool iommu_domain_has_iova_to_phys(struct iommu_domain *domain)
{
	return domain->ops && domain->ops->iova_to_phys;
}'''


def make(kernel: pathlib.Path, work: pathlib.Path, out: pathlib.Path, branch: str,
         variant: str = 'clean', token: str = '') -> seriesfile.Summary:
    """The series; a token puts a unique string into the code of commit 2 (cache misses)."""
    base = _git(kernel, 'rev-parse', 'HEAD')
    _git(kernel, 'worktree', 'add', '-q', '-B', branch, str(work), base)
    results = []

    def commit(step_id, subject, body, files):
        _git(work, 'add', '-f', '--', *files)    # Debian's .gitignore lists include/
        msg = f'{subject}\n\n{body}\n\nSigned-off-by: {AUTHOR[0]} <{AUTHOR[1]}>\n'
        _git(work, 'commit', '-q', '--no-verify', '-m', msg)
        results.append(seriesfile.Step(step_id, subject, status='applied', files=files,
                                       commit=_git(work, 'rev-parse', 'HEAD')))

    header = work / 'include/linux/iommu.h'
    _insert(header, 'extern phys_addr_t iommu_iova_to_phys(', API_HELPER)
    _insert(header, 'static inline phys_addr_t iommu_iova_to_phys(', STUB_HELPER, after=False)
    commit('core-helper', 'iommu: add iommu_domain_has_iova_to_phys()',
           'Scratch commit for ci.check: a header change.', ['include/linux/iommu.h'])

    sprd = work / 'drivers/iommu/sprd-iommu.c'
    msm = work / 'drivers/iommu/msm_iommu.c'
    semicolon = '' if variant == 'broken' else ';'
    unique = f'\tBUILD_BUG_ON(sizeof("{token}") == 0);\n' if token else ''
    _replace(sprd, '\tif (WARN_ON(iova < start || iova > end))\n\t\treturn 0;\n',
             unique + '\t/* Outside the aperture nothing is mapped. */\n'
             '\tif (WARN_ON(iova < start || iova > end))\n'
             f'\t\treturn 0{semicolon}\n')
    _replace(msm, '\tpriv = to_msm_priv(domain);\n\tiommu = list_first_entry(&priv->list_attached,',
             '\t/* The V2P registers give the page, not its size. */\n'
             '\tpriv = to_msm_priv(domain);\t/* one context bank */\n'
             '\tiommu = list_first_entry(&priv->list_attached,')
    commit('drivers-comment', 'iommu: comment the sprd and msm translations',
           'Scratch commit for ci.check: two drivers.',
           ['drivers/iommu/msm_iommu.c', 'drivers/iommu/sprd-iommu.c'])

    if variant == 'broken':
        _replace(sprd, '\t\treturn 0\n', '\t\treturn 0;\n')
        what = 'put back the semicolon'
    elif variant == 'warn':
        _replace(sprd, '\tphys_addr_t pa;\n', '\tphys_addr_t pa;\n\tunsigned long unused_pages;\n')
        _replace(sprd, '\tspin_lock_irqsave(&dom->pgtlock, flags);\n\tpa =',
                 '\tunused_pages = 0;\n\tspin_lock_irqsave(&dom->pgtlock, flags);\n\tpa =')
        what = 'add a set but unused variable'
    else:
        _insert(sprd, 'static phys_addr_t sprd_iommu_iova_to_phys(', '/* One level of 4K pages. */',
                after=False)
        what = 'comment the page table'
    commit('sprd-fix', f'iommu/sprd: {what}', 'Scratch commit for ci.check.',
           ['drivers/iommu/sprd-iommu.c'])

    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob('v1-*.patch'):
        old.unlink()
    names = _git(work, 'format-patch', '--cover-letter', f'--base={base}', '-v1', '--thread',
                 '-o', str(out), f'{base}..HEAD').splitlines()
    for result, name in zip(results, names[1:]):
        result.patch = pathlib.Path(name).name
    results.append(seriesfile.Step('later', 'not done yet'))
    summary = seriesfile.Summary(series='scratch', version=1,
                                 kernel=seriesfile.Kernel(tree=str(kernel), base_commit=base),
                                 branch=branch, worktree=str(work), out=str(out), steps=results)
    seriesfile.store(out, summary)
    return summary


def remove(kernel: pathlib.Path, work: pathlib.Path, branch: str) -> None:
    subprocess.run(['git', '-C', str(kernel), 'worktree', 'remove', '--force', str(work)],
                   capture_output=True)
    subprocess.run(['git', '-C', str(kernel), 'branch', '-D', branch], capture_output=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog='python3 -m ci.check.scratch', description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--kernel', type=pathlib.Path, required=True)
    ap.add_argument('--work', type=pathlib.Path, required=True)
    ap.add_argument('--out', type=pathlib.Path, required=True)
    ap.add_argument('--branch', default='scratch/check-series')
    ap.add_argument('--variant', choices=('clean', 'broken', 'warn'), default='clean')
    ap.add_argument('--token', default='', help='unique string compiled into commit 2')
    args = ap.parse_args(argv)
    summary = make(args.kernel, args.work, args.out, args.branch, args.variant, args.token)
    print(f'{len(summary.steps) - 1} commits on {args.branch} in {args.work}; '
          f'series.json in {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
