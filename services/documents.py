"""The archive (档案): documents made on first request and kept, and who may read them.

A document is made the first time it is asked for — a download, or the publication of a
notice that carries it (`attach_to_notices`, in the projection's transaction, so the
document exists when the notice is published) — then served from the archive by its key.
Making it is deterministic (`services.document_plans`), so the first request's bytes are
the bytes any later one would get; a digest test checks it.

Who may read (DESIGN §7, reusing `services.views` for the application rules):
- published documents (call, publicity, bulletin, certificates, revocation notices):
  anyone, once they exist;
- an applicant's own documents (application form, review reports, feedback): the
  officials and that applicant, never another one; a review report once its panel has
  reported;
- the score sheets, the candidate list with the votes, the investigation reports:
  the officials (office, committee, government, supervisor).
Anything else is reported as missing (`not_found`), as `services.views` does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from contracts.notices import NoticeDraft
from db.models import Cycle, Document
from db.repositories import applications, cycles
from db.repositories import documents as archive
from documents.kinds import KIND_NAMES, NOTICE_DOCUMENTS, OWN, PUBLIC, Kind
from domain.errors import DomainError, ErrorCode
from domain.phases import Stage
from domain.types import Award
from services.accounts import OFFICIALS, Role, Viewer
from services.document_plans import Ask, Plan, plan, site_fingerprint
from services.schemas import ConfirmedReport


def _hidden() -> DomainError:
    return DomainError(ErrorCode.NOT_FOUND, "文书不存在或无权查阅")


def may_read(viewer: Viewer | None, kind: Kind, organization_id: int | None) -> bool:
    if kind in PUBLIC:
        return True
    if viewer is None:
        return False
    if viewer.role in OFFICIALS:
        return True
    return (
        kind in OWN
        and viewer.role == Role.APPLICANT
        and organization_id is not None
        and viewer.organization_id == organization_id
    )


def obtain(session: Session, cycle: Cycle, ask: Ask, viewer: Viewer | None = None) -> Document:
    """The archived document of `ask`, made now if it is not yet (checking `viewer`, when
    given, before anything is made)."""
    planned = plan(session, cycle, ask)
    org_id = planned.application.organization_id if planned.application else None
    if viewer is not None and not may_read(viewer, ask.kind, org_id):
        raise _hidden()
    return _archive(session, cycle, ask, planned)


def _archive(session: Session, cycle: Cycle, ask: Ask, planned: Plan) -> Document:
    found = archive.by_key(session, planned.key)
    if found is not None:
        return found
    data = planned.make()
    return archive.add(
        session,
        Document(
            key=planned.key,
            kind=ask.kind.value,
            cycle_id=cycle.id,
            application_id=planned.application.id if planned.application else None,
            honor_id=planned.honor_id,
            stage=ask.stage.value if ask.stage else None,
            award=ask.award.value if ask.award else None,
            number=ask.number,
            format=ask.format,
            title=planned.title,
            filename=planned.filename,
            media_type=planned.media_type,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            content=data,
        ),
    )


def _cycle(session: Session, year: int) -> Cycle:
    cycle = cycles.latest(session, year)
    if cycle is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"没有{year}年度的评审周期")
    return cycle


def obtain_in(
    session: Session, year: int, ask: Ask, viewer: Viewer | None
) -> tuple[Document, bytes]:
    """Download: the document and its bytes (public kinds: `viewer` None is anyone)."""
    if viewer is None and ask.kind not in PUBLIC:
        raise _hidden()
    document = obtain(session, _cycle(session, year), ask, viewer or _PUBLIC_VIEWER)
    return document, archive.content(session, document.id)


_PUBLIC_VIEWER = Viewer(user_id=0, username="public", role=Role.APPLICANT)
"""Reads as someone who owns nothing: only the published documents."""


def by_id(session: Session, document_id: int, viewer: Viewer) -> tuple[Document, bytes]:
    """An archived document (e.g. a notice's attachment), if `viewer` may read it."""
    document = archive.by_id(session, document_id)
    if document is None:
        raise _hidden()
    org_id = None
    if document.application_id is not None:
        org_id = archive.organization_of(session, document.application_id)
    # Archived means formed (a review report once its panel reported): readable from then on.
    if not may_read(viewer, Kind(document.kind), org_id):
        raise _hidden()
    return document, archive.content(session, document.id)


@dataclass(frozen=True)
class Listed:
    """A document the viewer may read: archived (digest known) or ready to be made."""

    kind: Kind
    name: str
    format: str
    credit_code: str | None
    stage: Stage | None
    award: Award | None
    number: int | None
    document: Document | None


def _asks(
    session: Session, cycle: Cycle, viewer: Viewer | None, credit_code: str | None
) -> list[Ask]:
    rows = applications.with_organizations(session, cycle.id, credit_code)
    asks: list[Ask] = []
    if credit_code is None:
        asks += [
            Ask(Kind.CALL, "pdf"),
            Ask(Kind.CALL, "docx"),
            Ask(Kind.PUBLICITY),
            Ask(Kind.CANDIDATES),
        ]
        for stage in Stage:
            asks += [Ask(Kind.SCORE_SHEET, "xlsx", stage=stage, award=a) for a in Award]
        asks += [
            Ask(Kind.INVESTIGATION, number=o.number)
            for o, _ in cycles.objections(session, cycle.id)
        ]
        asks.append(Ask(Kind.BULLETIN))
        for honor, org in archive.honors_of_year(session, cycle.year):
            for kind in (Kind.CERTIFICATE, Kind.REVOCATION):
                asks.append(Ask(kind, credit_code=org.credit_code, award=Award(honor.award)))
    for _app, org in rows:
        if (
            viewer is not None
            and viewer.role == Role.APPLICANT
            and viewer.organization_id != org.id
        ):
            continue
        code = org.credit_code
        asks.append(Ask(Kind.APPLICATION_FORM, credit_code=code))
        asks += [Ask(Kind.REVIEW_REPORT, credit_code=code, stage=s) for s in Stage]
        asks.append(Ask(Kind.FEEDBACK, credit_code=code))
    return asks


def listing(
    session: Session, year: int, viewer: Viewer | None, credit_code: str | None = None
) -> list[Listed]:
    """The documents of a cycle (or of one application) the viewer may read, made or ready."""
    cycle = _cycle(session, year)
    found = []
    for ask in _asks(session, cycle, viewer, credit_code):
        try:
            planned = plan(session, cycle, ask)
        except DomainError:
            continue  # not formed yet, or not there
        org_id = planned.application.organization_id if planned.application else None
        if not may_read(viewer, ask.kind, org_id):
            continue
        found.append(
            Listed(
                kind=ask.kind,
                name=planned.title,
                format=ask.format,
                credit_code=ask.credit_code,
                stage=ask.stage,
                award=ask.award,
                number=ask.number,
                document=archive.by_key(session, planned.key),
            )
        )
    return found


async def listing_async(
    session: AsyncSession, year: int, viewer: Viewer | None, credit_code: str | None = None
) -> list[Listed]:
    return await session.run_sync(listing, year, viewer, credit_code)


def site_report_to_confirm(
    session: Session, year: int, credit_code: str, sha256: str
) -> ConfirmedReport:
    """§4(3): the applicant confirms the site review report by its digest. The current
    report (made now if it is not archived yet) must have exactly that digest."""
    cycle = _cycle(session, year)
    ask = Ask(Kind.REVIEW_REPORT, credit_code=credit_code, stage=Stage.SITE)
    document = obtain(session, cycle, ask)
    if document.sha256 != sha256.strip().lower():
        raise DomainError(ErrorCode.REPORT_DIGEST_MISMATCH, f"现行报告的摘要值为 {document.sha256}")
    app, _ = applications.with_organizations(session, cycle.id, credit_code)[0]
    return ConfirmedReport(sha256=document.sha256, fingerprint=site_fingerprint(app))


def attach_to_notices(session: Session, workflow_id: str, drafts: Sequence[NoticeDraft]) -> None:
    """Make the documents that published notices carry (`NOTICE_DOCUMENTS`) and attach them,
    in the projection's transaction: the document exists when its notice is published."""
    wanted = [d for d in drafts if d.kind in NOTICE_DOCUMENTS and d.credit_code and d.cycle_year]
    open_keys = archive.notices_without_document(session, [d.key for d in wanted])
    for draft in wanted:
        if draft.key not in open_keys:
            continue
        cycle = archive.cycle_of_workflow(session, workflow_id)
        if cycle is None:
            continue
        ask = Ask(NOTICE_DOCUMENTS[draft.kind], credit_code=draft.credit_code)
        archive.attach(session, draft.key, obtain(session, cycle, ask).id)


__all__ = ["KIND_NAMES", "Ask", "Listed", "by_id", "listing", "obtain", "obtain_in"]
