"""The audit trail: every command recorded append-only, each entry chained by hash (DESIGN §7).

An entry's hash is SHA-256 over the canonical JSON of its fields plus the previous entry's
hash. Entries are numbered previous + 1, so a deleted entry leaves a gap and an edited
one no longer matches its hash; `verify` reports the first entry where the chain breaks.
The SQL is in `db.repositories.audit`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import AuditEntry
from db.repositories import audit as audit_rows
from db.session import transaction

GENESIS = "0" * 64
_ATTEMPTS = 20


@dataclass(frozen=True)
class AuditDraft:
    """What happened: who, when, what (method, path, summary) and the outcome."""

    at: datetime
    actor: str | None
    role: str | None
    client: str | None
    method: str
    path: str
    action: str
    status: int
    code: str | None


@dataclass(frozen=True)
class Verification:
    intact: bool
    entries: int
    first_broken_id: int | None


def _utc_text(moment: datetime) -> str:
    """One spelling of an instant whatever the database hands back (SQLite drops the zone)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def entry_hash(entry_id: int, draft: AuditDraft, prev_hash: str) -> str:
    fields = asdict(draft) | {"id": entry_id, "at": _utc_text(draft.at), "prev_hash": prev_hash}
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _draft_of(row: AuditEntry) -> AuditDraft:
    return AuditDraft(
        at=row.at,
        actor=row.actor,
        role=row.role,
        client=row.client,
        method=row.method,
        path=row.path,
        action=row.action,
        status=row.status,
        code=row.code,
    )


async def append(sessions: async_sessionmaker[AsyncSession], draft: AuditDraft) -> int:
    """Add an entry after the current last one; concurrent writers retry on the next number.

    Its own short transaction, not the request's: the entry records refused and failed
    commands too, whose request transaction is rolled back (the audit middleware calls
    this after the request has ended).
    """
    for attempt in range(_ATTEMPTS):
        try:
            async with transaction(sessions) as session:
                last = await session.run_sync(audit_rows.last_link)
                entry_id, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
                stored = AuditDraft(**(asdict(draft) | {"at": draft.at.astimezone(UTC)}))
                entry = AuditEntry(
                    id=entry_id,
                    **asdict(stored),
                    prev_hash=prev,
                    hash=entry_hash(entry_id, stored, prev),
                )
                await session.run_sync(audit_rows.add, entry)
            return entry_id
        except (IntegrityError, OperationalError):
            if attempt == _ATTEMPTS - 1:
                raise
            await asyncio.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")


async def verify(session: AsyncSession, batch: int = 500) -> Verification:
    """Walk the chain from the first entry; stop at the first one that does not fit."""
    expected_id, prev, count = 1, GENESIS, 0
    while True:
        rows = await session.run_sync(audit_rows.from_id, expected_id, batch)
        if not rows:
            return Verification(intact=True, entries=count, first_broken_id=None)
        for row in rows:
            if (
                row.id != expected_id
                or row.prev_hash != prev
                or row.hash != entry_hash(row.id, _draft_of(row), prev)
            ):
                return Verification(intact=False, entries=count, first_broken_id=row.id)
            expected_id, prev, count = row.id + 1, row.hash, count + 1


async def entries(
    session: AsyncSession, *, before_id: int | None = None, limit: int = 100
) -> list[AuditEntry]:
    """Newest first, a page at a time."""
    return await session.run_sync(audit_rows.newest, before_id=before_id, limit=limit)
