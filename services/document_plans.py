"""Which document is asked for, whether it can be made yet, and how (`plan`): its archive
key, title, file name and a function that renders it from the database's data.

A document is dated by the step that formed it (the notice that step published, the
approval date, the revocation date), never by the clock, so making it again gives the same
bytes. It can be made once its data is final: a review report once its panel has reported
(a site report changes with its panel's scores until the applicant confirms it, so its key
carries the panel's fingerprint), the feedback once the document stage closed for a
non-shortlisted applicant and after the cycle for the others, and so on.

Its size is the number of kinds: one short planner per document, eleven of them, kept
together because they share one set of conventions (the key, the file name, the date of
the step that formed the document, what "not formed yet" means).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from contracts.cycle import ApplicationState
from db.models import Application, Cycle, Honor, Organization
from db.repositories import applications, cycles, panels, reviewers
from db.repositories import documents as archive
from db.repositories import materials as material_rows
from documents import paper as papers
from documents import render
from documents.kinds import FORMATS, KIND_NAMES, Kind
from domain.dates import to_business_date
from domain.errors import DomainError, ErrorCode
from domain.names import AWARD_NAMES, STAGE_NAMES
from domain.phases import Stage
from domain.rules import load_rules
from domain.types import Award
from services import document_papers as content
from services import document_reviews as reviews


@dataclass(frozen=True)
class Ask:
    """A document asked for: its kind and format, and what it is of."""

    kind: Kind
    format: str = "pdf"
    credit_code: str | None = None
    stage: Stage | None = None
    award: Award | None = None
    number: int | None = None
    on: date | None = None
    """The day of the notice that will carry it, when that notice is not published yet."""


@dataclass(frozen=True)
class Plan:
    key: str
    title: str
    filename: str
    media_type: str
    application: Application | None
    honor_id: int | None
    make: Callable[[], bytes]
    fingerprint: str | None = None


MEDIA = {"pdf": render.PDF, "docx": render.DOCX, "xlsx": render.XLSX}


def not_ready(what: str) -> DomainError:
    return DomainError(ErrorCode.DOCUMENT_NOT_READY, what)


def plan(session: Session, cycle: Cycle, ask: Ask) -> Plan:
    """The plan of `ask` in `cycle`; `not_found` for what does not exist, `document_not_ready`
    for a document whose step has not happened yet."""
    if ask.format not in FORMATS[ask.kind]:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"{KIND_NAMES[ask.kind]}只提供{'、'.join(FORMATS[ask.kind])}格式",
        )
    builder = _BUILDERS[ask.kind]
    return builder(session, cycle, ask)


def _file(cycle: Cycle, title: str, detail: str, ask: Ask) -> tuple[str, str, str]:
    key = f"{cycle.workflow_id}:{ask.kind.value}:{detail}:{ask.format}"
    return key, f"{title}.{ask.format}", MEDIA[ask.format]


def _pdf_plan(
    cycle: Cycle,
    ask: Ask,
    detail: str,
    paper: Callable[[], papers.Paper],
    title: str,
    **extra: object,
) -> Plan:
    key, filename, media = _file(cycle, title, detail, ask)
    return Plan(
        key=key,
        title=title,
        filename=filename,
        media_type=media,
        make=lambda: papers.paper_pdf(paper(), key),
        application=extra.get("application"),  # type: ignore[arg-type]
        honor_id=extra.get("honor_id"),  # type: ignore[arg-type]
        fingerprint=extra.get("fingerprint"),  # type: ignore[arg-type]
    )


def _application(session: Session, cycle: Cycle, ask: Ask) -> tuple[Application, Organization]:
    if not ask.credit_code:
        raise DomainError(ErrorCode.INVALID_INPUT, "须指定申报组织的统一社会信用代码")
    found = applications.with_organizations(session, cycle.id, ask.credit_code.strip().upper())
    if not found:
        raise DomainError(ErrorCode.NOT_FOUND, f"本届评审中没有 {ask.credit_code} 的申报")
    return found[0]


def _day(session: Session, cycle: Cycle, step: str) -> date | None:
    return archive.notice_day(session, f"{cycle.workflow_id}:{step}")


def _call(session: Session, cycle: Cycle, ask: Ask) -> Plan:
    moved = [e for e in cycle.extensions or [] if e.get("what") == "application"]
    deadline = date.fromisoformat(moved[0]["previous"]) if moved else cycle.application_deadline
    dated = to_business_date(cycle.opened_at)
    paper = content.call(cycle, load_rules(cycle.rules), deadline, dated)
    title = f"{cycle.year}年度质量奖申报通知"
    key, filename, media = _file(cycle, title, "call", ask)
    if ask.format == "docx":
        make = lambda: papers.paper_docx(paper)  # noqa: E731
    else:
        make = lambda: papers.paper_pdf(paper, key)  # noqa: E731
    return Plan(key, title, filename, media, None, None, make)


def _application_form(session: Session, cycle: Cycle, ask: Ask) -> Plan:
    app, org = _application(session, cycle, ask)
    if cycle.phase == "open":
        raise not_ready("申报表在申报截止、材料锁定后形成")
    listed = material_rows.of_application(session, app.id)
    title = f"{cycle.year}年度申报表-{org.name}"
    return _pdf_plan(
        cycle,
        ask,
        org.credit_code,
        lambda: reviews.application_form(cycle.year, app, org, listed, cycle.application_deadline),
        title,
        application=app,
    )


def stage_data(session: Session, app: Application, stage: Stage) -> reviews.StageData:
    seats = panels.seats(session, app.id, stage.value, withdrawn=False)
    given = {s.reviewer_id: s for s in panels.scores(session, app.id, stage.value)}
    ordered = [given[m.reviewer_id] for m in seats if m.reviewer_id in given]
    leaders = [n for n, m in enumerate(s for s in seats if s.reviewer_id in given) if m.leader]
    document = stage == Stage.DOCUMENT
    return reviews.StageData(
        stage=stage,
        scores=ordered,
        leader_index=leaders[0] if leaders else None,
        consensus=app.document_consensus if document else app.site_consensus,
        stage_score=app.document_score if document else app.site_score,
    )


def _stage_closed_day(session: Session, cycle: Cycle, org: Organization) -> date | None:
    code = org.credit_code
    return _day(session, cycle, f"shortlisted:{code}") or _day(
        session, cycle, f"document_review_feedback:{code}"
    )


def site_fingerprint(app: Application) -> str:
    """The site panel's fingerprint as the cycle last wrote it (`StageState.fingerprint`)."""
    if app.state is None:
        return f"r{app.revision}"
    return ApplicationState.model_validate(app.state).site.fingerprint()


