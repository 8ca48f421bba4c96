"""What a decision asks of the workflow shell besides the state change it made.

A transition (`workflows.cycle_transitions`) changes the cycle's state and returns
`Effects`: which rows the database must learn (for the projection writer) and which honor
workflows to start. Plain data, no Temporal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contracts.honor import HonorGrant
from contracts.notices import NoticeDraft
from contracts.records import ScoreItems


@dataclass
class Effects:
    everything: bool = False
    """Every application changed (a phase ending, cancellation)."""
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

    def touch(self, *codes: str, panels: bool = False) -> Effects:
        self.codes.extend(c for c in codes if c not in self.codes)
        if panels:
            self.panel_codes.extend(c for c in codes if c not in self.panel_codes)
        return self

    def merge(self, other: Effects) -> Effects:
        self.everything = self.everything or other.everything
        self.touch(*other.codes)
        self.panel_codes.extend(c for c in other.panel_codes if c not in self.panel_codes)
        self.score_items.extend(other.score_items)
        self.notices.extend(other.notices)
        self.verification.extend(other.verification)
        self.grants.extend(other.grants)
        return self

    def size(self) -> int:
        """How much a write of these effects carries (bounds a deferred queue)."""
        return (
            len(self.codes)
            + len(self.score_items)
            + len(self.notices)
            + len(self.verification)
            + len(self.grants)
        )
