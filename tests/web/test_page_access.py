"""Role gates and confidentiality on the console's pages are the API's (`services.views`,
`api.auth.RoleGate`): a reviewer never sees another reviewer's score before the panel has
reported, an applicant sees only its own application, a role sees only its pages; and a
double-clicked form acts once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.api.support import Api
from tests.api.world import PANEL, A, B, open_cycle, populate, score, to_document_review
from tests.web.support import Console, hidden_fields

SCORE_PAGE = "/console/cycles/{year}/applications/{code}/scores/document"


async def test_a_reviewer_sees_no_other_score_before_the_panel_reports(
    console: Console, api: Api
) -> None:
    year = await to_document_review(api)
    await score(api, year, A, "document", "R1", 734.5)
    for user in ("rev1", "rev2", "rev4"):
        await console.sign_in(user)
    page = SCORE_PAGE.format(year=year, code=A)
    own = await console.get("rev1", page)
    assert "734.5" in own.text
    other = await console.get("rev2", page)
    assert other.status_code == 200
    assert "734.5" not in other.text
    detail = await console.get("rev2", f"/console/cycles/{year}/applications/{A}")
    assert "734.5" not in detail.text
    # R4 is tied to A (回避) and on no panel: the application does not exist for it.
    hidden = await console.get("rev4", page)
    assert hidden.status_code == 404
    assert "页面不存在" in hidden.text
    await score(api, year, A, "document", "R2", 700)
    await score(api, year, A, "document", "R3", 710)
    reported = await console.get("rev2", page)
    assert "734.5" in reported.text  # the panel is complete: its scores are seen


async def test_an_applicant_sees_only_its_own_application(console: Console, api: Api) -> None:
    year = await to_document_review(api)
    await console.sign_in("org_a")
    mine = await console.get("org_a", f"/console/cycles/{year}/applications/{A}")
    assert mine.status_code == 200
    other = await console.get("org_a", f"/console/cycles/{year}/applications/{B}")
    assert other.status_code == 404
    listed = await console.get("org_a", f"/console/cycles/{year}/applications")
    assert A in listed.text
    assert B not in listed.text
    assert "评审组" not in mine.text  # panels are not the applicant's to see


@pytest.mark.parametrize(
    ("user", "path"),
    [
        ("rev1", "/console/organizations"),
        ("rev1", "/console/users"),
        ("org_a", "/console/reviewers"),
        ("office", "/console/audit"),
        ("org_a", "/console/cycles/{year}/applications/{A}/scores/document"),
        ("rev1", "/console/cycles/{year}/applications/{A}/panels/document"),
        ("secretary", "/console/cycles/{year}/shortlist"),
    ],
)
async def test_a_page_refuses_a_role_the_api_refuses(
    console: Console, api: Api, user: str, path: str
) -> None:
    await populate(api)
    year = await open_cycle(api)
    await console.sign_in(user)
    refused = await console.get(user, path.format(year=year, A=A))
    assert refused.status_code == 403
    assert "无权执行此操作" in refused.text


async def test_a_post_by_a_role_the_api_refuses_is_refused(console: Console, api: Api) -> None:
    await populate(api)
    year = await open_cycle(api)
    await console.sign_in("org_a")
    home = await console.get("org_a", "/")
    fields = hidden_fields(home.text, "/logout")  # any of its forms carries its CSRF token
    client = console.client("org_a")
    page = f"/console/cycles/{year}/applications/{A}/panels/document"
    refused = await client.post(page, data={**fields, "reviewers": PANEL, "leader": "R1"})
    assert refused.status_code == 403
    assert "无权执行此操作" in refused.text


async def test_a_double_clicked_form_acts_once(console: Console, api: Api) -> None:
    await console.sign_in("office")
    page = await console.get("office", "/console/users")
    fields = hidden_fields(page.text, "/console/users")
    body = {**fields, "username": "clerk", "password": "secret-password", "role": "office"}
    client = console.client("office")
    first = await client.post("/console/users", data=body)
    second = await client.post("/console/users", data=body)
    assert (first.status_code, second.status_code) == (303, 303)
    assert second.headers["location"] == first.headers["location"]
    users = (await api.get("office", "/users", expect=200)).json()
    assert [u["username"] for u in users].count("clerk") == 1
    # The same key with other content is refused, and nothing is made.
    other = await client.post("/console/users", data={**body, "username": "clerk2"})
    assert other.status_code == 422
    assert "重复请求的内容与原请求不一致" in other.text
    assert "clerk2" not in {u["username"] for u in (await api.get("office", "/users")).json()}


async def test_overdue_tasks_are_shown_red_on_the_home_page(console: Console, api: Api) -> None:
    year = await to_document_review(api)
    for user in ("office", "rev1"):
        await console.sign_in(user)
    on_time = await console.get("rev1", "/")
    assert f'data-task="score:{year}:{A}:document"' in on_time.text
    assert 'class="overdue"' not in on_time.text
    await api.clock.advance(timedelta(days=25))  # past the document stage's due date
    late = await console.get("rev1", "/")
    assert f'<tr class="overdue" data-task="score:{year}:{A}:document">' in late.text
    assert "已逾期" in late.text
    office = await console.get("office", "/")
    assert f'<tr class="overdue" data-task="chase:{year}:{A}:document">' in office.text


async def test_the_notices_inbox_shows_each_user_its_own(console: Console, api: Api) -> None:
    await to_document_review(api)
    await console.sign_in("rev1")
    await console.sign_in("org_a")
    reviewer = await console.get("rev1", "/console/notices")
    assert reviewer.status_code == 200
    assert "资料评审任务通知" in reviewer.text
    applicant = await console.get("org_a", "/console/notices")
    assert "资料评审任务通知" not in applicant.text
    assert applicant.text.count('<article class="card">') >= 1
