"""Writes of the cycle projection: idempotent upserts keyed by natural keys."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from contracts.cycle import ApplicationState
from contracts.records import CycleProjection
from db.base import utcnow
from db.models import (
    Application,
    Cycle,
    DepartmentFinding,
    Objection,
    Organization,
    PanelMember,
    Score,
    VerificationTask,
    Vote,
)
from db.repositories.lookups import organization_ids, reviewer_ids
from domain.committee import Ballot
from domain.departments import departments_for
from domain.phases import Stage


def _insert_ignore(session: Session, model: Any, keys: list[str], **values: Any) -> None:
    """INSERT … ON CONFLICT DO NOTHING: concurrent first writes of one row both succeed."""
    _insert_all_ignore(session, model, keys, [values])


def _insert_all_ignore(
    session: Session, model: Any, keys: list[str], rows: list[dict[str, Any]]
) -> None:
    """The same for many rows, in one batched statement."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.connection().execute(
        insert(getattr(model, "__table__", model)).on_conflict_do_nothing(index_elements=keys), rows
    )


_CYCLES = cast(Table, Cycle.__table__)


def _cycle_values(p: CycleProjection) -> dict[str, Any]:
    return {
        "revision": p.revision,
        "application_deadline": p.application_deadline,
        "opened_at": p.opened_at,
        "phase": p.phase.value,
        "publicity_opens": p.publicity_opens,
        "publicity_closes": p.publicity_closes,
        "awarded_on": p.awarded_on,
        "cancel_reason": p.cancel_reason,
        "document_closed_early_reason": p.document_closed_early_reason,
        "attention": p.attention,
        "winners": p.winners,
        "stage_due": {stage: day.isoformat() for stage, day in p.stage_due.items()},
        "extensions": [e.model_dump(mode="json") for e in p.extensions],
        "entered": {phase: at.isoformat() for phase, at in p.entered.items()},
        "updated_at": utcnow(),
    }


_CYCLE_FIELDS = (
    "revision",
    "application_deadline",
    "opened_at",
    "phase",
    "publicity_opens",
    "publicity_closes",
    "awarded_on",
    "cancel_reason",
    "document_closed_early_reason",
    "attention",
    "winners",
    "stage_due",
    "extensions",
    "entered",
    "updated_at",
)
_UPDATE_CYCLE = (
    update(_CYCLES)
    .where(
        _CYCLES.c.workflow_id == bindparam("b_workflow_id"),
        _CYCLES.c.revision <= bindparam("b_revision"),
    )
    .values({name: bindparam(f"b_{name}") for name in _CYCLE_FIELDS})
    .returning(_CYCLES.c.id)
)
"""One statement for every write (its compiled form is cached): the row's new values as
parameters, not literals, so SQLAlchemy does not build and key a new statement each time."""


def upsert_cycle(session: Session, p: CycleProjection) -> tuple[int, bool]:
    """The cycle row's id, and whether `p` is not older than what is stored (then written).

    One UPDATE guarded by the revision in the usual case; the row is created on first use.
    The pieces of one write share its revision, and a piece of the revision stored is
    applied too (see `workflows.writer`: a retried local activity may carry more).
    """
    values = _cycle_values(p)
    params = {f"b_{name}": value for name, value in values.items()} | {
        "b_workflow_id": p.workflow_id
    }

    def guarded() -> int | None:
        return session.connection().execute(_UPDATE_CYCLE, params).scalar()

    cycle_id = guarded()
    if cycle_id is not None:
        return cycle_id, True
    existing = session.scalar(select(Cycle.id).where(Cycle.workflow_id == p.workflow_id))
    if existing is not None:
        return existing, False
    _insert_ignore(
        session,
        Cycle,
        ["workflow_id"],
        workflow_id=p.workflow_id,
        year=p.year,
        committee_members=p.committee_members,
        rules=p.rules or {},
        created_at=utcnow(),
        **{**values, "revision": 0},
    )
    cycle_id = guarded()
    if cycle_id is not None:
        return cycle_id, True
    existing = session.scalar(select(Cycle.id).where(Cycle.workflow_id == p.workflow_id))
    assert existing is not None
    return existing, False


