"""A small county for the API tests: organizations, a reviewer pool, one account per role,
and the steps of a cycle as the users would take them over HTTP.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from tests.api.support import Api, credit_code, eventually, organization

A, B, C = credit_code(1), credit_code(2), credit_code(3)
"""A and B apply for the Quality Award, C for the Innovation Award."""
OUTSIDER = credit_code(9)
"""Registered, never applies."""
APPLICANTS = {A: "org_a", B: "org_b", C: "org_c"}
PANEL = ["R1", "R2", "R3"]
REVIEWER_USERS = {"R1": "rev1", "R2": "rev2", "R3": "rev3", "R4": "rev4"}
ROLE_USERS = {"committee": "secretary", "government": "county", "supervisor": "watch"}


async def populate(api: Api) -> None:
    """Organizations, reviewers (R4 tied to A: 回避) and an account for every role."""
    for n in (1, 2, 3, 9):
        await api.post("office", "/organizations", json=organization(n), expect=201)
    for code in [*PANEL, "R4"]:
        body: dict[str, Any] = {
            "code": code,
            "name": f"评审员{code}",
            "industries": ["manufacturing"],
        }
        if code == "R4":
            body["ties"] = [A]
        await api.post("office", "/reviewers", json=body, expect=201)
    for code, user in REVIEWER_USERS.items():
        await api.add_user(user, "reviewer", reviewer_code=code)
    for org, user in APPLICANTS.items():
        await api.add_user(user, "applicant", credit_code=org)
    for role, user in ROLE_USERS.items():
        await api.add_user(user, role)
    for step in api.after_populate:
        await step(api)


async def open_cycle(api: Api, deadline_days: int = 5, rules: dict[str, Any] | None = None) -> int:
    today = api.clock.today()
    year = today.year
    deadline = today + timedelta(days=deadline_days)
    body: dict[str, Any] = {
        "year": year,
        "application_deadline": deadline.isoformat(),
        "committee_members": 9,
    }
    if rules is not None:
        body["rules"] = rules
    await api.post("office", "/cycles", json=body, expect=201)
    return year


async def phase(api: Api, year: int) -> str:
    return str((await api.get("office", f"/cycles/{year}", expect=200)).json()["phase"])


async def wait_phase(api: Api, year: int, wanted: str) -> None:
    async def reached() -> bool:
        return await phase(api, year) == wanted

    await eventually(reached)


async def apply_all(api: Api, year: int) -> None:
    for org, user in APPLICANTS.items():
        award = "innovation" if org == C else "quality"
        await api.post(user, f"/cycles/{year}/applications", json={"award": award}, expect=201)


async def pass_deadline(api: Api, year: int, deadline_days: int = 5) -> None:
    await api.clock.advance(timedelta(days=deadline_days + 1))
    await wait_phase(api, year, "qualification")


async def assign(api: Api, year: int, org: str, stage: str, members: list[str]) -> None:
    path = f"/cycles/{year}/applications/{org}/panels/{stage}"
    await api.put("office", path, json={"reviewers": members, "leader": members[0]}, expect=200)


async def score(api: Api, year: int, org: str, stage: str, reviewer: str, points: float) -> None:
    path = f"/cycles/{year}/applications/{org}/scores/{stage}"
    await api.post(REVIEWER_USERS[reviewer], path, json={"points": points}, expect=200)


async def to_document_review(api: Api, rules: dict[str, Any] | None = None) -> int:
    """Populated county, cycle open, three applications, qualification closed, panels set."""
    await populate(api)
    year = await open_cycle(api, rules=rules)
    await apply_all(api, year)
    await pass_deadline(api, year)
    await api.post("office", f"/cycles/{year}/close-qualification", expect=200)
    assert await phase(api, year) == "document_review"
    for org in APPLICANTS:
        await assign(api, year, org, "document", PANEL)
    return year


async def to_committee(api: Api, rules: dict[str, Any] | None = None) -> int:
    """Every stage scored by totals, all three candidates before the committee."""
    year = await to_document_review(api, rules)
    for org in APPLICANTS:
        for n, reviewer in enumerate(PANEL):
            await score(api, year, org, "document", reviewer, 700 + 10 * n)
    await api.post("office", f"/cycles/{year}/shortlist", json={"auto": True}, expect=200)
    for org, user in APPLICANTS.items():
        await assign(api, year, org, "site", PANEL)
        for reviewer in PANEL:
            await score(api, year, org, "site", reviewer, 720)
        await confirm_site_report(api, year, org, user)
    return year


async def site_report(api: Api, year: int, org: str, user: str) -> bytes:
    """The site review report as the applicant downloads it (§4(3))."""
    path = f"/cycles/{year}/documents/review_report?stage=site&credit_code={org}"
    return (await api.get(user, path, expect=200)).content


async def confirm_site_report(api: Api, year: int, org: str, user: str) -> None:
    """The applicant reads its site review report and confirms it by its digest."""
    digest = hashlib.sha256(await site_report(api, year, org, user)).hexdigest()
    path = f"/cycles/{year}/applications/{org}/site-report/confirm"
    await api.post(user, path, json={"report_sha256": digest}, expect=200)


async def to_publicity(api: Api) -> int:
    """The whole way to publicity: all three on the list."""
    year = await to_committee(api)
    yes = {"yes": 8, "no": 1, "abstain": 0}
    for award, orgs in (("quality", [A, B]), ("innovation", [C])):
        body = {"award": award, "present": 9, "ballots": dict.fromkeys(orgs, yes)}
        await api.post("secretary", f"/cycles/{year}/votes", json=body, expect=200)
    assert await phase(api, year) == "publicity"
    return year
