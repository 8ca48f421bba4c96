"""The office moves a deadline later (DESIGN §2; #13 item 9): intake stays open until the new
date, a stage's reminders and overdue notice follow its new due date; never earlier, and the
application deadline not once it has passed."""

from __future__ import annotations

from datetime import timedelta

from tests.api.support import Api, error_code
from tests.api.world import A, apply_all, open_cycle, phase, populate, to_document_review

EXTENSIONS = "/cycles/{year}/deadline-extensions"


async def test_an_extended_application_deadline_keeps_intake_open(api: Api) -> None:
    await populate(api)
    year = await open_cycle(api, deadline_days=5)
    path = EXTENSIONS.format(year=year)
    later = api.clock.today() + timedelta(days=12)
    earlier = {"what": "application", "until": api.clock.today().isoformat(), "reason": "误填"}
    refused = await api.post("office", path, json=earlier)
    assert (refused.status_code, error_code(refused)) == (422, "invalid_input")
    body = {"what": "application", "until": later.isoformat(), "reason": "部分企业材料准备不及"}
    await api.post("office", path, json=body, expect=200)

    await api.clock.advance(timedelta(days=8))  # past the first deadline, before the new one
    assert await phase(api, year) == "open"
    await apply_all(api, year)
    cycle = (await api.get("office", f"/cycles/{year}", expect=200)).json()
    assert cycle["application_deadline"] == later.isoformat()
    titles = [n["title"] for n in (await api.get(None, "/public/notices", expect=200)).json()]
    assert any("延长" in t and "申报截止日期" in t for t in titles), titles

    await api.clock.advance(timedelta(days=5))
    assert await phase(api, year) == "qualification"
    again = {**body, "until": (later + timedelta(days=3)).isoformat()}
    late = await api.post("office", path, json=again)
    assert (late.status_code, error_code(late)) == (409, "not_in_phase")


async def test_a_stage_due_date_moves_and_the_reviewers_still_to_score_are_told(api: Api) -> None:
    year = await to_document_review(api)
    path = EXTENSIONS.format(year=year)
    await api.post("rev1", f"/cycles/{year}/applications/{A}/scores/document", json={"points": 600})
    until = api.clock.today() + timedelta(days=40)
    body = {"what": "document", "until": until.isoformat(), "reason": "评审员集中培训"}
    await api.post("office", path, json=body, expect=200)
    notices = (await api.get("rev2", "/notices", expect=200)).json()
    assert any("截止日期延长" in n["title"] for n in notices), notices
    site = await api.post("office", path, json={**body, "what": "site"})
    assert (site.status_code, error_code(site)) == (409, "not_in_phase")
    # The old due date passes without an overdue notice; the new one is what counts.
    await api.clock.advance(timedelta(days=25))
    office = (await api.get("office", "/notices", expect=200)).json()
    assert not any(n["kind"] == "review_overdue" for n in office)
