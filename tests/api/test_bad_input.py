"""Bad input for every command: wrong types, unknown ids, wrong phase, another user's
record, invalid credit codes. Each is a 4xx with its error code, and nothing changes.
(Uploads are in test_materials, objections in test_public.)
"""

from __future__ import annotations

from typing import Any

from tests.api.support import Api, credit_code, error_code, organization
from tests.api.world import OUTSIDER, A, B, score, to_document_review

UNREGISTERED = credit_code(77)
BAD_CODE = "91331126MA00000010"  # check character wrong
Case = tuple[str, str, str, Any, int, str]


def cases(year: int) -> list[Case]:
    app = f"/cycles/{year}/applications"
    honor = f"/honors/{A}/quality/{year}"
    members = {"reviewers": ["R1", "R2", "R3"], "leader": "R1"}
    later = f"{year + 1}-06-30"
    vote = {"award": "quality", "present": 9, "ballots": {A: {"yes": 9, "no": 0, "abstain": 0}}}
    historical = {"credit_code": A, "award": "quality", "year": 2020, "awarded_on": "2021-01-01"}
    record = {"on": "2024-01-01", "kind": "major_accident"}
    # fmt: off
    return [
        # accounts
        ("", "POST", "/auth/login", {"username": 1, "password": []}, 422, "invalid_input"),
        ("", "POST", "/auth/login", "not json", 422, "invalid_input"),
        ("office", "POST", "/auth/password", {"current_password": 5}, 422, "invalid_input"),
        ("office", "POST", "/users/ghost/password-reset", {"new_password": "long-enough"},
         404, "not_found"),
        # organizations
        ("office", "POST", "/organizations", organization(5) | {"credit_code": BAD_CODE},
         422, "invalid_credit_code"),
        ("office", "POST", "/organizations", organization(5) | {"credit_code": "short"},
         422, "invalid_credit_code"),
        ("office", "POST", "/organizations", organization(5) | {"registered_on": "昨天"},
         422, "invalid_input"),
        ("office", "POST", "/organizations", organization(5) | {"industry": "mining"},
         422, "invalid_input"),
        ("office", "POST", "/organizations", organization(5) | {"extra": 1}, 422, "invalid_input"),
        ("office", "POST", f"/organizations/{UNREGISTERED}/records", record,
         404, "unknown_organization"),
        ("office", "POST", f"/organizations/{BAD_CODE}/records", record,
         422, "invalid_credit_code"),
        ("office", "POST", f"/organizations/{A}/records", record | {"kind": "fun"},
         422, "invalid_input"),
        # cycles
        ("office", "POST", "/cycles", {"year": "abc", "application_deadline": later},
         422, "invalid_input"),
        ("office", "POST", "/cycles", {"year": year, "application_deadline": "2001-01-01"},
         422, "invalid_input"),
        ("office", "POST", "/cycles", {"year": year, "application_deadline": "9999-12-31"},
         422, "invalid_input"),
        ("office", "POST", "/cycles", {"year": year, "application_deadline": later},
         409, "cycle_exists"),
        ("office", "POST", "/cycles", {"year": year + 1, "application_deadline": later,
                                       "rules": {"panel": {"min_size": "many"}}},
         422, "invalid_rules"),
        ("office", "POST", f"/cycles/{year}/cancel", {"reason": ""}, 422, "invalid_input"),
        ("office", "POST", "/cycles/1999/cancel", {"reason": "x"}, 404, "not_found"),
        ("office", "POST", "/cycles/99999999999/cancel", {"reason": "x"}, 422, "invalid_input"),
        ("office", "POST", f"/cycles/{year}/close-qualification", None, 409, "not_in_phase"),
        ("office", "POST", f"/cycles/{year}/close-stage", {"stage": "site", "reason": "x"},
         422, "invalid_input"),
        ("office", "POST", f"/cycles/{year}/close-stage", {}, 422, "invalid_input"),
        ("office", "POST", f"/cycles/{year}/shortlist", {"auto": True}, 409, "reviews_incomplete"),
        ("office", "POST", f"/cycles/{year}/shortlist", {"auto": "sometimes"},
         422, "invalid_input"),
        ("office", "POST", "/cycles/1999/resume", None, 404, "not_found"),
        # applications
        ("org_a", "POST", app, {"award": "quality", "credit_code": B}, 403, "forbidden"),
        ("org_a", "POST", app, {"award": "gold"}, 422, "invalid_input"),
        ("org_a", "POST", app, {"award": "quality"}, 409, "deadline_passed"),
        ("office", "POST", app, {"award": "quality"}, 422, "invalid_input"),
        ("office", "POST", app, {"award": "quality", "credit_code": BAD_CODE},
         422, "invalid_credit_code"),
        ("office", "POST", app, {"award": "quality", "credit_code": UNREGISTERED},
         404, "unknown_organization"),
        ("office", "POST", f"{app}/{OUTSIDER}/withdraw", None, 404, "not_found"),
        ("office", "POST", f"{app}/{A}/findings", {"passed": False}, 409, "not_in_phase"),
        ("office", "POST", f"{app}/{A}/findings", {"passed": "perhaps"}, 422, "invalid_input"),
        ("org_a", "POST", f"{app}/{A}/site-report/confirm", None, 422, "invalid_input"),
        ("org_a", "POST", f"{app}/{A}/site-report/confirm", {"report_sha256": "0" * 64},
         409, "document_not_ready"),
        ("org_a", "POST", f"{app}/{B}/site-report/confirm", {"report_sha256": "0" * 64},
         404, "not_found"),
        # reviewers and conflicts
        ("office", "POST", "/reviewers", {"code": "R9", "name": "某",
                                          "employer_credit_code": BAD_CODE},
         422, "invalid_credit_code"),
        ("office", "POST", "/reviewers", {"code": "R9", "name": "某", "ties": [UNREGISTERED]},
         404, "unknown_organization"),
        ("office", "POST", "/reviewers", {"code": "R9", "name": "某", "industries": ["mining"]},
         422, "invalid_input"),
        ("office", "PUT", "/reviewers/R99/industries", {"industries": []},
         404, "unknown_reviewer"),
        ("office", "POST", "/reviewers/R1/ties", {"credit_code": BAD_CODE},
         422, "invalid_credit_code"),
        ("office", "POST", "/reviewers/R99/ties", {"credit_code": A}, 404, "unknown_reviewer"),
        ("rev1", "POST", f"/cycles/{year}/conflicts", {"credit_code": A, "reviewer": "R2"},
         403, "forbidden"),
        ("office", "POST", f"/cycles/{year}/conflicts", {"credit_code": A}, 422, "invalid_input"),
        ("rev1", "POST", f"/cycles/{year}/conflicts", {"credit_code": UNREGISTERED},
         404, "unknown_organization"),
        ("rev1", "POST", f"/cycles/{year}/conflicts", {"credit_code": BAD_CODE},
         422, "invalid_credit_code"),
        # panels and scores
        ("office", "PUT", f"{app}/{A}/panels/document", members | {"reviewers": ["R1", "R2"]},
         422, "panel_too_small"),
        ("office", "PUT", f"{app}/{A}/panels/document", members | {"leader": "R4"},
         422, "leader_not_in_panel"),
        ("office", "PUT", f"{app}/{A}/panels/document", members | {"reviewers": ["R1", "R2", "R9"]},
         404, "unknown_reviewer"),
        ("office", "PUT", f"{app}/{B}/panels/document", {"reviewers": ["R5", "R6", "R7"],
                                                        "leader": "R5"},
         422, "panel_needs_industry_expert"),
        ("office", "PUT", f"{app}/{A}/panels/site", members, 409, "not_in_phase"),
        ("office", "PUT", f"{app}/{A}/panels/final", members, 422, "invalid_input"),
        ("office", "PUT", f"{app}/{OUTSIDER}/panels/document", members, 404, "not_found"),
        ("rev2", "POST", f"{app}/{A}/scores/document", {"points": 1001}, 422, "invalid_score"),
        ("rev2", "POST", f"{app}/{A}/scores/document", {"points": "many"}, 422, "invalid_input"),
        ("rev2", "POST", f"{app}/{A}/scores/document", {"items": {"4.1.2": 33}},
         422, "invalid_score"),
        ("rev2", "POST", f"{app}/{A}/scores/document", {}, 422, "invalid_score"),
        ("rev2", "POST", f"{app}/{A}/scores/site", {"points": 500}, 409, "not_in_phase"),
        ("rev4", "POST", f"{app}/{A}/scores/document", {"points": 500}, 404, "not_found"),
        ("rev2", "POST", f"{app}/{A}/consensus/document", {"points": 700},
         422, "not_panel_leader"),
        ("rev1", "POST", f"{app}/{A}/consensus/document", {"points": 2000},
         422, "invalid_score"),
        # committee, publicity, approval
        ("secretary", "POST", f"/cycles/{year}/votes", vote, 409, "not_in_phase"),
        ("secretary", "POST", f"/cycles/{year}/votes", vote | {"present": "all"},
         422, "invalid_input"),
        ("office", "POST", f"/cycles/{year}/objections/1/investigation",
         {"finding": "unsubstantiated"}, 409, "not_in_phase"),
        ("office", "POST", f"/cycles/{year}/objections/1/investigation", {"finding": "maybe"},
         422, "invalid_input"),
        ("office", "POST", f"/cycles/{year}/objections/99999999999/investigation",
         {"finding": "unsubstantiated"}, 422, "invalid_input"),
        ("secretary", "POST", f"/cycles/{year}/committee-decisions",
         {"credit_code": A, "remove": True}, 409, "not_in_phase"),
        ("county", "POST", f"/cycles/{year}/approval", {}, 409, "not_in_phase"),
        ("county", "POST", f"/cycles/{year}/approval", {"strike": "A"}, 422, "invalid_input"),
        # honors
        ("office", "POST", "/honors/historical", historical | {"credit_code": UNREGISTERED},
         404, "unknown_organization"),
        ("office", "POST", "/honors/historical", historical | {"credit_code": BAD_CODE},
         422, "invalid_credit_code"),
        ("office", "POST", "/honors/historical", historical | {"award": "bronze"},
         422, "invalid_input"),
        ("office", "POST", "/honors/historical", historical | {"year": 99999999999},
         422, "invalid_input"),
        ("office", "POST", "/honors/historical", historical | {"awarded_on": "9999-12-31"},
         422, "invalid_input"),
        ("office", "POST", honor + "/incidents", {"occurred_on": "2020-01-01"},
         404, "honor_not_found"),
        ("office", "POST", honor + "/incidents", {"occurred_on": "tomorrow"},
         422, "invalid_input"),
        ("office", "POST", honor + "/fraud-reports", {"note": "x"}, 404, "honor_not_found"),
        ("office", "POST", f"/honors/{A}/platinum/{year}/fraud-reports", {},
         422, "invalid_input"),
        ("county", "POST", honor + "/revocation-approval", None, 404, "honor_not_found"),
        ("county", "POST", f"/honors/{UNREGISTERED}/quality/{year}/revocation-approval", None,
         404, "unknown_organization"),
        # the public
        ("", "POST", "/public/objections", {"year": 99999999999, "credit_code": A, "name": "某",
                                            "contact": "1", "content": ""},
         422, "invalid_input"),
        ("", "POST", "/public/objections", {"credit_code": A, "name": "某", "contact": "1",
                                            "content": ""},
         409, "not_in_phase"),
    ]
    # fmt: on


