"""Idempotent commands: the first answer to a key is kept and given again (DESIGN §7).

A request claims its key (per caller) before it runs. A retry with the same key and the
same request gets the stored answer; the same key with another request is refused
(`idempotency_conflict`), as is a retry while the first is still running. A claim left by
a request that never finished (the process died) is taken over after `STALE_AFTER`.

A claim is its own short transaction, committed before the request runs (a concurrent
retry must see it). Its settlement — the answer kept, or the claim released — is written
after the request's transaction has ended, in ONE transaction with the request's audit
entry (`Settlement.apply`, called by `services.audit.append`): whatever instant the process
dies, either both are there (a retry gets the answer, the entry is written once) or
neither (the claim goes stale after `QAWARD_IDEMPOTENCY_STALE_SECONDS`, and the retry runs
the command again). Running it again acts once: the cycle commands are workflow updates
whose id comes from the key (`update_id`), and Temporal gives a second update with the id
of one a run has already taken that update's outcome instead of running it. A request
whose claim a retry has taken over (it looked dead) settles nothing: the retry will.
Each step is one synchronous unit of work (`Database.run`: on a SQLite file one trip to a
thread rather than a dozen through aiosqlite). The SQL is in `db.repositories.idempotency`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from contextvars import ContextVar
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Settlement:
    """What becomes of a claim once its request has been answered: the answer kept, or
    (`answer` None: the request did not act) the claim released. `claimed_at` tells this
    request's claim from a retry's that took it over."""

    owner: str
    key: str
    claimed_at: datetime
    answer: StoredAnswer | None

    def apply(self, session: Session) -> bool:
        """In the caller's transaction. False: the claim is no longer this request's (a
        retry took it over, or it was answered), and nothing was written."""
        row = key_rows.find(session, self.owner, self.key)
        if row is None or row.status_code is not None:
            return False
        if _aware(row.created_at) != _aware(self.claimed_at):
            return False
        if self.answer is None:
            key_rows.remove(session, self.owner, self.key)
        else:
            answer = self.answer
            key_rows.keep_answer(
                session, self.owner, self.key, answer.status_code, answer.content_type, answer.body
            )
        return True


@dataclass
class RequestKey:
    """The key of the request being handled, for the ids of the workflow updates it sends."""

    digest: str
    sent: list[str] = field(default_factory=list)


current_key: ContextVar[RequestKey | None] = ContextVar("qaward_idempotency_key", default=None)


def request_key(owner: str, key: str) -> RequestKey:
    return RequestKey(hashlib.sha256(f"{owner}\n{key}".encode()).hexdigest()[:32])


def update_id(update: object) -> str | None:
    """An update's id fixed by the request's key (None without a key: Temporal picks one).

    The n-th update a request sends gets the same id in every run of that request, so a
    retry that runs the command again is answered with the first run's outcome."""
    found = current_key.get()
    if found is None:
        return None
    name = getattr(update, "__name__", None) or str(update)
    found.sent.append(name)
    return f"idem-{found.digest}-{len(found.sent)}-{name}"[:200]


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


async def settle(sessions: async_sessionmaker[AsyncSession], settlement: Settlement) -> bool:
    """A settlement on its own, for a request with no audit entry (no route matched, or no
    audit middleware in the stack)."""
    return bool(await Database.of(sessions).run(settlement.apply))


async def complete(
    sessions: async_sessionmaker[AsyncSession], owner: str, key: str, answer: StoredAnswer
) -> None:
    """Keep an answer in its own transaction (the console's forms, which audit nothing)."""
    await Database.of(sessions).run(
        key_rows.keep_answer, owner, key, answer.status_code, answer.content_type, answer.body
    )


async def release(sessions: async_sessionmaker[AsyncSession], owner: str, key: str) -> None:
    """Forget a claim whose request did not act (a retry may then run it)."""
    await Database.of(sessions).run(key_rows.remove, owner, key)
