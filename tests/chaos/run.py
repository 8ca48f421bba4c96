"""`make chaos` (`python -m tests.chaos.run --seed N`): kill anything, lose nothing (#17 item 1).

The same seeded cycle runs twice on the embedded stack as separate processes
(`tests.chaos.stack`) on fresh PostgreSQL databases: once undisturbed, once while a seeded
schedule SIGKILLs a random process (a worker, an API, the dev server) at chosen steps of
the client's plan, a random few hundred milliseconds into that step (so mostly mid-request
or mid-activity; one kill falls while the client waits for the deadline's timer). A
watchdog restarts whatever died, as systemd would. The outcome read from each database
(cycle phase, applications with their eligibility, scores and outcome, honors, notices by
kind and organization, audit chain) must be equal, and no notice, honor or audit entry may
be doubled. Prints the seed, the kill points and a pass/fail table; exit status 1 on a fail.

Business time: the API processes run with `QAWARD_CLOCK_OFFSET_SECONDS` so that the
business clock reads a few minutes before 24:00 of the application deadline's day when the
run starts; the cycles they open carry the offset into their workflows, and the real
deadline timer fires on the real-time dev server within the run. The later timers
(publicity's 24:00 after a full day, the honors' years) are not reached: see README.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from db.session import create_engine
from domain.dates import SHANGHAI, to_business_date
from tests.chaos.client import Client, Step, Tally, plan
from tests.chaos.stack import Proxy, Stack, create_database, drop_database

TARGETS = ["worker-1", "worker-2", "api-1", "api-2", "temporal"]
SETUP_SECONDS_PER_STEP = 1.2
"""Time budgeted per step before the deadline (the business clock is set from it)."""


@dataclass(frozen=True)
class Kill:
    step: int
    target: str
    delay: float


@dataclass
class Result:
    outcome: dict[str, Any]
    duplicates: dict[str, int]
    audit_ok: bool
    tally: Tally
    kills: list[Kill] = field(default_factory=list)
    restarts: int = 0
    seconds: float = 0.0


def schedule(seed: int, steps: list[Step], count: int) -> list[Kill]:
    """`count` kills at distinct steps; the dev server once while the deadline's timer runs."""
    rng = random.Random(seed * 7919 + 17)
    timer = _before_deadline(steps)
    points = sorted(rng.sample([i for i in range(1, len(steps)) if i != timer], count - 1))
    kills = [Kill(i, rng.choice(TARGETS), round(rng.uniform(0.0, 0.4), 3)) for i in points]
    kills.append(Kill(timer, "temporal", round(rng.uniform(1.0, 5.0), 3)))
    return sorted(kills, key=lambda k: k.step)


def _before_deadline(steps: list[Step]) -> int:
    return next(i for i, s in enumerate(steps) if s.wait_phase is not None)


def business_start(steps_before_deadline: int) -> datetime:
    """A business now that many budgeted seconds before a midnight in Asia/Shanghai."""
    budget = timedelta(seconds=60 + SETUP_SECONDS_PER_STEP * steps_before_deadline)
    day = to_business_date(datetime.now(UTC) + budget)
    midnight = datetime.combine(day + timedelta(days=1), datetime.min.time(), SHANGHAI)
    return midnight - budget


async def _watchdog(stack: Stack, counter: list[int], stop: asyncio.Event) -> None:
    while not stop.is_set():
        for name in stack.processes:
            if not stack.alive(name):
                await asyncio.to_thread(stack.start, name)
                counter[0] += 1
        await asyncio.sleep(0.5)


async def _kill_later(stack: Stack, kill: Kill) -> None:
    await asyncio.sleep(kill.delay)
    await asyncio.to_thread(stack.kill, kill.target)


async def run_once(seed: int, size: int, kills: int, folder: Path) -> Result:
    started = time.monotonic()
    name, url = create_database()
    try:
        # The plan fixes the business day, so it is built with a provisional day first.
        start = business_start(_before_deadline(plan(seed, size, datetime.now(SHANGHAI).date())))
        steps = plan(seed, size, start.date())
        offset = (start - datetime.now(UTC)).total_seconds()
        stack = Stack(folder, url, offset)
        await asyncio.to_thread(stack.start_all)
        chosen = schedule(seed, steps, kills) if kills else []
        by_step = {k.step: k for k in chosen}
        tally, restarts, stop = Tally(), [0], asyncio.Event()
        watchdog = asyncio.create_task(_watchdog(stack, restarts, stop))
        pending: set[asyncio.Task[None]] = set()
        try:
            async with Proxy(stack.api_ports) as proxy:
                client = Client(f"http://127.0.0.1:{proxy.port}", tally)
                try:
                    for index, step in enumerate(steps):
                        if index in by_step:
                            k = by_step[index]
                            print(f"  kill {k.target} at step {index} (+{k.delay}s)", flush=True)
                            pending.add(asyncio.create_task(_kill_later(stack, k)))
                        await client.run(index, step, seed)
                    await asyncio.gather(*pending)
                    audit = await client.get("watch", "/audit/verify")
                finally:
                    await client.aclose()
        finally:
            stop.set()
            await watchdog
            await asyncio.to_thread(stack.stop_all)
        planned = Counter((s.user, s.method, s.path) for s in steps if s.wait_phase is None)
        outcome, duplicates = await read_outcome(url, planned)
        return Result(
            outcome=outcome,
            duplicates=duplicates,
            audit_ok=bool(audit["intact"]),
            tally=tally,
            kills=chosen,
            restarts=restarts[0],
            seconds=time.monotonic() - started,
        )
    finally:
        await asyncio.to_thread(drop_database, name)


