"""The audit trail: every command recorded append-only, each entry chained by HMAC (DESIGN §7).

An entry's mac (the `hash` column) is HMAC-SHA-256, keyed by ``QAWARD_AUDIT_KEY``, over the
canonical JSON of its fields plus the previous entry's mac. Entries are numbered
previous + 1, so a deleted entry leaves a gap, and an edited one no longer matches its mac;
without the key the later macs cannot be recomputed to hide the edit.

Deleting the newest entries leaves no gap, so the head is checkpointed (签名检查点): every
``QAWARD_AUDIT_CHECKPOINT_EVERY`` entries and on demand, the head's id and mac are signed
with the key, stored in `audit_checkpoints` and appended to
``QAWARD_DATA_DIR/audit-checkpoints.jsonl`` outside the database. `verify` compares the
chain with the latest valid checkpoint: a checkpointed head that is missing or different
means the trail was cut. What this proves and what not: SECURITY.md. The SQL is in
`db.repositories.audit`. (A little over 300 lines: the chain, its checkpoints and their
verification are one mechanism, each part written against the others' formats.)
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import weakref
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from db.models import AuditEntry
from db.models.audit import AuditCheckpoint
from db.repositories import audit as audit_rows
from db.session import Database, transaction
from domain.dates import SHANGHAI
from qaward.settings import Settings
from services.idempotency import Settlement

GENESIS = "0" * 64
CHECKPOINT_FILE = "audit-checkpoints.jsonl"
_ATTEMPTS = 20
_CHECKPOINT_ROWS = 50
"""Checkpoint rows read by `verify`, newest heads first, to find one with a valid signature."""

log = logging.getLogger(__name__)


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
class Seal:
    """What the database alone cannot forge or roll back: the key and the checkpoint file."""

    key: bytes
    checkpoint_file: Path
    checkpoint_every: int

    @classmethod
    def of(cls, settings: Settings) -> Seal:
        return cls(
            key=settings.audit_key.get_secret_value().encode(),
            checkpoint_file=settings.data_dir / CHECKPOINT_FILE,
            checkpoint_every=settings.audit_checkpoint_every,
        )

    def mac(self, fields: dict[str, Any]) -> str:
        canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hmac.new(self.key, canonical.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    head_id: int
    head_mac: str
    at: datetime
    signature: str

    def line(self) -> str:
        fields = asdict(self) | {"at": self.at.astimezone(UTC).isoformat()}
        return json.dumps(fields, sort_keys=True, separators=(",", ":")) + "\n"


_DRAFT_FIELDS = tuple(f.name for f in fields(AuditDraft))


@dataclass(frozen=True)
class Verification:
    intact: bool
    entries: int
    first_broken_id: int | None
    checkpoint: Checkpoint | None
    truncated: bool
    statement: str
    keyed: bool = True


def _utc_text(moment: datetime) -> str:
    """One spelling of an instant whatever the database hands back (SQLite drops the zone)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def entry_mac(seal: Seal, entry_id: int, draft: AuditDraft, prev_mac: str) -> str:
    return seal.mac(
        _fields(draft) | {"id": entry_id, "at": _utc_text(draft.at), "prev_hash": prev_mac}
    )


def _fields(draft: AuditDraft) -> dict[str, object]:
    """The draft's fields (`asdict` without its deep copy: they are plain values, and the
    copy was a tenth of an append)."""
    return {name: getattr(draft, name) for name in _DRAFT_FIELDS}


def _signature(seal: Seal, head_id: int, head_mac: str, at: datetime) -> str:
    # "kind" keeps a checkpoint's signature from ever equalling an entry's mac.
    fields = {"kind": "checkpoint", "head_id": head_id, "head_mac": head_mac}
    return seal.mac(fields | {"at": _utc_text(at)})


def _sign(seal: Seal, head_id: int, head_mac: str, at: datetime) -> Checkpoint:
    at = at.astimezone(UTC)
    return Checkpoint(head_id, head_mac, at, _signature(seal, head_id, head_mac, at))


