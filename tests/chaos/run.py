"""`make chaos` (`python -m tests.chaos.run --seed N`): kill anything, lose nothing (#17 item 1).

Each stage runs the same seeded plan twice on the stack as separate processes
(`tests.chaos.stack`) on fresh PostgreSQL databases: once undisturbed, once while a seeded
schedule SIGKILLs a random process at chosen steps of the client's plan, a random few
hundred milliseconds into that step (so mostly mid-request, mid-activity or mid-delivery).
A watchdog restarts whatever died, as systemd would. The outcome read from each database
and from the run's SMTP relay must be equal, and no notice, honor, bonus, follow-up, audit
entry or e-mail may be doubled. Prints the seed, the kill points and a pass/fail table;
exit status 1 on a fail.

Stage `days` (the dev server, killed too): opening to publicity. The APIs run with
`QAWARD_CLOCK_OFFSET_SECONDS` so that the business clock reads a minute or two before
24:00 of the application deadline's day; the cycle carries the offset, and the real
deadline timer fires on the real-time dev server within the run, once while the dev
server is being killed.

Stage `years` (the time-skipping test server, which keeps its state in memory and so is
not killed; workers and APIs are): the whole cycle again, from opening through
publicity's close, the government's approval, honors and bonuses, and three years of
honor timers (yearly follow-up tasks reported and evaluated, the revocation window's
close), the clock skipped between the steps while processes are killed. See README.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from temporalio.api.testservice.v1 import SleepRequest
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from db.session import create_engine
from domain.dates import SHANGHAI, to_business_date
from qaward.temporal import test_server_path
from tests.chaos.client import Client, Step, Tally, applicants, plan
from tests.chaos.stack import LIVE, Proxy, Stack, create_database, drop_database, free_port
from tests.support.smtp import Inbox, smtp_server

TARGETS = ["worker-1", "worker-2", "api-1", "api-2", "temporal"]
YEARS_TARGETS = ["worker-2", "api-1", "api-2"]
"""The test server keeps its state in memory: killing it would be losing the data, not a
crash to survive (the dev server's kills are in the first stage). Nor worker-1, whose
sticky tasks the test server would strand (`tests.chaos.worker_process`)."""
STAGES = ("days", "years")
DRAIN_SECONDS = 600.0
"""A send a killed worker held is retried after its timeout (120 s) and a backoff; seeds 2
and 3 once had 8 and 6 deliveries unsent after 180 s: wakes lost to a kill between a notice's
commit and its signal, caught since by the workers' backlog watch (README, "Chaos run")."""
SKIP_RPC_SECONDS = 900.0
SKIP_KILLS = 2
"""Second stage: a worker killed while the clock skips (timers fire, activities and
deliveries run) at this many skips. Each costs a minute or two of real time: the test
server waits for the dead worker's activity to time out (60 s, a send 120 s) before the
clock moves on."""
SETUP_SECONDS_PER_STEP = 1.6
START_SECONDS = 90
"""Budgeted for the APIs' start-up and the margin before the deadline's midnight."""
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
    resent: int = 0
    """Copies the relay received again with the same Message-ID (at-least-once window)."""


def schedule(seed: int, steps: list[Step], count: int, *, years: bool = False) -> list[Kill]:
    """`count` kills at distinct steps. First stage: the dev server once while the
    deadline's timer runs. Second stage: the uncached worker at `SKIP_KILLS` skips of the
    clock, the rest at random (workers and APIs)."""
    rng = random.Random(seed * 7919 + 17 + (1 if years else 0))
    if years:
        skips = [i for i, s in enumerate(steps) if s.skip is not None]
        chosen = sorted(rng.sample(skips, min(SKIP_KILLS, len(skips), count)))
        fixed = [Kill(i, "worker-2", round(rng.uniform(0.0, 0.3), 3)) for i in chosen]
        targets = YEARS_TARGETS
    else:
        timer = _before_deadline(steps)
        fixed = [Kill(timer, "temporal", round(rng.uniform(1.0, 5.0), 3))]
        targets = TARGETS
    taken = {k.step for k in fixed}
    free = [i for i in range(1, len(steps)) if i not in taken]
    points = sorted(rng.sample(free, max(0, count - len(fixed))))
    kills = [Kill(i, rng.choice(targets), round(rng.uniform(0.0, 0.4), 3)) for i in points]
    return sorted(fixed + kills, key=lambda k: k.step)


def _before_deadline(steps: list[Step]) -> int:
    return next(i for i, s in enumerate(steps) if s.wait_phase is not None)


def business_start(steps_before_deadline: int) -> datetime:
    """A business now that many budgeted seconds before a midnight in Asia/Shanghai."""
    budget = timedelta(seconds=START_SECONDS + SETUP_SECONDS_PER_STEP * steps_before_deadline)
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


async def run_once(seed: int, size: int, kills: int, folder: Path, stage: str) -> Result:
    started = time.monotonic()
    years = stage == "years"
    name, url = create_database()
    try:
        with smtp_server() as (inbox, smtp_port):
            if years:
                port = free_port()
                env = await WorkflowEnvironment.start_time_skipping(
                    test_server_existing_path=str(test_server_path()), port=port
                )
                try:
                    # Business days start at 09:00 (Asia/Shanghai), far from a midnight that
                    # a slower disturbed run could cross.
                    now = await env.get_current_time()
                    await env.sleep(_until_nine(now))
                    today = (await env.get_current_time()).astimezone(SHANGHAI).date()
                    steps = plan(seed, size, today, years=True)
                    stack = Stack(folder, url, 0.0, smtp_port, test_server=f"127.0.0.1:{port}")
                    skip = functools.partial(_skip, env)
                    result = await _drive(seed, size, kills, stack, steps, skip, url, inbox)
                finally:
                    await env.shutdown()
            else:
                stack = Stack(folder, url, 0.0, smtp_port)
                # The business clock is set once everything but the APIs runs (a start-up
                # on a loaded machine must not eat the budget). The plan fixes the business
                # day, so it is built with a provisional day first.
                await asyncio.to_thread(stack.start_backend)
                provisional = plan(seed, size, datetime.now(SHANGHAI).date())
                start = business_start(_before_deadline(provisional))
                steps = plan(seed, size, start.date())
                stack.offset_seconds = (start - datetime.now(UTC)).total_seconds()
                result = await _drive(seed, size, kills, stack, steps, None, url, inbox)
        result.seconds = time.monotonic() - started
        return result
    finally:
        await asyncio.to_thread(drop_database, name)


async def _skip(env: WorkflowEnvironment, delta: timedelta) -> None:
    """Skip the test server's clock `delta` ahead. The server moves on only while no task
    is outstanding, and a task a killed worker held waits for its timeout (real seconds):
    so the call may take long, and is resumed with what is left if its RPC gives up."""
    target = await env.get_current_time() + delta
    while (left := target - await env.get_current_time()) > timedelta(0):
        request = SleepRequest()
        request.duration.FromTimedelta(left)
        with contextlib.suppress(RPCError):
            await env.client.test_service.unlock_time_skipping_with_sleep(
                request, timeout=timedelta(seconds=SKIP_RPC_SECONDS)
            )


def _until_nine(now: datetime) -> timedelta:
    local = now.astimezone(SHANGHAI)
    nine = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), SHANGHAI)
    return nine + timedelta(hours=9) - local


