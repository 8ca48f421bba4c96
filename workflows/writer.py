"""The cycle's one way to the database: `ProjectionWriter` (STYLE.md 22).

Handlers change the cycle's state and hand the writer what changed (`queue`, which answers
the number of the write that will carry it). A task of the workflow writes what is queued —
projection, notices, verification tasks and new honors — while the next commands are
handled, in `project-cycle` activities of bounded size (`Effects.split`: a phase change at
5,000 applications is many pieces, none near Temporal's payload limits). Writes never
overlap, and each write carries the next revision (all its pieces the same one): the
database keeps a piece unless it holds a newer revision. A piece of the same revision is
applied again: the writes are local activities, and one whose workflow task failed runs
again in the retried task with what that task queued — the same changes and perhaps more.

The policy, in one place:

- **eager** (every cycle the API opens): a write starts as soon as something is queued and
  no write is in flight; whatever is queued meanwhile shares the next write. A command
  returns once the write that carries its change is done (`wait_written`), so the caller
  reads its own writes.
- **deferred** (`CycleInput.defer_writes`, the simulator, which reads the database only
  when the cycle is idle): queued changes wait for `flush` — the `sync` update, the end of
  a run — or until `DEFERRED_WRITE_LIMIT` of them are queued (one write stays bounded).
  New honors are written at once, and their command returns once they are: the register
  is how the service and the simulator find an honor's workflow, started after the write.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from temporalio import workflow

from contracts.cycle import CycleState
from contracts.records import CycleProjection
from workflows.effects import Effects

DEFERRED_WRITE_LIMIT = 200
"""A deferred queue this long is written anyway."""
VOTE_PIECES = "vote-pieces"
"""`workflow.patched` id: a write carries each new vote in a piece of its own, and only the
new votes (before, every piece carried every vote: 462 KB at 5,000 candidates)."""

Write = Callable[[CycleProjection], Awaitable[None]]


class ProjectionWriter:
    def __init__(
        self,
        build: Callable[[Effects, int], CycleProjection],
        write: Write,
        state: CycleState,
        *,
        deferred: bool,
        stuck: Callable[[], bool],
    ) -> None:
        """`build`: the projection of what is queued, at a revision; `write`: the activity
        call; `stuck`: a write keeps failing and waits for the office (commands stop
        waiting for it then)."""
        self._build = build
        self._write = write
        self._state = state
        self._deferred = deferred
        self._stuck = stuck
        self._queued: Effects | None = None
        self._flush_to = 0
        self._sent = 0
        """Writes of this run started (each may be several pieces, one revision each)."""
        self._written = 0
        self._in_flight = False

    def queue(self, effects: Effects) -> int:
        """Queue `effects` for the database; the number of the write that will carry them."""
        if self._queued is None:
            self._queued = Effects()
        self._queued.merge(effects)
        return self._sent + 1

    def _due(self) -> bool:
        if self._queued is None or self._in_flight:
            return False
        return (
            not self._deferred
            or self._flush_to > self._sent
            or bool(self._queued.grants)
            or self._queued.size() >= DEFERRED_WRITE_LIMIT
        )

    async def run(self) -> None:
        """The writing task, for the whole run of the workflow."""
        while True:
            await workflow.wait_condition(self._due)
            effects, self._queued = self._queued, None
            assert effects is not None
            self._sent += 1
            self._state.revision += 1
            self._in_flight = True
            try:
                apart = bool(effects.votes) and workflow.patched(VOTE_PIECES)
                for part in effects.split(votes_apart=apart):
                    await self._write(self._build(part, self._state.revision))
            finally:
                self._in_flight = False
            self._written = self._sent

    async def wait_written(self, write: int, *, always: bool = False) -> None:
        """Return once write number `write` is in the database; at once for deferred writes,
        unless `always` (a command that creates honors returns once their workflows exist)."""
        if always or not self._deferred:
            await workflow.wait_condition(lambda: self._written >= write or self._stuck())

    async def flush(self, *, until_written: bool = False) -> None:
        """Write everything queued so far, deferred or not; return once it is written, or
        when a write is stuck (unless `until_written`: the run cannot end before)."""
        target = self._sent + (1 if self._queued is not None else 0)
        self._flush_to = max(self._flush_to, target)
        await workflow.wait_condition(
            lambda: self._written >= target or (not until_written and self._stuck())
        )

    def settled(self) -> bool:
        """No write in flight or due (what is queued may wait for `flush`)."""
        return not self._in_flight and not self._due()

    def unwritten(self) -> bool:
        return self._queued is not None or self._in_flight
