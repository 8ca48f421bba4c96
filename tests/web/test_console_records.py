"""The console's remaining pieces (issue #14): materials downloaded, replaced and deleted by
those the API allows, with its size and PDF checks as field errors; opening a cycle with its
rules set and confirmed; cancelling (confirmed) and resuming a cycle; an organization's file;
the office's "propose a revocation" task; the applications list in pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import update

from db.models import Cycle
from tests.api.pdfs import padded, pdf
from tests.api.support import Api, eventually
from tests.api.world import A, B, C, apply_all, open_cycle, pass_deadline, populate
from tests.web.support import Console, hidden_fields
from tests.web.test_cycle_pages import todo
from tests.web.test_honor_pages import _historical, honor_link
from tests.web.test_second_half_access import assert_forbidden, post_as
from web.pages import applications as application_pages


def _material_ids(page: str) -> list[str]:
    return re.findall(r'data-material="(\d+)"', page)


async def test_materials_downloaded_replaced_and_deleted_as_the_api_allows(
    console: Console, api: Api
) -> None:
    await populate(api)
    year = await open_cycle(api)
    await apply_all(api, year)
    await console.sign_in("org_a")
    page = f"/console/cycles/{year}/applications/{A}"
    first = pdf()
    uploaded = await console.submit(
        "org_a", page, f"{page}/materials", files={"file": ("申报书.pdf", first, "application/pdf")}
    )
    assert uploaded.status_code == 303, uploaded.text
    shown = await console.get("org_a", page)
    (material,) = _material_ids(shown.text)
    link = f"{page}/materials/{material}"
    assert f'href="{link}"' in shown.text
    got = await console.get("org_a", link)
    assert (got.status_code, got.content) == (200, first)
    assert got.headers["content-type"] == "application/pdf"

    # The API's checks, next to the box they concern, nothing changed.
    too_big = padded(70 * 1024)  # the tests' limit is 64 KB
    refused = await console.submit(
        "org_a",
        page,
        f"{link}/replace",
        files={f"file_{material}": ("大.pdf", too_big, "application/pdf")},
    )
    assert refused.status_code == 422
    assert f'id="file_{material}-error"' in refused.text
    error = refused.text.split(f'id="file_{material}-error">', 1)[1].split("</span>", 1)[0]
    assert error == "申报材料超过大小限制：上限为0.06MB（依据《办法》§3(2)2）"
    not_pdf = await console.submit(
        "org_a", page, f"{page}/materials", files={"file": ("a.pdf", b"hello", "application/pdf")}
    )
    assert not_pdf.status_code == 422
    assert 'id="file-error"' in not_pdf.text
    assert _material_ids((await console.get("org_a", page)).text) == [material]

    second = pdf(lambda writer: writer.add_metadata({"/Subject": "第二版"}))
    replaced = await console.submit(
        "org_a",
        page,
        f"{link}/replace",
        files={f"file_{material}": ("第二版.pdf", second, "application/pdf")},
    )
    assert replaced.status_code == 303, replaced.text
    (newer,) = _material_ids((await console.get("org_a", page)).text)
    assert (await console.get("org_a", f"{page}/materials/{newer}")).content == second

    # Another applicant never reads it; the government has no materials; the office does.
    await console.sign_in("org_b")
    assert (await console.get("org_b", f"{page}/materials/{newer}")).status_code == 404
    await console.sign_in("county")
    assert (await console.get("county", f"{page}/materials/{newer}")).status_code == 403
    assert f'{page}/materials/{newer}"' not in (await console.get("county", page)).text
    await console.sign_in("office")
    assert (await console.get("office", f"{page}/materials/{newer}")).content == second
    assert_forbidden(await post_as(console, "county", f"{page}/materials/{newer}/delete"))

    deleted = await console.submit("org_a", page, f"{page}/materials/{newer}/delete")
    assert deleted.status_code == 303, deleted.text
    assert _material_ids((await console.get("org_a", page)).text) == []

    # After the deadline: locked, no forms, a posted replacement refused in Chinese.
    again = await console.submit(
        "org_a", page, f"{page}/materials", files={"file": ("申报书.pdf", first, "application/pdf")}
    )
    assert again.status_code == 303
    (kept,) = _material_ids((await console.get("org_a", page)).text)
    await pass_deadline(api, year)
    locked = await console.get("org_a", page)
    assert "材料已锁定" in locked.text
    assert f"{page}/materials/{kept}/replace" not in locked.text
    late = await post_as(console, "org_a", f"{page}/materials/{kept}/delete")
    assert late.status_code == 422
    assert "申报截止后申报材料不可删除或替换" in late.text


async def test_opening_a_cycle_shows_the_rules_that_will_apply_before_it_opens(
    console: Console, api: Api
) -> None:
    await console.sign_in("office")
    today = api.clock.today()
    data = {
        "year": str(today.year),
        "application_deadline": (today + timedelta(days=5)).isoformat(),
        "committee_members": "9",
        "rule_quality_quota": "5",
        "rule_scoring_allow_totals": "no",
    }
    bad = await console.submit(
        "office", "/console/cycles", "/console/cycles", {**data, "rule_panel_min_size": "0"}
    )
    assert bad.status_code == 422
    assert 'id="rule_panel_min_size-error"' in bad.text
    assert 'value="5"' in bad.text  # kept as typed
    preview = await console.submit("office", "/console/cycles", "/console/cycles", data)
    assert preview.status_code == 200, preview.text
    assert "本周期将采用的评审规则" in preview.text
    changed = preview.text.split("data-changed>", 1)[1].split("</ul>", 1)[0]
    assert "质量奖名额" in changed
    assert "3 名 → 5 名" in changed
    assert "允许直接给总分" in changed
    assert "创新奖名额" not in changed
    assert (await api.get("office", "/cycles")).json() == []  # nothing opened yet
    fields = {**hidden_fields(preview.text, "/console/cycles"), "confirm": "yes"}
    opened = await console.client("office").post("/console/cycles", data=fields)
    assert opened.status_code == 303, opened.text
    overview = await console.get("office", opened.headers["location"])
    assert "5 名 / " in overview.text  # the cycle's own rules
    assert "否（须逐项评分）" in overview.text.split("允许直接给总分", 1)[1][:40]


async def test_cancelling_a_cycle_is_confirmed_and_resuming_one_needing_attention(
    console: Console, api: Api, app: FastAPI
) -> None:
    await populate(api)
    year = await open_cycle(api)
    await console.sign_in("office")
    page = f"/console/cycles/{year}"
    empty = await console.submit("office", page, f"{page}/cancel", {"cancel_reason": ""})
    assert empty.status_code == 422
    assert 'id="cancel_reason-error"' in empty.text
    asked = await console.submit("office", page, f"{page}/cancel", {"cancel_reason": "机构调整"})
    assert asked.status_code == 200
    assert "确认取消" in asked.text
    assert "机构调整" in asked.text
    assert (await api.get("office", page.removeprefix("/console"))).json()["phase"] == "open"

    # A background task that needs the office: shown with its retry button.
    sessions = app.state.ctx.sessions
    async with sessions() as session:
        await session.execute(
            update(Cycle).values(attention="后台任务 测试 失败：邮件服务器无响应")
        )
        await session.commit()
    shown = await console.get("office", page)
    assert "邮件服务器无响应" in shown.text
    resumed = await console.submit("office", page, f"{page}/resume")
    assert resumed.status_code == 303, resumed.text
    await console.sign_in("org_a")
    assert f"{page}/resume" not in (await console.get("org_a", page)).text
    assert_forbidden(await post_as(console, "org_a", f"{page}/resume"))

    fields = {**hidden_fields(asked.text, f"{page}/cancel"), "confirm": "yes"}
    done = await console.client("office").post(f"{page}/cancel", data=fields)
    assert done.status_code == 303, done.text
    cancelled = await console.get("office", page)
    assert "本周期已取消：机构调整" in cancelled.text
    assert f"{page}/cancel" not in cancelled.text


async def test_an_organizations_file_and_the_revocation_to_propose(
    console: Console, api: Api
) -> None:
    year = await _historical(console, api)
    file = f"/console/organizations/{A}"
    register = await console.get("office", "/console/organizations")
    assert f'href="{file}"' in register.text
    shown = await console.get("office", file)
    assert A in shown.text
    assert "庆元县测试企业1有限公司" in shown.text
    assert f"{year}年度" in shown.text  # its honor
    contact = await console.submit(
        "office", file, f"{file}/contact", {"contact_person": "张三", "contact_phone": "abc"}
    )
    assert contact.status_code == 422
    assert 'id="contact_phone-error"' in contact.text
    saved = await console.submit(
        "office",
        file,
        f"{file}/contact",
        {"contact_person": "张三", "contact_phone": "0578-6123456"},
    )
    assert saved.status_code == 303, saved.text
    assert "0578-6123456" in (await console.get("office", file)).text

    link = await honor_link(console, "office", A)
    honor_id = link.rsplit("/", 1)[1]
    assert f"propose-revocation:{honor_id}" not in await todo(console, "office")
    accident = (api.clock.today() - timedelta(days=10)).isoformat()
    recorded = await console.submit(
        "office",
        file,
        f"{file}/records",
        {"on": accident, "kind": "major_accident", "note": "仓库火灾"},
    )
    assert recorded.status_code == 303, recorded.text
    assert "仓库火灾" in (await console.get("office", file)).text
    home = await console.get("office", "/")
    assert f'data-task="propose-revocation:{honor_id}"' in home.text
    assert f'href="{link}#incident"' in home.text

    # The applicant reads its own file, not another's; a reviewer none.
    await console.sign_in("org_a")
    own = await console.get("org_a", file)
    assert own.status_code == 200
    assert "仓库火灾" in own.text
    assert f"{file}/records" not in own.text  # the office's form only
    assert (await console.get("org_a", f"/console/organizations/{B}")).status_code == 404
    await console.sign_in("rev1")
    assert (await console.get("rev1", file)).status_code == 403

    proposed = await console.submit(
        "office",
        link,
        f"{link}/incidents",
        {"occurred_on": accident, "kind": "major_accident", "major_adverse_impact": "on"},
    )
    assert proposed.status_code == 303, proposed.text

    async def gone() -> bool:
        return f"propose-revocation:{honor_id}" not in await todo(console, "office")

    await eventually(gone)
    await console.sign_in("county")
    assert f"revoke:{honor_id}" in await todo(console, "county")


async def test_an_accident_without_major_impact_is_assessed_and_leaves_the_to_do(
    console: Console, api: Api
) -> None:
    """§6(6): the office checks the accident's social impact; when it was not major, it
    reports the incident as such: no revocation, and the task is done (it used to stay)."""
    await _historical(console, api)
    file = f"/console/organizations/{A}"
    link = await honor_link(console, "office", A)
    honor_id = link.rsplit("/", 1)[1]
    accident = (api.clock.today() - timedelta(days=3)).isoformat()
    body = {"on": accident, "kind": "major_accident", "note": "叉车侧翻"}
    recorded = await console.submit("office", file, f"{file}/records", body)
    assert recorded.status_code == 303, recorded.text
    assert f"propose-revocation:{honor_id}" in await todo(console, "office")

    assessed = await console.submit(
        "office",
        link,
        f"{link}/incidents",
        {"occurred_on": accident, "kind": "major_accident", "note": "无人员伤亡，影响有限"},
    )
    assert assessed.status_code == 303, assessed.text

    async def gone() -> bool:
        return f"propose-revocation:{honor_id}" not in await todo(console, "office")

    await eventually(gone)
    page = await console.get("office", link)
    assert 'data-incident="1"' in page.text
    assert "否（不提请撤销）" in page.text
    assert "无人员伤亡，影响有限" in page.text
    await console.sign_in("county")
    assert f"revoke:{honor_id}" not in await todo(console, "county")  # nothing to approve
    await console.sign_in("org_a")
    assert "无人员伤亡" not in (await console.get("org_a", link)).text  # officials only

    # A later accident on the file is a task of its own again.
    later = (api.clock.today() - timedelta(days=1)).isoformat()
    body = {"on": later, "kind": "major_accident", "note": "厂房起火"}
    again = await console.submit("office", file, f"{file}/records", body)
    assert again.status_code == 303, again.text
    assert f"propose-revocation:{honor_id}" in await todo(console, "office")


async def test_the_applications_list_in_pages_keeps_its_filters(
    console: Console, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(application_pages, "PAGE_SIZE", 1)
    await populate(api)
    year = await open_cycle(api)
    await apply_all(api, year)
    await console.sign_in("office")
    listing = f"/console/cycles/{year}/applications"
    first = await console.get("office", listing)
    assert "共 3 项" in first.text
    assert "第 1/3 页" in first.text
    assert first.text.count(f'href="{listing}/') == 1
    assert f'href="{listing}?page=2"' in first.text
    quality = await console.get("office", f"{listing}?award=quality&page=2")
    assert "共 2 项（全部 3 项）" in quality.text
    assert "第 2/2 页" in quality.text
    assert B in quality.text
    assert A not in quality.text.split("<tbody>", 1)[1]
    assert f'href="{listing}?award=quality&amp;page=1"' in quality.text
    assert "下一页" not in quality.text
    beyond = await console.get("office", f"{listing}?page=99")
    assert "第 3/3 页" in beyond.text
    nonsense = await console.get("office", f"{listing}?page=x")
    assert nonsense.status_code == 200
    assert "第 1/3 页" in nonsense.text
    await console.sign_in("org_c")
    own = await console.get("org_c", listing)
    assert "共 1 项" in own.text
    assert C in own.text
    assert A not in own.text


async def test_a_file_past_the_limit_is_refused_as_a_page_naming_the_material_limit(
    console: Console, api: Api
) -> None:
    """A console upload is held to the material limit (not the small limit of other
    forms), and past it the clerk reads the material rule on a page, not the API's JSON."""
    await populate(api)
    year = await open_cycle(api)
    await apply_all(api, year)
    await console.sign_in("org_a")
    page = f"/console/cycles/{year}/applications/{A}"
    huge = padded(1536 * 1024)  # past the tests' 1 MB form limit and their 64 KB material one
    refused = await console.submit(
        "org_a", page, f"{page}/materials", files={"file": ("大.pdf", huge, "application/pdf")}
    )
    assert refused.status_code == 413
    assert refused.headers["content-type"].startswith("text/html")
    assert "申报材料" in refused.text
    assert "material_too_large" in refused.text
    assert _material_ids((await console.get("org_a", page)).text) == []
