"""The rehearsal pages (规则预演): the office rehearses a live cycle or an uploaded scenario
under changed rule values and reads the comparison; the supervision group reads; nobody
else sees them; the live database and workflows are untouched."""

from __future__ import annotations

import asyncio
import re
from html import unescape
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select

import db.models  # noqa: F401 -- every table in Base.metadata
from db.base import Base
from services.rehearsals import Rehearsals
from tests.api.support import Api
from tests.api.world import (
    APPLICANTS,
    PANEL,
    A,
    B,
    C,
    assign,
    confirm_site_report,
    score,
    to_document_review,
)
from tests.api.world import phase as phase_of
from tests.web.support import Console, hidden_fields
from web.pages.rehearsal import rehearsals_of

SCENARIOS = Path(__file__).resolve().parents[1] / "sim" / "scenarios"
DOCUMENT = {A: 800.0, B: 750.0, C: 700.0}
SITE = {A: 820.0, B: 760.0, C: 730.0}


async def live_cycle(api: Api) -> int:
    """A live cycle at publicity: A and B voted through for the Quality Award (A ahead on
    its scores), C for the Innovation Award."""
    year = await to_document_review(api)
    for org in APPLICANTS:
        for reviewer in PANEL:
            await score(api, year, org, "document", reviewer, DOCUMENT[org])
    await api.post("office", f"/cycles/{year}/shortlist", json={"auto": True}, expect=200)
    for org, user in APPLICANTS.items():
        await assign(api, year, org, "site", PANEL)
        for reviewer in PANEL:
            await score(api, year, org, "site", reviewer, SITE[org])
        await confirm_site_report(api, year, org, user)
    yes = {"yes": 8, "no": 1, "abstain": 0}
    for award, orgs in (("quality", [A, B]), ("innovation", [C])):
        body = {"award": award, "present": 9, "ballots": dict.fromkeys(orgs, yes)}
        await api.post("secretary", f"/cycles/{year}/votes", json=body, expect=200)
    assert await phase_of(api, year) == "publicity"
    return year


