"""Winners' yearly follow-up over HTTP (§2(3)4, §6(3)): the honor workflow's reminder opens a
task with a due date; the holder reports (text and PDF); the office evaluates; a missing
report turns overdue and is reminded once more."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from domain.dates import add_years
from tests.api.pdfs import pdf
from tests.api.support import Api, error_code, eventually
from tests.api.world import A, B, populate


async def _tasks(api: Api, user: str = "office") -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await api.get(user, "/follow-ups", expect=200)).json()
    return found


async def test_follow_up_report_evaluation_and_overdue(api: Api) -> None:
    await populate(api)
    today = api.clock.today()
    awarded_on = add_years(today, -1) + timedelta(days=2)  # first anniversary in two days
    body = {
        "credit_code": A,
        "award": "quality",
        "year": awarded_on.year - 1,
        "awarded_on": awarded_on.isoformat(),
    }
    await api.post("office", "/honors/historical", json=body, expect=201)
    assert await _tasks(api) == []
    await api.clock.advance(timedelta(days=3))

    async def opened() -> bool:
        return len(await _tasks(api)) == 1

    await eventually(opened)
    [task] = await _tasks(api)
    first_due = add_years(awarded_on, 1) + timedelta(days=60)
    assert (task["number"], task["status"], task["due_on"]) == (1, "open", first_due.isoformat())
    assert await _tasks(api, "org_b") == []
    assert len(await _tasks(api, "org_a")) == 1
    await api.get("rev1", "/follow-ups", expect=403)

    one = f"/honors/{A}/quality/{body['year']}/follow-ups/1"
    report = {"report": "本年度持续实施卓越绩效管理，开展自评与改进。"}
    response = await api.post("org_b", one, json=report, expect=404)
    assert error_code(response) == "follow_up_not_found"
    await api.post(
        "org_a", f"/honors/{A}/quality/{body['year']}/follow-ups/2", json=report, expect=404
    )
    await api.post("org_a", f"{one}/evaluation", json={"evaluation": "良好"}, expect=403)
    response = await api.post(
        "office", f"{one}/evaluation", json={"evaluation": "良好"}, expect=422
    )
    assert error_code(response) == "invalid_input"  # nothing to evaluate yet
    found = (await api.post("org_a", one, json=report, expect=200)).json()
    assert (found["status"], found["report"]) == ("submitted", report["report"])
    files = {"file": ("report.pdf", pdf(), "application/pdf")}
    found = (await api.put("org_a", f"{one}/pdf", files=files, expect=200)).json()
    assert found["report_sha256"]
    bad = {"file": ("report.pdf", b"<html>", "application/pdf")}
    assert error_code(await api.put("org_a", f"{one}/pdf", files=bad)) == "invalid_material"
    await api.post("office", f"{one}/evaluation", json={"evaluation": "优秀"}, expect=422)
    evaluation = {"evaluation": "一般", "note": "改进措施不够具体"}
    found = (await api.post("office", f"{one}/evaluation", json=evaluation, expect=200)).json()
    assert (found["status"], found["evaluation"], found["evaluation_note"]) == (
        "evaluated",
        "一般",
        "改进措施不够具体",
    )
    await api.post("org_a", one, json=report, expect=422)  # evaluated: no longer replaced

    # The second year's report never comes: overdue after its due day, reminded once more.
    await api.clock.advance(timedelta(days=365 + 62))

    async def overdue() -> bool:
        return any(t["status"] == "overdue" for t in await _tasks(api))

    await eventually(overdue)
    statuses = [(t["number"], t["status"]) for t in await _tasks(api)]
    assert statuses == [(1, "evaluated"), (2, "overdue")]
    notices = (await api.get("office", "/notices?limit=500", expect=200)).json()
    kinds = [(n["kind"], n["audience"]) for n in notices if n["kind"].startswith("follow_up")]
    assert kinds.count(("follow_up_overdue", "office")) == 1
    assert kinds.count(("follow_up_overdue", "applicant")) == 1
    assert ("follow_up_due", "applicant") in kinds
    assert B not in {t["credit_code"] for t in await _tasks(api)}
