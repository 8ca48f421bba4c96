"""The chaos run's client: a whole cycle through HTTP, retried as a real client would.

Every command carries an ``Idempotency-Key`` fixed by its step number; a refused or
dropped connection, a 5xx or a 409 "原请求仍在处理中" (the API died holding the key) is
retried with the same key until it gets a final answer. The steps are a list built from the
seed before anything runs, so a kill "before step 57" means the same request in every run
of that seed.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx

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


@dataclass
class Tally:
    requests: int = 0
    retried: int = 0
    dropped: int = 0
    server_errors: Counter[int] = field(default_factory=Counter)
    held_keys: int = 0
    """409 while the key was still held by a killed API (the retry waited for it)."""


def plan(seed: int, size: int, today: date) -> list[Step]:
    """The cycle's steps: county, accounts, cycle (deadline today), applications, then,
    after the deadline's timer, qualification, both review stages, shortlist, site reports
    and the committee's votes, which open publicity (§4)."""
    rng = random.Random(seed)
    year = today.year
    steps: list[Step] = []
    codes = [credit_code(n) for n in range(1, size + 1)]
    for n in range(1, size + 1):
        steps.append(Step("office", "POST", "/organizations", organization(n), 201))
    for code in PANEL:
        body: dict[str, Any] = {
            "code": code,
            "name": f"评审员{code}",
            "industries": ["manufacturing"],
        }
        steps.append(Step("office", "POST", "/reviewers", body, 201))
    users: dict[str, dict[str, Any]] = {
        f"rev{c}": {"role": "reviewer", "reviewer_code": c} for c in PANEL
    }
    users |= {f"org{n}": {"role": "applicant", "credit_code": c} for n, c in enumerate(codes, 1)}
    users["secretary"] = {"role": "committee"}
    users["watch"] = {"role": "supervisor"}
    for name, links in users.items():
        body = {"username": name, "password": PASSWORD, **links}
        steps.append(Step("office", "POST", "/users", body, 201))
    cycle = {"year": year, "application_deadline": today.isoformat(), "committee_members": 9}
    steps.append(Step("office", "POST", "/cycles", cycle, 201))
    awards = {c: rng.choice(["quality", "innovation"]) for c in codes}
    for n, code in enumerate(codes, 1):
        body = {"award": awards[code]}
        steps.append(Step(f"org{n}", "POST", f"/cycles/{year}/applications", body, 201))
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
            steps.append(Step(f"org{n}", "POST", f"{base}/{code}/site-report/confirm"))
    for award in ("quality", "innovation"):
        mine = [c for c in shortlisted if awards[c] == award]
        if mine:
            ballots = {c: _ballot(rng) for c in mine}
            body = {"award": award, "present": 9, "ballots": ballots}
            steps.append(Step("secretary", "POST", f"/cycles/{year}/votes", body))
    steps.append(Step("office", "GET", f"/cycles/{year}", wait_phase="publicity"))
    return steps


def _ballot(rng: random.Random) -> dict[str, int]:
    yes = rng.randint(4, 9)
    return {"yes": yes, "no": 9 - yes, "abstain": 0}


class Client:
    def __init__(self, base_url: str, tally: Tally) -> None:
        self.http = httpx.AsyncClient(base_url=base_url, timeout=60.0, trust_env=False)
        self.tally = tally
        self.tokens: dict[str, str] = {}

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

    async def run(self, index: int, step: Step, seed: int) -> None:
        headers = await self.headers(step.user)
        if step.wait_phase is not None:
            await self._wait(step, headers)
            return
        headers["Idempotency-Key"] = f"chaos-{seed}-{index}"
        response = await self._send(step.method, step.path, json=step.body, headers=headers)
        if response.status_code != step.expect:
            raise RuntimeError(
                f"step {index} {step.method} {step.path}: {response.status_code} {response.text}"
            )

    async def _wait(self, step: Step, headers: dict[str, str]) -> None:
        loop = asyncio.get_running_loop()
        end = loop.time() + GIVE_UP_SECONDS
        while True:
            response = await self._send("GET", step.path, headers=headers)
            if response.status_code == 200 and response.json()["phase"] == step.wait_phase:
                return
            if loop.time() > end:
                raise RuntimeError(f"phase {step.wait_phase} not reached: {response.text}")
            await asyncio.sleep(1.0)

    async def get(self, user: str, path: str) -> Any:
        response = await self._send("GET", path, headers=await self.headers(user))
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}: {response.status_code} {response.text}")
        return response.json()


Hook = Callable[[int], Awaitable[None]]
