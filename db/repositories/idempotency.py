"""Idempotency keys: one row per (caller, key), claimed before the request runs and
holding the answer once it has."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from db.models import IdempotentRequest


def add_claim(session: Session, claim: IdempotentRequest) -> None:
    """Flushed, so that a key already claimed is refused (`IntegrityError`) here."""
    session.add(claim)
    session.flush()


def find(session: Session, owner: str, key: str) -> IdempotentRequest | None:
    return session.scalar(
        select(IdempotentRequest).where(
            IdempotentRequest.owner == owner, IdempotentRequest.key == key
        )
    )


def keep_answer(
    session: Session, owner: str, key: str, status_code: int, content_type: str | None, body: str
) -> None:
    session.execute(
        update(IdempotentRequest)
        .where(IdempotentRequest.owner == owner, IdempotentRequest.key == key)
        .values(status_code=status_code, content_type=content_type, body=body)
    )


def remove(session: Session, owner: str, key: str) -> None:
    session.execute(
        delete(IdempotentRequest).where(
            IdempotentRequest.owner == owner, IdempotentRequest.key == key
        )
    )
