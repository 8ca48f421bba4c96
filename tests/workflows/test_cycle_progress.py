"""`Holdouts` answers as a scan of every application would, in linear time over a stage."""

from __future__ import annotations

from datetime import datetime

from contracts.cycle import ApplicationState, CycleState, StageState
from domain.dates import SHANGHAI
from domain.types import Award
from workflows.cycle_progress import Holdouts

NOW = datetime(2025, 6, 1, 9, tzinfo=SHANGHAI)


def _state(n: int) -> CycleState:
    apps = [
        ApplicationState(
            credit_code=f"C{i:05d}",
            organization_id=i,
            name=f"组织{i}",
            award=Award.QUALITY,
            industry="services",
            submitted_at=NOW,
            site=StageState(members=["R1"]),
        )
        for i in range(n)
    ]
    return CycleState(opened_at=NOW, applications={a.credit_code: a for a in apps})


class Counted:
    """The stage's rule (site report not confirmed), counting how often it is asked."""

    def __init__(self) -> None:
        self.asked = 0

    def __call__(self, app: ApplicationState) -> bool:
        self.asked += 1
        return not app.site.closed


def scan(state: CycleState) -> bool:
    return any(not a.site.closed for a in state.applications.values())


def test_closing_every_application_in_turn_asks_linearly_often() -> None:
    n = 3_000
    state = _state(n)
    rule = Counted()
    holdouts = Holdouts(rule)
    for app in state.applications.values():
        assert holdouts.any(state)
        app.site.closed = True
    assert not holdouts.any(state)
    # A scan after each would ask n²/2 times (4.5 million here).
    assert rule.asked <= 4 * n


def test_an_application_that_holds_back_again_is_found() -> None:
    state = _state(5)
    holdouts = Holdouts(Counted())
    apps = list(state.applications.values())
    for app in apps[:3]:
        app.site.closed = True
    assert holdouts.any(state) == scan(state)
    # The first one is pruned, then opens again while others still hold back …
    apps[0].site.closed = False
    for app in apps[3:]:
        app.site.closed = True
    assert holdouts.any(state) is True
    # … and is what holds the stage back once the others are done.
    apps[0].site.closed = True
    assert holdouts.any(state) is False
    apps[1].site.closed = False
    assert holdouts.any(state) is True


def test_an_application_gone_from_the_state_no_longer_holds_back() -> None:
    state = _state(2)
    holdouts = Holdouts(Counted())
    assert holdouts.any(state)
    first, second = list(state.applications)
    del state.applications[first]
    state.applications[second].site.closed = True
    assert holdouts.any(state) is False
