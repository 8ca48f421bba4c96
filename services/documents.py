"""The archive (档案): documents made on first request and kept, and who may read them.

A document is made the first time it is asked for — a download, a confirmation, or the
publication of a notice that carries it (`publish_with_documents`: the notice and its
document in one transaction) — then served from the archive by its key.
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

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from contracts.notices import NoticeDraft
from db.models import Cycle, Document
from db.repositories import applications, cycles
from db.repositories import documents as archive
from db.repositories.notices import insert_notices
from documents.kinds import KIND_NAMES, NOTICE_DOCUMENTS, OWN, PUBLIC, Kind
from domain.errors import DomainError, ErrorCode
from domain.phases import Stage
from domain.types import Award
from services.accounts import OFFICIALS, Role, Viewer
from services.document_plans import Ask, Plan, plan
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


@dataclass(frozen=True)
class Pending:
    """A document to hand out: archived already (`found`), or planned and to be made."""

    cycle_id: int
    ask: Ask
    plan: Plan
    found: Document | None


Run = Callable[..., Awaitable[Any]]
"""Runs a function of a `Session` in a transaction: `AsyncSession.run_sync` (a request's
session) or `Database.run` (a transaction of its own)."""


def prepare(session: Session, year: int, ask: Ask, viewer: Viewer | None) -> Pending:
    """Plan `ask`, check `viewer` (None: the public) before anything is made, and find it
    in the archive."""
    cycle = _cycle(session, year)
    planned = plan(session, cycle, ask)
    org_id = planned.application.organization_id if planned.application else None
    if not may_read(viewer, ask.kind, org_id):
        raise _hidden()
    return Pending(cycle.id, ask, planned, archive.by_key(session, planned.key))


def store(session: Session, pending: Pending, data: bytes) -> Document:
    """Archive what was made; a concurrent first making of the same key stored it already."""
    found = archive.by_key(session, pending.plan.key)
    if found is not None:
        return found
    ask, planned = pending.ask, pending.plan
    return archive.add(
        session,
        Document(
            key=planned.key,
            kind=ask.kind.value,
            cycle_id=pending.cycle_id,
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


async def made(run: Run, pending: Pending) -> Document:
    """The archived document, made now if it is not yet. Rendering (a second or so for a
    PDF) runs in a thread between two short transactions, never in the event loop."""
    if pending.found is not None:
        return pending.found
    data = await asyncio.to_thread(pending.plan.make)
    document: Document = await run(store, pending, data)
    return document


async def obtain(run: Run, year: int, ask: Ask, viewer: Viewer | None) -> tuple[Document, bytes]:
    """Download: the document (made on first request) and its bytes."""
    document = await made(run, await run(prepare, year, ask, viewer))
    data: bytes = await run(archive.content, document.id)
    return document, data


def _cycle(session: Session, year: int) -> Cycle:
    cycle = cycles.latest(session, year)
    if cycle is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"没有{year}年度的评审周期")
    return cycle


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


async def site_report_to_confirm(
    run: Run, year: int, credit_code: str, sha256: str
) -> ConfirmedReport:
    """§4(3): the applicant confirms the site review report by its digest. The current
    report (made now if it is not archived yet) must have exactly that digest."""
    ask = Ask(Kind.REVIEW_REPORT, credit_code=credit_code, stage=Stage.SITE)
    pending = await run(prepare, year, ask, _OFFICE)
    document = await made(run, pending)
    if document.sha256 != sha256.strip().lower():
        raise DomainError(ErrorCode.REPORT_DIGEST_MISMATCH, f"现行报告的摘要值为 {document.sha256}")
    assert pending.plan.fingerprint is not None
    return ConfirmedReport(sha256=document.sha256, fingerprint=pending.plan.fingerprint)


_OFFICE = Viewer(user_id=0, username="system", role=Role.OFFICE)
"""The service itself, making a document for a step of the cycle (the caller has checked
who may ask)."""


def carrying(drafts: Sequence[NoticeDraft]) -> list[NoticeDraft]:
    """The notices that carry a document (`NOTICE_DOCUMENTS`)."""
    return [d for d in drafts if d.kind in NOTICE_DOCUMENTS and d.credit_code]


def _due(
    session: Session, workflow_id: str, drafts: list[NoticeDraft]
) -> list[tuple[NoticeDraft, Pending]]:
    published = archive.existing_notice_keys(session, [d.key for d in drafts])
    cycle = archive.cycle_of_workflow(session, workflow_id)
    if cycle is None:
        return []
    due = []
    for draft in drafts:
        if draft.key not in published:
            ask = Ask(NOTICE_DOCUMENTS[draft.kind], credit_code=draft.credit_code, on=draft.on)
            due.append((draft, prepare(session, cycle.year, ask, _OFFICE)))
    return due


def _publish(session: Session, draft: NoticeDraft, pending: Pending, data: bytes | None) -> None:
    document = pending.found if data is None else store(session, pending, data)
    assert document is not None
    insert_notices(session, [draft])
    archive.attach(session, draft.key, document.id)


async def publish_with_documents(run: Run, workflow_id: str, drafts: list[NoticeDraft]) -> None:
    """Publish notices that carry a document, each with its document in one transaction
    (the document exists when its notice is published), after the projection's own
    transaction (the document is made from what that wrote). The PDF is rendered in a
    thread between the transactions; a retried activity skips what was published."""
    for draft, pending in await run(_due, workflow_id, drafts):
        data = None if pending.found else await asyncio.to_thread(pending.plan.make)
        await run(_publish, draft, pending, data)


__all__ = ["KIND_NAMES", "Ask", "Listed", "by_id", "listing", "obtain"]