async def _drive(
    seed: int,
    size: int,
    kills: int,
    stack: Stack,
    steps: list[Step],
    advance: Any,
    url: str,
    inbox: Inbox,
) -> Result:
    years = advance is not None
    if years:
        await asyncio.to_thread(stack.start_backend)
    await asyncio.to_thread(stack.start_apis)
    chosen = schedule(seed, steps, kills, years=years) if kills else []
    by_step = {k.step: k for k in chosen}
    tally, restarts, stop = Tally(), [0], asyncio.Event()
    watchdog = asyncio.create_task(_watchdog(stack, restarts, stop))
    pending: set[asyncio.Task[None]] = set()
    try:
        async with Proxy(stack.api_ports) as proxy:
            client = Client(f"http://127.0.0.1:{proxy.port}", tally, applicants(size), advance)
            try:
                for index, step in enumerate(steps):
                    if index in by_step:
                        k = by_step[index]
                        where = "years" if years else "days"
                        print(
                            f"  {where}: kill {k.target} at step {index} (+{k.delay}s)", flush=True
                        )
                        pending.add(asyncio.create_task(_kill_later(stack, k)))
                    await client.run(index, step, seed)
                await asyncio.gather(*pending)
                await _drained(url)
                audit = await client.get("watch", "/audit/verify")
            finally:
                await client.aclose()
    finally:
        stop.set()
        await watchdog
        await asyncio.to_thread(stack.stop_all)
    outcome, duplicates, resent = await read_outcome(url, tally.commands, inbox)
    return Result(
        outcome=outcome,
        duplicates=duplicates,
        audit_ok=bool(audit["intact"]),
        tally=tally,
        kills=chosen,
        restarts=restarts[0],
        resent=resent,
    )


