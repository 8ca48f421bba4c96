"""The office's and applicants' other commands: findings, withdrawal, early close, a named
shortlist, cancellation — each seen afterwards by the users concerned."""

from __future__ import annotations

from domain.scoring import rubric
from tests.api.support import Api, error_code, eventually
from tests.api.world import (
    PANEL,
    A,
    B,
    C,
    apply_all,
    assign,
    open_cycle,
    pass_deadline,
    phase,
    populate,
    score,
    to_document_review,
)


async def test_findings_withdrawal_early_close_and_a_named_shortlist(api: Api) -> None:
    await populate(api)
    year = await open_cycle(api)
    await apply_all(api, year)
    base = f"/cycles/{year}/applications"
    await api.post("org_c", f"{base}/{C}/withdraw", expect=200)
    await pass_deadline(api, year)
    finding = {
        "passed": False,
        "reason": "non_compliant_operation",
        "note": "环保处罚",
        "department": "ecology_environment",
    }
    tasks_path = f"{base}/{B}/verification-tasks"

    async def tasks_requested() -> bool:
        return len((await api.get("office", tasks_path, expect=200)).json()) == 4

    await eventually(tasks_requested)
    await api.post("office", f"{base}/{B}/findings", json=finding, expect=201)
    tasks = {t["department"]: t for t in (await api.get("office", tasks_path)).json()}
    assert set(tasks) == {  # an industrial enterprise: 亩均效益 is verified too (E6)
        "market_supervision",
        "ecology_environment",
        "emergency_management",
        "economy_information",
    }
    assert tasks["ecology_environment"]["done_at"] is not None
    assert tasks["market_supervision"]["done_at"] is None
    unknown = await api.post(
        "office", f"{base}/{A}/findings", json={"passed": False, "reason": "bad_luck"}
    )
    assert (unknown.status_code, error_code(unknown)) == (422, "invalid_input")
    await api.post("office", f"/cycles/{year}/close-qualification", expect=200)

    result = (await api.get("org_b", f"{base}/{B}/qualification", expect=200)).json()
    assert (result["eligible"], result["outcome"]) == (False, "ineligible")
    assert [(r["reason"], r["rule"]) for r in result["reasons"]] == [
        ("non_compliant_operation", "E2")
    ]
    assert (await api.get("org_c", f"{base}/{C}", expect=200)).json()["outcome"] == "withdrawn"
    notices = (await api.get("org_b", "/notices", expect=200)).json()
    assert "qualification_result" in {n["kind"] for n in notices}

    await assign(api, year, A, "document", PANEL)
    await score(api, year, A, "document", "R1", 650)
    early = {"stage": "document", "reason": "评审员因故未能按期评分"}
    await api.post("office", f"/cycles/{year}/close-stage", json=early, expect=200)
    assert await phase(api, year) == "shortlist"
    cycle = (await api.get("office", f"/cycles/{year}", expect=200)).json()
    assert cycle["document_closed_early_reason"] == early["reason"]
    named = await api.post(
        "office", f"/cycles/{year}/shortlist", json={"credit_codes": [A]}, expect=200
    )
    assert named.json() == {"shortlist": [A]}
    assert await phase(api, year) == "site_review"
    await api.post("office", f"/cycles/{year}/resume", expect=200)


async def test_cancelling_a_cycle_ends_every_pending_application(api: Api) -> None:
    await populate(api)
    year = await open_cycle(api)
    await apply_all(api, year)
    await api.post("office", f"/cycles/{year}/cancel", json={"reason": "机构调整"}, expect=200)
    cycle = (await api.get("org_a", f"/cycles/{year}", expect=200)).json()
    assert (cycle["phase"], cycle["cancel_reason"]) == ("cancelled", "机构调整")
    outcomes = {
        a["outcome"] for a in (await api.get("office", f"/cycles/{year}/applications")).json()
    }
    assert outcomes == {"cancelled"}


async def test_a_cancelled_cycle_refuses_further_commands(api: Api) -> None:
    await populate(api)
    year = await open_cycle(api)
    await api.post("office", f"/cycles/{year}/cancel", json={"reason": "机构调整"}, expect=200)
    again = await api.post("office", f"/cycles/{year}/cancel", json={"reason": "再次"})
    assert (again.status_code, error_code(again)) == (409, "cycle_closed")


async def test_a_finding_recorded_while_open_completes_its_task_at_the_deadline(api: Api) -> None:
    """§4(1): the departments' tasks are created when intake closes; one that reported
    earlier has done its task already (it need not enter its finding again)."""
    await populate(api)
    year = await open_cycle(api)
    await apply_all(api, year)
    base = f"/cycles/{year}/applications"
    early = {"passed": True, "note": "无违法记录", "department": "market_supervision"}
    await api.post("office", f"{base}/{A}/findings", json=early, expect=201)
    await pass_deadline(api, year)
    tasks_path = f"{base}/{A}/verification-tasks"

    async def tasks_requested() -> bool:
        return len((await api.get("office", tasks_path, expect=200)).json()) >= 3

    await eventually(tasks_requested)
    tasks = {t["department"]: t for t in (await api.get("office", tasks_path)).json()}
    assert tasks["market_supervision"]["done_at"] is not None
    assert tasks["emergency_management"]["done_at"] is None


async def test_a_later_score_replaces_the_earlier_one_whole(api: Api) -> None:
    """DESIGN 3.2: scored by items, then by a total: the total is the score, without the
    earlier items beside it."""
    year = await to_document_review(api)
    path = f"/cycles/{year}/applications/{A}/scores/document"
    items = dict.fromkeys(rubric().points, 70)
    await api.post("rev1", path, json={"items": items}, expect=200)
    first = (await api.get("office", path, expect=200)).json()["scores"]
    assert [(s["reviewer"], s["items"]) for s in first] == [("R1", items)]
    await api.post("rev1", path, json={"points": 650}, expect=200)
    [line] = (await api.get("office", path, expect=200)).json()["scores"]
    assert (line["reviewer"], line["total"], line["items"]) == ("R1", 650, None)
