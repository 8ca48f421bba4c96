"""The insight page (issue #18): a cycle's timeline and plots, each with its table, as each
role may see them; the cycle and honor pages' timelines; an application's explanation; and
the insight page in a real browser after a cycle of several applications, saved as
`docs/screenshots/insight.png`."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI

from tests.api.support import Api
from tests.api.test_plots import document_scores, larger_cycle, scored_cycle
from tests.api.world import A, B, C, to_document_review
from tests.web.browser import People, chromium, served, shot
from tests.web.support import Console
from tests.web.test_second_half_access import assert_forbidden

NS = {"s": "http://www.w3.org/2000/svg"}


def inline_svgs(page: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg .*?</svg>", page, re.S)]


def table_rows(page: str, section: str) -> list[str]:
    found = re.search(rf'<section class="card insight" id="{section}">(.*?)</section>', page, re.S)
    assert found is not None, section
    return re.findall(r'<tr data-(?:code|outcome)="([^"]+)"', found.group(1))


async def test_the_office_sees_every_plot_with_its_table(console: Console, api: Api) -> None:
    year = await scored_cycle(api)
    await console.sign_in("office")
    page = await console.get("office", f"/console/cycles/{year}/insight")
    assert page.status_code == 200, page.text
    text = page.text
    assert "style=" not in text  # the CSP allows no inline style
    titles = [svg.findtext("s:title", namespaces=NS) for svg in inline_svgs(text)]
    assert titles == [
        f"{year}年度评审周期时间线",
        f"{year}年度申报评审结果",
        f"{year}年度质量奖总得分分布",
        f"{year}年度创新奖总得分分布",
        f"{year}年度资料评审各评审组评分差异",
        f"{year}年度现场评审各评审组评分差异",
        f"{year}年度评审员R1（评审员R1）评分与评审组均分",
    ]
    assert all(svg.get("role") == "img" for svg in inline_svgs(text))
    assert table_rows(text, "plot-scores-quality") == [A, B]  # best first
    assert table_rows(text, "plot-scores-innovation") == [C]
    assert table_rows(text, "plot-panels-document") == [C, A, B]
    assert table_rows(text, "plot-reviewer") == [C, A, B, C, A, B]  # document, then site
    assert "超过提示线" in text  # A's document panel differs by 150
    assert '<tr data-code="' + A + '" class="winner">' in text
    # another reviewer through the form on the page
    r3 = await console.get("office", f"/console/cycles/{year}/insight?reviewer=R3")
    assert f"{year}年度评审员R3（评审员R3）评分与评审组均分" in r3.text
    assert '<option value="R3" selected>' in r3.text
    missing = await console.get("office", f"/console/cycles/{year}/insight?reviewer=R9")
    assert "评审员 R9 在本周期没有评分" in missing.text

    cycle = await console.get("office", f"/console/cycles/{year}")
    assert f'<img src="/console/cycles/{year}/timeline.svg"' in cycle.text
    assert f'href="/console/cycles/{year}/insight"' in cycle.text
    picture = await console.get("office", f"/console/cycles/{year}/timeline.svg")
    assert picture.headers["content-type"].startswith("image/svg+xml")
    assert ET.fromstring(picture.text).findtext("s:title", namespaces=NS) == (
        f"{year}年度评审周期时间线"
    )


async def test_the_application_page_explains_its_outcome(console: Console, api: Api) -> None:
    year = await scored_cycle(api)
    await console.sign_in("org_b")
    await console.sign_in("rev1")
    page = await console.get("org_b", f"/console/cycles/{year}/applications/{B}")
    found = re.search(r'<section class="card explanation" id="explanation">(.*?)</section>',
                      page.text, re.S)  # fmt: skip
    assert found is not None, page.text
    block = found.group(1)
    assert "§4(4)" in block
    assert "赞成3票、反对6票" in block
    assert "未获通过" in block
    # a reviewer reads no outcome and no explanation
    reviewer = await console.get("rev1", f"/console/cycles/{year}/applications/{B}")
    assert 'id="explanation"' not in reviewer.text


async def test_who_sees_the_insight_page(console: Console, api: Api) -> None:
    year = await to_document_review(api)
    await document_scores(api, year, leave_out=(B, "R3"))
    for user in ("rev1", "rev4", "org_a", "county", "watch", "secretary"):
        await console.sign_in(user)
    path = f"/console/cycles/{year}/insight"
    for user in ("org_a", "county"):
        assert_forbidden(await console.get(user, path))
    for user in ("watch", "secretary"):
        assert "申报评审结果" in (await console.get(user, path)).text
    mine = (await console.get("rev1", path)).text
    assert "总得分分布" not in mine
    assert "申报评审结果" not in mine
    assert table_rows(mine, "plot-panels-document") == [C, A]  # B's panel has not reported
    assert table_rows(mine, "plot-reviewer") == [C, A]
    assert "评审组" in mine
    assert "<select" not in mine
    assert "640" not in mine  # R2's total on B's unreported panel
    assert_forbidden(await console.get("rev1", f"{path}?reviewer=R2"))  # only ever its own
    assert table_rows((await console.get("rev4", path)).text, "plot-panels-document") == []


async def test_an_honor_page_shows_its_timeline(console: Console, api: Api) -> None:
    year = await to_document_review(api)
    awarded_on = api.clock.today() - timedelta(days=400)
    body = {"credit_code": A, "award": "quality", "year": awarded_on.year,
            "awarded_on": awarded_on.isoformat()}  # fmt: skip
    await api.post("office", "/honors/historical", json=body, expect=201)
    for user in ("office", "org_a", "org_b"):
        await console.sign_in(user)
    register = await console.get("office", "/console/honors")
    link = re.search(r'<a href="(/console/honors/(\d+))"', register.text)
    assert link is not None, register.text
    page = await console.get("org_a", link.group(1))
    assert f'<img src="{link.group(1)}/timeline.svg"' in page.text
    svg = await console.get("org_a", f"{link.group(1)}/timeline.svg")
    assert svg.status_code == 200
    assert "可撤销期（§6(6)）" in svg.text
    refused = await console.get("org_b", f"{link.group(1)}/timeline.svg")
    assert refused.status_code == 404
    assert year >= awarded_on.year


@pytest.mark.sqlite_only  # a browser: once, in the SQLite pass
async def test_the_insight_page_in_a_browser(app: FastAPI, api: Api, tmp_path: Path) -> None:
    year = await larger_cycle(api)
    async with served(app) as base, chromium() as browser:
        people = People(browser, base, {"office": "office-password"})
        people.passwords.update(api.passwords)
        try:
            page = await people.open("office", f"/console/cycles/{year}/insight")
            assert await page.locator("section.insight svg[role=img]").count() == 7
            box = await page.locator("#plot-scores-quality svg").bounding_box()
            assert box is not None
            assert box["width"] > 300
            assert "末位候选" in await page.inner_text("#plot-scores-quality")
            await shot(page, "insight")
            listed = await people.open("office", f"/console/cycles/{year}/applications/{B}")
            because = listed.locator("#explanation")
            assert "§4(2)" in await because.inner_text()  # B ranked 7th of 9: not shortlisted
            await because.screenshot(path=str(tmp_path / "explanation.png"))
            cycle = await people.open("office", f"/console/cycles/{year}")
            width = await cycle.locator("#timeline img").evaluate("img => img.naturalWidth")
            assert width > 0  # the timeline loaded (same origin, the session's cookie)
        finally:
            await people.close()