async def _drained(url: str) -> None:
    """Wait until no e-mail is left to route or send (a killed worker's deliveries are
    retried), the same for three looks two seconds apart (notices of the last step may
    still be on their way into the outbox)."""
    engine = create_engine(url)
    try:
        end = time.monotonic() + DRAIN_SECONDS
        quiet, last = 0, None
        while time.monotonic() < end:
            async with engine.connect() as db:
                left = await db.scalar(
                    text(
                        "SELECT (SELECT count(*) FROM deliveries "
                        "WHERE status IN ('pending', 'sending')) + "
                        "(SELECT count(*) FROM outbox WHERE status = 'pending')"
                    )
                )
                seen = await db.scalar(text("SELECT count(*) FROM deliveries"))
            quiet = quiet + 1 if not left and seen == last else 0
            if quiet >= 3:
                return
            last = seen
            await asyncio.sleep(2.0)
        async with engine.connect() as db:
            found = (
                await db.execute(
                    text(
                        "SELECT status, count(*), max(attempts), max(interrupted) FROM deliveries "
                        "WHERE status IN ('pending', 'sending') GROUP BY status"
                    )
                )
            ).all()
        raise RuntimeError(
            f"{left} deliveries or outbox entries still unsent after {DRAIN_SECONDS:.0f} s "
            f"(status, count, attempts, interrupted: {[tuple(r) for r in found]})"
        )
    finally:
        await engine.dispose()


