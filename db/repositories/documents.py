"""The archive (档案): documents made once by key, listed per cycle, application or honor;
and the few reads the documents need that no other repository has."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session, undefer

from db.models import Application, Cycle, Document, Honor, Notice, Organization


def by_key(session: Session, key: str) -> Document | None:
    return session.scalar(select(Document).where(Document.key == key))


def by_id(session: Session, document_id: int, *, with_content: bool = False) -> Document | None:
    query = select(Document).where(Document.id == document_id)
    if with_content:
        query = query.options(undefer(Document.content))
    return session.scalar(query)


def content(session: Session, document_id: int) -> bytes:
    return bytes(session.scalars(select(Document.content).where(Document.id == document_id)).one())


def add(session: Session, document: Document) -> Document:
    """Insert, flushed (its id known); a concurrent first making of the same key wins once:
    the caller's transaction then fails on the unique key and its retry finds the row."""
    session.add(document)
    session.flush()
    return document


def of_cycle(session: Session, cycle_id: int) -> list[Document]:
    """A cycle's documents (its applications' and its honors' included), oldest first."""
    return list(
        session.scalars(select(Document).where(Document.cycle_id == cycle_id).order_by(Document.id))
    )


def of_application(session: Session, application_id: int) -> list[Document]:
    return list(
        session.scalars(
            select(Document).where(Document.application_id == application_id).order_by(Document.id)
        )
    )


def attach(session: Session, notice_key: str, document_id: int) -> None:
    """A published notice carries this document (its e-mail's attachment)."""
    session.execute(update(Notice).where(Notice.key == notice_key).values(document_id=document_id))


def existing_notice_keys(session: Session, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    return set(session.scalars(select(Notice.key).where(Notice.key.in_(keys))))


def honor_of_cycle(
    session: Session, year: int, credit_code: str, award: str
) -> tuple[Honor, Organization] | None:
    row = session.execute(
        select(Honor, Organization)
        .join(Organization, Organization.id == Honor.organization_id)
        .where(Honor.year == year, Organization.credit_code == credit_code, Honor.award == award)
    ).first()
    return None if row is None else (row[0], row[1])


def honors_of_year(session: Session, year: int) -> list[tuple[Honor, Organization]]:
    rows = session.execute(
        select(Honor, Organization)
        .join(Organization, Organization.id == Honor.organization_id)
        .where(Honor.year == year, Honor.historical.is_(False))
        .order_by(Honor.award, Organization.credit_code)
    )
    return [(honor, org) for honor, org in rows]


def notice_day(session: Session, key: str) -> date | None:
    """The day a notice was published (a document is dated by the step that formed it)."""
    return session.scalar(select(Notice.on).where(Notice.key == key))


def cycle_of_workflow(session: Session, workflow_id: str) -> Cycle | None:
    return session.scalar(select(Cycle).where(Cycle.workflow_id == workflow_id))


def organization_of(session: Session, application_id: int) -> int | None:
    return session.scalar(
        select(Application.organization_id).where(Application.id == application_id)
    )
