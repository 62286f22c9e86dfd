"""ci/check/recipients.py: To/Cc headers written into format-patch files."""

from ci.check import recipients
from debian_trees import debian_tree

PATCH = '''\
From 1234 Mon Sep 17 00:00:00 2001
Message-Id: <1234.git.a@b.org>
From: A B <a@b.org>
Date: Fri, 27 Nov 2026 15:24:49 +0000
Subject: [PATCH v1 2/3] iommu: a subject long enough
 to be folded

Body line.
Cc: not a header, this is the body

Signed-off-by: A B <a@b.org>
---
'''


def test_set_recipients_writes_folded_headers_after_subject():
    out = recipients.set_recipients(PATCH, ['M One <m1@x.org>', 'M Two <m2@x.org>'],
                                    ['list@x.org'])
    head, body = out.split('\n\n', 1)
    assert head.splitlines()[-4:] == [' to be folded', 'To: M One <m1@x.org>,',
                                      ' M Two <m2@x.org>', 'Cc: list@x.org']
    assert body == PATCH.split('\n\n', 1)[1]


def test_set_recipients_is_idempotent_and_replaces_old_lists():
    once = recipients.set_recipients(PATCH, ['a@x.org', 'b@x.org', 'c@x.org'], ['l@x.org'])
    assert recipients.set_recipients(once, ['a@x.org', 'b@x.org', 'c@x.org'], ['l@x.org']) == once
    changed = recipients.set_recipients(once, ['z@x.org'], [])
    assert 'b@x.org' not in changed.split('\n\n')[0]
    assert 'To: z@x.org\n' in changed and '\nCc:' not in changed.split('\n\n')[0]
    assert recipients.set_recipients(changed, [], []) == PATCH


def test_union_keeps_first_order():
    assert recipients.union([['a', 'b'], ['b', 'c'], []]) == ['a', 'b', 'c']


def _tree():
    return debian_tree('7.2', needs='scripts/get_maintainer.pl')


def test_get_maintainer_on_a_real_patch_splits_like_b4(tmp_path):
    patch = tmp_path / 'p.patch'
    patch.write_text(PATCH + ' drivers/iommu/sprd-iommu.c | 1 +\n\n'
                     'diff --git a/drivers/iommu/sprd-iommu.c b/drivers/iommu/sprd-iommu.c\n'
                     '--- a/drivers/iommu/sprd-iommu.c\n+++ b/drivers/iommu/sprd-iommu.c\n'
                     '@@ -1,1 +1,2 @@\n+/* x */\n // SPDX-License-Identifier: GPL-2.0-only\n')
    to, cc = recipients.get_maintainer(_tree(), patch)
    assert any('iommu@lists.linux.dev' in a for a in cc)
    assert not any('@lists.' in a or '@vger.' in a for a in to)
    assert to and not set(to) & set(cc)


def test_get_maintainer_order_is_the_same_every_run(tmp_path):
    # msm_iommu.c has two lists of equal rank, which perl would order at random
    patch = tmp_path / 'p.patch'
    patch.write_text(PATCH + '\ndiff --git a/drivers/iommu/msm_iommu.c b/drivers/iommu/msm_iommu.c\n'
                     '--- a/drivers/iommu/msm_iommu.c\n+++ b/drivers/iommu/msm_iommu.c\n'
                     '@@ -1,1 +1,2 @@\n+/* x */\n // SPDX-License-Identifier: GPL-2.0-only\n')
    runs = [recipients.get_maintainer(_tree(), patch) for _ in range(4)]
    assert all(r == runs[0] for r in runs)
    assert len(runs[0][1]) >= 2
