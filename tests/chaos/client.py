"""The chaos run's client: a whole cycle through HTTP, retried as a real client would.

Every command carries an ``Idempotency-Key`` fixed by its step number; a refused or
dropped connection, a 5xx or a 409 "原请求仍在处理中" (the API died holding the key) is
retried with the same key until it gets a final answer. The steps are a list built from the
seed before anything runs, so a kill "before step 57" means the same request in every run
of that seed.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx

from domain.awards import follow_up_dates
from domain.rules import load_rules
from domain.scoring import recommend_shortlist, stage_score
from domain.types import Award
from tests.api.support import PASSWORD, credit_code, organization
from tests.chaos.stack import OFFICE_PASSWORD

PANEL = ["R1", "R2", "R3"]
RETRY_PAUSE = 0.5
GIVE_UP_SECONDS = 900.0


@dataclass(frozen=True)
class Step:
    user: str
    method: str
    path: str
    body: dict[str, Any] | None = None
    expect: int = 200
    wait_phase: str | None = None
    """Not a request: wait (GET, retried) until the cycle reaches this phase (a timer)."""
    digest_of: str | None = None
    """The body is ``{"report_sha256": …}`` of the document at this path, read first (the
    applicant confirms the site report it has read, §4(3))."""
    skip: timedelta | None = None
    """Not a request: the test server's clock skips this far (the second stage only)."""
    follow_ups: int | None = None
    """Every honor's follow-up task of this year of validity, once its reminder has come:
    the holder reports, the office evaluates (§2(3)4, §6(3)); one request each."""

    @property
    def is_command(self) -> bool:
        return self.wait_phase is None and self.skip is None and self.follow_ups is None


@dataclass
class Tally:
    requests: int = 0
    retried: int = 0
    dropped: int = 0
    server_errors: Counter[int] = field(default_factory=Counter)
    held_keys: int = 0
    """409 while the key was still held by a killed API (the retry waited for it)."""
    commands: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    """(user, method, path) of every command sent, once however often it was retried."""


def mail(code: str) -> str:
    return f"contact-{code.lower()}@example.com"


def applicants(size: int) -> dict[str, str]:
    """Credit code → the applicant's account."""
    return {credit_code(n): f"org{n}" for n in range(1, size + 1)}


