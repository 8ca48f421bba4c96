"""The office's and the reviewers' forms one by one: deadline extensions, ties and accounts,
list filters, a failed eligibility rule with its clause, a declared conflict and its
replacement, the leader's consensus. Refusals come back in Chinese next to their field with
what was typed."""

from __future__ import annotations

from datetime import timedelta

from tests.api.support import Api, organization
from tests.api.world import (
    APPLICANTS,
    PANEL,
    A,
    B,
    C,
    open_cycle,
    pass_deadline,
    populate,
    score,
    to_document_review,
)
from tests.web.support import Console


async def test_extending_the_application_deadline(console: Console, api: Api) -> None:
    await populate(api)
    year = await open_cycle(api)
    await console.sign_in("office")
    page = f"/console/cycles/{year}"
    action = f"{page}/deadline-extensions"
    earlier = (api.clock.today() + timedelta(days=2)).isoformat()
    refused = await console.submit(
        "office", page, action, {"what": "application", "until": earlier, "reason": "补充材料"}
    )
    assert refused.status_code == 422
    assert 'id="until-error"' in refused.text
    assert "补充材料" in refused.text  # kept as typed
    later = (api.clock.today() + timedelta(days=9)).isoformat()
    done = await console.submit(
        "office", page, action, {"what": "application", "until": later, "reason": "补充材料"}
    )
    assert done.status_code == 303
    overview = await console.get("office", page)
    assert f"→ {later}（补充材料" in overview.text


async def test_registering_a_tie_and_deactivating_an_account(console: Console, api: Api) -> None:
    await populate(api)
    await console.sign_in("office")
    action = "/console/reviewers/R1/ties"
    bad = await console.submit("office", "/console/reviewers", action, {"credit_code": "123"})
    assert bad.status_code == 422
    assert "统一社会信用代码无效" in bad.text
    tied = await console.submit("office", "/console/reviewers", action, {"credit_code": B})
    assert tied.status_code == 303
    ties = (await api.get("office", "/reviewers/R1/ties", expect=200)).json()
    assert [t["credit_code"] for t in ties] == [B]
    off = await console.submit(
        "office", "/console/users", "/console/users/rev1/active", {"active": "0"}
    )
    assert off.status_code == 303
    assert (await console.sign_in("rev1")).status_code == 401


async def test_the_list_filters_and_a_failed_rule_with_its_clause(
    console: Console, api: Api
) -> None:
    await populate(api)
    young = organization(5, registered_on=(api.clock.today() - timedelta(days=400)).isoformat())
    await api.post("office", "/organizations", json=young, expect=201)
    year = await open_cycle(api)
    await api.post(
        "office",
        f"/cycles/{year}/applications",
        json={"award": "quality", "credit_code": young["credit_code"]},
        expect=201,
    )
    for code in (A, C):
        award = "innovation" if code == C else "quality"
        await api.post(
            APPLICANTS[code], f"/cycles/{year}/applications", json={"award": award}, expect=201
        )
    await pass_deadline(api, year)
    await console.sign_in("office")
    listed = await console.get("office", f"/console/cycles/{year}/applications?award=innovation")
    assert C in listed.text
    assert A not in listed.text
    page = await console.get(
        "office", f"/console/cycles/{year}/applications/{young['credit_code']}"
    )
    assert "注册登记并正常运营不满3年" in page.text
    assert "§3(1)1" in page.text


async def test_a_declared_conflict_is_replaced_and_the_leader_agrees_a_score(
    console: Console, api: Api
) -> None:
    year = await to_document_review(api)
    for user in ("office", "rev1", "rev2"):
        await console.sign_in(user)
    conflicts = f"/console/cycles/{year}/conflicts"
    declared = await console.submit("rev2", conflicts, conflicts, {"credit_code": B})
    assert declared.status_code == 303
    home = await console.get("office", "/")
    assert f'data-task="replace:{year}:{B}:document"' in home.text
    panel = f"/console/cycles/{year}/applications/{B}/panels/document"
    form = await console.get("office", panel)
    assert "已回避，须更换" in form.text
    replaced = await console.submit(
        "office", panel, panel, {"reviewers": ["R1", "R3", "R4"], "leader": "R1"}
    )
    assert replaced.status_code == 303, replaced.text
    assert f"replace:{year}:{B}" not in (await console.get("office", "/")).text

    for reviewer in PANEL:
        await score(api, year, A, "document", reviewer, 700)
    sheet = f"/console/cycles/{year}/applications/{A}/scores/document"
    action = f"/console/cycles/{year}/applications/{A}/consensus/document"
    refused = await console.submit("rev1", sheet, action, {"consensus": "1200"})
    assert refused.status_code == 422
    assert 'id="consensus-error"' in refused.text
    agreed = await console.submit("rev1", sheet, action, {"consensus": "705.5"})
    assert agreed.status_code == 303, agreed.text
    scores = (await api.get("office", f"/cycles/{year}/applications/{A}/scores/document")).json()
    assert scores["consensus"] == 705.5