async def _live_rows(app: FastAPI) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the live database."""
    sessions = app.state.ctx.sessions
    found: dict[str, list[tuple[Any, ...]]] = {}
    async with sessions() as session:
        for table in Base.metadata.sorted_tables:
            rows = (await session.execute(select(table))).all()
            found[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return found


async def _history_length(app: FastAPI, year: int) -> int:
    async with app.state.ctx.sessions() as session:
        from services.views import find_cycle

        cycle = await find_cycle(session, year)
    history = await app.state.ctx.client.get_workflow_handle(cycle.workflow_id).fetch_history()
    return len(history.events)


def _rehearsal_id(location: str) -> str:
    found = re.fullmatch(r"/console/rehearsals/([0-9a-f]+)", location)
    assert found, location
    return found.group(1)


def _form_values(page: str) -> dict[str, str]:
    """The rule fields as the form shows them (pre-filled)."""
    form = re.search(r'<form method="post" action="/console/rehearsals".*?</form>', page, re.S)
    assert form is not None
    return {
        unescape(n): unescape(v)
        for n, v in re.findall(r'<input type="text" name="([^"]+)" value="([^"]*)"', form.group(0))
    }


async def test_the_office_rehearses_a_live_cycle_with_one_quality_place_less(
    app: FastAPI, console: Console, api: Api
) -> None:
    year = await live_cycle(api)
    await console.sign_in("office")
    cycle_page = await console.get("office", f"/console/cycles/{year}")
    assert f'href="/console/rehearsals/new?year={year}"' in cycle_page.text
    new = f"/console/rehearsals/new?year={year}"
    form = await console.get("office", new)
    assert form.status_code == 200
    values = _form_values(form.text)
    assert values["quality.quota"] == "3"
    assert values["scoring.weights.site"] == "0.6"
    assert values["publicity.days"] == "7"
    assert "原规则：3" in form.text
    registry = rehearsals_of_app(app)

    # A wrong value: shown next to its field, in Chinese; nothing starts.
    wrong = await console.submit(
        "office", new, "/console/rehearsals", {"quality.quota": "一个", "publicity.days": "0"}
    )
    assert wrong.status_code == 422
    assert 'id="quality.quota-error"' in wrong.text
    assert "质量奖名额（§1(2)）：应为整数" in wrong.text
    assert "不能小于 1" in wrong.text
    assert 'value="一个"' in wrong.text
    assert registry.all() == []

    started = await console.submit("office", new, "/console/rehearsals", {"quality.quota": "1"})
    assert started.status_code == 303, started.text
    rehearsal_id = _rehearsal_id(started.headers["location"])
    progress = await console.get("office", started.headers["location"])
    assert progress.status_code == 200
    assert progress.headers["refresh"] == "2"
    assert '<meta http-equiv="refresh" content="2">' in progress.text
    assert "质量奖名额（§1(2）） = 1" not in progress.text
    assert "质量奖名额（§1(2)） = 1" in progress.text

    # While it runs: the live database and the live cycle's workflow do not change.
    rows, events = await _live_rows(app), await _history_length(app, year)
    rehearsal = await registry.wait(rehearsal_id)
    assert rehearsal.state == "done", rehearsal.error
    assert await _live_rows(app) == rows
    assert await _history_length(app, year) == events
    live = app.state.ctx
    assert all(r.database != str(live.engine.url) for r in (rehearsal.base, rehearsal.variant))

    result = await console.get("office", f"/console/rehearsals/{rehearsal_id}")
    assert result.status_code == 200
    assert "refresh" not in result.headers
    assert 'http-equiv="refresh"' not in result.text
    assert "已完成" in result.text
    differences = re.search(
        r'<section class="card" id="differences">.*?</section>', result.text, re.S
    )
    assert differences is not None
    name_a, name_b = "庆元县测试企业1有限公司", "庆元县测试企业2有限公司"  # A's and B's
    assert f"{year} {name_b} 质量奖" in differences.group(0)  # names, not credit codes
    assert f"{year} {name_a} 质量奖" not in differences.group(0)
    assert B not in differences.group(0)
    applications = re.search(r'id="applications">.*?</section>', result.text, re.S)
    assert applications is not None
    row_b = re.search(rf'<tr class="changed"><th>{year} {name_b} 质量奖</th>.*?</tr>', result.text)
    assert row_b is not None
    assert 'class="diff"' in row_b.group(0)
    assert f"<tr><th>{year} {name_a} 质量奖</th>" in applications.group(0)  # unchanged
    for which in ("base", "variant"):
        svg = await console.get(
            "office", f"/console/rehearsals/{rehearsal_id}/timelines/{which}/0.svg"
        )
        assert svg.status_code == 200
        assert svg.headers["content-type"].startswith("image/svg+xml")
        assert f"{year}年度评审周期时间线" in svg.text
    missing = await console.get("office", f"/console/rehearsals/{rehearsal_id}/timelines/x/0.svg")
    assert missing.status_code == 404
    names = re.search(r'id="organizations">.*?</details>', result.text, re.S)
    assert names is not None
    assert f"<tr><th>{B}</th><td>" in names.group(0)  # the exported keys are credit codes
    listed = await console.get("office", "/console/rehearsals")
    assert f"/console/rehearsals/{rehearsal_id}" in listed.text

    # The supervision group reads it; it cannot start one; nobody else sees them.
    await console.sign_in("watch")
    assert (await console.get("watch", f"/console/rehearsals/{rehearsal_id}")).status_code == 200
    assert (await console.get("watch", "/console/rehearsals")).status_code == 200
    assert (await console.get("watch", new)).status_code == 403
    assert "用变更后的规则预演" not in (await console.get("watch", f"/console/cycles/{year}")).text
    for user in ("secretary", "county", "rev1", "org_a"):
        await console.sign_in(user)
        for path in ("/console/rehearsals", f"/console/rehearsals/{rehearsal_id}", new):
            refused = await console.get(user, path)
            assert refused.status_code == 403, (user, path)


def rehearsals_of_app(app: FastAPI) -> Rehearsals:
    """The app's registry, as the pages find it."""

    class _Request:
        def __init__(self, app: FastAPI) -> None:
            self.app = app

    return rehearsals_of(_Request(app))  # type: ignore[arg-type]