async def snapshot(api: Api, year: int) -> list[Any]:
    paths = [
        f"/cycles/{year}",
        f"/cycles/{year}/applications",
        f"/cycles/{year}/assignments",
        f"/cycles/{year}/applications/{A}/scores/document",
        f"/cycles/{year}/applications/{B}/panels/document",
        "/cycles",
        "/organizations",
        f"/organizations/{A}/records",
        "/reviewers",
        "/reviewers/R1/ties",
        "/users",
        "/honors",
        "/notices",
    ]
    return [(await api.get("office", path, expect=200)).json() for path in paths]


async def test_every_command_refuses_bad_input_with_its_code_and_changes_nothing(
    api: Api,
) -> None:
    year = await to_document_review(api)
    for code in ("R5", "R6", "R7"):
        body = {"code": code, "name": f"评审员{code}", "industries": ["services"]}
        await api.post("office", "/reviewers", json=body, expect=201)
    await score(api, year, A, "document", "R1", 700)
    before = await snapshot(api, year)

    for user, method, path, body, status, code in cases(year):
        kwargs: dict[str, Any] = {}
        if isinstance(body, str):
            kwargs["content"] = body
            kwargs["headers"] = {"content-type": "application/json"}
        elif body is not None:
            kwargs["json"] = body
        response = await api.call(user or None, method, path, **kwargs)
        where = f"{user} {method} {path} {body}: {response.text}"
        assert response.status_code == status, where
        assert error_code(response) == code, where
        assert _chinese(response.json()["error"]["message"]), where

    assert await snapshot(api, year) == before


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
