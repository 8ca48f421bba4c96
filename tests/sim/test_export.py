"""A cycle exported as a scenario replays to the same outcome (issue #18 item 3).

Each scenario of the suite runs; each of its cycles is exported from the run's own
workflows and database as it stands at the end; the exported file is simulated again, and
that cycle's outcome (phase, publicity, every application's outcome and scores, winners)
and its honors must be the same. Organizations are keyed by credit code in the export, by
label in the suite, so the comparison maps one to the other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from db.repositories import cycles
from services.scenario_export import export_cycle
from sim.runner import Finished, run_scenario
from sim.scenario import parse_scenario

pytestmark = pytest.mark.sqlite_only

SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.yaml"))


def _by_code(outcome: dict[str, Any], codes: dict[str, str], year: int) -> dict[str, Any]:
    """The cycle of `year` and its honors, with organization labels turned into codes."""
    cycle = next(c for c in outcome["cycles"] if c["year"] == year)
    apps = sorted(
        ({**a, "organization": codes.get(a["organization"], a["organization"])}
         for a in cycle["applications"]),
        key=lambda a: (a["organization"], a["award"]),
    )  # fmt: skip
    winners = {aw: [codes.get(k, k) for k in ks] for aw, ks in (cycle.get("winners") or {}).items()}
    honors = sorted(
        ({**h, "organization": codes.get(h["organization"], h["organization"])}
         for h in outcome["honors"] if h["year"] == year)
        ,
        key=lambda h: (h["organization"], h["award"]),
    )  # fmt: skip
    return {**cycle, "applications": apps, "winners": winners, "honors": honors}


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
async def test_each_cycle_exported_replays_to_its_outcome(path: Path) -> None:
    scenario = parse_scenario(path.read_text(encoding="utf-8"))
    exported: dict[int, str] = {}

    async def export(run: Finished) -> None:
        async with run.sessions() as session:
            for cycle in await session.run_sync(cycles.cycles):
                exported[cycle.year] = await export_cycle(run.client, session, cycle, run.now)

    original = (await run_scenario(scenario, progress=False, inspect=export)).to_json()
    codes = {key: org.credit_code for key, org in scenario.organizations.items()}
    assert exported or not original["cycles"]
    for year, text in exported.items():
        assert "open_cycle" in [a["do"] for a in yaml.safe_load(text)["timeline"]]
        again = (await run_scenario(parse_scenario(text), progress=False)).to_json()
        assert _by_code(again, {}, year) == _by_code(original, codes, year), text