def _genuine(seal: Seal, checkpoint: Checkpoint) -> bool:
    expected = _signature(seal, checkpoint.head_id, checkpoint.head_mac, checkpoint.at)
    return hmac.compare_digest(expected, checkpoint.signature)


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


def _row_of(checkpoint: Checkpoint) -> AuditCheckpoint:
    return AuditCheckpoint(**asdict(checkpoint))


async def append(
    sessions: async_sessionmaker[AsyncSession],
    draft: AuditDraft,
    seal: Seal,
    settlement: Settlement | None = None,
) -> int | None:
    """Add an entry after the current last one: its id (None: not written, below).

    `settlement`: the request's idempotency claim settled in the same transaction, before
    the entry, so that the two are written together or not at all (a process killed in
    between leaves neither; `services.idempotency`). When the claim is no longer the
    request's (a retry took it over) neither is written: the retry records the command.

    Its own short transaction, not the request's: the entry records refused and failed
    commands too, whose request transaction is rolled back (the audit middleware calls
    this after the request has ended). It runs as one synchronous unit of work
    (`Database.run`: on a SQLite file one trip to a thread instead of a dozen through
    aiosqlite). Appends of this process go one at a time; on PostgreSQL the chain's head is
    locked for the transaction (`lock_chain`), so other processes queue as well; a
    collision that remains (another process on SQLite) is retried on the next number.
    Every `checkpoint_every`-th entry is checkpointed in the same transaction.
    """
    database = Database.of(sessions)
    async with _one_at_a_time():
        for attempt in range(_ATTEMPTS):
            try:
                entry_id, checkpoint = await database.run(_append, draft, seal, settlement)
                break
            except (IntegrityError, OperationalError):
                if attempt == _ATTEMPTS - 1:
                    raise
                await asyncio.sleep(0.01 * (attempt + 1))
    if checkpoint is not None:
        await _publish(seal, checkpoint)
    return entry_id


_appending: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def _one_at_a_time() -> asyncio.Lock:
    """This process's appends in turn (a lock per event loop: tests run several)."""
    loop = asyncio.get_running_loop()
    lock = _appending.get(loop)
    if lock is None:
        lock = _appending[loop] = asyncio.Lock()
    return lock


def _append(
    session: Session, draft: AuditDraft, seal: Seal, settlement: Settlement | None
) -> tuple[int | None, Checkpoint | None]:
    if settlement is not None and not settlement.apply(session):
        return None, None
    audit_rows.lock_chain(session)
    last = audit_rows.last_link(session)
    entry_id, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    stored = replace(draft, at=draft.at.astimezone(UTC))
    mac = entry_mac(seal, entry_id, stored, prev)
    audit_rows.insert(session, {"id": entry_id, **_fields(stored), "prev_hash": prev, "hash": mac})
    checkpoint = None
    if entry_id % seal.checkpoint_every == 0:
        checkpoint = _sign(seal, entry_id, mac, stored.at)
        audit_rows.add_checkpoint(session, _row_of(checkpoint))
    return entry_id, checkpoint


async def checkpoint(
    sessions: async_sessionmaker[AsyncSession], seal: Seal, at: datetime
) -> Checkpoint:
    """Checkpoint the current head now (its own transaction, like `append`)."""
    async with transaction(sessions) as session:
        last = await session.run_sync(audit_rows.last_link)
        made = _sign(seal, *(last or (0, GENESIS)), at)
        await session.run_sync(audit_rows.add_checkpoint, _row_of(made))
    await _publish(seal, made)
    return made


async def _publish(seal: Seal, checkpoint: Checkpoint) -> None:
    """Append to the file outside the database; the row is already committed."""
    try:
        await asyncio.to_thread(_append_line, seal.checkpoint_file, checkpoint.line())
    except OSError:  # the entry stands; truncation past the last filed checkpoint is unseen
        log.exception("audit checkpoint not written to %s: %s", seal.checkpoint_file, checkpoint)


