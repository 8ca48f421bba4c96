"""Whether a stage still waits for some application, without a scan of every application
after every command.

Document review is complete once every panel has all its scores (§4(2)), the committee
starts once every shortlisted application's site report is confirmed (§4(3)): the cycle
asks after each score and each confirmation. Asked by a scan over all applications, that
is O(n) per command and O(n²) per stage (at 5,000 applications, 75 million panel checks in
document review alone).

`Holdouts` remembers the applications that held the stage back when it last looked, in
order, and checks them first: one that still holds it back answers at once, one that no
longer does is dropped for good. Only when none is left does it scan every application
again (which also finds any that started to hold back meanwhile, e.g. a panel that lost a
member). Its answer is therefore always the scan's, and the memory is a cache of the
transitions, not state: a new run (continue-as-new) starts with an empty one. Plain code:
no Temporal, no I/O.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from contracts.cycle import ApplicationState, CycleState


class Holdouts:
    def __init__(self, holds_back: Callable[[ApplicationState], bool]) -> None:
        self._holds_back = holds_back
        self._known: deque[str] = deque()

    def any(self, state: CycleState) -> bool:
        """Whether some application of `state` still holds the stage back."""
        while self._known:
            app = state.applications.get(self._known[0])
            if app is not None and self._holds_back(app):
                return True
            self._known.popleft()
        self._known.extend(c for c, a in state.applications.items() if self._holds_back(a))
        return bool(self._known)
