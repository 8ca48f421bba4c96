"""Every operation × every role: who is let through, who is refused (401 / 403).

The table is the specification; a route without an entry fails the test, so a new
operation cannot ship without deciding who may use it. "Let through" means the role gate
passed: the answer is a success or a refusal by the rules (no data for year 1999), never
401, 403 or a server error.
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from tests.api.routes import operations
from tests.api.support import Api, error_code
from tests.api.world import ROLE_USERS, A, populate

OFFICE, REVIEWER, COMMITTEE = "office", "reviewer", "committee"
GOVERNMENT, SUPERVISOR, APPLICANT = "government", "supervisor", "applicant"
EVERYONE = frozenset({OFFICE, REVIEWER, COMMITTEE, GOVERNMENT, SUPERVISOR, APPLICANT})
READERS = frozenset({OFFICE, SUPERVISOR, COMMITTEE, GOVERNMENT})
PUBLIC = None
USERS = {
    OFFICE: "office",
    REVIEWER: "rev1",
    APPLICANT: "org_a",
    COMMITTEE: ROLE_USERS["committee"],
    GOVERNMENT: ROLE_USERS["government"],
    SUPERVISOR: ROLE_USERS["supervisor"],
}

APP = "/cycles/{year}/applications/{credit_code}"
HONOR = "/honors/{credit_code}/{award}/{year}"

ALLOWED: dict[tuple[str, str], frozenset[str] | None] = {
    # accounts
    ("POST", "/auth/login"): PUBLIC,
    ("POST", "/auth/logout"): EVERYONE,
    ("GET", "/auth/me"): EVERYONE,
    ("POST", "/auth/password"): EVERYONE,
    ("GET", "/users"): frozenset({OFFICE, SUPERVISOR}),
    ("POST", "/users"): frozenset({OFFICE}),
    ("POST", "/users/{username}/password-reset"): frozenset({OFFICE}),
    ("POST", "/users/{username}/deactivate"): frozenset({OFFICE}),
    ("POST", "/users/{username}/reactivate"): frozenset({OFFICE}),
    # organizations
    ("POST", "/organizations"): frozenset({OFFICE}),
    ("GET", "/organizations"): READERS,
    ("GET", "/organizations/{credit_code}"): READERS | {APPLICANT},
    ("POST", "/organizations/{credit_code}/records"): frozenset({OFFICE}),
    ("GET", "/organizations/{credit_code}/records"): frozenset({OFFICE, SUPERVISOR, APPLICANT}),
    # cycles
    ("POST", "/cycles"): frozenset({OFFICE}),
    ("GET", "/cycles"): EVERYONE,
    ("GET", "/cycles/{year}"): EVERYONE,
    ("POST", "/cycles/{year}/cancel"): frozenset({OFFICE}),
    ("POST", "/cycles/{year}/close-qualification"): frozenset({OFFICE}),
    ("POST", "/cycles/{year}/close-stage"): frozenset({OFFICE}),
    ("POST", "/cycles/{year}/deadline-extensions"): frozenset({OFFICE}),
    ("POST", "/cycles/{year}/shortlist"): frozenset({OFFICE}),
    ("GET", "/cycles/{year}/timeline.svg"): EVERYONE,
    ("GET", "/cycles/{year}/plots/{kind}.svg"): frozenset(
        {OFFICE, SUPERVISOR, COMMITTEE, REVIEWER}
    ),
    ("GET", "/cycles/{year}/plots/{kind}"): frozenset({OFFICE, SUPERVISOR, COMMITTEE, REVIEWER}),
    ("GET", "/cycles/{year}/scenario.yaml"): frozenset({OFFICE, SUPERVISOR}),
    ("GET", HONOR + "/timeline.svg"): READERS | {APPLICANT},
    ("POST", "/cycles/{year}/resume"): frozenset({OFFICE}),
    # applications
    ("POST", "/cycles/{year}/applications"): frozenset({OFFICE, APPLICANT}),
    ("GET", "/cycles/{year}/applications"): EVERYONE,
    ("GET", APP): EVERYONE,
    ("POST", APP + "/withdraw"): frozenset({OFFICE, APPLICANT}),
    ("POST", APP + "/findings"): frozenset({OFFICE}),
    ("GET", APP + "/qualification"): READERS | {APPLICANT},
    ("GET", APP + "/verification-tasks"): READERS,
    ("POST", APP + "/site-report/confirm"): frozenset({APPLICANT}),
    ("POST", APP + "/materials"): frozenset({OFFICE, APPLICANT}),
    ("GET", APP + "/materials"): EVERYONE - {GOVERNMENT},
    ("GET", APP + "/materials/{material_id}"): EVERYONE - {GOVERNMENT},
    ("PUT", APP + "/materials/{material_id}"): frozenset({OFFICE, APPLICANT}),
    ("DELETE", APP + "/materials/{material_id}"): frozenset({OFFICE, APPLICANT}),
    # reviewers and conflicts
    ("POST", "/reviewers"): frozenset({OFFICE}),
    ("GET", "/reviewers"): frozenset({OFFICE, SUPERVISOR}),
    ("GET", "/reviewers/{code}"): frozenset({OFFICE, SUPERVISOR, REVIEWER}),
    ("PUT", "/reviewers/{code}/industries"): frozenset({OFFICE}),
    ("POST", "/reviewers/{code}/ties"): frozenset({OFFICE}),
    ("GET", "/reviewers/{code}/ties"): frozenset({OFFICE, SUPERVISOR, REVIEWER}),
    ("POST", "/cycles/{year}/conflicts"): frozenset({OFFICE, REVIEWER}),
    ("GET", "/cycles/{year}/assignments"): frozenset({OFFICE, SUPERVISOR, REVIEWER}),
    # panels and scores
    ("GET", "/rubric"): EVERYONE,
    ("PUT", APP + "/panels/{stage}"): frozenset({OFFICE}),
    ("GET", APP + "/panels/{stage}"): EVERYONE,  # applicants: 404 (test_confidentiality)
    ("POST", APP + "/scores/{stage}"): frozenset({REVIEWER}),
    ("GET", APP + "/scores/{stage}"): EVERYONE,
    ("POST", APP + "/consensus/{stage}"): frozenset({REVIEWER}),
    # committee, publicity, approval
    ("GET", "/cycles/{year}/candidates"): READERS,
    ("POST", "/cycles/{year}/votes"): frozenset({COMMITTEE}),
    ("POST", "/cycles/{year}/votes/replacement"): frozenset({COMMITTEE}),
    ("GET", "/cycles/{year}/votes"): READERS,
    ("GET", "/cycles/{year}/objections"): frozenset({OFFICE, SUPERVISOR, COMMITTEE}),
    ("POST", "/cycles/{year}/objections/{number}/investigation"): frozenset({OFFICE}),
    ("POST", "/cycles/{year}/committee-decisions"): frozenset({COMMITTEE}),
    ("POST", "/cycles/{year}/approval"): frozenset({GOVERNMENT}),
    # honors
    ("GET", "/honors"): READERS | {APPLICANT},
    ("POST", "/honors/historical"): frozenset({OFFICE}),
    ("POST", HONOR + "/incidents"): frozenset({OFFICE}),
    ("POST", HONOR + "/fraud-reports"): frozenset({OFFICE}),
    ("POST", HONOR + "/resume"): frozenset({OFFICE}),
    ("POST", HONOR + "/revocation-approval"): frozenset({GOVERNMENT}),
    # supervision and review quality (§2(3)3–4, §6(1), §6(3), §6(7))
    ("GET", "/reviewer-pool"): frozenset({OFFICE, SUPERVISOR}),
    ("GET", "/reviewer-pool/{code}"): frozenset({OFFICE, SUPERVISOR}),
    ("POST", "/reviewers/{code}/appointments"): frozenset({OFFICE}),
    ("POST", "/reviewers/{code}/trainings"): frozenset({OFFICE}),
    ("POST", "/reviewers/{code}/discipline"): frozenset({OFFICE}),
    ("GET", "/cycles/{year}/reviewer-workload"): frozenset({OFFICE, SUPERVISOR}),
    ("POST", "/cycles/{year}/irregularities"): frozenset({SUPERVISOR}),
    ("GET", "/cycles/{year}/irregularities"): frozenset({OFFICE, SUPERVISOR, COMMITTEE}),
    ("PUT", "/cycles/{year}/irregularities/{number}/evidence"): frozenset({SUPERVISOR}),
    ("POST", "/cycles/{year}/irregularities/{number}/corrective-action"): frozenset(
        {OFFICE, SUPERVISOR}
    ),
    ("POST", "/cycles/{year}/irregularities/{number}/close"): frozenset({SUPERVISOR}),
    ("POST", APP + "/panel-draws/{stage}"): frozenset({OFFICE}),
    ("GET", "/cycles/{year}/panel-draws"): frozenset({OFFICE, SUPERVISOR}),
    ("GET", "/cycles/{year}/panel-draws/{draw_id}/reproduction"): frozenset({OFFICE, SUPERVISOR}),
    ("POST", "/cycles/{year}/panel-draws/{draw_id}/decision"): frozenset({OFFICE}),
    ("GET", "/cycles/{year}/review-quality/{stage}"): frozenset({OFFICE, SUPERVISOR, COMMITTEE}),
    ("GET", "/follow-ups"): frozenset({OFFICE, SUPERVISOR, APPLICANT}),
    ("POST", HONOR + "/follow-ups/{number}"): frozenset({OFFICE, APPLICANT}),
    ("PUT", HONOR + "/follow-ups/{number}/pdf"): frozenset({OFFICE, APPLICANT}),
    ("POST", HONOR + "/follow-ups/{number}/evaluation"): frozenset({OFFICE}),
    # documents: every role may ask; each document's readers are checked (test_documents)
    ("GET", "/cycles/{year}/documents"): EVERYONE,
    ("GET", "/cycles/{year}/documents/{kind}"): EVERYONE,
    ("GET", APP + "/documents"): EVERYONE,
    ("GET", "/documents/{document_id}"): EVERYONE,
    ("GET", "/public/cycles/{year}/documents"): PUBLIC,
    ("GET", "/public/cycles/{year}/documents/{kind}"): PUBLIC,
    # notices, audit, health
    ("GET", "/notices"): EVERYONE,
    ("POST", "/notices/read"): EVERYONE,
    # contacts and delivery (issue #15)
    ("PUT", "/organizations/{credit_code}/contact"): frozenset({OFFICE}),
    ("PUT", "/reviewers/{code}/contact"): frozenset({OFFICE}),
    ("PUT", "/users/{username}/email"): frozenset({OFFICE}),
    ("PUT", "/auth/me/settings"): EVERYONE,
    ("GET", "/deliveries"): frozenset({OFFICE, SUPERVISOR}),
    ("GET", "/notices/{notice_id}/deliveries"): frozenset({OFFICE, SUPERVISOR}),
    ("POST", "/deliveries/{delivery_id}/resend"): frozenset({OFFICE}),
    ("GET", "/audit"): frozenset({SUPERVISOR}),
    ("GET", "/audit/verify"): frozenset({SUPERVISOR}),
    ("POST", "/audit/checkpoints"): frozenset({SUPERVISOR}),
    ("GET", "/health"): PUBLIC,
    ("GET", "/health/live"): PUBLIC,
    ("GET", "/health/ready"): PUBLIC,
    ("POST", "/codec/encode"): frozenset({OFFICE, SUPERVISOR}),
    ("POST", "/codec/decode"): frozenset({OFFICE, SUPERVISOR}),
    ("POST", "/codec/session"): frozenset({OFFICE, SUPERVISOR}),
    # public
    ("GET", "/public/notices"): PUBLIC,
    ("GET", "/public/publicity"): PUBLIC,
    ("GET", "/public/honors"): PUBLIC,
    ("POST", "/public/objections"): PUBLIC,
    ("GET", "/public/objection"): PUBLIC,
    ("POST", "/public/objection"): PUBLIC,
}

PARAMS = {
    "year": "1999",
    "credit_code": A,
    "stage": "document",
    "award": "quality",
    "number": "1",
    "material_id": "1",
    "draw_id": "1",
    "code": "R1",
    "username": "rev1",
    "notice_id": "1",
    "delivery_id": "1",
    "kind": "bulletin",
    "document_id": "1",
}


def test_every_operation_has_an_entry(app: FastAPI) -> None:
    assert set(operations(app)) == set(ALLOWED)
    assert len(ALLOWED) >= 30


@pytest.mark.parametrize("role", [None, *sorted(EVERYONE)])
async def test_role_gate_of_every_operation(api: Api, role: str | None) -> None:
    await populate(api)
    headers = {}
    if role is not None:
        headers = await api.as_(USERS[role])
    for (method, template), allowed in sorted(ALLOWED.items()):
        if template == "/auth/logout" and role is not None:
            headers_used = {"Authorization": f"Bearer {await api.login(USERS[role])}"}
        else:
            headers_used = headers
        path = template.format(**PARAMS)
        response = await api.http.request(method, path, headers=headers_used, json={})
        where = f"{role} {method} {template}: {response.status_code} {response.text[:200]}"
        # Readiness may answer 503 (the time-skipping server lists no pollers): an answer.
        assert response.status_code < 500 or template == "/health/ready", where
        if allowed is PUBLIC:
            assert response.status_code not in (401, 403), where
        elif role is None:
            assert response.status_code == 401, where
            assert error_code(response) == "not_authenticated", where
        elif role in allowed:
            assert response.status_code not in (401, 403), where
        else:
            assert response.status_code == 403, where
            assert error_code(response) == "forbidden", where