async def read_outcome(
    url: str, sent: Counter[tuple[str, str, str]], inbox: Inbox
) -> tuple[dict[str, Any], dict[str, int], int]:
    """The outcome straight from the database and the relay, and what is there twice.

    An audit entry is doubled when a command's successful entries outnumber the times the
    client sent it (`Tally.commands`, retries not counted): a retry that finds its key
    answered is a replay, which is not recorded, and a request killed before its
    bookkeeping leaves neither entry nor answer. Dates are counted in days from the
    application deadline, so that two runs on either side of a midnight compare."""
    engine = create_engine(url)
    try:
        async with engine.connect() as db:

            async def rows(sql: str) -> list[tuple[Any, ...]]:
                return [tuple(r) for r in (await db.execute(text(sql))).all()]

            cycles = await rows("SELECT year, phase, application_deadline FROM cycles ORDER BY 1")
            deadline = cycles[-1][2]
            apps = await rows(
                "SELECT o.credit_code, a.award, a.outcome, a.eligible, a.shortlisted, "
                "a.document_score, a.site_score, a.total_score FROM applications a "
                "JOIN organizations o ON o.id = a.organization_id ORDER BY o.credit_code"
            )
            honor_rows = await rows(
                "SELECT o.credit_code, h.award, h.year, h.bonus_cny, h.awarded_on, h.valid_until, "
                "h.revocation_window_closes, h.reapply_from, h.revoked_on FROM honors h "
                "JOIN organizations o ON o.id = h.organization_id ORDER BY 1, 2, 3"
            )
            follow_ups = await rows(
                "SELECT o.credit_code, h.award, f.number, f.due_on, f.submitted_at IS NOT NULL, "
                "f.overdue_notified, f.evaluation FROM follow_ups f "
                "JOIN honors h ON h.id = f.honor_id "
                "JOIN organizations o ON o.id = h.organization_id ORDER BY 1, 2, 3"
            )
            notices = await rows(
                "SELECT n.kind, o.credit_code, r.code, n.title FROM notices n "
                "LEFT JOIN organizations o ON o.id = n.organization_id "
                "LEFT JOIN reviewers r ON r.id = n.reviewer_id"
            )
            notice_bodies = await rows(
                "SELECT kind, audience, organization_id, reviewer_id, title, body, "
                '"on" FROM notices'
            )
            deliveries = await rows("SELECT channel, recipient, status FROM deliveries")
            audit = await rows(
                "SELECT actor, method, path FROM audit_entries "
                "WHERE status < 300 AND method <> 'GET' AND path <> '/auth/login'"
            )
    finally:
        await engine.dispose()

    def days(d: date | None) -> int | None:
        return None if d is None else (d - deadline).days

    honors = [(c, a, y, bonus, *(days(d) for d in dates)) for c, a, y, bonus, *dates in honor_rows]
    # A copy with a Message-ID already received is the delivery's at-least-once window (a
    # worker killed after the relay took the mail, before it recorded `sent`): counted
    # apart; a second message (another Message-ID) for the same mail is a double.
    received = [
        (tuple(sorted(r.envelope_to)), r.subject, r.text, r.message_id) for r in inbox.received
    ]
    unique = set(received)
    mails = [m[:3] for m in unique]
    audit_counts: Counter[tuple[str, str, str]] = Counter(audit)
    for notice, n in Counter(notice_bodies).items():
        if n > 1:
            print(f"  notice {n} times: {notice[:5]} on {notice[-1]}", flush=True)
    duplicates = {
        "notices": sum(n - 1 for n in Counter(notice_bodies).values() if n > 1),
        "honors": len(honors) - len({h[:3] for h in honors}),
        "bonuses": sum(1 for h in honor_rows if h[3] not in (0, 50_000, 150_000, 200_000)),
        "follow-ups": len(follow_ups) - len({f[:3] for f in follow_ups}),
        "audit entries": sum(max(0, n - sent[key]) for key, n in audit_counts.items()),
        "e-mails": len(mails) - len(set(mails)),
    }
    resent = len(received) - len(unique)
    outcome = {
        "cycles": [(y, phase) for y, phase, _ in cycles],
        "applications": apps,
        "honors and bonuses": honors,
        "follow-ups": [(c, a, n, days(due), *rest) for c, a, n, due, *rest in follow_ups],
        "notices": sorted(Counter((k, o, r) for k, o, r, _ in notices).items(), key=str),
        "deliveries": sorted(Counter(deliveries).items(), key=str),
        "e-mails": sorted(Counter((to, subject) for to, subject, _ in mails).items(), key=str),
        "audit commands": sorted(audit_counts.items()),
    }
    return outcome, duplicates, resent


def report(stage: str, seed: int, calm: Result, chaos: Result) -> list[tuple[str, bool]]:
    phase = chaos.outcome["cycles"][-1][1] if chaos.outcome["cycles"] else None
    checks = [("outcome equals the undisturbed run", calm.outcome == chaos.outcome)]
    if stage == "days":
        checks.append(("cycle reached publicity", phase == "publicity"))
    else:
        honors = chaos.outcome["honors and bonuses"]
        follow_ups = chaos.outcome["follow-ups"]
        evaluated = [f for f in follow_ups if f[-1] is not None]
        expiring = [h for h in honors if h[5] is not None]  # the Innovation Award does not
        checks += [
            ("cycle announced, honors awarded", phase == "announced" and bool(honors)),
            ("every honor has a bonus", all(h[3] > 0 for h in honors)),
            (
                "3 years of follow-ups of each expiring honor, all evaluated",
                bool(expiring) and len(evaluated) == len(follow_ups) == 3 * len(expiring),
            ),
        ]
    checks += [
        ("audit chain verifies (undisturbed)", calm.audit_ok),
        ("audit chain verifies (chaos)", chaos.audit_ok),
        ("no server error (5xx) answered", not chaos.tally.server_errors),
        ("e-mails sent", bool(chaos.outcome["e-mails"])),
    ]
    for kind, n in chaos.duplicates.items():
        checks.append((f"no {kind} doubled ({n} found)", n == 0))
    for kind, n in calm.duplicates.items():
        checks.append((f"no {kind} doubled, undisturbed ({n} found)", n == 0))
    print(f"\nseed {seed}, stage {stage}: {len(chaos.kills)} kills, {chaos.restarts} restarts")
    print("kill points: " + ", ".join(f"{k.step}:{k.target}+{k.delay}s" for k in chaos.kills))
    t = chaos.tally
    print(
        f"requests {t.requests}, retried {t.retried} (dropped {t.dropped}, "
        f"5xx {dict(t.server_errors)}, key held by a killed API {t.held_keys}); "
        f"e-mails resent with their Message-ID (at-least-once window) {chaos.resent}; "
        f"undisturbed {calm.seconds:.0f} s, chaos {chaos.seconds:.0f} s"
    )
    print("\n| check | result |\n|---|---|")
    for label, ok in checks:
        print(f"| {label} | {'PASS' if ok else 'FAIL'} |")
    if calm.outcome != chaos.outcome:
        for key in calm.outcome:
            if calm.outcome[key] != chaos.outcome[key]:
                print(f"differs: {key}\n  calm  {calm.outcome[key]}\n  chaos {chaos.outcome[key]}")
    return checks


