"""Record the histories the replay test checks: `python -m tests.workflows.record_histories`.

Run it only when a workflow change is *meant* to be incompatible (and then version the
change with `workflow.patched` instead, if cycles are open in production). After a change
guarded by `workflow.patched`, record the changed workflow's history beside the old ones:
`python -m tests.workflows.record_histories --suffix PATCH cycle-2025` writes
`cycle-2025-PATCH.json` and leaves the others as they are. The scenario
covers a whole cycle (with a runoff, an objection, a strike) and an honor's life through
revocation, so the histories exercise every handler and timer kind.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Sequence
from pathlib import Path

from temporalio.client import Client

from sim.runner import Finished, run_scenario
from sim.scenario import parse_scenario

HERE = Path(__file__).parent
SCENARIO = HERE / "histories" / "replay-scenario.yaml"
WORKFLOW_IDS = ("cycle-2025", "honor-91331126MA00005021-quality-2025")


async def _dump(client: Client, workflow_ids: Sequence[str], suffix: str) -> None:
    for workflow_id in workflow_ids:
        history = await client.get_workflow_handle(workflow_id).fetch_history()
        name = f"{workflow_id}-{suffix}" if suffix else workflow_id
        path = HERE / "histories" / f"{name}.json"
        path.write_text(json.dumps(json.loads(history.to_json()), indent=1) + "\n")
        print(f"wrote {path} ({len(history.events)} events)")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.workflows.record_histories")
    parser.add_argument("--suffix", default="", help="name the files WORKFLOW_ID-SUFFIX.json")
    parser.add_argument("workflow_ids", nargs="*", default=list(WORKFLOW_IDS))
    args = parser.parse_args(argv)
    scenario = parse_scenario(SCENARIO.read_text(encoding="utf-8"))

    async def dump(run: Finished) -> None:
        await _dump(run.client, args.workflow_ids, args.suffix)

    asyncio.run(run_scenario(scenario, progress=False, inspect=dump))


if __name__ == "__main__":
    main()