def write_projection(session: Session, p: CycleProjection) -> None:
    """Write one projection in a few batched statements, whatever the number of applications."""
    cycle_id, newer = upsert_cycle(session, p)
    if not newer:
        return
    with_panels = None if p.panel_codes is None else set(p.panel_codes)
    panel_states = [
        a
        for a in p.applications
        if p.panels and (with_panels is None or a.credit_code in with_panels)
    ]
    reviewers = reviewer_ids(
        session,
        {m for a in panel_states for s in (a.document, a.site) for m in (*s.members, *s.scores)}
        | {i.reviewer for i in p.score_items},
    )
    apps = _write_applications(session, cycle_id, p)
    if panel_states:
        _write_panels(session, panel_states, apps, reviewers)
    scored = [
        {
            "b_app": apps[item.credit_code],
            "b_stage": item.stage.value,
            "b_reviewer": reviewers[item.reviewer],
            "b_items": item.items,
            "b_comments": {c: v.model_dump() for c, v in item.comments.items()} or None,
        }
        for item in p.score_items
        if item.credit_code in apps
    ]
    if scored:
        session.connection().execute(_SCORE_ITEMS, scored)
    with_findings = [state for state in p.applications if state.findings]
    if with_findings:
        _write_findings(session, p.workflow_id, apps, with_findings)
    if any(p.votes.values()):
        _write_votes(session, cycle_id, p)
    _write_objections(session, cycle_id, p)


_APPLICATIONS = cast(Table, Application.__table__)
_PANEL = cast(Table, PanelMember.__table__)
_SCORES = cast(Table, Score.__table__)

_APPLICATION_FIELDS = (
    "revision",
    "state",
    "outcome",
    "eligible",
    "reasons",
    "shortlisted",
    "document_score",
    "document_consensus",
    "site_score",
    "site_consensus",
    "site_report_confirmed_at",
    "site_report_sha256",
    "total_score",
    "updated_at",
)
_UPDATE_APPLICATION = (
    update(_APPLICATIONS)
    .where(_APPLICATIONS.c.id == bindparam("b_id"))
    .values({name: bindparam(f"b_{name}") for name in _APPLICATION_FIELDS})
)
_SCORE_ITEMS = (
    update(_SCORES)
    .where(
        _SCORES.c.application_id == bindparam("b_app"),
        _SCORES.c.stage == bindparam("b_stage"),
        _SCORES.c.reviewer_id == bindparam("b_reviewer"),
    )
    .values(items=bindparam("b_items"), comments=bindparam("b_comments"))
)
_UPDATE_MEMBER = (
    update(_PANEL)
    .where(_PANEL.c.id == bindparam("b_id"))
    .values(leader=bindparam("b_leader"), withdrawn=bindparam("b_withdrawn"))
)
_UPDATE_SCORE = (
    update(_SCORES).where(_SCORES.c.id == bindparam("b_id")).values(total=bindparam("b_total"))
)
_DELETE_SCORE = delete(_SCORES).where(_SCORES.c.id == bindparam("b_id"))


def _application_values(s: ApplicationState, revision: int) -> dict[str, Any]:
    return {
        "revision": revision,
        "state": s.model_dump(mode="json"),
        "outcome": s.outcome.value,
        "eligible": s.eligible,
        "reasons": [r.model_dump() for r in s.reasons],
        "shortlisted": s.shortlisted,
        "document_score": s.document_score,
        "document_consensus": s.document.consensus,
        "site_score": s.site_score,
        "site_consensus": s.site.consensus,
        "site_report_confirmed_at": s.site_report_confirmed_at,
        "site_report_sha256": s.site_report_sha256,
        "total_score": s.total_score,
        "updated_at": utcnow(),
    }


def _application_ids(
    session: Session, cycle_id: int, organization_ids: list[int]
) -> dict[int, int]:
    rows = session.connection().execute(
        select(Application.organization_id, Application.id).where(
            Application.cycle_id == cycle_id, Application.organization_id.in_(organization_ids)
        )
    )
    return {int(org): int(app) for org, app in rows}


def _write_applications(session: Session, cycle_id: int, p: CycleProjection) -> dict[str, int]:
    """Insert the new applications and update the others; their ids by credit code."""
    if not p.applications:
        return {}
    org_ids = [a.organization_id for a in p.applications]
    ids = _application_ids(session, cycle_id, org_ids)
    new = [a for a in p.applications if a.organization_id not in ids]
    if new:
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        session.connection().execute(
            insert(_APPLICATIONS).on_conflict_do_nothing(
                index_elements=["cycle_id", "organization_id"]
            ),
            [
                {
                    "cycle_id": cycle_id,
                    "organization_id": a.organization_id,
                    "award": a.award.value,
                    "submitted_at": a.submitted_at,
                    "created_at": utcnow(),
                    **_application_values(a, p.revision),
                }
                for a in new
            ],
        )
        ids = _application_ids(session, cycle_id, org_ids)
    changed = [
        {"b_id": ids[a.organization_id]}
        | {f"b_{k}": v for k, v in _application_values(a, p.revision).items()}
        for a in p.applications
    ]
    session.connection().execute(_UPDATE_APPLICATION, changed)
    return {a.credit_code: ids[a.organization_id] for a in p.applications}


