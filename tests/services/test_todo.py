"""The to-do lists computed phase by phase from facts, without a server (`services.todo`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from db.repositories.todo import SeatRow
from domain.phases import Phase
from services.accounts import Role, Viewer
from services.todo import ApplicationFacts, CycleFacts, Facts, HonorFacts, ObjectionFacts, tasks

TODAY = date(2026, 6, 10)
OFFICE = Viewer(1, "office", Role.OFFICE)
REV1 = Viewer(2, "rev1", Role.REVIEWER, reviewer_id=11, reviewer_code="R1")
REV2 = Viewer(3, "rev2", Role.REVIEWER, reviewer_id=12, reviewer_code="R2")
ORG_A = Viewer(4, "org_a", Role.APPLICANT, organization_id=101, credit_code="A")
ORG_B = Viewer(5, "org_b", Role.APPLICANT, organization_id=102, credit_code="B")
SECRETARY = Viewer(6, "secretary", Role.COMMITTEE)
COUNTY = Viewer(7, "county", Role.GOVERNMENT)
WATCH = Viewer(8, "watch", Role.SUPERVISOR)

APP_A = ApplicationFacts(1, 101, "A", "甲公司", "quality", "pending", None, None, False)


def cycle(phase: Phase, *apps: ApplicationFacts, **extra: object) -> CycleFacts:
    return CycleFacts(2026, phase, date(2026, 6, 1), applications=list(apps), **extra)  # type: ignore[arg-type]


def seat(
    reviewer: int,
    stage: str = "document",
    *,
    leader: bool = False,
    scored: bool = False,
    withdrawn: bool = False,
) -> SeatRow:
    return SeatRow(1, stage, reviewer, f"R{reviewer - 10}", leader, withdrawn, scored)


def keys(viewer: Viewer, *cycles: CycleFacts, honors: list[HonorFacts] | None = None) -> list[str]:
    return [t.key for t in tasks(viewer, Facts(list(cycles), honors or []), TODAY)]


def test_open_phase_the_applicant_applies_then_uploads_its_materials() -> None:
    assert keys(ORG_A, cycle(Phase.OPEN)) == ["apply:2026"]
    assert keys(ORG_A, cycle(Phase.OPEN, APP_A)) == ["materials:2026"]
    assert keys(ORG_A, cycle(Phase.OPEN, replace(APP_A, materials=2))) == []
    assert keys(ORG_B, cycle(Phase.OPEN, APP_A)) == ["apply:2026"]  # not A's tasks
    assert keys(OFFICE, cycle(Phase.OPEN, APP_A)) == []
    (applying,) = tasks(ORG_A, Facts([cycle(Phase.OPEN)]), TODAY)
    assert (applying.due, applying.assignee, applying.link) == (
        date(2026, 6, 1),
        "org_a",
        "/console/cycles/2026/apply",
    )
    assert applying.overdue(TODAY)


def test_qualification_the_office_records_findings_then_closes() -> None:
    waiting = replace(APP_A, open_verifications=("market_supervision",))
    found = tasks(OFFICE, Facts([cycle(Phase.QUALIFICATION, waiting)]), TODAY)
    assert [t.key for t in found] == ["finding:2026:A", "close-qualification:2026"]
    assert "县市场监督管理局" in found[0].title
    assert found[1].priority < found[0].priority  # closing waits for the findings
    (closing,) = tasks(OFFICE, Facts([cycle(Phase.QUALIFICATION, APP_A)]), TODAY)
    assert closing.priority == 70


def test_document_review_panels_are_formed_then_scored_then_agreed() -> None:
    eligible = replace(APP_A, eligible=True)
    due = {"document": TODAY + timedelta(days=5)}
    bare = cycle(Phase.DOCUMENT_REVIEW, eligible, stage_due=due)
    assert keys(OFFICE, bare) == ["panel:2026:A:document"]
    panel = [seat(11, leader=True), seat(12), seat(13)]
    formed = replace(bare, seats=panel)
    assert keys(OFFICE, formed) == []
    assert keys(REV1, formed) == ["score:2026:A:document", "conflicts:2026"]
    assert keys(REV2, formed) == ["score:2026:A:document", "conflicts:2026"]
    scored = replace(bare, seats=[replace(s, scored=True) for s in panel])
    assert keys(REV1, scored) == ["consensus:2026:A:document"]  # the leader only
    assert keys(REV2, scored) == []
    assert keys(OFFICE, scored) == ["shortlist:2026"]
    agreed = replace(scored, applications=[replace(eligible, document_consensus=700.0)])
    assert keys(REV1, agreed) == []


def test_a_withdrawn_reviewer_is_replaced_and_an_overdue_panel_chased() -> None:
    eligible = replace(APP_A, eligible=True)
    withdrawn = [seat(11, leader=True), seat(12, withdrawn=True), seat(13)]
    short = cycle(Phase.DOCUMENT_REVIEW, eligible, seats=withdrawn)
    assert keys(OFFICE, short) == ["replace:2026:A:document"]
    assert keys(REV2, short) == []  # no longer on the panel
    late = cycle(
        Phase.DOCUMENT_REVIEW,
        eligible,
        seats=[seat(11, scored=True), seat(12), seat(13)],
        stage_due={"document": TODAY - timedelta(days=1)},
    )
    (chase,) = tasks(OFFICE, Facts([late]), TODAY)
    assert chase.key == "chase:2026:A:document"
    assert chase.overdue(TODAY)
    mine = tasks(REV2, Facts([late]), TODAY)
    assert mine[0].key == "score:2026:A:document"
    assert mine[0].overdue(TODAY)


def test_shortlist_phase_asks_the_office_to_fix_the_list() -> None:
    assert keys(OFFICE, cycle(Phase.SHORTLIST, replace(APP_A, eligible=True))) == ["shortlist:2026"]


def test_site_review_the_applicant_confirms_the_report_once_scored() -> None:
    shortlisted = replace(APP_A, eligible=True, shortlisted=True)
    site = [seat(11, "site", leader=True), seat(12, "site"), seat(13, "site")]
    visiting = cycle(Phase.SITE_REVIEW, shortlisted, seats=site)
    assert keys(ORG_A, visiting) == []
    assert keys(REV1, visiting) == ["score:2026:A:site", "conflicts:2026"]
    scored = replace(visiting, seats=[replace(s, scored=True) for s in site])
    assert keys(ORG_A, scored) == ["site-report:2026"]
    confirmed = replace(scored, applications=[replace(shortlisted, site_confirmed=True)])
    assert keys(ORG_A, confirmed) == []
    assert keys(REV1, confirmed) == []  # the stage closed with the confirmation


def test_the_applicant_reads_its_feedback_once_decided() -> None:
    out = replace(APP_A, eligible=True, shortlisted=False, outcome="not_shortlisted")
    assert keys(ORG_A, cycle(Phase.SITE_REVIEW, out)) == ["feedback:2026"]
    assert keys(ORG_A, cycle(Phase.QUALIFICATION, replace(APP_A, outcome="ineligible"))) == [
        "feedback:2026"
    ]


def test_committee_votes_and_decides_substantiated_objections() -> None:
    assert keys(SECRETARY, cycle(Phase.COMMITTEE, APP_A)) == ["votes:2026"]
    objections = [
        ObjectionFacts(1, 1, None, None),
        ObjectionFacts(2, 1, "substantiated", None),
        ObjectionFacts(3, 1, "substantiated", "keep"),
        ObjectionFacts(4, 1, "unsubstantiated", None),
    ]
    publicity = cycle(
        Phase.PUBLICITY, APP_A, objections=objections, publicity_closes=TODAY + timedelta(days=3)
    )
    assert keys(SECRETARY, publicity) == ["decide:2026:2"]
    investigate = tasks(OFFICE, Facts([publicity]), TODAY)
    assert [t.key for t in investigate] == ["investigate:2026:1"]
    assert (investigate[0].applicant, investigate[0].due) == ("甲公司", TODAY + timedelta(days=3))


def test_approval_is_the_governments_and_the_office_follows_it_up() -> None:
    approval = cycle(Phase.APPROVAL, APP_A)
    assert keys(COUNTY, approval) == ["approve:2026"]
    assert keys(OFFICE, approval) == ["government-decision:2026"]
    assert keys(COUNTY, cycle(Phase.COMMITTEE, APP_A)) == []


HONOR = HonorFacts(
    9, 101, "A", "甲公司", "quality", 2024, date(2024, 6, 1), date(2029, 5, 31), None, None
)


def test_honors_revocations_to_approve_and_yearly_follow_up_reports() -> None:
    assert keys(COUNTY, honors=[replace(HONOR, pending_revocation="fraud")]) == ["revoke:9"]
    assert keys(COUNTY, honors=[replace(HONOR, pending_revocation="fraud", revoked_on=TODAY)]) == []
    (report,) = tasks(OFFICE, Facts([], [HONOR]), TODAY)
    assert report.key == "follow-up:9:2026"
    assert (report.follow_up, report.due) == (date(2026, 6, 1), date(2026, 7, 1))
    late = tasks(OFFICE, Facts([], [HONOR]), date(2026, 9, 1))
    assert late == []  # the window of that year's report has passed
    assert (
        tasks(OFFICE, Facts([], [replace(HONOR, awarded_on=date(2026, 6, 1), year=2026)]), TODAY)
        == []
    )  # no report in the award year
    leap = replace(HONOR, awarded_on=date(2024, 2, 29))
    (feb,) = tasks(OFFICE, Facts([], [leap]), date(2026, 3, 1))
    assert feb.follow_up == date(2026, 2, 28)
    expired = replace(HONOR, valid_until=date(2025, 12, 31))
    assert tasks(OFFICE, Facts([], [expired]), TODAY) == []


def test_the_supervisor_always_has_the_audit_trail_to_verify() -> None:
    assert keys(WATCH) == ["audit"]
    assert keys(WATCH, cycle(Phase.DOCUMENT_REVIEW, APP_A)) == ["audit"]


def test_overdue_tasks_come_first_then_by_due_date() -> None:
    old = cycle(Phase.OPEN)
    later = replace(old, year=2027, application_deadline=TODAY + timedelta(days=9))
    sooner = replace(old, year=2028, application_deadline=TODAY + timedelta(days=2))
    assert keys(ORG_A, later, sooner, old) == ["apply:2026", "apply:2028", "apply:2027"]


def test_a_major_accident_in_the_window_asks_the_office_to_propose_the_revocation() -> None:
    closes = date(2026, 5, 31)
    accident = replace(HONOR, revocation_window_closes=closes, accidents=(date(2025, 3, 2),))
    proposing = [
        t for t in tasks(OFFICE, Facts([], [accident]), TODAY) if t.key != "follow-up:9:2026"
    ]
    (task,) = proposing
    assert task.key == "propose-revocation:9"
    assert task.link == "/console/honors/9#incident"
    assert (task.candidate_role, task.follow_up, task.priority) == (
        Role.OFFICE,
        date(2025, 3, 2),
        80,
    )
    assert "2025-03-02" in task.title
    assert "§6(6)" in task.title
    assert task.credit_code == "A"
    # Before the award, after the window, or none on file: nothing to propose.
    for days in ((date(2024, 5, 1),), (date(2026, 6, 1),), ()):
        honor = replace(accident, accidents=days)
        assert "propose-revocation:9" not in keys(OFFICE, honors=[honor])
    # Proposed already (by the incident report or a fraud report), or revoked: gone.
    assert "propose-revocation:9" not in keys(
        OFFICE, honors=[replace(accident, pending_revocation="incident")]
    )
    assert keys(OFFICE, honors=[replace(accident, revoked_on=TODAY)]) == []
    # The government has nothing of it until the proposal is made.
    assert keys(COUNTY, honors=[accident]) == []
