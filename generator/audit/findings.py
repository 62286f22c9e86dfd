"""What the audit finds: kinds, findings, notes, and one audit's result."""

import dataclasses
import enum


class Kind(enum.IntEnum):
    """Kinds of finding; the numbers are the rule's and the output's."""
    MEMBER = 0          # the op member, or its kernel-doc, still declared
    INITIALISER = 1     # .iova_to_phys initialisers and assignments
    CALL = 2            # calls through the op, or other reads of it
    LOOP = 3            # fixed-stride loops over iommu_iova_to_phys()
    ZERO_RETURN = 4     # iova_to_phys_length returning 0 on an error path

    @property
    def title(self) -> str:
        return _TITLES[self]

    @property
    def fails(self) -> bool:
        """Whether the kind fails the audit: all but the low-confidence
        loops, which keep the still-correct wrapper."""
        return self is not Kind.LOOP


_TITLES = {
    Kind.MEMBER: 'op member still declared',
    Kind.INITIALISER: 'op initialised or assigned',
    Kind.CALL: 'call or read through the op',
    Kind.LOOP: 'fixed-stride loop over iommu_iova_to_phys() (low confidence)',
    Kind.ZERO_RETURN: '0 returned on an error path of an iova_to_phys_length function',
}


@dataclasses.dataclass(frozen=True, order=True)
class Finding:
    file: str
    line: int
    kind: Kind
    function: str    # enclosing function, initialised variable, or macro
    method: str      # spatch | tokens | spatch+tokens
    reason: str


@dataclasses.dataclass(frozen=True, order=True)
class Note:
    """A use of the op token that no finding explains: check it by hand."""
    file: str
    line: int
    text: str


@dataclasses.dataclass
class Audit:
    findings: list[Finding]
    notes: list[Note]
    files: list[str]
    warnings: list[str]
    seconds: float

    def count(self, kind: Kind) -> int:
        return sum(1 for f in self.findings if f.kind == kind)

    def failed(self) -> bool:
        return any(f.kind.fails for f in self.findings)


def merge(from_spatch: list[Finding], from_tokens: list[Finding]) -> list[Finding]:
    """One finding per (file, line, kind); both methods give spatch+tokens."""
    merged: dict[tuple[str, int, int], Finding] = {}
    for f in from_spatch:
        merged.setdefault((f.file, f.line, f.kind), f)
    for f in from_tokens:
        key = (f.file, f.line, f.kind)
        if key not in merged:
            merged[key] = f
        elif merged[key].method == 'spatch':
            merged[key] = dataclasses.replace(merged[key], method='spatch+tokens')
    return sorted(merged.values())