def _append_line(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:  # O_APPEND: one write per line
        file.write(line)
        file.flush()
        os.fsync(file.fileno())


def _filed_checkpoints(path: Path) -> list[Checkpoint]:
    """The file's checkpoints; lines that do not parse are skipped (signatures come later)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    found = []
    for line in lines:
        try:
            raw = json.loads(line)
            at = datetime.fromisoformat(raw["at"])
            found.append(
                Checkpoint(int(raw["head_id"]), str(raw["head_mac"]), at, raw["signature"])
            )
        except (ValueError, KeyError, TypeError):
            continue
    return found


async def latest_checkpoint(session: AsyncSession, seal: Seal) -> Checkpoint | None:
    """The validly signed checkpoint of the highest head, from the file or the table."""
    filed = await asyncio.to_thread(_filed_checkpoints, seal.checkpoint_file)
    rows = await session.run_sync(audit_rows.latest_checkpoints, _CHECKPOINT_ROWS)
    stored = [Checkpoint(r.head_id, r.head_mac, r.at, r.signature) for r in rows]
    genuine = [c for c in filed + stored if _genuine(seal, c)]
    return max(genuine, key=lambda c: c.head_id, default=None)


async def verify(session: AsyncSession, seal: Seal, batch: int = 500) -> Verification:
    """Walk the chain from the first entry, stop at the first one that does not fit, and
    hold the result against the latest checkpoint."""
    head = await latest_checkpoint(session, seal)
    expected_id, prev, count = 1, GENESIS, 0
    broken: int | None = None
    mac_at_head: str | None = None
    while broken is None:
        rows = await session.run_sync(audit_rows.from_id, expected_id, batch)
        if not rows:
            break
        for row in rows:
            if (
                row.id != expected_id
                or row.prev_hash != prev
                or not hmac.compare_digest(row.hash, entry_mac(seal, row.id, _draft_of(row), prev))
            ):
                broken = row.id
                break
            if head is not None and row.id == head.head_id:
                mac_at_head = row.hash
            expected_id, prev, count = row.id + 1, row.hash, count + 1

    truncated = False
    if broken is None and head is not None and head.head_id > 0:
        if count < head.head_id:
            truncated, broken = True, count + 1
        elif mac_at_head != head.head_mac:
            truncated, broken = True, head.head_id
    return Verification(
        intact=broken is None,
        entries=count,
        first_broken_id=broken,
        checkpoint=head,
        truncated=truncated,
        statement=_statement(count, broken, head, truncated),
    )


def _statement(count: int, broken: int | None, head: Checkpoint | None, truncated: bool) -> str:
    """What the check proved, in the supervisor's words."""
    proven = f"第1至第{count}条记录未被篡改" if count else "没有可证明未被篡改的记录"
    if head is None:
        where = "尚无签名检查点，末尾记录若被删除无法发现"
    else:
        when = head.at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
        where = f"最近一次签名检查点（第{head.head_id}条，{when}）"
    if truncated:
        assert head is not None
        assert broken is not None
        if broken > count:
            lost = f"第{broken}至第{head.head_id}条记录已被删除"
        else:
            lost = f"第{head.head_id}条记录与检查点不符，已被删除后重写"
        return f"审计日志被截断：{where}之前的{lost}；{proven}"
    if broken is not None:
        return f"第{broken}条记录与审计链不符（被篡改、删除或插入）；{proven}"
    if head is None:
        return f"{proven}；{where}"
    return f"{proven}；{where}之前的记录完整；检查点之后的删除无法证明"


async def entries(
    session: AsyncSession, *, before_id: int | None = None, limit: int = 100
) -> list[AuditEntry]:
    """Newest first, a page at a time."""
    return await session.run_sync(audit_rows.newest, before_id=before_id, limit=limit)