def _review_report(session: Session, cycle: Cycle, ask: Ask) -> Plan:
    app, org = _application(session, cycle, ask)
    stage = ask.stage or Stage.DOCUMENT
    fingerprint = None
    if stage == Stage.DOCUMENT:
        dated = _stage_closed_day(session, cycle, org)
        detail = f"document:{org.credit_code}"
    else:
        dated = _day(session, cycle, f"site_review_report:{org.credit_code}")
        fingerprint = site_fingerprint(app)
        detail = f"site:{org.credit_code}:{fingerprint[:16]}"
    if dated is None:
        raise not_ready(f"{STAGE_NAMES[stage]}报告在评审组完成评分后形成")
    data = stage_data(session, app, stage)
    title = f"{cycle.year}年度{STAGE_NAMES[stage]}报告-{org.name}"
    return _pdf_plan(
        cycle,
        ask,
        detail,
        lambda: reviews.review_report(cycle.year, app, org, data, dated),
        title,
        application=app,
        fingerprint=fingerprint,
    )


def _feedback(session: Session, cycle: Cycle, ask: Ask) -> Plan:
    app, org = _application(session, cycle, ask)
    if app.shortlisted is False:
        dated = _day(session, cycle, f"document_review_feedback:{org.credit_code}") or ask.on
        stages = [Stage.DOCUMENT]
    elif app.shortlisted and cycle.phase == "announced" and cycle.awarded_on is not None:
        dated = cycle.awarded_on
        stages = [Stage.DOCUMENT, Stage.SITE]
    else:
        dated = None
    if dated is None:
        raise not_ready("反馈报告在未入围时（资料评审后）或评审结束后形成")
    data = [stage_data(session, app, s) for s in stages]
    title = f"{cycle.year}年度评审反馈报告-{org.name}"
    return _pdf_plan(
        cycle,
        ask,
        org.credit_code,
        lambda: reviews.feedback_report(cycle.year, app, org, data, dated),
        title,
        application=app,
    )


def _score_sheet(session: Session, cycle: Cycle, ask: Ask) -> Plan:
    stage = ask.stage or Stage.DOCUMENT
    award = ask.award or Award.QUALITY
    rows = [
        (a, o)
        for a, o in applications.with_organizations(session, cycle.id)
        if a.award == award.value
        and (a.shortlisted is not None if stage == Stage.DOCUMENT else a.shortlisted)
    ]
    if stage == Stage.DOCUMENT:
        dated = _stage_closed_day(session, cycle, rows[0][1]) if rows else None
    else:
        dated = _day(session, cycle, "candidate_list")
    if dated is None:
        raise not_ready(f"{STAGE_NAMES[stage]}评分汇总表在该环节结束后形成")
    title = f"{cycle.year}年度{AWARD_NAMES[award]}{STAGE_NAMES[stage]}评分汇总表"
    key, filename, media = _file(cycle, title, f"{stage.value}:{award.value}", ask)
    sheets = []
    for app, org in rows:
        data = stage_data(session, app, stage)
        pool = reviewers.by_ids(session, [s.reviewer_id for s in data.scores])
        sheets.append((org, data, [pool[s.reviewer_id] for s in data.scores]))
    return Plan(
        key,
        title,
        filename,
        media,
        None,
        None,
        lambda: reviews.score_sheet(title, sheets, papers.instant_of(dated)),
    )


