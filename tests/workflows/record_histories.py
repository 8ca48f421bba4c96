"""Record the histories the replay test checks: `python -m tests.workflows.record_histories`.

Run it only when a workflow change is *meant* to be incompatible (and then version the
change with `workflow.patched` instead, if cycles are open in production). The scenario
covers a whole cycle (with a runoff, an objection, a strike) and an honor's life through
revocation, so the histories exercise every handler and timer kind.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from sim.runner import Finished, run_scenario
from sim.scenario import parse_scenario

HERE = Path(__file__).parent
SCENARIO = HERE / "histories" / "replay-scenario.yaml"
WORKFLOW_IDS = ("cycle-2025", "honor-91331126MA00005021-quality-2025")


async def _dump(run: Finished) -> None:
    for workflow_id in WORKFLOW_IDS:
        history = await run.client.get_workflow_handle(workflow_id).fetch_history()
        path = HERE / "histories" / f"{workflow_id}.json"
        path.write_text(json.dumps(json.loads(history.to_json()), indent=1) + "\n")
        print(f"wrote {path} ({len(history.events)} events)")


def main() -> None:
    scenario = parse_scenario(SCENARIO.read_text(encoding="utf-8"))
    asyncio.run(run_scenario(scenario, progress=False, inspect=_dump))


if __name__ == "__main__":
    main()
