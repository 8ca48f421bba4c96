"""Applications (申报) of a cycle, as the projection writes them, and their department
verification tasks (§4(1))."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, defer

from db.models import Application, Cycle, Organization, VerificationTask
from domain.types import Award

_NO_STATE = defer(Application.state, raiseload=True)
"""``carried=False``: without the workflow's carried state (about 1 KB of JSON an
application, a third of a 1,000-row list's read time); touching it on such rows raises
rather than loading it one row at a time. Lists for pages pass it; the documents and the
outcome explanations read the state and keep the default."""


def with_organizations(
    session: Session, cycle_id: int, credit_code: str | None = None, carried: bool = True
) -> list[tuple[Application, Organization]]:
    """A cycle's applications (or one organization's), by award and credit code."""
    query = (
        select(Application, Organization)
        .join(Organization, Organization.id == Application.organization_id)
        .where(Application.cycle_id == cycle_id)
        .order_by(Application.award, Organization.credit_code)
    )
    if not carried:
        query = query.options(_NO_STATE)
    if credit_code is not None:
        query = query.where(Organization.credit_code == credit_code)
    return [(app, org) for app, org in session.execute(query)]


def outcome_peers(
    session: Session, cycle_id: int, award: str
) -> list[tuple[str, float | None, float | None, bool]]:
    """An award's applications as an outcome's explanation ranks them: (credit code, document
    score, total score, takes a quota place). Columns only, the carried state's one flag read
    in SQL: 1,000 states decoded for it were most of an application page's time."""
    flag = Application.state["takes_quota_place"].as_boolean()
    rows = session.execute(
        select(Organization.credit_code, Application.document_score, Application.total_score, flag)
        .join(Organization, Organization.id == Application.organization_id)
        .where(Application.cycle_id == cycle_id, Application.award == award)
    )
    return [(code, document, total, taken is not False) for code, document, total, taken in rows]


def of_organization(session: Session, organization_id: int) -> list[tuple[Application, Cycle]]:
    """One organization's applications across cycles, newest cycle first."""
    rows = session.execute(
        select(Application, Cycle)
        .join(Cycle, Cycle.id == Application.cycle_id)
        .where(Application.organization_id == organization_id)
        .order_by(Cycle.year.desc(), Cycle.id.desc(), Application.award)
        .options(_NO_STATE)
    )
    return [(app, cycle) for app, cycle in rows]


def scored_candidates(
    session: Session, cycle_id: int, carried: bool = True
) -> list[tuple[Application, Organization]]:
    """Applications with a total score still in the running, best first per award."""
    query = (
        select(Application, Organization)
        .join(Organization, Organization.id == Application.organization_id)
        .where(
            Application.cycle_id == cycle_id,
            Application.total_score.is_not(None),
            Application.outcome.not_in(["not_candidate", "withdrawn", "cancelled"]),
        )
        .order_by(Application.award, Application.total_score.desc(), Organization.credit_code)
    )
    if not carried:
        query = query.options(_NO_STATE)
    return [(app, org) for app, org in session.execute(query)]


def contender_columns(
    session: Session, cycle_id: int
) -> dict[str, tuple[float | None, bool, bool]]:
    """`scored_candidates` by credit code as a vote's winners are chosen among them: (total,
    repeat winner, takes a quota place), the carried state's two flags read in SQL (a
    missing flag is its default: not a repeat winner, takes a place)."""
    state = Application.state
    rows = session.execute(
        select(
            Organization.credit_code,
            Application.total_score,
            state["repeat_winner"].as_boolean(),
            state["takes_quota_place"].as_boolean(),
        )
        .join(Organization, Organization.id == Application.organization_id)
        .where(
            Application.cycle_id == cycle_id,
            Application.total_score.is_not(None),
            Application.outcome.not_in(["not_candidate", "withdrawn", "cancelled"]),
        )
    )
    return {
        code: (total, repeat is True, place is not False) for code, total, repeat, place in rows
    }


def candidate_columns(session: Session, cycle_id: int) -> list[tuple[str, str, str, float, str]]:
    """`scored_candidates` as (credit code, name, award, total, outcome) columns, same order:
    what the committee's and the government's pages list (1,000 rows, no ORM entities)."""
    rows = session.execute(
        select(
            Organization.credit_code,
            Organization.name,
            Application.award,
            Application.total_score,
            Application.outcome,
        )
        .join(Organization, Organization.id == Application.organization_id)
        .where(
            Application.cycle_id == cycle_id,
            Application.total_score.is_not(None),
            Application.outcome.not_in(["not_candidate", "withdrawn", "cancelled"]),
        )
        .order_by(Application.award, Application.total_score.desc(), Organization.credit_code)
    )
    return [
        (code, name, award, total or 0.0, outcome) for code, name, award, total, outcome in rows
    ]