def _write_panels(
    session: Session,
    states: list[ApplicationState],
    apps: dict[str, int],
    reviewers: dict[str, int],
) -> None:
    """Panels and totals of these applications, both stages, as the workflow has them."""
    app_ids = [apps[s.credit_code] for s in states]
    members_of: defaultdict[tuple[int, str], dict[int, Any]] = defaultdict(dict)
    for row in session.connection().execute(
        select(
            _PANEL.c.id,
            _PANEL.c.application_id,
            _PANEL.c.stage,
            _PANEL.c.reviewer_id,
            _PANEL.c.leader,
            _PANEL.c.withdrawn,
        ).where(_PANEL.c.application_id.in_(app_ids))
    ):
        members_of[(row.application_id, row.stage)][row.reviewer_id] = row
    scores_of: defaultdict[tuple[int, str], dict[int, Any]] = defaultdict(dict)
    for score in session.connection().execute(
        select(
            _SCORES.c.id,
            _SCORES.c.application_id,
            _SCORES.c.stage,
            _SCORES.c.reviewer_id,
            _SCORES.c.total,
        ).where(_SCORES.c.application_id.in_(app_ids))
    ):
        scores_of[(score.application_id, score.stage)][score.reviewer_id] = score
    member_updates: list[dict[str, Any]] = []
    member_inserts: list[dict[str, Any]] = []
    score_updates: list[dict[str, Any]] = []
    score_inserts: list[dict[str, Any]] = []
    score_deletes: list[dict[str, Any]] = []
    now = utcnow()
    for state in states:
        app_id = apps[state.credit_code]
        for stage in Stage:
            panel = state.stage(stage)
            current = {reviewers[code]: code == panel.leader for code in panel.members}
            for reviewer_id, row in members_of[(app_id, stage.value)].items():
                leader = current.get(reviewer_id, False)
                withdrawn = reviewer_id not in current
                if (row.leader, row.withdrawn) != (leader, withdrawn):
                    member_updates.append(
                        {"b_id": row.id, "b_leader": leader, "b_withdrawn": withdrawn}
                    )
            for reviewer_id, leader in current.items():
                if reviewer_id not in members_of[(app_id, stage.value)]:
                    member_inserts.append(
                        {
                            "application_id": app_id,
                            "stage": stage.value,
                            "reviewer_id": reviewer_id,
                            "leader": leader,
                            "withdrawn": False,
                            "created_at": now,
                        }
                    )
            wanted = {reviewers[code]: total for code, total in panel.scores.items()}
            for reviewer_id, row in scores_of[(app_id, stage.value)].items():
                if reviewer_id not in wanted:
                    score_deletes.append({"b_id": row.id})
                elif row.total != wanted[reviewer_id]:
                    score_updates.append({"b_id": row.id, "b_total": wanted[reviewer_id]})
            for reviewer_id, total in wanted.items():
                if reviewer_id not in scores_of[(app_id, stage.value)]:
                    score_inserts.append(
                        {
                            "application_id": app_id,
                            "stage": stage.value,
                            "reviewer_id": reviewer_id,
                            "total": total,
                            "created_at": now,
                        }
                    )
    for statement, rows in (
        (_UPDATE_MEMBER, member_updates),
        (insert(_PANEL), member_inserts),
        (_DELETE_SCORE, score_deletes),
        (_UPDATE_SCORE, score_updates),
        (insert(_SCORES), score_inserts),
    ):
        if rows:
            session.connection().execute(statement, rows)


_FINDINGS = cast(Table, DepartmentFinding.__table__)
_TASKS = cast(Table, VerificationTask.__table__)


def _write_findings(
    session: Session, workflow_id: str, apps: dict[str, int], states: list[ApplicationState]
) -> None:
    """The department findings not yet written, each once; a department's finding
    completes its task. A few statements for the whole piece, whatever its size.

    Findings are only ever appended, and only this write stores them (all of an
    application's new ones in one transaction), so the rows held are an application's
    first ones: the rest are inserted (a finding's key still guards a second insert).
    Rewriting every finding on every write made an application's write grow with its
    findings."""
    conn = session.connection()
    held: dict[int, int] = {
        int(app): int(count)
        for app, count in conn.execute(
            select(_FINDINGS.c.application_id, func.count())
            .where(_FINDINGS.c.application_id.in_([apps[s.credit_code] for s in states]))
            .group_by(_FINDINGS.c.application_id)
        )
    }
    now = utcnow()
    rows: list[dict[str, Any]] = []
    reported: set[tuple[int, str]] = set()
    for s in states:
        app_id = apps[s.credit_code]
        for n, finding in list(enumerate(s.findings))[held.get(app_id, 0) :]:
            rows.append(
                {
                    "source_key": f"{workflow_id}:{s.credit_code}:{n}",
                    "application_id": app_id,
                    "department": finding.department,
                    "passed": finding.passed,
                    "reason": finding.reason,
                    "note": finding.note,
                    "created_at": now,
                }
            )
            reported.add((app_id, finding.department))
    if not rows:
        return
    _insert_all_ignore(session, _FINDINGS, ["source_key"], rows)
    conn.execute(
        update(_TASKS)
        .where(
            _TASKS.c.done_at.is_(None),
            tuple_(_TASKS.c.application_id, _TASKS.c.department).in_(sorted(reported)),
        )
        .values(done_at=now)
    )


