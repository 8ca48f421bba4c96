"""`qaward bench`'s rehearsal time (issue #18 item 4): a rehearsal of a 100-application cycle
(base and variant) must finish in under 30 s on this machine.

The cycle is the bench's generated scenario (`sim.bench_scenario`, `REHEARSAL_SIZE`
applications or `qaward bench --rehearsal N`), the change one Quality Award place less
(`OVERRIDES`). It goes through `services.rehearsals` exactly as the console starts one —
queued, then the base run and the variant run, each on its own time-skipping server and
throwaway database, then the comparison — and the time is from the start to the result.

`python -m sim.bench_rehearsal` measures it alone (prints the table), as `make bench` does
in a process of its own (`sim.bench`).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any

from services.rehearsals import Rehearsals
from sim.bench_scenario import generate_scenario

REHEARSAL_SIZE = 100
TARGET_S = 30.0
OVERRIDES: dict[str, Any] = {"quality": {"quota": 2}}


@dataclass
class RehearsalTime:
    size: int = 0
    seconds: float = 0.0
    """From the start to the comparison: both runs and the differences."""
    base_seconds: float = 0.0
    variant_seconds: float = 0.0
    steps: int = 0
    """Actions of both runs."""
    differences: int = 0
    error: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RehearsalTime:
        return cls(**data)

    def misses(self) -> list[str]:
        if self.error:
            return [f"规则预演测时失败 / the rehearsal run failed: {self.error}"]
        if self.seconds >= TARGET_S:
            return [
                f"{self.size} 个申报的规则预演用时 {self.seconds:.1f} s ≥ {TARGET_S:g} s / "
                f"a rehearsal of {self.size} applications took {self.seconds:.1f} s"
            ]
        return []

    def render(self) -> str:
        if self.error:
            return f"### 规则预演 / Rehearsal\n\n失败 / failed: {self.error}\n"
        mark = "✓" if self.seconds < TARGET_S else "✗"
        return (
            "### 规则预演 / Rehearsal (base + variant)\n\n"
            "| 申报 / applications | 步骤 / steps | 原规则 / base s | 新规则 / variant s "
            "| 合计 / total s | 目标 / target | 不同之处 / differences |\n"
            "|---:|---:|---:|---:|---:|---|---:|\n"
            f"| {self.size} | {self.steps} | {self.base_seconds:.1f} | "
            f"{self.variant_seconds:.1f} | {self.seconds:.1f} | < {TARGET_S:g} s {mark} | "
            f"{self.differences} |\n"
            f"\n变更 / change: {OVERRIDES}\n"
        )


async def measure_rehearsal(size: int = REHEARSAL_SIZE) -> RehearsalTime:
    """One rehearsal of the generated cycle of `size` applications, through the service."""
    registry = Rehearsals()
    scenario = generate_scenario(size)
    started = time.perf_counter()
    rehearsal = registry.start(f"bench {size}", scenario, OVERRIDES, "bench")
    await registry.wait(rehearsal.id)
    took = time.perf_counter() - started
    if rehearsal.state != "done":
        return RehearsalTime(size=size, seconds=took, error=rehearsal.error or rehearsal.state)
    return RehearsalTime(
        size=size,
        seconds=took,
        base_seconds=rehearsal.base.seconds,
        variant_seconds=rehearsal.variant.seconds,
        steps=rehearsal.steps,
        differences=len(rehearsal.rows),
    )


if __name__ == "__main__":
    result = asyncio.run(
        measure_rehearsal(int(sys.argv[1]) if len(sys.argv) > 1 else REHEARSAL_SIZE)
    )
    print(result.render())
    print(asdict(result))
    sys.stdout.flush()
    os._exit(1 if result.misses() else 0)
