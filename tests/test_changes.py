"""generator/changes.py: range-diff pairs and what changed in each."""

from generator import changes

RANGE_DIFF = '''\
1:  1111111 = 1:  aaaaaaa iommu: same
2:  2222222 ! 2:  bbbbbbb iommu: code
    @@ drivers/iommu/a.c: static int f(void)
     +static int g(void)
     +{
    -+	return 1;
    ++	return 2;
     +}
3:  3333333 ! 3:  ccccccc iommu: context
    @@ drivers/iommu/b.c: int h(void)
     +	return 4;
     +}
    - /* old comment */
    + /* new comment */
4:  4444444 ! 4:  ddddddd iommu: message
    @@ Commit message
         Body.
    -    Old words.
    +    New words.
    +    Reviewed-by: R <r@x.org>
5:  5555555 ! 5:  eeeeeee iommu: tags
    @@ Commit message
    +    Acked-by: A <a@x.org>
         Signed-off-by: S <s@x.org>
6:  6666666 < -:  ------- iommu: gone
-:  ------- > 6:  fffffff iommu: new
'''


def test_status_of_each_pair():
    pairs = changes.parse(RANGE_DIFF)
    assert [(p.old, p.new, changes.status(p)) for p in pairs] == [
        (1, 1, 'unchanged'), (2, 2, 'code changed'), (3, 3, 'rebased only'),
        (4, 4, 'commit message changed'), (5, 5, 'unchanged'), (6, None, 'dropped'),
        (None, 6, 'new')]
    assert pairs[1].subject == 'iommu: code'