def create_tasks(session: Session, workflow_id: str, credit_codes: list[str]) -> int:
    """Verification tasks for the departments that check each application (§4(1))."""
    rows = session.connection().execute(
        select(Application.id, Organization.industrial)
        .join(Cycle, Cycle.id == Application.cycle_id)
        .join(Organization, Organization.id == Application.organization_id)
        .where(Cycle.workflow_id == workflow_id, Organization.credit_code.in_(credit_codes))
    )
    now = utcnow()
    tasks = [
        {"application_id": application_id, "department": department.value, "created_at": now}
        for application_id, industrial in rows.all()
        for department in departments_for(industrial)
    ]
    _insert_all_ignore(session, VerificationTask, ["application_id", "department"], tasks)
    # A department that reported while the cycle was open has done its task already.
    app_ids = {t["application_id"] for t in tasks}
    reported = (
        session.connection()
        .execute(
            select(DepartmentFinding.application_id, DepartmentFinding.department).where(
                DepartmentFinding.application_id.in_(app_ids)
            )
        )
        .all()
    )
    if reported:
        session.connection().execute(
            update(VerificationTask)
            .where(
                VerificationTask.done_at.is_(None),
                tuple_(VerificationTask.application_id, VerificationTask.department).in_(
                    [tuple(r) for r in reported]
                ),
            )
            .values(done_at=now)
        )
    return len(tasks)


def _write_votes(session: Session, cycle_id: int, p: CycleProjection) -> None:
    # The keys only: a stored vote's ballots name every candidate of its award.
    existing = {
        (award, round)
        for award, round in session.execute(
            select(Vote.award, Vote.round).where(Vote.cycle_id == cycle_id)
        )
    }
    for award, votes in p.votes.items():
        for vote in votes:
            if (award, vote.round) not in existing:
                session.add(
                    Vote(
                        cycle_id=cycle_id,
                        award=award,
                        round=vote.round,
                        present=vote.present,
                        ballots={k: b.model_dump() for k, b in vote.ballots.items()},
                        series=vote.series,
                        reason=vote.reason,
                    )
                )


def _write_objections(session: Session, cycle_id: int, p: CycleProjection) -> None:
    if not p.objections:
        return
    rows = {
        o.number: o
        for o in session.scalars(select(Objection).where(Objection.cycle_id == cycle_id))
    }
    orgs = organization_ids(session, [o.credit_code for o in p.objections])
    result = session.execute(
        select(Application.organization_id, Application.id).where(
            Application.cycle_id == cycle_id, Application.organization_id.in_(orgs.values())
        )
    )
    app_ids: dict[int, int] = dict(result.all())
    for o in p.objections:
        row = rows.get(o.number)
        if row is None:
            row = Objection(
                cycle_id=cycle_id,
                number=o.number,
                application_id=app_ids[orgs[o.credit_code]],
                name=o.name,
                contact=o.contact,
                content=o.content,
                received_at=o.received_at,
            )
            session.add(row)
        row.finding = o.finding
        row.report = o.report
        row.decision = o.decision


def application_states(
    session: Session, workflow_id: str, offset: int, limit: int
) -> list[ApplicationState]:
    """A page of a cycle's applications as its workflow last wrote them, in intake order."""
    rows = session.execute(
        select(_APPLICATIONS.c.state)
        .join(_CYCLES, _CYCLES.c.id == _APPLICATIONS.c.cycle_id)
        .where(_CYCLES.c.workflow_id == workflow_id, _APPLICATIONS.c.state.is_not(None))
        .order_by(_APPLICATIONS.c.id)
        .offset(offset)
        .limit(limit)
    )
    return [ApplicationState.model_validate(state) for (state,) in rows]


def vote_ballots(session: Session, workflow_id: str, award: str, round: int) -> dict[str, Ballot]:
    """One recorded vote's ballots, for a cycle's run after continue-as-new."""
    ballots = session.scalar(
        select(Vote.ballots)
        .join(Cycle, Cycle.id == Vote.cycle_id)
        .where(Cycle.workflow_id == workflow_id, Vote.award == award, Vote.round == round)
    )
    if ballots is None:
        raise LookupError(f"{workflow_id}: no vote {award} round {round}")
    return {code: Ballot.model_validate(b) for code, b in ballots.items()}
