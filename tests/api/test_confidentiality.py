"""Who sees what (DESIGN §3.2, §7): reviewers only their assignments, never a conflicted
applicant, no other reviewer's score before the panel is complete; applicants only their
own application, reviewers anonymised; the supervisor reads all. Hidden means 404.
"""

from __future__ import annotations

from tests.api.pdfs import PLAIN
from tests.api.support import Api, error_code
from tests.api.world import PANEL, A, B, C, assign, score, to_document_review

PDF = PLAIN


async def status_and_code(api: Api, user: str, path: str) -> tuple[int, str]:
    response = await api.get(user, path)
    return response.status_code, error_code(response) if response.status_code >= 400 else ""


async def test_reviewers_see_only_their_own_assignments(api: Api) -> None:
    year = await to_document_review(api)
    mine = (await api.get("rev1", f"/cycles/{year}/assignments", expect=200)).json()
    assert {(a["credit_code"], a["reviewer"]) for a in mine} == {(A, "R1"), (B, "R1"), (C, "R1")}
    assert (await api.get("rev4", f"/cycles/{year}/assignments", expect=200)).json() == []
    assert (await api.get("rev4", f"/cycles/{year}/applications", expect=200)).json() == []
    for path in (f"/cycles/{year}/applications/{B}", f"/cycles/{year}/applications/{B}/materials"):
        assert await status_and_code(api, "rev4", path) == (404, "not_found")

    seen = (await api.get("rev1", f"/cycles/{year}/applications/{A}", expect=200)).json()
    assert seen["name"]
    assert seen["outcome"] is None
    assert seen["reasons"] == []
    everything = (await api.get("office", f"/cycles/{year}/assignments", expect=200)).json()
    assert len(everything) == 9


async def test_a_conflicted_reviewer_sees_nothing_of_that_applicant(api: Api) -> None:
    year = await to_document_review(api)
    # R4 is tied to A (registered). On B's panel it sees B, and still nothing of A.
    await assign(api, year, B, "document", ["R4", "R2", "R3"])
    assert (await api.get("rev4", f"/cycles/{year}/applications/{B}", expect=200)).json()
    base = f"/cycles/{year}/applications/{A}"
    for path in (base, base + "/materials", base + "/scores/document", base + "/panels/document"):
        assert await status_and_code(api, "rev4", path) == (404, "not_found"), path
    refused = await api.put(
        "office", base + "/panels/document", json={"reviewers": ["R4", "R2", "R3"], "leader": "R4"}
    )
    assert (refused.status_code, error_code(refused)) == (422, "conflict_of_interest")

    # R1 declares a conflict with C: the assignment is withdrawn and C disappears for R1.
    await api.post("rev1", f"/cycles/{year}/conflicts", json={"credit_code": C}, expect=201)
    assert await status_and_code(api, "rev1", f"/cycles/{year}/applications/{C}") == (
        404,
        "not_found",
    )
    mine = (await api.get("rev1", f"/cycles/{year}/assignments", expect=200)).json()
    assert {a["credit_code"] for a in mine} == {A}
    panel = (await api.get("office", f"/cycles/{year}/applications/{C}/panels/document")).json()
    assert {(s["reviewer"], s["withdrawn"]) for s in panel} >= {("R1", True)}


async def test_no_other_reviewers_score_before_the_panel_is_complete(api: Api) -> None:
    year = await to_document_review(api)
    path = f"/cycles/{year}/applications/{A}/scores/document"
    await score(api, year, A, "document", "R1", 700)

    own = (await api.get("rev1", path, expect=200)).json()
    assert [(s["reviewer"], s["total"], s["mine"]) for s in own["scores"]] == [("R1", 700, True)]
    other = (await api.get("rev2", path, expect=200)).json()
    assert other["scores"] == []
    assert other["complete"] is False
    assert other["stage_score"] is None
    applicant = (await api.get("org_a", path, expect=200)).json()
    assert applicant["scores"] == []
    assert applicant["reported"] is False
    office = (await api.get("office", path, expect=200)).json()
    assert [s["reviewer"] for s in office["scores"]] == ["R1"]

    await score(api, year, A, "document", "R2", 710)
    await score(api, year, A, "document", "R3", 720)
    other = (await api.get("rev2", path, expect=200)).json()
    assert sorted(s["reviewer"] for s in other["scores"]) == PANEL
    applicant = (await api.get("org_a", path, expect=200)).json()
    labels = [s["reviewer"] for s in applicant["scores"]]
    assert labels == ["评审员1", "评审员2", "评审员3"]
    assert applicant["stage_score"] == 710
    assert "R1" not in str(applicant)
    assert await status_and_code(
        api, "org_a", f"/cycles/{year}/applications/{A}/panels/document"
    ) == (404, "not_found")


async def test_applicants_see_only_their_own_application(api: Api) -> None:
    year = await to_document_review(api)
    listed = (await api.get("org_a", f"/cycles/{year}/applications", expect=200)).json()
    assert [a["credit_code"] for a in listed] == [A]
    base = f"/cycles/{year}/applications/{B}"
    for path in (base, base + "/qualification", base + "/materials", base + "/scores/document"):
        assert await status_and_code(api, "org_a", path) == (404, "not_found"), path
    assert await status_and_code(api, "org_a", f"/organizations/{B}") == (
        404,
        "unknown_organization",
    )
    assert await status_and_code(api, "org_a", f"/organizations/{B}/records") == (
        404,
        "unknown_organization",
    )
    withdrawn = await api.post("org_a", base + "/withdraw")
    assert (withdrawn.status_code, error_code(withdrawn)) == (404, "not_found")
    still = (await api.get("office", base, expect=200)).json()
    assert still["outcome"] == "pending"

    notices = (await api.get("org_a", "/notices", expect=200)).json()
    assert {n["audience"] for n in notices} <= {"public", "applicant"}
    assert all("任务" not in n["title"] for n in notices)


async def test_the_supervisor_reads_everything(api: Api) -> None:
    year = await to_document_review(api)
    await score(api, year, A, "document", "R1", 700)
    listed = (await api.get("watch", f"/cycles/{year}/applications", expect=200)).json()
    assert {a["credit_code"] for a in listed} == {A, B, C}
    scores = (await api.get("watch", f"/cycles/{year}/applications/{A}/scores/document")).json()
    assert [s["reviewer"] for s in scores["scores"]] == ["R1"]
    assert (await api.get("watch", "/users", expect=200)).json()
    assert (await api.get("watch", "/audit", expect=200)).json()
    response = await api.post("watch", f"/cycles/{year}/close-stage", json={"reason": "x"})
    assert (response.status_code, error_code(response)) == (403, "forbidden")


async def test_a_tie_registered_after_assignment_withdraws_the_reviewer(api: Api) -> None:
    """§6(1): a tie the office registers counts exactly as a declared conflict."""
    year = await to_document_review(api)
    await score(api, year, A, "document", "R2", 720)
    await api.post("office", "/reviewers/R2/ties", json={"credit_code": A}, expect=201)
    base = f"/cycles/{year}/applications/{A}"
    panel = (await api.get("office", base + "/panels/document", expect=200)).json()
    assert {(s["reviewer"], s["withdrawn"]) for s in panel} >= {("R2", True)}
    scores = (await api.get("office", base + "/scores/document", expect=200)).json()
    assert [s["reviewer"] for s in scores["scores"]] == []
    assert await status_and_code(api, "rev2", base) == (404, "not_found")
    notices = (await api.get("office", "/notices", expect=200)).json()
    assert any(n["title"] == "评审员回避，请更换评审员" for n in notices), notices