def plan(seed: int, size: int, today: date, *, years: bool = False) -> list[Step]:
    """The cycle's steps: county, accounts, contacts, cycle, applications, then, after the
    deadline's timer, qualification, both review stages, shortlist, site reports and the
    committee's votes, which open publicity (§4).

    `years` (the second stage, on the time-skipping test server): the deadline is two days
    on and the clock skips past it; after the votes it skips past publicity's close, the
    government approves (§4(5)), and for three years of validity the clock skips to each
    anniversary, where every honor's follow-up is reported and evaluated; last it skips
    past the third year's due dates (the revocation window's end, §6(6), falls inside)."""
    rng = random.Random(seed)
    year = today.year
    steps: list[Step] = []
    codes = [credit_code(n) for n in range(1, size + 1)]
    for n in range(1, size + 1):
        steps.append(Step("office", "POST", "/organizations", organization(n), 201))
    for code in codes:
        contact = {"contact_person": "联系人", "contact_phone": "0578-6123456"}
        body: dict[str, Any] = contact | {"contact_email": mail(code)}
        steps.append(Step("office", "PUT", f"/organizations/{code}/contact", body))
    for code in PANEL:
        body = {"code": code, "name": f"评审员{code}", "industries": ["manufacturing"]}
        steps.append(Step("office", "POST", "/reviewers", body, 201))
    users: dict[str, dict[str, Any]] = {
        f"rev{c}": {"role": "reviewer", "reviewer_code": c} for c in PANEL
    }
    users |= {user: {"role": "applicant", "credit_code": c} for c, user in applicants(size).items()}
    users["secretary"] = {"role": "committee"}
    users["watch"] = {"role": "supervisor"}
    users["county"] = {"role": "government"}
    for name, links in users.items():
        body = {"username": name, "password": PASSWORD, **links}
        steps.append(Step("office", "POST", "/users", body, 201))
    deadline = today + timedelta(days=2 if years else 0)
    cycle = {"year": year, "application_deadline": deadline.isoformat(), "committee_members": 9}
    steps.append(Step("office", "POST", "/cycles", cycle, 201))
    awards = {c: rng.choice(["quality", "innovation"]) for c in codes}
    for n, code in enumerate(codes, 1):
        body = {"award": awards[code]}
        steps.append(Step(f"org{n}", "POST", f"/cycles/{year}/applications", body, 201))
    if years:
        steps.append(Step("office", "GET", "", skip=timedelta(days=3)))
    steps.append(Step("office", "GET", f"/cycles/{year}", wait_phase="qualification"))
    steps.append(Step("office", "POST", f"/cycles/{year}/close-qualification"))
    base = f"/cycles/{year}/applications"
    panel = {"reviewers": PANEL, "leader": PANEL[0]}
    document: dict[str, float] = {}
    for code in codes:
        steps.append(Step("office", "PUT", f"{base}/{code}/panels/document", panel))
        points = [rng.randint(600, 950) for _ in PANEL]
        document[code] = stage_score(points, None)
        for reviewer, given in zip(PANEL, points, strict=True):
            path = f"{base}/{code}/scores/document"
            steps.append(Step(f"rev{reviewer}", "POST", path, {"points": given}))
    # The workflow proposes the site-review list (`auto`); the plan follows the same rule
    # (§4(2), the default rules) to know which applications go on to the site review.
    steps.append(Step("office", "POST", f"/cycles/{year}/shortlist", {"auto": True}))
    candidates = [(c, Award(awards[c]), document[c]) for c in codes]
    chosen = set(recommend_shortlist(candidates, load_rules(None)))
    shortlisted = [c for c in codes if c in chosen]
    for code in shortlisted:
        steps.append(Step("office", "PUT", f"{base}/{code}/panels/site", panel))
        for reviewer in PANEL:
            points_ = {"points": rng.randint(600, 950)}
            steps.append(Step(f"rev{reviewer}", "POST", f"{base}/{code}/scores/site", points_))
    for n, code in enumerate(codes, 1):
        if code in chosen:
            report = f"/cycles/{year}/documents/review_report?stage=site&credit_code={code}"
            confirm = f"{base}/{code}/site-report/confirm"
            steps.append(Step(f"org{n}", "POST", confirm, digest_of=report))
    for award in ("quality", "innovation"):
        mine = [c for c in shortlisted if awards[c] == award]
        if mine:
            ballots = {c: _ballot(rng) for c in mine}
            body = {"award": award, "present": 9, "ballots": ballots}
            steps.append(Step("secretary", "POST", f"/cycles/{year}/votes", body))
    steps.append(Step("office", "GET", f"/cycles/{year}", wait_phase="publicity"))
    if years:
        steps.append(Step("office", "GET", "", skip=timedelta(days=9)))
        steps.append(Step("office", "GET", f"/cycles/{year}", wait_phase="approval"))
        steps.append(Step("county", "POST", f"/cycles/{year}/approval", {}))
        steps.append(Step("office", "GET", f"/cycles/{year}", wait_phase="announced"))
        for number in (1, 2, 3):
            steps.append(Step("office", "GET", "", skip=timedelta(days=366)))
            steps.append(Step("office", "GET", "/follow-ups", follow_ups=number))
        steps.append(Step("office", "GET", "", skip=timedelta(days=60)))
    return steps


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _ballot(rng: random.Random) -> dict[str, int]:
    yes = rng.randint(4, 9)
    return {"yes": yes, "no": 9 - yes, "abstain": 0}


