"""A cycle carried through the console's forms from opening to the site review, each role
signed in as itself, with its to-do list checked at every phase (issue #14)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.api.support import Api
from tests.api.world import APPLICANTS, PANEL, A, B, C, pass_deadline, populate
from tests.api.world import apply_all as apply_everyone
from tests.api.world import open_cycle as open_api_cycle
from tests.web.cycle import (
    apply_all,
    form_panel,
    open_cycle,
    phase,
    register_county,
    score_total,
    wait_phase,
)
from tests.web.support import Console
from web.pages import home


def task_keys(page: str) -> list[str]:
    return re.findall(r'data-task="([^"]+)"', page)


async def todo(console: Console, user: str) -> list[str]:
    response = await console.get(user, "/")
    assert response.status_code == 200, response.text
    return task_keys(response.text)


async def test_a_cycle_through_the_pages_with_each_roles_to_do_list(
    console: Console, api: Api
) -> None:
    await console.sign_in("office")
    await register_county(console, api)
    year = await open_cycle(console, api)
    await console.sign_in("org_a")
    assert f"apply:{year}" in await todo(console, "org_a")
    overview = await console.get("office", f"/console/cycles/{year}")
    assert "申报受理" in overview.text
    assert 'class="now"' in overview.text

    await apply_all(console, year)
    assert f"apply:{year}" not in await todo(console, "org_a")
    assert f"materials:{year}" not in await todo(console, "org_a")  # uploaded

    await api.clock.advance(timedelta(days=6))
    await wait_phase(api, year, "qualification")
    office = await todo(console, "office")
    assert f"close-qualification:{year}" in office
    assert f"finding:{year}:{A}" in office

    page = f"/console/cycles/{year}/applications/{A}"
    finding = {"department": "market_supervision", "passed": "yes", "note": "无异常"}
    done = await console.submit("office", page, f"{page}/findings", finding)
    assert done.status_code == 303, done.text
    closed = await console.submit(
        "office", f"/console/cycles/{year}", f"/console/cycles/{year}/close-qualification"
    )
    assert closed.status_code == 303, closed.text
    assert await phase(api, year) == "document_review"
    office = await todo(console, "office")
    assert {f"panel:{year}:{c}:document" for c in APPLICANTS} <= set(office)

    panel_page = await console.get("office", f"{page}/panels/document")
    assert re.search(r'data-reviewer="R4">.*?不能参加：与申报组织有登记', panel_page.text, re.S)
    refused = await console.submit(
        "office",
        f"{page}/panels/document",
        f"{page}/panels/document",
        {"reviewers": ["R1", "R2"], "leader": "R1"},
    )
    assert refused.status_code == 422
    assert "评审组成员不足3名" in refused.text
    assert "§2(4)" in refused.text
    assert 'value="R1" aria-label="选入 R1" checked' in refused.text  # the choice kept

    for code in APPLICANTS:
        await form_panel(console, year, code, "document", PANEL)
    assert not any(k.startswith("panel:") for k in await todo(console, "office"))
    await console.sign_in("rev1")
    assert f"score:{year}:{A}:document" in await todo(console, "rev1")
    assert f"conflicts:{year}" in await todo(console, "rev1")

    for code in APPLICANTS:
        for n, reviewer in enumerate(PANEL):
            if reviewer != "R1":
                await console.sign_in(f"rev{reviewer[1]}")
            await score_total(console, year, code, "document", reviewer, 700 + 10 * n)
    assert f"shortlist:{year}" in await todo(console, "office")
    preview = await console.get("office", f"/console/cycles/{year}/shortlist")
    assert preview.text.count('<span class="tag ok">推荐</span>') == 3
    adopted = await console.submit(
        "office",
        f"/console/cycles/{year}/shortlist",
        f"/console/cycles/{year}/shortlist",
        {"adopt": "recommended"},
    )
    assert adopted.status_code == 303, adopted.text
    await wait_phase(api, year, "site_review")

    for code in (A, B, C):
        await form_panel(console, year, code, "site", PANEL)
        for reviewer in PANEL:
            await score_total(console, year, code, "site", reviewer, 720)
    assert f"site-report:{year}" in await todo(console, "org_a")
    shown = (await console.get("org_a", page)).text
    assert "现场评审报告" in shown
    assert "SHA-256" in shown  # §4(3): the applicant confirms this report, by its digest
    confirmed = await console.submit("org_a", page, f"{page}/site-report/confirm")
    assert confirmed.status_code == 303, confirmed.text
    assert f"site-report:{year}" not in await todo(console, "org_a")
    for code, user in APPLICANTS.items():
        if code != A:
            own = f"/console/cycles/{year}/applications/{code}"
            await console.sign_in(user)
            assert (
                await console.submit(user, own, f"{own}/site-report/confirm")
            ).status_code == 303
    await wait_phase(api, year, "committee")
    await console.sign_in("secretary")
    assert f"votes:{year}" in await todo(console, "secretary")


async def test_the_to_do_list_in_pages_past_the_last_shows_the_last(
    console: Console, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    await populate(api)
    year = await open_api_cycle(api)
    await apply_everyone(api, year)
    await pass_deadline(api, year)
    await console.sign_in("office")
    everything = await todo(console, "office")
    assert len(everything) >= 4  # three findings and closing the qualification
    monkeypatch.setattr(home, "PAGE_SIZE", 3)
    first = await console.get("office", "/")
    assert task_keys(first.text) == everything[:3]
    pages = -(-len(everything) // 3)
    assert f"共 {len(everything)} 项 · 第 1/{pages} 页" in first.text
    assert 'href="/?page=2" rel="next"' in first.text
    last = await console.get("office", f"/?page={pages}")
    assert task_keys(last.text) == everything[3 * (pages - 1) :]
    assert "下一页" not in last.text
    assert task_keys((await console.get("office", "/?page=99")).text) == task_keys(last.text)
    assert task_keys((await console.get("office", "/?page=x")).text) == everything[:3]