async def main_async(
    seed: int,
    size: int,
    kills: int,
    folder: Path,
    year_kills: int = 12,
    stages: tuple[str, ...] = STAGES,
    *,
    parallel: bool = False,
) -> bool:
    """Every stage undisturbed and disturbed, one after the other, or (`parallel`, the
    short form in `make test`) all at once: separate databases, ports and folders."""
    print(f"chaos run: seed {seed}, {size} applications, {kills} + {year_kills} kills", flush=True)
    started = time.monotonic()
    runs: list[tuple[str, int]] = [(stage, n) for stage in stages for n in (0, 1)]

    async def one(stage: str, disturbed: int) -> Result:
        count = (kills if stage == "days" else year_kills) if disturbed else 0
        label = "chaos" if disturbed else "undisturbed"
        print(f"stage {stage}: {label} run …", flush=True)
        return await run_once(seed, size, count, folder / f"{stage}-{label}", stage)

    if parallel:
        results = list(await asyncio.gather(*(one(*r) for r in runs)))
    else:
        results = [await one(*r) for r in runs]
    passed, killed, restarts, requests, retried, doubled = True, 0, 0, 0, 0, 0
    for index, stage in enumerate(stages):
        calm, chaos = results[2 * index], results[2 * index + 1]
        checks = report(stage, seed, calm, chaos)
        passed = passed and all(ok for _, ok in checks)
        killed += len(chaos.kills)
        restarts += chaos.restarts
        requests += chaos.tally.requests
        retried += chaos.tally.retried
        doubled += sum(chaos.duplicates.values())
    minutes = (time.monotonic() - started) / 60
    print(
        f"\nseed {seed}: {'PASS' if passed else 'FAIL'}: {killed} kills survived ({restarts} "
        f"restarts), {requests} requests of which {retried} retried, {doubled} duplicates, "
        f"{minutes:.1f} min"
    )
    return passed


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="混沌测试 / chaos run (issue #17 item 1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--size", type=int, default=20, help="applications (default 20)")
    parser.add_argument("--kills", type=int, default=24, help="SIGKILLs, first stage (24)")
    parser.add_argument("--year-kills", type=int, default=12, help="SIGKILLs, second stage (12)")
    parser.add_argument("--stage", choices=STAGES, help="one stage only")
    parser.add_argument("--parallel", action="store_true", help="all runs at once")
    args = parser.parse_args(argv)
    stages = (args.stage,) if args.stage else STAGES
    signal.signal(signal.SIGTERM, _interrupt)  # stop the stack's processes on the way out
    with tempfile.TemporaryDirectory(prefix="qaward-chaos-") as tmp:
        try:
            passed = asyncio.run(
                main_async(
                    args.seed,
                    args.size,
                    args.kills,
                    Path(tmp),
                    args.year_kills,
                    stages,
                    parallel=args.parallel,
                )
            )
        finally:
            for stack in list(LIVE):
                stack.stop_all()
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
