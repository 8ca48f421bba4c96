"""Supervision over HTTP (§2(3)3, §6(1), §6(7)): the reviewer pool's terms, training and
discipline, the supervision group's irregularity records, and who may do and see what."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.api.pdfs import pdf
from tests.api.support import Api, error_code
from tests.api.world import (
    PANEL,
    A,
    B,
    assign,
    open_cycle,
    populate,
    score,
    to_committee,
    to_document_review,
)


async def test_appointment_term_and_training(api: Api) -> None:
    await populate(api)
    today = api.clock.today()
    ended = {"term_from": "2020-01-01", "term_until": (today - timedelta(days=1)).isoformat()}
    found = (await api.post("office", "/reviewers/R1/appointments", json=ended, expect=201)).json()
    assert found["status"] == "out_of_term"
    current = {"term_from": today.isoformat(), "term_until": "2030-12-31", "note": "聘书2号"}
    found = (
        await api.post("office", "/reviewers/R2/appointments", json=current, expect=201)
    ).json()
    assert found["status"] == "in_term"
    training = {"on": today.isoformat(), "title": "GB/T 19580 评审员培训", "hours": 8}
    found = (await api.post("office", "/reviewers/R2/trainings", json=training, expect=201)).json()
    assert [t["title"] for t in found["trainings"]] == ["GB/T 19580 评审员培训"]
    backwards = {"term_from": "2026-01-01", "term_until": "2025-01-01"}
    response = await api.post("office", "/reviewers/R3/appointments", json=backwards, expect=422)
    assert error_code(response) == "invalid_input"
    pool = {e["code"]: e["status"] for e in (await api.get("watch", "/reviewer-pool")).json()}
    assert pool == {"R1": "out_of_term", "R2": "in_term", "R3": "no_term", "R4": "no_term"}
    for user in ("rev1", "org_a", "secretary"):
        await api.post(user, "/reviewers/R3/appointments", json=current, expect=403)
        await api.get(user, "/reviewer-pool", expect=403)
    await api.get("watch", "/reviewer-pool/R2", expect=200)
    await api.get("office", "/reviewer-pool/R9", expect=404)

    year = await open_cycle(api)
    await api.post("org_a", f"/cycles/{year}/applications", json={"award": "quality"}, expect=201)
    await api.clock.advance(timedelta(days=6))
    await api.post("office", f"/cycles/{year}/close-qualification", expect=200)
    path = f"/cycles/{year}/applications/{A}/panels/document"
    body = {"reviewers": ["R1", "R2", "R3"], "leader": "R2"}
    response = await api.put("office", path, json=body, expect=422)
    assert error_code(response) == "reviewer_out_of_term"
    assert "§2(3)3" in response.json()["error"]["message"]


async def test_disqualification_withdraws_the_reviewer_everywhere(api: Api) -> None:
    year = await to_document_review(api)
    await score(api, year, A, "document", "R1", 650)
    await score(api, year, B, "document", "R2", 640)
    body = {"kind": "criticism", "reason": "评分迟交", "on": api.clock.today().isoformat()}
    done = (await api.post("office", "/reviewers/R3/discipline", json=body, expect=201)).json()
    assert done["cycles"] == []
    await api.get("rev3", f"/cycles/{year}/assignments", expect=200)  # criticised: still reads

    body = {
        "kind": "disqualification",
        "reason": "私下接触申报组织",
        "on": api.clock.today().isoformat(),
    }
    await api.post("rev2", "/reviewers/R1/discipline", json=body, expect=403)
    done = (await api.post("office", "/reviewers/R1/discipline", json=body, expect=201)).json()
    assert done["cycles"] == [year]
    for org in (A, B):
        seats = (
            await api.get("office", f"/cycles/{year}/applications/{org}/panels/document")
        ).json()
        assert {s["reviewer"]: s["withdrawn"] for s in seats}["R1"] is True
    scores = (await api.get("office", f"/cycles/{year}/applications/{A}/scores/document")).json()
    assert scores["scores"] == []  # R1's 650 is dropped with the seat
    response = await api.get("rev1", f"/cycles/{year}/assignments", expect=403)
    assert "§6(7)" in response.json()["error"]["message"]
    await api.post(
        "rev1", f"/cycles/{year}/applications/{A}/scores/document", json={"points": 600}, expect=403
    )
    response = await api.put(
        "office",
        f"/cycles/{year}/applications/{A}/panels/document",
        json={"reviewers": PANEL, "leader": "R2"},
        expect=422,
    )
    assert error_code(response) == "reviewer_disqualified"
    pool = {e["code"]: e for e in (await api.get("office", "/reviewer-pool")).json()}
    assert pool["R1"]["status"] == "disqualified"
    assert [d["kind"] for d in pool["R3"]["discipline"]] == ["criticism"]
    response = await api.post(
        "office", "/reviewers/R2/discipline", json={**body, "reason": " "}, expect=422
    )
    assert error_code(response) == "invalid_input"
    later = (api.clock.today() + timedelta(days=1)).isoformat()
    response = await api.post(
        "office", "/reviewers/R2/discipline", json={**body, "on": later}, expect=422
    )
    assert error_code(response) == "invalid_input"


async def test_scores_in_closed_stages_stay_and_are_marked(api: Api) -> None:
    year = await to_committee(api)
    body = {
        "kind": "disqualification",
        "reason": "违反保密制度",
        "on": api.clock.today().isoformat(),
    }
    await api.post("office", "/reviewers/R1/discipline", json=body, expect=201)
    found = (await api.get("office", f"/cycles/{year}/applications/{A}/scores/document")).json()
    lines = {s["reviewer"]: s for s in found["scores"]}
    assert lines["R1"]["total"] == 700.0
    assert lines["R1"]["disqualified"] is True
    assert lines["R2"]["disqualified"] is False
    candidates = (await api.get("secretary", f"/cycles/{year}/candidates", expect=200)).json()
    assert {c["credit_code"]: c["document_spread"] for c in candidates}[A] == 20.0
    assert all(c["site_spread"] == 0.0 and not c["spread_flagged"] for c in candidates)


async def _irregularity(api: Api, year: int, **extra: Any) -> dict[str, Any]:
    body = {
        "subject_kind": "application",
        "subject": A.lower(),
        "description": "申报材料疑似弄虚作假",
        "occurred_on": api.clock.today().isoformat(),
        **extra,
    }
    response = await api.post("watch", f"/cycles/{year}/irregularities", json=body, expect=201)
    found: dict[str, Any] = response.json()
    return found


async def test_irregularity_record_correct_close(api: Api) -> None:
    year = await to_committee(api)
    base = f"/cycles/{year}/irregularities"
    body = {"subject_kind": "office", "description": "x", "occurred_on": "2020-01-01"}
    await api.post("office", base, json=body, expect=403)
    await api.post("secretary", base, json=body, expect=403)
    first = await _irregularity(api, year, evidence="证人证言")
    assert (first["number"], first["subject"], first["status"]) == (1, A, "open")
    second = await _irregularity(api, year, subject_kind="reviewer", subject="R2")
    future = {**body, "occurred_on": (api.clock.today() + timedelta(days=2)).isoformat()}
    assert error_code(await api.post("watch", base, json=future, expect=422)) == "invalid_input"

    overview = (await api.get("secretary", f"/cycles/{year}", expect=200)).json()
    assert overview["open_irregularities"] == 2
    assert (await api.get("org_a", f"/cycles/{year}", expect=200)).json()[
        "open_irregularities"
    ] is None
    assert (await api.get("rev1", f"/cycles/{year}", expect=200)).json()[
        "open_irregularities"
    ] is None
    candidates = (await api.get("secretary", f"/cycles/{year}/candidates", expect=200)).json()
    counts = {c["credit_code"]: c["open_irregularities"] for c in candidates}
    assert (counts[A], counts[B]) == (1, 0)
    for user in ("org_a", "rev1"):
        await api.get(user, base, expect=403)

    one = f"{base}/{first['number']}"
    response = await api.post("watch", f"{one}/close", json={"note": "已核实"}, expect=409)
    assert error_code(response) == "irregularity_state"
    await api.post("secretary", f"{one}/corrective-action", json={"action": "x"}, expect=403)
    found = (
        await api.post(
            "office", f"{one}/corrective-action", json={"action": "责令补正"}, expect=200
        )
    ).json()
    assert found["status"] == "corrected"
    await api.post("office", f"{one}/corrective-action", json={"action": "再次"}, expect=409)
    await api.post("office", f"{one}/close", json={}, expect=403)
    closed = (await api.post("watch", f"{one}/close", json={"note": "已纠正"}, expect=200)).json()
    assert (closed["status"], closed["closing_note"]) == ("closed", "已纠正")
    await api.post("watch", f"{base}/99/close", json={}, expect=404)

    files = {"file": ("evidence.pdf", pdf(), "application/pdf")}
    found = (
        await api.put("watch", f"{base}/{second['number']}/evidence", files=files, expect=200)
    ).json()
    assert found["evidence_sha256"]
    bad = {"file": ("evidence.pdf", b"not a pdf", "application/pdf")}
    response = await api.put("watch", f"{base}/{second['number']}/evidence", files=bad)
    assert error_code(response) == "invalid_material"
    response = await api.put("watch", f"{one}/evidence", files=files, expect=409)
    listed = (await api.get("office", base, expect=200)).json()
    assert [(i["number"], i["status"]) for i in listed] == [(1, "closed"), (2, "open")]
    assert (await api.get("secretary", f"/cycles/{year}")).json()["open_irregularities"] == 1

    audit = (await api.get("watch", "/audit?limit=500", expect=200)).json()
    recorded = {(e["path"], e["status"]) for e in audit}
    assert (base, 201) in recorded
    assert (f"{one}/corrective-action", 200) in recorded
    assert (f"{one}/close", 409) in recorded


async def test_workload_per_cycle(api: Api) -> None:
    year = await to_document_review(api)
    await score(api, year, A, "document", "R1", 650)
    await assign(api, year, A, "document", ["R2", "R3", "R1"])
    found = (await api.get("office", f"/cycles/{year}/reviewer-workload", expect=200)).json()
    by = {w["reviewer"]: w for w in found}
    assert (by["R1"]["seats"], by["R1"]["document"], by["R1"]["scored"]) == (3, 3, 1)
    await api.get("rev1", f"/cycles/{year}/reviewer-workload", expect=403)
    await api.get("watch", f"/cycles/{year}/reviewer-workload", expect=200)
