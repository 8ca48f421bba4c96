"""One cycle through the console in a real browser, every role signing in as itself, from
the first sign-in to the honors: the committee's votes, publicity with an objection filed
on the public portal and investigated, the government's approval, the honors register. It
saves each role's to-do list, the score sheet, the votes, publicity, approval and honors
pages and the portal to `docs/screenshots/`.

The clock is the time-skipping test server's: the test skips it past the application
deadline and past the publicity's close (a person would wait); everything else is clicks
and typing.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.async_api import Browser

from tests.api.pdfs import pdf
from tests.api.support import OFFICE, PASSWORD, Api, eventually
from tests.api.world import APPLICANTS, PANEL, REVIEWER_USERS, ROLE_USERS, A, B, C
from tests.web.browser import People, chromium, fill_form, served, shot
from tests.web.cycle import ORG_NAMES

pytestmark = pytest.mark.sqlite_only  # a minute of browser work: once, in the SQLite pass


async def _phase(api: Api, year: int) -> str:
    return str((await api.get("office", f"/cycles/{year}", expect=200)).json()["phase"])


async def _reach(api: Api, year: int, wanted: str) -> None:
    async def reached() -> bool:
        return await _phase(api, year) == wanted

    await eventually(reached)


async def test_a_cycle_from_opening_to_the_honors_in_a_browser(
    app: FastAPI, api: Api, tmp_path: Path
) -> None:
    passwords = {OFFICE[0]: OFFICE[1]}
    material = tmp_path / "申报书.pdf"
    material.write_bytes(pdf())
    async with served(app) as base, chromium() as browser:
        people = People(browser, base, passwords)
        try:
            year = await _office_prepares(people, api, passwords)
            await _applicants_apply(people, year, material)
            await api.clock.advance(timedelta(days=6))  # past the application deadline
            await _reach(api, year, "qualification")
            await _office_qualifies(people, year)
            await _reach(api, year, "document_review")
            await _document_review(people, year)
            await _site_review(people, api, year)
            await _reach(api, year, "committee")
            for user, name in [("secretary", "committee"), ("watch", "supervisor")]:
                page = await people.as_(user)
                await shot(page, f"todo-{name}")
            page = await people.as_("secretary")
            assert "录入评委会表决结果" in await page.inner_text("table.tasks")
            await _committee_votes(people, year)
            await _reach(api, year, "publicity")
            await _publicity(people, browser, year)
            await api.clock.advance(timedelta(days=8))  # past the publicity's close
            await _reach(api, year, "approval")
            await _approval_and_honors(people, browser, year)
            page = await people.open("office", f"/console/cycles/{year}")
            await shot(page, "cycle-overview")
            page = await people.open("office", f"/console/cycles/{year}/applications/{A}")
            await shot(page, "application")
            page = await people.open("office", f"/console/organizations/{A}")
            assert ORG_NAMES[A] in await page.inner_text("#facts")
            assert f"{year}年度" in await page.inner_text("#honors")
            await shot(page, "organization")
            page = await people.open("org_a", f"/console/cycles/{year}/applications/{A}")
            await page.set_viewport_size({"width": 390, "height": 844})  # a phone
            await shot(page, "phone-application")
            page = await people.open("watch", "/console/audit?verify=1")
            assert "审计链完整" in await page.inner_text("#verification")
        finally:
            await people.close()


async def _office_prepares(people: People, api: Api, passwords: dict[str, str]) -> int:
    page = await people.as_("office")
    assert "我的待办" in await page.title()
    year = api.clock.today().year
    await page.goto(people.base + "/console/organizations")
    values: dict[str, object]
    for code in (A, B, C):
        values = {
            "credit_code": code,
            "name": ORG_NAMES[code],
            "registered_on": "2010-01-01",
            "industry": "manufacturing",
            "industrial": True,
            "excellence_since": "2015-01-01",
            **{f"mu_{y}": "A" for y in (year - 3, year - 2, year - 1)},
        }
        await fill_form(page, "/console/organizations", values)
    await page.goto(people.base + "/console/reviewers")
    for code in [*PANEL, "R4"]:
        values = {
            "code": code,
            "name": f"评审员{code}",
            "industries": ["manufacturing"],
        }
        if code == "R4":
            values["ties"] = A
        await fill_form(page, "/console/reviewers", values)
    await page.goto(people.base + "/console/users")
    accounts = [(u, "reviewer", {"reviewer_code": c}) for c, u in REVIEWER_USERS.items()]
    accounts += [(u, "applicant", {"credit_code": c}) for c, u in APPLICANTS.items()]
    accounts += [(u, role, {}) for role, u in ROLE_USERS.items()]
    for username, role, links in accounts:
        values = {"username": username, "password": PASSWORD, "role": role, **links}
        await fill_form(page, "/console/users", values)
        passwords[username] = PASSWORD
    await page.goto(people.base + "/console/cycles")
    deadline = (api.clock.today() + timedelta(days=5)).isoformat()
    await fill_form(page, "/console/cycles", {"year": str(year), "application_deadline": deadline})
    assert "本周期将采用的评审规则" in await page.inner_text("#confirm-open")
    await shot(page, "open-cycle-rules")
    await fill_form(page, "/console/cycles", button='button[name="confirm"]')
    assert "申报受理" in await page.inner_text(".phases .now")
    return year


async def _applicants_apply(people: People, year: int, material: Path) -> None:
    for code, user in APPLICANTS.items():
        page = await people.as_(user)
        if code == A:
            await shot(page, "todo-applicant")
        await page.click("table.tasks a")  # 提交申报
        award = "innovation" if code == C else "quality"
        await fill_form(page, f"/console/cycles/{year}/apply", {"award": award})
        await fill_form(
            page, f"/console/cycles/{year}/applications/{code}/materials", {"file": material}
        )
        assert "申报书.pdf" in await page.inner_text("#materials")


async def _office_qualifies(people: People, year: int) -> None:
    page = await people.as_("office")
    await shot(page, "todo-office")
    await page.click(f'tr[data-task="finding:{year}:{A}"] a')
    await fill_form(
        page,
        f"/console/cycles/{year}/applications/{A}/findings",
        {"department": "market_supervision", "passed": "yes"},
    )
    await page.goto(f"{people.base}/console/cycles/{year}")
    await fill_form(page, f"/console/cycles/{year}/close-qualification")


async def _document_review(people: People, year: int) -> None:
    office = await people.as_("office")
    for code in APPLICANTS:
        await office.click(f'tr[data-task="panel:{year}:{code}:document"] a')
        if code == A:
            why = await office.inner_text('tr[data-reviewer="R4"]')
            assert "不能参加" in why
            await shot(office, "panel-forming")
        await fill_form(
            office, office.url.replace(people.base, ""), {"reviewers": PANEL, "leader": "R1"}
        )
        await office.goto(people.base + "/")
    reviewer = await people.as_("rev1")
    await shot(reviewer, "todo-reviewer")
    await reviewer.click(f'tr[data-task="score:{year}:{A}:document"] a')
    for n, item in enumerate(await reviewer.locator("input[data-points]").all()):
        await item.fill(str(60 + 5 * (n % 6)))
    total = await reviewer.inner_text("[data-total]")
    assert re.match(r"\d+\.\d（已填 23 / 23 项）", total), total
    await shot(reviewer, "score-sheet")
    await fill_form(reviewer, reviewer.url.replace(people.base, ""))
    for code in APPLICANTS:
        for n, member in enumerate(PANEL):
            if (code, member) == (A, "R1"):
                continue
            page = await people.open(
                REVIEWER_USERS[member],
                f"/console/cycles/{year}/applications/{code}/scores/document",
            )
            await fill_form(page, page.url.replace(people.base, ""), {"points": 700 + 10 * n})
    office = await people.as_("office")
    await office.click(f'tr[data-task="shortlist:{year}"] a')
    await shot(office, "shortlist")
    await fill_form(
        office, f"/console/cycles/{year}/shortlist", button='button[value="recommended"]'
    )


async def _site_review(people: People, api: Api, year: int) -> None:
    await _reach(api, year, "site_review")
    office = await people.as_("office")
    for code in APPLICANTS:
        await office.goto(f"{people.base}/console/cycles/{year}/applications/{code}/panels/site")
        await fill_form(
            office, office.url.replace(people.base, ""), {"reviewers": PANEL, "leader": "R1"}
        )
        for member in PANEL:
            page = await people.open(
                REVIEWER_USERS[member], f"/console/cycles/{year}/applications/{code}/scores/site"
            )
            await fill_form(page, page.url.replace(people.base, ""), {"points": 720})
    for code, user in APPLICANTS.items():
        page = await people.as_(user)
        await page.click(f'tr[data-task="site-report:{year}"] a')
        await fill_form(page, f"/console/cycles/{year}/applications/{code}/site-report/confirm")
        assert "现场评审报告已于" in await page.inner_text("#stage-site")


async def _committee_votes(people: People, year: int) -> None:
    page = await people.as_("secretary")
    await page.click(f'tr[data-task="votes:{year}"] a')
    votes = f"/console/cycles/{year}/votes"
    await fill_form(page, f"{votes}/quality", {"present": 5}, refused=True)  # below ⅔
    assert "§4(4)" in await page.inner_text("#present-error")
    for award, codes in (("quality", [A, B]), ("innovation", [C])):
        tallies: dict[str, object] = {"present": 9}
        for code in codes:
            tallies |= {f"yes:{code}": 8, f"no:{code}": 1, f"abstain:{code}": 0}
        if award == "innovation":
            await shot(page, "votes")
        await fill_form(page, f"{votes}/{award}", tallies)


async def _publicity(people: People, browser: Browser, year: int) -> None:
    public = await browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    try:
        await public.goto(people.base + "/portal")
        assert ORG_NAMES[B] in await public.inner_text("table")
        await shot(public, "portal-home")
        await public.click('a[href="/portal/objection"]')
        values = {"credit_code": B, "name": "李某", "contact": "13800000000", "content": "材料存疑"}
        await fill_form(public, "/portal/objection", values)
        number = await public.inner_text("[data-number]")
    finally:
        await public.close()
    office = await people.as_("office")
    await office.click(f'tr[data-task="investigate:{year}:{number}"] a')
    await fill_form(
        office,
        f"/console/cycles/{year}/objections/{number}/investigation",
        {"finding": "unsubstantiated", "report": "经核实，反映情况不属实"},
    )
    assert "不属实" in await office.inner_text("[data-finding]")
    await office.goto(f"{people.base}/console/cycles/{year}/publicity")
    await shot(office, "publicity")


async def _approval_and_honors(people: People, browser: Browser, year: int) -> None:
    county = await people.as_("county")
    await shot(county, "todo-government")
    await county.click(f'tr[data-task="approve:{year}"] a')
    await shot(county, "approval")
    await fill_form(county, f"/console/cycles/{year}/approval")
    assert "/console/honors" in county.url
    listed = await county.inner_text("table")
    for code in (A, B, C):
        assert ORG_NAMES[code] in listed
    office = await people.open("office", "/console/honors")
    await shot(office, "honors")
    await office.click(f'tr[data-honor="{A}:quality:{year}"] a')
    assert "可撤销期限" in await office.inner_text("main")
    await shot(office, "honor")
    public = await browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    try:
        await public.goto(people.base + "/portal/honors")
        assert str(year) in await public.inner_text("table")
        await shot(public, "portal-honors")
    finally:
        await public.close()
