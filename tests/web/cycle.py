"""The steps of a cycle as each role takes them in the console's pages (forms only), for
the page tests; the browser test (`test_browser.py`) clicks the same way."""

from __future__ import annotations

from datetime import timedelta

from tests.api.pdfs import pdf
from tests.api.support import Api, eventually
from tests.api.world import APPLICANTS, PANEL, REVIEWER_USERS, ROLE_USERS, A, B, C
from tests.web.support import Console, hidden_fields

ORG_NAMES = {
    A: "庆元县测试企业1有限公司",
    B: "庆元县测试企业2有限公司",
    C: "庆元县测试企业3有限公司",
}


def _ok(response: object, expected: int = 303) -> None:
    status = getattr(response, "status_code", None)
    assert status == expected, getattr(response, "text", response)


async def register_county(console: Console, api: Api) -> None:
    """Organizations, the reviewer pool (R4 tied to A) and one account per role, by the office
    in the console's forms."""
    year = api.clock.today().year
    for code in (A, B, C):
        data = {
            "credit_code": code,
            "name": ORG_NAMES[code],
            "county": "庆元县",
            "registered_on": "2010-01-01",
            "industry": "manufacturing",
            "industrial": "on",
            "excellence_since": "2015-01-01",
            **{f"mu_{y}": "A" for y in (year - 3, year - 2, year - 1)},
        }
        _ok(
            await console.submit("office", "/console/organizations", "/console/organizations", data)
        )
    for code in [*PANEL, "R4"]:
        reviewer: dict[str, str | list[str]] = {
            "code": code,
            "name": f"评审员{code}",
            "industries": ["manufacturing"],
        }
        if code == "R4":
            reviewer["ties"] = A
        _ok(await console.submit("office", "/console/reviewers", "/console/reviewers", reviewer))
    accounts = [(u, "reviewer", {"reviewer_code": c}) for c, u in REVIEWER_USERS.items()]
    accounts += [(u, "applicant", {"credit_code": c}) for c, u in APPLICANTS.items()]
    accounts += [(u, role, {}) for role, u in ROLE_USERS.items()]
    for username, role, links in accounts:
        data = {"username": username, "password": "secret-password", "role": role, **links}
        _ok(await console.submit("office", "/console/users", "/console/users", data))
        console.passwords[username] = "secret-password"


async def open_cycle(console: Console, api: Api, deadline_days: int = 5) -> int:
    today = api.clock.today()
    data = {
        "year": str(today.year),
        "committee_members": "9",
        "application_deadline": (today + timedelta(days=deadline_days)).isoformat(),
    }
    preview = await console.submit("office", "/console/cycles", "/console/cycles", data)
    _ok(preview, 200)  # the rules that will apply, to confirm
    fields = {**hidden_fields(preview.text, "/console/cycles"), "confirm": "yes"}
    _ok(await console.client("office").post("/console/cycles", data=fields))
    return today.year


async def apply_all(console: Console, year: int) -> None:
    for code, user in APPLICANTS.items():
        await console.sign_in(user)
        award = "innovation" if code == C else "quality"
        _ok(
            await console.submit(
                user,
                f"/console/cycles/{year}/apply",
                f"/console/cycles/{year}/apply",
                {"award": award},
            )
        )
        page = f"/console/cycles/{year}/applications/{code}"
        files = {"file": ("申报书.pdf", pdf(), "application/pdf")}
        _ok(await console.submit(user, page, f"{page}/materials", files=files))


async def phase(api: Api, year: int) -> str:
    return str((await api.get("office", f"/cycles/{year}", expect=200)).json()["phase"])


async def wait_phase(api: Api, year: int, wanted: str) -> None:
    async def reached() -> bool:
        return await phase(api, year) == wanted

    await eventually(reached)


async def form_panel(
    console: Console, year: int, code: str, stage: str, members: list[str]
) -> None:
    page = f"/console/cycles/{year}/applications/{code}/panels/{stage}"
    _ok(await console.submit("office", page, page, {"reviewers": members, "leader": members[0]}))


async def score_total(
    console: Console, year: int, code: str, stage: str, reviewer: str, points: float
) -> None:
    user = REVIEWER_USERS[reviewer]
    page = f"/console/cycles/{year}/applications/{code}/scores/{stage}"
    _ok(await console.submit(user, page, page, {"points": str(points)}))
