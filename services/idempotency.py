"""Idempotent commands: the first answer to a key is kept and given again (DESIGN §7).

A request claims its key (per caller) before it runs. A retry with the same key and the
same request gets the stored answer; the same key with another request is refused
(`idempotency_conflict`), as is a retry while the first is still running. A claim left by
a request that never finished (the process died) is taken over after `STALE_AFTER`.

Each step is its own short transaction, not the request's: the middleware calls them
around the request, and a claim must be committed before the request runs (a concurrent
retry must see it) and its answer kept or released after the request's transaction has
ended, whichever way. Each is one synchronous unit of work (`Database.run`: on a SQLite
file one trip to a thread rather than a dozen through aiosqlite). The SQL is in
`db.repositories.idempotency`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from db.models import IdempotentRequest
from db.repositories import idempotency as key_rows
from db.session import Database
from domain.errors import DomainError, ErrorCode

STALE_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class StoredAnswer:
    status_code: int
    content_type: str | None
    body: str


def fingerprint(secret: bytes, method: str, path: str, body: bytes) -> str:
    """Keyed digest of the request: bodies may hold passwords, so no plain hash is kept."""
    mac = hmac.new(secret, digestmod=hashlib.sha256)
    for part in (method.encode(), path.encode(), body):
        mac.update(len(part).to_bytes(8, "big"))
        mac.update(part)
    return mac.hexdigest()


def canonical_json(body: bytes) -> bytes:
    """One spelling of a JSON body — key order, spacing and escapes do not make a request
    different; a body that is not JSON is compared as it came."""
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        return body
    return json.dumps(
        parsed, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=True
    ).encode()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def claim(
    sessions: async_sessionmaker[AsyncSession],
    owner: str,
    key: str,
    print_: str,
    now: datetime,
    stale_after: timedelta = STALE_AFTER,
) -> StoredAnswer | None:
    """None: the caller runs the request. An answer: give it again. Else a refusal.

    `stale_after`: how long an unanswered claim holds its key (`QAWARD_IDEMPOTENCY_STALE_SECONDS`;
    the chaos run shortens it, as its APIs are killed mid-request)."""
    database = Database.of(sessions)
    fresh = IdempotentRequest(owner=owner, key=key, fingerprint=print_, created_at=now)
    try:
        await database.run(key_rows.add_claim, fresh)
        return None
    except IntegrityError:
        pass
    again = IdempotentRequest(owner=owner, key=key, fingerprint=print_, created_at=now)
    return await database.run(_existing, again, stale_after)


def _existing(
    session: Session, fresh: IdempotentRequest, stale_after: timedelta
) -> StoredAnswer | None:
    """The key was taken: its answer, a refusal, or a claim taken over (stale or released)."""
    row = key_rows.find(session, fresh.owner, fresh.key)
    if row is None:  # released meanwhile: claim it now
        key_rows.add_claim(session, fresh)
        return None
    if row.fingerprint != fresh.fingerprint:
        raise DomainError(ErrorCode.IDEMPOTENCY_CONFLICT)
    if row.status_code is not None:
        return StoredAnswer(row.status_code, row.content_type, row.body or "")
    if fresh.created_at - _aware(row.created_at) < stale_after:
        raise DomainError(ErrorCode.IDEMPOTENCY_CONFLICT, "原请求仍在处理中")
    row.created_at = fresh.created_at
    return None


async def complete(
    sessions: async_sessionmaker[AsyncSession], owner: str, key: str, answer: StoredAnswer
) -> None:
    await Database.of(sessions).run(
        key_rows.keep_answer, owner, key, answer.status_code, answer.content_type, answer.body
    )


async def release(sessions: async_sessionmaker[AsyncSession], owner: str, key: str) -> None:
    """Forget a claim whose request did not act (a retry may then run it)."""
    await Database.of(sessions).run(key_rows.remove, owner, key)