def _publicity_dates(cycle: Cycle) -> tuple[date, date]:
    if cycle.publicity_opens is None or cycle.publicity_closes is None:
        raise not_ready("公示在初选授奖名单确定后发布")
    opens = to_business_date(cycle.publicity_opens)
    last = date.fromordinal(to_business_date(cycle.publicity_closes).toordinal() - 1)
    return opens, last


def _candidates(session: Session, cycle: Cycle, ask: Ask) -> Plan:
    opens, _ = _publicity_dates(cycle)
    rows = applications.scored_candidates(session, cycle.id)
    votes = cycles.votes(session, cycle.id)
    title = f"{cycle.year}年度候选授奖组织名单及表决结果"
    return _pdf_plan(
        cycle, ask, "all", lambda: content.candidates(cycle, rows, votes, opens), title
    )


def _publicity(session: Session, cycle: Cycle, ask: Ask) -> Plan:
    opens, last = _publicity_dates(cycle)
    names = {o.credit_code: o.name for _, o in applications.with_organizations(session, cycle.id)}
    listed = {
        Award(a): [names.get(c, c) for c in codes] for a, codes in (cycle.winners or {}).items()
    }
    title = f"{cycle.year}年度初选授奖名单公示"
    return _pdf_plan(
        cycle, ask, "list", lambda: content.publicity(cycle, listed, opens, last), title
    )


def _investigation(session: Session, cycle: Cycle, ask: Ask) -> Plan:
    found = [(o, org) for o, org in cycles.objections(session, cycle.id) if o.number == ask.number]
    if not found:
        raise DomainError(ErrorCode.OBJECTION_NOT_FOUND)
    objection, org = found[0]
    dated = _day(session, cycle, f"investigation_result:{objection.number}")
    if objection.finding is None or dated is None:
        raise not_ready("调查核实情况报告在调查结论形成后提供")
    title = f"{cycle.year}年度第{objection.number}号异议调查核实情况报告"
    return _pdf_plan(
        cycle,
        ask,
        str(objection.number),
        lambda: content.investigation(cycle, objection, org, dated),
        title,
    )


def _announced(cycle: Cycle) -> date:
    if cycle.phase != "announced" or cycle.awarded_on is None:
        raise not_ready("通报和证书在县政府审定批准后发布")
    return cycle.awarded_on


def _bulletin(session: Session, cycle: Cycle, ask: Ask) -> Plan:
    awarded_on = _announced(cycle)
    honors = archive.honors_of_year(session, cycle.year)
    title = f"{cycle.year}年度质量奖获奖通报"
    return _pdf_plan(cycle, ask, "all", lambda: content.bulletin(cycle, honors, awarded_on), title)


def _honor(session: Session, cycle: Cycle, ask: Ask) -> tuple[Honor, Organization, int]:
    """The honor asked for and its place among the year's honors of its award (the
    certificate's number)."""
    _announced(cycle)
    award = ask.award or Award.QUALITY
    code = (ask.credit_code or "").strip().upper()
    held = archive.honors_of_year(session, cycle.year)
    same = [(h, o) for h, o in held if h.award == award.value]
    for seq, (honor, org) in enumerate(same, 1):
        if org.credit_code == code:
            return honor, org, seq
    raise DomainError(ErrorCode.HONOR_NOT_FOUND)


def _certificate(session: Session, cycle: Cycle, ask: Ask) -> Plan:
    honor, org, seq = _honor(session, cycle, ask)
    cert = content.certificate(honor, org, seq)
    title = f"{cycle.year}年度{cert.award_name}证书-{org.name}"
    key, filename, media = _file(cycle, title, f"{org.credit_code}:{honor.award}", ask)
    return Plan(
        key, title, filename, media, None, honor.id, lambda: papers.certificate_pdf(cert, key)
    )


def _revocation(session: Session, cycle: Cycle, ask: Ask) -> Plan:
    honor, org, seq = _honor(session, cycle, ask)
    if honor.revoked_on is None:
        raise not_ready("撤销通知在县政府批准撤销后发布")
    title = f"撤销{cycle.year}年度称号通知-{org.name}"
    return _pdf_plan(
        cycle,
        ask,
        f"{org.credit_code}:{honor.award}",
        lambda: content.revocation(honor, org, seq),
        title,
        honor_id=honor.id,
    )


_BUILDERS: dict[Kind, Callable[[Session, Cycle, Ask], Plan]] = {
    Kind.CALL: _call,
    Kind.APPLICATION_FORM: _application_form,
    Kind.REVIEW_REPORT: _review_report,
    Kind.FEEDBACK: _feedback,
    Kind.SCORE_SHEET: _score_sheet,
    Kind.CANDIDATES: _candidates,
    Kind.PUBLICITY: _publicity,
    Kind.INVESTIGATION: _investigation,
    Kind.BULLETIN: _bulletin,
    Kind.CERTIFICATE: _certificate,
    Kind.REVOCATION: _revocation,
}