class Client:
    def __init__(
        self,
        base_url: str,
        tally: Tally,
        holders: dict[str, str] | None = None,
        advance: Callable[[timedelta], Awaitable[None]] | None = None,
    ) -> None:
        self.http = httpx.AsyncClient(base_url=base_url, timeout=60.0, trust_env=False)
        self.tally = tally
        self.tokens: dict[str, str] = {}
        self.holders = holders or {}
        """Credit code → the applicant's account (for the follow-up reports)."""
        self.advance = advance
        """Skips the test server's clock (the second stage)."""

    async def aclose(self) -> None:
        await self.http.aclose()

    async def _send(self, method: str, path: str, **kw: Any) -> httpx.Response:
        """One request until it gets an answer that is not a crash of the stack."""
        loop = asyncio.get_running_loop()
        end = loop.time() + GIVE_UP_SECONDS
        attempt = 0
        while True:
            attempt += 1
            self.tally.requests += 1
            if attempt > 1:
                self.tally.retried += 1
            try:
                response = await self.http.request(method, path, **kw)
            except httpx.TransportError:
                self.tally.dropped += 1
            else:
                if response.status_code >= 500:
                    self.tally.server_errors[response.status_code] += 1
                elif response.status_code == 409 and "仍在处理中" in response.text:
                    self.tally.held_keys += 1
                else:
                    return response
            if loop.time() > end:
                raise RuntimeError(f"{method} {path}: no answer within {GIVE_UP_SECONDS:.0f} s")
            await asyncio.sleep(RETRY_PAUSE)

    async def headers(self, user: str) -> dict[str, str]:
        if user not in self.tokens:
            password = OFFICE_PASSWORD if user == "office" else PASSWORD
            body = {"username": user, "password": password}
            response = await self._send("POST", "/auth/login", json=body)
            if response.status_code != 200:
                raise RuntimeError(f"login {user}: {response.status_code} {response.text}")
            self.tokens[user] = response.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    async def request(self, user: str, method: str, path: str, **kw: Any) -> httpx.Response:
        """As `user`, signed in again when the session has ended (the clock skipped past it;
        a 401 is never kept under an Idempotency-Key, so the retry runs)."""
        extra = kw.pop("headers", {})
        response = await self._send(method, path, headers=await self.headers(user) | extra, **kw)
        if response.status_code == 401:
            self.tokens.pop(user, None)
            response = await self._send(
                method, path, headers=await self.headers(user) | extra, **kw
            )
        return response

    async def command(
        self, user: str, method: str, path: str, body: Any, key: str, expect: int
    ) -> httpx.Response:
        self.tally.commands[(user, method, path)] += 1
        response = await self.request(
            user, method, path, json=body, headers={"Idempotency-Key": key}
        )
        if response.status_code != expect:
            raise RuntimeError(f"{key} {method} {path}: {response.status_code} {response.text}")
        return response

    async def run(self, index: int, step: Step, seed: int) -> None:
        if step.skip is not None:
            assert self.advance is not None, "a skip needs the test server"
            await self.advance(step.skip)
            return
        if step.wait_phase is not None:
            await self._wait(step)
            return
        if step.follow_ups is not None:
            await self._follow_ups(index, step.follow_ups, seed)
            return
        body = step.body
        if step.digest_of is not None:
            document = await self.request(step.user, "GET", step.digest_of)
            if document.status_code != 200:
                raise RuntimeError(f"step {index} GET {step.digest_of}: {document.status_code}")
            body = {"report_sha256": hashlib.sha256(document.content).hexdigest()}
        key = f"chaos-{seed}-{index}"
        await self.command(step.user, step.method, step.path, body, key, step.expect)

    async def _wait(self, step: Step) -> None:
        loop = asyncio.get_running_loop()
        end = loop.time() + GIVE_UP_SECONDS
        while True:
            response = await self.request(step.user, "GET", step.path)
            if response.status_code == 200 and response.json()["phase"] == step.wait_phase:
                return
            if loop.time() > end:
                raise RuntimeError(f"phase {step.wait_phase} not reached: {response.text}")
            await asyncio.sleep(1.0)

    async def _follow_ups(self, index: int, number: int, seed: int) -> None:
        """Wait until every honor has its task of this year, then each holder reports and
        the office evaluates: two commands per honor, each with its own key."""
        honors = [
            h
            for h in await self.get("office", "/honors")
            if len(follow_up_dates(date.fromisoformat(h["awarded_on"]), _day(h["valid_until"])))
            >= number
        ]
        loop = asyncio.get_running_loop()
        end = loop.time() + GIVE_UP_SECONDS
        while True:
            tasks = [t for t in await self.get("office", "/follow-ups") if t["number"] == number]
            if len(tasks) >= len(honors):
                break
            if loop.time() > end:
                raise RuntimeError(f"follow-ups {number}: {len(tasks)} of {len(honors)} honors")
            await asyncio.sleep(1.0)
        for task in sorted(tasks, key=lambda t: (t["credit_code"], t["award"])):
            code, award, year = task["credit_code"], task["award"], task["year"]
            path = f"/honors/{code}/{award}/{year}/follow-ups/{number}"
            key = f"chaos-{seed}-{index}-{code}-{award}"
            report = {"report": f"第{number}年度跟踪报告：质量管理持续改进。"}
            await self.command(self.holders[code], "POST", path, report, f"{key}-report", 200)
            evaluation = {"evaluation": "良好", "note": "按期提交"}
            await self.command(
                "office", "POST", f"{path}/evaluation", evaluation, f"{key}-eval", 200
            )

    async def get(self, user: str, path: str) -> Any:
        response = await self.request(user, "GET", path)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}: {response.status_code} {response.text}")
        return response.json()


Hook = Callable[[int], Awaitable[None]]