def verification_tasks(session: Session, application_id: int) -> list[VerificationTask]:
    return list(
        session.scalars(
            select(VerificationTask)
            .where(VerificationTask.application_id == application_id)
            .order_by(VerificationTask.id)
        )
    )


def still_eligible(session: Session, cycle_id: int) -> list[tuple[Application, Organization]]:
    """Eligible applications still pending (the shortlist's), without the carried state."""
    rows = session.execute(
        select(Application, Organization)
        .join(Organization, Organization.id == Application.organization_id)
        .where(
            Application.cycle_id == cycle_id,
            Application.eligible.is_(True),
            Application.outcome == "pending",
        )
        .order_by(Application.award, Organization.credit_code)
        .options(_NO_STATE)
    )
    return [(app, org) for app, org in rows]


def page_of(
    session: Session,
    cycle_id: int,
    *,
    award: str = "",
    outcome: str = "",
    needle: str = "",
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[tuple[Application, Organization]], int, int]:
    """One page of a cycle's applications (by award and credit code) with the filters of
    the console's list, without the carried state: (rows, how many match, how many in all).
    `needle` matches the credit code (upper-cased) or the name."""
    where = [Application.cycle_id == cycle_id]
    if award:
        where.append(Application.award == award)
    if outcome:
        where.append(Application.outcome == outcome)
    if needle:
        where.append(
            Organization.credit_code.contains(needle.upper(), autoescape=True)
            | Organization.name.contains(needle, autoescape=True)
        )
    joined = select(Application, Organization).join(
        Organization, Organization.id == Application.organization_id
    )
    query = (
        joined.where(*where)
        .order_by(Application.award, Organization.credit_code)
        .offset(offset)
        .limit(limit)
        .options(_NO_STATE)
    )
    rows = [(app, org) for app, org in session.execute(query)]
    matching = session.scalar(
        select(func.count(Application.id))
        .join(Organization, Organization.id == Application.organization_id)
        .where(*where)
    )
    everything = session.scalar(
        select(func.count(Application.id)).where(Application.cycle_id == cycle_id)
    )
    return rows, int(matching or 0), int(everything or 0)


def counts(session: Session, cycle_id: int) -> tuple[dict[str, int], dict[str, int]]:
    """The cycle overview's numbers in one aggregate: (the funnel's counts by step, the
    applications by outcome)."""
    one = case
    row = session.execute(
        select(
            func.count(Application.id),
            func.sum(one((Application.eligible.is_(True), 1), else_=0)),
            func.sum(one((Application.shortlisted.is_(True), 1), else_=0)),
            func.sum(one((Application.site_report_confirmed_at.is_not(None), 1), else_=0)),
            func.sum(one((Application.total_score.is_not(None), 1), else_=0)),
            func.sum(one((Application.outcome == "awarded", 1), else_=0)),
        ).where(Application.cycle_id == cycle_id)
    ).one()
    steps = ("applied", "eligible", "shortlisted", "confirmed", "scored", "awarded")
    funnel = {step: int(n or 0) for step, n in zip(steps, row, strict=True)}
    outcomes = {
        outcome: int(n)
        for outcome, n in session.execute(
            select(Application.outcome, func.count(Application.id))
            .where(Application.cycle_id == cycle_id)
            .group_by(Application.outcome)
            .order_by(func.min(Application.id))
        )
    }
    return funnel, outcomes


def candidate_names(session: Session, workflow_id: str) -> dict[Award, list[str]]:
    """Each award's candidates (§4(4)) by their place on the list, named as the cycle's
    state names them: read from the applications as the cycle last wrote them (a write
    gives the candidates their places before it publishes the list)."""
    state = Application.state
    place = state["candidate_rank"].as_integer()
    rows = session.execute(
        select(Application.award, state["name"].as_string())
        .join(Cycle, Cycle.id == Application.cycle_id)
        .where(Cycle.workflow_id == workflow_id, place.is_not(None))
        .order_by(place, Application.id)
    )
    names: dict[Award, list[str]] = {}
    for award, name in rows:
        names.setdefault(Award(award), []).append(name)
    return names


def shortlisted(session: Session, workflow_id: str) -> list[tuple[str, Award, float]]:
    """The applications on a cycle's site-review list (§4(2)): credit code, award and
    document score, as the cycle last wrote them."""
    rows = session.execute(
        select(Organization.credit_code, Application.award, Application.document_score)
        .join(Organization, Organization.id == Application.organization_id)
        .join(Cycle, Cycle.id == Application.cycle_id)
        .where(Cycle.workflow_id == workflow_id, Application.shortlisted.is_(True))
    )
    return [(code, Award(award), score or 0.0) for code, award, score in rows]
