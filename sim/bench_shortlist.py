"""The payloads that could name every shortlisted applicant, measured at any shortlist size
without running a whole cycle (`python -m sim.bench_shortlist 5000`).

Three of the cycle's payloads were found to grow with the number of applicants the
committee considers, not with the cycle's size in general: the committee's candidate-list
notice (one notice naming every candidate, in the `project-cycle` write that publishes it),
a vote (the `record-vote` update's input and the write that records it: a tally per
candidate) and the shortlist's answer (the codes shortlisted). The notice now comes
without its names (the write renders them from the applications' rows) and the shortlist
answers the number shortlisted (the service reads the codes back from the rows); a vote
still names every candidate of its award. A real county shortlists about a dozen; `qaward
bench` shortlists everyone, and its 5,000-application run takes over ten minutes. This
builds each payload exactly as the cycle does (the same notice text, contracts and data
converter, codec included) for `candidates` shortlisted applicants split over the two
awards as the bench splits them, and gives each one's size in bytes, as `Payload.ByteSize()`
(what `sim.bench_payloads` measures in histories).
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from temporalio.converter import DataConverter

from contracts.commands import VoteCommand
from contracts.cycle import VoteRecord
from contracts.records import CycleProjection
from domain.committee import Ballot
from domain.phases import Phase
from domain.types import Award
from sim.bench_scenario import credit_code
from workflows import notice_texts

LIMIT = 262_144
"""The 256 KB target for one payload (issue #11)."""
AT = datetime(2030, 7, 1, 1, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Measured:
    kind: str
    bytes: int


def _write(**changes: Any) -> CycleProjection:
    """A `project-cycle` piece with nothing but `changes` (the cycle's own fields are small)."""
    base: dict[str, Any] = {
        "workflow_id": "cycle-2030",
        "revision": 40,
        "year": 2030,
        "application_deadline": date(2030, 4, 1),
        "committee_members": 9,
        "rules": None,
        "phase": Phase.COMMITTEE,
        "opened_at": AT,
        "publicity_opens": None,
        "publicity_closes": None,
        "awarded_on": None,
        "cancel_reason": None,
        "document_closed_early_reason": None,
        "attention": None,
        "winners": {},
        "applications": [],
        "objections": [],
        "votes": {},
    }
    return CycleProjection.model_validate(base | changes)


def payloads(candidates: int) -> list[tuple[str, object]]:
    """The payloads, as the cycle builds them, for `candidates` shortlisted applicants
    (alternating between the awards, as in the bench)."""
    codes = [credit_code("91331126MA", i + 1) for i in range(candidates)]
    awards = [Award.QUALITY if i % 2 == 0 else Award.INNOVATION for i in range(candidates)]
    # The names are not in it: `activities.records` renders them from the rows.
    notice = notice_texts.candidate_list("cycle-2030", 2030, AT)
    largest = Award.QUALITY
    ballots = {
        c: Ballot(yes=5, no=3, abstain=1)
        for c, a in zip(codes, awards, strict=True)
        if a == largest
    }
    vote = VoteCommand(award=largest, present=9, ballots=ballots)
    record = VoteRecord(round=1, present=9, ballots=ballots, at=AT)
    return [
        ("update result shortlist", len(codes)),  # the codes are read back from the rows
        ("activity input project-cycle (the candidate-list notice)", _write(notices=[notice])),
        ("update input record-vote", vote),
        ("activity input project-cycle (the vote)", _write(votes={largest.value: [record]})),
    ]


async def measure(candidates: int, converter: DataConverter) -> list[Measured]:
    """Each payload's size once encoded by `converter` (the service's: codec included)."""
    found = []
    for kind, value in payloads(candidates):
        (payload,) = await converter.encode([value])
        found.append(Measured(kind, payload.ByteSize()))
    return found


def main() -> None:  # pragma: no cover - a measuring tool, tested through `measure`
    from qaward.codec import data_converter
    from qaward.settings import get_settings

    candidates = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    found = asyncio.run(measure(candidates, data_converter(get_settings())))
    print(f"{candidates} shortlisted / 入围 {candidates}:")
    for m in found:
        mark = "" if m.bytes <= LIMIT else f"  > {LIMIT}"
        print(f"  {m.kind}: {m.bytes:,} bytes{mark}")


if __name__ == "__main__":  # pragma: no cover
    main()
