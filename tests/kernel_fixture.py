"""A tiny kernel-shaped git tree the tests write themselves.

Project-written C only: just enough of the shapes the generator looks for
(an ops struct, an initialiser, a call through the op, a wrapper caller, an
initialiser inside a macro) to exercise inventory, steps and the series.
"""

import os
import pathlib
import subprocess

MAKEFILE = 'VERSION = 9\nPATCHLEVEL = 1\nSUBLEVEL = 0\nEXTRAVERSION = -fixture\n'

IOMMU_H = '''\
#ifndef FIXTURE_IOMMU_H
#define FIXTURE_IOMMU_H
typedef unsigned long long phys_addr_t;
typedef unsigned long long dma_addr_t;
struct iommu_domain;

/**
 * struct iommu_domain_ops - what a domain can do
 * @iova_to_phys: translate iova to physical address
 */
struct iommu_domain_ops {
	phys_addr_t (*iova_to_phys)(struct iommu_domain *domain,
				    dma_addr_t iova);
};

struct iommu_domain {
	const struct iommu_domain_ops *ops;
};

extern phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova);
#endif
'''

IOMMU_C = '''\
#include <linux/iommu.h>

phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
{
	return domain->ops->iova_to_phys(domain, iova);
}
EXPORT_SYMBOL_GPL(iommu_iova_to_phys);
'''

TOY_C = '''\
#include <linux/iommu.h>

static phys_addr_t toy_iova_to_phys(struct iommu_domain *domain,
				    dma_addr_t iova)
{
	if (iova >= 0x1000)
		return 0;
	return iova + 0x80000000ULL;
}

static const struct iommu_domain_ops toy_ops = {
	.iova_to_phys = toy_iova_to_phys,
};
'''

LITERAL_C = '''\
#include <linux/iommu.h>

static phys_addr_t lit_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
{
	return iova;
}

struct lit_ops {
	const struct iommu_domain_ops *default_domain_ops;
};

static const struct lit_ops lit = {
	.default_domain_ops = &(const struct iommu_domain_ops) {
		.iova_to_phys = lit_iova_to_phys,
	},
};
'''

MACRO_C = '''\
#include <linux/iommu.h>

static phys_addr_t mac_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
{
	return iova;
}

#define MAC_COMMON_OPS() \\
	.iova_to_phys = mac_iova_to_phys

static const struct iommu_domain_ops mac_ops = {
	MAC_COMMON_OPS(),
};
'''

USER_C = '''\
#include <linux/iommu.h>

/* A caller that only needs the physical address. */
int user_lookup(struct iommu_domain *domain, dma_addr_t iova)
{
	return iommu_iova_to_phys(domain, iova) != 0;
}

/* A private look-alike: not an iommu op. */
static phys_addr_t private_iova_to_phys(void *mmu, dma_addr_t iova)
{
	return iova;
}
'''

FILES = {
    'Makefile': MAKEFILE,
    'include/linux/iommu.h': IOMMU_H,
    'drivers/iommu/iommu.c': IOMMU_C,
    'drivers/iommu/toy.c': TOY_C,
    'drivers/iommu/lit.c': LITERAL_C,
    'drivers/iommu/mac.c': MACRO_C,
    'drivers/misc/user.c': USER_C,
}

# A tiny scripts/get_maintainer.pl, project-written: the M:/R: lines (--nol) or
# the L: lines (--nom) of the MAINTAINERS entries whose F: is a prefix of a
# file the patch touches, each once, in file order.  Enough for the To/Cc
# code, which runs the kernel's script the same way.
GET_MAINTAINER_PL = r'''#!/usr/bin/perl
use strict;
use warnings;

my ($nom, $patch) = (0, undef);
for (@ARGV) {
	if ($_ eq '--nom') { $nom = 1 } elsif (!/^--/) { $patch = $_ }
}
open(my $p, '<', $patch) or die "$patch: $!\n";
my @files;
while (<$p>) { push @files, $1 if m{^\+\+\+ b/(\S+)} || m{^--- a/(\S+)} }
close $p;
open(my $m, '<', 'MAINTAINERS') or die "MAINTAINERS: $!\n";
local $/ = '';
my (%seen, @out);
while (my $entry = <$m>) {
	my @patterns = $entry =~ /^F:\s*(\S+)/mg;
	next unless grep { my $f = $_; grep { index($f, $_) == 0 } @patterns } @files;
	my @who = $nom ? ($entry =~ /^L:\s*(.+?)\s*$/mg) : ($entry =~ /^[MR]:\s*(.+?)\s*$/mg);
	for (@who) { push @out, $_ unless $seen{$_}++ }
}
print "$_\n" for @out;
'''

MAINTAINERS = """\
IOMMU SUBSYSTEM
M:	Io Maint <io-maint@example.org>
R:	Io Rev <io-rev@example.org>
L:	iommu@lists.example.org
F:	drivers/iommu/
F:	include/linux/iommu.h

MISC USER
M:	Misc Maint <misc@example.org>
L:	misc@lists.example.org
F:	drivers/misc/
"""

MAINTAINER_FILES = {'scripts/get_maintainer.pl': GET_MAINTAINER_PL, 'MAINTAINERS': MAINTAINERS}

ENV = dict(os.environ, GIT_AUTHOR_NAME='Fixture', GIT_AUTHOR_EMAIL='fixture@example.org',
           GIT_COMMITTER_NAME='Fixture', GIT_COMMITTER_EMAIL='fixture@example.org')


def git(tree: pathlib.Path, *args: str) -> str:
    return subprocess.run(['git', '-C', str(tree), *args], check=True, capture_output=True,
                          text=True, env=ENV).stdout.strip()


def write_tree(root: pathlib.Path, files: dict[str, str] | None = None,
               commit: bool = True) -> pathlib.Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in (files or FILES).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    if commit:
        git(root, 'init', '-q', '-b', 'main')
        git(root, 'config', 'user.name', 'Fixture Dev')
        git(root, 'config', 'user.email', 'dev@example.org')
        git(root, 'add', '-A')
        git(root, 'commit', '-q', '-m', 'base')
    return root
