"""`qaward simulate SCENARIO.yaml`: JSON outcome on stdout, progress on stderr.

Exit status: 0 the run completed (refused actions are listed, not fatal); 2 the scenario
file is invalid (the message names the entry and line); 1 anything else.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from sim.runner import run_scenario
from sim.scenario import ScenarioError, parse_scenario


def simulate_command(path: str, timeline: str | None = None) -> int:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        print(f"错误：无法读取情景文件 {path} / error: cannot read {path}: {err}", file=sys.stderr)
        return 2
    try:
        scenario = parse_scenario(text)
        where = Path(timeline) if timeline else None
        outcome = asyncio.run(run_scenario(scenario, timeline=where))
    except ScenarioError as err:
        print(f"错误：{path}：{err}", file=sys.stderr)
        return 2
    except Exception as err:  # exit 1 with one line, not a traceback wall
        print(f"错误：模拟运行失败 / error: simulation failed: {err!r}", file=sys.stderr)
        return 1
    json.dump(outcome.to_json(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
