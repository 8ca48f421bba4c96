"""The audit trail: every command recorded append-only, each entry chained by hash (DESIGN §7).

An entry's hash is SHA-256 over the canonical JSON of its fields plus the previous entry's
hash. Entries are numbered previous + 1, so a deleted entry leaves a gap and an edited
one no longer matches its hash; `verify` reports the first entry where the chain breaks.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import AuditEntry
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
    """Add an entry after the current last one; concurrent writers retry on the next number."""
    for attempt in range(_ATTEMPTS):
        try:
            async with transaction(sessions) as session:
                last = (
                    await session.execute(
                        select(AuditEntry.id, AuditEntry.hash)
                        .order_by(AuditEntry.id.desc())
                        .limit(1)
                    )
                ).first()
                entry_id, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
                stored = AuditDraft(**(asdict(draft) | {"at": draft.at.astimezone(UTC)}))
                session.add(
                    AuditEntry(
                        id=entry_id,
                        **asdict(stored),
                        prev_hash=prev,
                        hash=entry_hash(entry_id, stored, prev),
                    )
                )
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
        rows = list(
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.id >= expected_id)
                .order_by(AuditEntry.id)
                .limit(batch)
            )
        )
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
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return list(await session.scalars(query))
