"""The scenario files under tests/sim/scenarios/ are the suite's scenarios, as generated.

They exist so that anyone can rerun a scenario by hand (`qaward simulate FILE`); the
builders in the test modules are the source. Regenerate with
`python -m tests.sim.builders`.
"""

from __future__ import annotations

import pytest

from sim.scenario import parse_scenario
from tests.sim.builders import SCENARIO_DIR, Sim, all_sims

SIMS = all_sims()


def test_scenario_names_are_unique() -> None:
    names = [sim.name for sim in SIMS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("sim", [pytest.param(sim, id=sim.name) for sim in SIMS])
def test_scenario_file_is_current(sim: Sim) -> None:
    path = SCENARIO_DIR / f"{sim.name}.yaml"
    assert path.read_text(encoding="utf-8") == sim.yaml(), "run: python -m tests.sim.builders"


@pytest.mark.parametrize("sim", [pytest.param(sim, id=sim.name) for sim in SIMS])
def test_scenario_parses(sim: Sim) -> None:
    scenario = parse_scenario(sim.yaml())
    assert len(scenario.actions) == len(sim.timeline)
