"""Honors after the cycle: the register, incident and fraud reports, revocation (§5, §6)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.api.support import Api, error_code, eventually
from tests.api.world import A, B, populate


async def honor_of(api: Api, code: str) -> dict[str, Any]:
    honors = (await api.get("office", "/honors", expect=200)).json()
    return next(h for h in honors if h["credit_code"] == code)


async def test_fraud_revokes_an_honor_once_the_government_approves(api: Api) -> None:
    await populate(api)
    awarded_on = api.clock.today() - timedelta(days=400)
    for code in (A, B):
        body = {
            "credit_code": code,
            "award": "quality",
            "year": awarded_on.year,
            "awarded_on": awarded_on.isoformat(),
        }
        await api.post("office", "/honors/historical", json=body, expect=201)
    public = (await api.get(None, "/public/honors", expect=200)).json()
    assert {(h["credit_code"], h["year"]) for h in public} == {
        (A, awarded_on.year),
        (B, awarded_on.year),
    }
    honor = f"/honors/{A}/quality/{awarded_on.year}"

    # Nothing waits to be retried: the office's retry is harmless, and only the office's.
    await api.post("office", honor + "/resume", expect=200)
    await api.post("county", honor + "/resume", expect=403)
    early = await api.post("county", honor + "/revocation-approval")
    assert (early.status_code, error_code(early)) == (409, "revocation_not_pending")
    await api.post("office", honor + "/fraud-reports", json={"note": "申报材料造假"}, expect=200)

    async def pending() -> bool:
        return bool((await honor_of(api, A))["pending_revocation"] == "fraud")

    await eventually(pending)
    await api.post("county", honor + "/revocation-approval", expect=200)

    async def revoked() -> bool:
        return bool((await honor_of(api, A))["status"] == "revoked")

    await eventually(revoked)
    public = (await api.get(None, "/public/honors", expect=200)).json()
    assert [h["credit_code"] for h in public] == [B]
    own = (await api.get("org_b", "/honors", expect=200)).json()
    assert [h["credit_code"] for h in own] == [B]


async def test_a_revoked_honor_refuses_further_reports(api: Api) -> None:
    await populate(api)
    awarded_on = api.clock.today() - timedelta(days=400)
    body = {
        "credit_code": A,
        "award": "quality",
        "year": awarded_on.year,
        "awarded_on": awarded_on.isoformat(),
    }
    await api.post("office", "/honors/historical", json=body, expect=201)
    honor = f"/honors/{A}/quality/{awarded_on.year}"
    await api.post("office", honor + "/fraud-reports", json={"note": "造假"}, expect=200)
    await api.post("county", honor + "/revocation-approval", expect=200)

    async def revoked() -> bool:
        return bool((await honor_of(api, A))["status"] == "revoked")

    await eventually(revoked)
    again = await api.post("office", honor + "/fraud-reports", json={})
    assert (again.status_code, error_code(again)) == (409, "already_revoked")


async def test_incidents_revoke_only_inside_the_two_year_window(api: Api) -> None:
    await populate(api)
    awarded_on = api.clock.today() - timedelta(days=365 * 3)
    body = {
        "credit_code": A,
        "award": "quality",
        "year": awarded_on.year,
        "awarded_on": awarded_on.isoformat(),
    }
    await api.post("office", "/honors/historical", json=body, expect=201)
    honor = f"/honors/{A}/quality/{awarded_on.year}"
    late = {"occurred_on": api.clock.today().isoformat(), "major_adverse_impact": True}
    refused = await api.post("office", honor + "/incidents", json=late)
    assert (refused.status_code, error_code(refused)) == (422, "incident_outside_window")
    minor = {
        "occurred_on": (awarded_on + timedelta(days=30)).isoformat(),
        "major_adverse_impact": False,
    }
    answer = await api.post("office", honor + "/incidents", json=minor, expect=200)
    assert answer.json() == {"revocation_proposed": False}
    future = {"occurred_on": (date.today() + timedelta(days=3650)).isoformat()}
    refused = await api.post("office", honor + "/incidents", json=future)
    assert (refused.status_code, error_code(refused)) == (422, "invalid_input")
