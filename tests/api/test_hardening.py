"""Smaller findings of issue #12: bounded integers everywhere, strict dates, canonical
JSON for idempotency, and the 404 an applicant gets for a panel."""

from __future__ import annotations

import json

import pytest

from tests.api.support import Api, error_code, organization
from tests.api.world import A, populate

HUGE = ["99999999999999999999", "9223372036854775808", "-1", "0", "-9223372036854775809"]


@pytest.mark.parametrize("year", HUGE)
async def test_an_out_of_range_year_is_bad_input_not_a_crash(api: Api, year: str) -> None:
    for path in (f"/public/publicity?year={year}", f"/cycles/{year}"):
        response = await api.get("office", path)
        assert (response.status_code, error_code(response)) == (422, "invalid_input"), path


async def test_out_of_range_integers_in_paths_forms_and_bodies_are_refused(api: Api) -> None:
    await populate(api)
    big = 9223372036854775808
    cases = [
        ("GET", f"/cycles/2025/applications/{A}/materials/{big}", None),
        ("GET", f"/audit?before_id={big}", None),
        ("POST", "/public/objections", {"year": big, "credit_code": A, "name": "李某",
                                        "contact": "1", "content": "x"}),
        ("POST", "/organizations", organization(5) | {"mu_efficiency": {str(big): "A"}}),
        ("POST", "/cycles", {"year": big, "application_deadline": "2030-01-01"}),
        ("POST", f"/cycles/2025/applications/{A}/scores/document",
         {"items": {"4.1.2": big}}),
    ]  # fmt: skip
    for method, path, body in cases:
        user = "watch" if path.startswith("/audit") else "office"
        if "/scores/" in path:
            user = "rev1"
        response = await api.call(user, method, path, json=body)
        assert response.status_code == 422, (path, response.text)
        assert error_code(response) == "invalid_input", path
    form = await api.http.post("/public/objection", data={"year": str(big), "name": "李某"})
    assert form.status_code == 422


@pytest.mark.parametrize("date", [0, 86400, "86400", 20250101, True, "2025-1-1"])
async def test_a_number_is_not_a_date(api: Api, date: object) -> None:
    body = organization(5) | {"registered_on": date}
    response = await api.post("office", "/organizations", json=body)
    assert (response.status_code, error_code(response)) == (422, "invalid_input")
    assert "registered_on" in response.json()["error"]["message"]
    record = {"on": date, "kind": "major_accident"}
    nested = organization(6) | {"record": [record]}
    response = await api.post("office", "/organizations", json=nested)
    assert (response.status_code, error_code(response)) == (422, "invalid_input")


async def test_an_iso_date_is_still_a_date(api: Api) -> None:
    body = organization(5) | {"registered_on": "2011-02-03"}
    created = await api.post("office", "/organizations", json=body, expect=201)
    assert created.json()["registered_on"] == "2011-02-03"


async def test_idempotency_compares_the_json_not_its_spelling(api: Api) -> None:
    await populate(api)
    path = f"/organizations/{A}/records"
    headers = {**await api.as_("office"), "Idempotency-Key": "spelled-twice"}
    record = {"on": "2024-03-01", "kind": "failed_inspection", "note": "抽检不合格"}
    compact = json.dumps(record, ensure_ascii=False).encode()
    spread = json.dumps(dict(reversed(record.items())), indent=2).encode()  # \\u escapes too
    kind = {"Content-Type": "application/json"}
    first = await api.http.post(path, content=compact, headers=headers | kind)
    again = await api.http.post(path, content=spread, headers=headers | kind)
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.headers["idempotent-replayed"] == "true"
    records = (await api.get("office", path, expect=200)).json()
    assert len(records) == 1


async def test_an_applicant_reading_a_panel_gets_not_found(api: Api) -> None:
    await populate(api)
    for code in (A, "91331126MA0000002X"):
        response = await api.get("org_a", f"/cycles/2025/applications/{code}/panels/document")
        assert (response.status_code, error_code(response)) == (404, "not_found")
