"""generator/trailers.py: tags in commit messages, their order, and the subject matching."""

import pytest

from generator import trailers
from generator.errors import Failure

SOB = 'Signed-off-by: A Uthor <a@example.org>'


def test_apply_puts_tags_above_the_sign_off_in_the_kernel_order_once():
    message = f'iommu: x\n\nBody.\n\nFixes: 123456789abc ("y")\nReviewed-by: R <r@x.org>\n{SOB}\n'
    tags = [trailers.parse_line(s) for s in (
        'Cc: C <c@x.org>', 'Acked-by: A <ack@x.org>', 'reviewed-by: R Again <R@X.org>',
        'Tested-by: T <t@x.org>', 'Reported-by: P <p@x.org>')]
    assert trailers.apply(message, tags, 'A Uthor <a@example.org>') == (
        'iommu: x\n\nBody.\n\nFixes: 123456789abc ("y")\nReported-by: P <p@x.org>\n'
        'Tested-by: T <t@x.org>\nReviewed-by: R <r@x.org>\nAcked-by: A <ack@x.org>\n'
        f'Cc: C <c@x.org>\n{SOB}\n')


def test_apply_without_the_author_sign_off_fails():
    with pytest.raises(Failure, match='no "Signed-off-by: B <b@x.org>"'):
        trailers.apply(f'x\n\nbody\n\n{SOB}\n', [], 'B <b@x.org>')


def test_only_known_tags_with_an_address_are_tags():
    assert trailers.parse_line('Reviewed-by: nobody') is None
    assert trailers.parse_line('Signed-off-by: S <s@x.org>') is None
    assert str(trailers.parse_line('ACKED-BY: A <a@x.org>')) == 'Acked-by: A <a@x.org>'
    assert trailers.in_message(f'x\n\nReviewed-by: in the body <r@x.org>\n\nmore\n\n{SOB}') == []


@pytest.mark.parametrize('subject, expected', [
    ('[PATCH v2 03/12] iommu/amd: do it', ('iommu/amd: do it', 3, False)),
    ('Re: [PATCH v2 3/12] iommu/amd: do it', ('iommu/amd: do it', 3, True)),
    ('RE: Re: [RFC PATCH 0/2] the  series', ('the series', 0, True)),
    ('[PATCH] one', ('one', 1, False)),
])
def test_clean_subject(subject, expected):
    assert trailers.clean_subject(subject) == expected
