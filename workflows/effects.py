"""What a decision asks of the workflow shell besides the state change it made.

A transition (`workflows.cycle_transitions`) changes the cycle's state and returns
`Effects`: which rows the database must learn (for the projection writer) and which honor
workflows to start. Plain data, no Temporal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from contracts.cycle import VoteRecord
from contracts.honor import HonorGrant
from contracts.notices import NoticeDraft
from contracts.records import ScoreItems

APPLICATIONS_PER_WRITE = 100
NOTICES_PER_WRITE = 200
TASKS_PER_WRITE = 1_000
"""One write's pieces stay far under Temporal's 256 KB payload advice at any cycle size: an
application with both panels is 1–2 KB, a notice under 1 KB, a verification request a code."""


@dataclass
class Effects:
    codes: list[str] = field(default_factory=list)
    """Applications whose own row changed."""
    panel_codes: list[str] = field(default_factory=list)
    """Applications whose panels or scores changed (the costly part of a write)."""
    score_items: list[ScoreItems] = field(default_factory=list)
    notices: list[NoticeDraft] = field(default_factory=list)
    verification: list[str] = field(default_factory=list)
    """Applications the departments are asked to verify (§4(1)), once."""
    grants: list[HonorGrant] = field(default_factory=list)
    """New honors: written to the register, then their workflows started (§5(1))."""
    votes: list[tuple[str, VoteRecord]] = field(default_factory=list)
    """New votes of the committee, by award (§4(4)): each is written once."""

    def touch(self, *codes: str, panels: bool = False) -> Effects:
        _extend_once(self.codes, codes)
        if panels:
            _extend_once(self.panel_codes, codes)
        return self

    def merge(self, other: Effects) -> Effects:
        _extend_once(self.codes, other.codes)
        _extend_once(self.panel_codes, other.panel_codes)
        self.score_items.extend(other.score_items)
        self.notices.extend(other.notices)
        self.verification.extend(other.verification)
        self.grants.extend(other.grants)
        self.votes.extend(other.votes)
        return self

    def size(self) -> int:
        """How much a write of these effects carries (bounds a deferred queue)."""
        return (
            len(self.codes)
            + len(self.score_items)
            + len(self.notices)
            + len(self.verification)
            + len(self.grants)
            + len(self.votes)
        )

    def split(self, *, votes_apart: bool = True) -> list[Effects]:
        """These effects as the pieces of one write, in order: the applications (each with
        its panels and score items), then the notices, then the verification tasks, then
        each new vote in a piece of its own (a vote names every candidate of its award), and
        the new honors (whose rows refer to the applications already written).

        `votes_apart=False` is how writes were cut before votes had pieces of their own (the
        votes ride in the last piece): the same pieces, for histories recorded then."""
        parts: list[Effects] = []
        for i in range(0, len(self.codes), APPLICATIONS_PER_WRITE):
            codes = self.codes[i : i + APPLICATIONS_PER_WRITE]
            chosen = set(codes)
            parts.append(
                Effects(
                    codes=codes,
                    panel_codes=[c for c in self.panel_codes if c in chosen],
                    score_items=[s for s in self.score_items if s.credit_code in chosen],
                )
            )
        for i in range(0, len(self.notices), NOTICES_PER_WRITE):
            parts.append(Effects(notices=self.notices[i : i + NOTICES_PER_WRITE]))
        for i in range(0, len(self.verification), TASKS_PER_WRITE):
            parts.append(Effects(verification=self.verification[i : i + TASKS_PER_WRITE]))
        if votes_apart:
            parts.extend(Effects(votes=[vote]) for vote in self.votes)
        if not parts:
            parts.append(Effects())  # the cycle's own row
        if not votes_apart:
            parts[-1].votes.extend(self.votes)
        parts[-1].grants.extend(self.grants)
        return parts


def _extend_once(codes: list[str], more: Iterable[str]) -> None:
    """Append the codes not yet listed, in order (linear: a phase change names thousands)."""
    seen = set(codes)
    for code in more:
        if code not in seen:
            seen.add(code)
            codes.append(code)