async def _upload(console: Console, name: str, text: str) -> Any:
    page = await console.get("office", "/console/rehearsals")
    fields = hidden_fields(page.text, "/console/rehearsals/upload")
    files = {"scenario": (name, text.encode("utf-8"), "application/yaml")}
    return await console.client("office").post(
        "/console/rehearsals/upload", data=fields, files=files
    )


async def test_an_uploaded_scenario_is_rehearsed(app: FastAPI, console: Console) -> None:
    await console.sign_in("office")
    bad = await _upload(console, "bad.yaml", "timeline:\n  - {do: apply}\n")
    assert bad.status_code == 422
    assert "timeline[0]" in bad.text
    assert 'id="scenario-error"' in bad.text
    empty = await console.client("office").post(
        "/console/rehearsals/upload",
        data=hidden_fields((await console.get("office", "/console/rehearsals")).text,
                           "/console/rehearsals/upload"),
    )  # fmt: skip
    assert empty.status_code == 422
    assert "请选择情景文件" in empty.text

    text = (SCENARIOS / "committee-quota.yaml").read_text(encoding="utf-8")
    read = await _upload(console, "committee-quota.yaml", text)
    assert read.status_code == 303
    form_path = read.headers["location"]
    assert form_path.startswith("/console/rehearsals/new?draft=")
    form = await console.get("office", form_path)
    assert "上传的情景：committee-quota.yaml" in form.text
    assert _form_values(form.text)["quality.quota"] == "3"
    weights = {"scoring.weights.document": "0.5", "scoring.weights.site": "0.6"}
    wrong = await console.submit("office", form_path, "/console/rehearsals", weights)
    assert wrong.status_code == 422
    assert "合计为 1" in wrong.text
    started = await console.submit(
        "office", form_path, "/console/rehearsals", {"quality.quota": "2"}
    )
    assert started.status_code == 303
    rehearsal = await rehearsals_of_app(app).wait(_rehearsal_id(started.headers["location"]))
    assert rehearsal.state == "done", rehearsal.error
    result = await console.get("office", started.headers["location"])
    assert "2025 庆元县测试22号有限公司 质量奖" in result.text  # P3 by its name
    assert "未通过评委会表决" in result.text
    p = [f"庆元县测试{n}号有限公司" for n in range(20, 26)]  # P1–P4, R1, R2
    assert "、".join([p[0], p[1], p[2], p[4], p[5]]) in result.text
    assert "、".join([p[0], p[1], p[4], p[5]]) in result.text


async def test_a_full_queue_is_refused_with_its_code(app: FastAPI, console: Console) -> None:
    release = asyncio.Event()

    async def held(scenario: Any, **_: Any) -> Any:
        await release.wait()
        raise RuntimeError("stopped by the test")

    app.state.rehearsals = Rehearsals(max_running=1, max_waiting=0, runner=held)
    await console.sign_in("office")
    text = (SCENARIOS / "committee-quota.yaml").read_text(encoding="utf-8")
    form_path = (await _upload(console, "q.yaml", text)).headers["location"]
    first = await console.submit("office", form_path, "/console/rehearsals", {})
    assert first.status_code == 303
    second = await console.submit("office", form_path, "/console/rehearsals", {})
    assert second.status_code == 422
    assert "请求过于频繁" in second.text
    assert "最多同时运行 1 个" in second.text
    release.set()
    rehearsal = await app.state.rehearsals.wait(_rehearsal_id(first.headers["location"]))
    assert rehearsal.state == "failed"
    shown = await console.get("office", first.headers["location"])
    assert "运行失败：RuntimeError: stopped by the test" in shown.text