async def read_outcome(
    url: str, planned: Counter[tuple[str, str, str]]
) -> tuple[dict[str, Any], dict[str, int]]:
    """The outcome straight from the database, and what is there more than once.

    An audit entry is doubled when a command's successful entries outnumber the times the
    plan sends it: a retry that finds its key answered is a replay, which is not recorded,
    and a request killed before its answer leaves no entry (the middleware writes it after
    the route returns)."""
    engine = create_engine(url)
    try:
        async with engine.connect() as db:

            async def rows(sql: str) -> list[tuple[Any, ...]]:
                return [tuple(r) for r in (await db.execute(text(sql))).all()]

            cycles = await rows("SELECT year, phase FROM cycles ORDER BY year")
            apps = await rows(
                "SELECT o.credit_code, a.award, a.outcome, a.eligible, a.shortlisted, "
                "a.document_score, a.site_score, a.total_score FROM applications a "
                "JOIN organizations o ON o.id = a.organization_id ORDER BY o.credit_code"
            )
            honors = await rows(
                "SELECT o.credit_code, h.award, h.year FROM honors h "
                "JOIN organizations o ON o.id = h.organization_id ORDER BY 1, 2, 3"
            )
            notices = await rows(
                "SELECT n.kind, o.credit_code, r.code, n.title FROM notices n "
                "LEFT JOIN organizations o ON o.id = n.organization_id "
                "LEFT JOIN reviewers r ON r.id = n.reviewer_id"
            )
            notice_bodies = await rows(
                "SELECT kind, organization_id, reviewer_id, title, body FROM notices"
            )
            audit = await rows(
                "SELECT actor, method, path FROM audit_entries "
                "WHERE status < 300 AND method <> 'GET' AND path <> '/auth/login'"
            )
    finally:
        await engine.dispose()
    audit_counts: Counter[tuple[str, str, str]] = Counter(audit)
    duplicates = {
        "notices": sum(n - 1 for n in Counter(notice_bodies).values() if n > 1),
        "honors": len(honors) - len(set(honors)),
        "audit": sum(max(0, n - planned[key]) for key, n in audit_counts.items()),
    }
    outcome = {
        "cycles": cycles,
        "applications": apps,
        "honors": honors,
        "notices": sorted(Counter((k, o, r) for k, o, r, _ in notices).items(), key=str),
        "audit_commands": sorted(audit_counts.items()),
    }
    return outcome, duplicates


def report(seed: int, calm: Result, chaos: Result) -> bool:
    checks = [
        ("outcome equals the undisturbed run", calm.outcome == chaos.outcome),
        ("cycle reached publicity", chaos.outcome["cycles"][-1][1] == "publicity"),
        ("audit chain verifies (undisturbed)", calm.audit_ok),
        ("audit chain verifies (chaos)", chaos.audit_ok),
        ("no server error (5xx) answered", not chaos.tally.server_errors),
    ]
    for kind, n in chaos.duplicates.items():
        checks.append((f"no {kind} doubled ({n} found)", n == 0))
    for kind, n in calm.duplicates.items():
        checks.append((f"no {kind} doubled, undisturbed ({n} found)", n == 0))
    print(f"\nseed {seed}: {len(chaos.kills)} kills, {chaos.restarts} restarts")
    print("kill points: " + ", ".join(f"{k.step}:{k.target}+{k.delay}s" for k in chaos.kills))
    t = chaos.tally
    print(
        f"requests {t.requests}, retried {t.retried} (dropped {t.dropped}, "
        f"5xx {dict(t.server_errors)}, key held by a killed API {t.held_keys}); "
        f"undisturbed {calm.seconds:.0f} s, chaos {chaos.seconds:.0f} s"
    )
    print("\n| check | result |\n|---|---|")
    for label, ok in checks:
        print(f"| {label} | {'PASS' if ok else 'FAIL'} |")
    if calm.outcome != chaos.outcome:
        for key in calm.outcome:
            if calm.outcome[key] != chaos.outcome[key]:
                print(f"differs: {key}\n  calm  {calm.outcome[key]}\n  chaos {chaos.outcome[key]}")
    return all(ok for _, ok in checks)


async def main_async(seed: int, size: int, kills: int, folder: Path) -> bool:
    print(f"chaos run: seed {seed}, {size} applications, {kills} kills", flush=True)
    print("undisturbed run …", flush=True)
    calm = await run_once(seed, size, 0, folder / "calm")
    print("chaos run …", flush=True)
    chaos = await run_once(seed, size, kills, folder / "chaos")
    return report(seed, calm, chaos)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="混沌测试 / chaos run (issue #17 item 1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=int, default=20, help="applications (default 20)")
    parser.add_argument("--kills", type=int, default=24, help="SIGKILLs (default 24)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)  # stop the stack's processes on the way out
    with tempfile.TemporaryDirectory(prefix="qaward-chaos-") as tmp:
        passed = asyncio.run(main_async(args.seed, args.size, args.kills, Path(tmp)))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
