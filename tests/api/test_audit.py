"""The audit trail: every command and login, append-only, HMAC-chained, checkpointed, verifiable."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import delete, insert, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from db.models import AuditEntry
from db.models.audit import AuditCheckpoint
from qaward.settings import Settings
from services.audit import Seal, _utc_text
from tests.api.support import Api, organization
from tests.api.world import A, populate
from tests.support.append_only import triggers_dropped

EVERY = 8
"""Checkpoint interval in these tests: a populated world has two or more checkpoints."""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"audit_key": SecretStr("the-audit-key"), "audit_checkpoint_every": EVERY}
    )


async def entries(api: Api) -> list[dict[str, Any]]:
    return list(reversed((await api.get("watch", "/audit?limit=500", expect=200)).json()))


async def test_commands_and_logins_are_recorded_with_who_what_and_outcome(api: Api) -> None:
    await populate(api)
    await api.http.post("/auth/login", json={"username": "office", "password": "nope"})
    await api.post(
        "office",
        f"/organizations/{A}/records",
        json={"on": "2024-01-01", "kind": "major_complaint"},
        expect=201,
    )
    await api.post("org_a", "/organizations", json=organization(5), expect=403)
    await api.post("office", "/organizations", json={"name": 1}, expect=422)
    await api.get("office", "/organizations", expect=200)  # reads are not commands
    await api.post("office", "/no/such/route", expect=404)  # no route: nothing was attempted

    log = await entries(api)
    assert all(e["method"] in ("POST", "PUT") for e in log)
    commands = [e for e in log if not (e["path"] == "/auth/login" and e["status"] == 200)]
    last = [(e["actor"], e["path"], e["status"], e["code"]) for e in commands[-4:]]
    assert last == [
        ("office", "/auth/login", 401, "invalid_credentials"),
        ("office", f"/organizations/{A}/records", 201, None),
        ("org_a", "/organizations", 403, "forbidden"),
        ("office", "/organizations", 422, "invalid_input"),
    ]
    record = commands[-3]
    assert (record["role"], record["action"]) == ("office", "登记组织的检查、事故、投诉或信用记录")
    assert record["client"] == "127.0.0.1"
    logins = [e for e in log if e["path"] == "/auth/login" and e["status"] == 200]
    assert {(e["actor"], e["role"]) for e in logins} >= {
        ("org_a", "applicant"),
        ("watch", "supervisor"),
    }


async def verification(api: Api) -> dict[str, Any]:
    return dict((await api.get("watch", "/audit/verify", expect=200)).json())


async def test_the_chain_verifies_and_shows_the_first_broken_entry(
    api: Api, engine: AsyncEngine
) -> None:
    await populate(api)
    verified = await verification(api)
    total = verified["entries"]
    assert total > 2 * EVERY
    head = total // EVERY * EVERY
    assert verified["checkpoint"]["head_id"] == head
    assert verified | {"checkpoint": None} == {
        "intact": True,
        "entries": total,
        "first_broken_id": None,
        "keyed": True,
        "checkpoint": None,
        "truncated": False,
        "statement": verified["statement"],
    }
    assert verified["statement"].startswith(
        f"第1至第{total}条记录未被篡改；最近一次签名检查点（第{head}条，"
    )
    assert verified["statement"].endswith("之前的记录完整；检查点之后的删除无法证明")

    # Rewrite entry 5 with another outcome (the attacker drops the trigger first).
    async with engine.begin() as conn, triggers_dropped(conn, "audit_entries"):
        row = (await conn.execute(select(AuditEntry).where(AuditEntry.id == 5))).mappings().one()
        await conn.execute(delete(AuditEntry).where(AuditEntry.id == 5))
        await conn.execute(insert(AuditEntry).values(**{**dict(row), "status": 200, "code": None}))
    broken = await verification(api)
    assert (broken["intact"], broken["entries"], broken["first_broken_id"]) == (False, 4, 5)
    assert broken["truncated"] is False
    assert broken["statement"].startswith("第5条记录与审计链不符")

    # Remove entry 3 altogether: the gap is found too (entry 5 restored first).
    async with engine.begin() as conn, triggers_dropped(conn, "audit_entries"):
        await conn.execute(delete(AuditEntry).where(AuditEntry.id == 5))
        await conn.execute(insert(AuditEntry).values(**dict(row)))
    assert (await verification(api))["intact"] is True
    async with engine.begin() as conn, triggers_dropped(conn, "audit_entries"):
        await conn.execute(delete(AuditEntry).where(AuditEntry.id == 3))
    broken = await verification(api)
    assert (broken["intact"], broken["entries"], broken["first_broken_id"]) == (False, 2, 4)


def _unkeyed(fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def test_an_edit_with_every_later_hash_recomputed_is_caught_without_the_key(
    api: Api, engine: AsyncEngine
) -> None:
    """The attack a plain SHA-256 chain cannot see: rewrite a row, re-chain all later ones."""
    await populate(api)
    async with engine.connect() as conn:
        rows = [
            dict(r)
            for r in (await conn.execute(select(AuditEntry).order_by(AuditEntry.id))).mappings()
        ]
    total = len(rows)
    rows[6] |= {"status": 201, "code": None}
    # Unkeyed, the placeholder, the token key; and last the real key, which must pass.
    for guessed_key in (None, b"change-me", b"test-secret", b"the-audit-key"):
        prev = rows[5]["hash"]
        for row in rows[6:]:
            fields = {k: v for k, v in row.items() if k not in ("hash", "prev_hash")}
            fields |= {"at": _utc_text(row["at"]), "prev_hash": prev}
            row["prev_hash"] = prev
            row["hash"] = prev = (
                _unkeyed(fields)
                if guessed_key is None
                else Seal(guessed_key, Path(), 1).mac(fields)
            )
        async with engine.begin() as conn, triggers_dropped(conn, "audit_entries"):
            await conn.execute(delete(AuditEntry).where(AuditEntry.id >= 7))
            await conn.execute(insert(AuditEntry), rows[6:])

        found = await verification(api)
        if guessed_key == b"the-audit-key":  # whoever holds the key can rewrite (SECURITY.md)
            assert found["intact"] is True
        else:
            assert (found["intact"], found["entries"], found["first_broken_id"]) == (False, 6, 7)
    assert total == len(await entries(api))


async def test_entries_cannot_be_updated_or_deleted(api: Api, engine: AsyncEngine) -> None:
    await populate(api)
    for statement in (
        "UPDATE audit_entries SET status = 200 WHERE id = 1",
        "DELETE FROM audit_entries WHERE id = (SELECT max(id) FROM audit_entries)",
        "UPDATE audit_checkpoints SET head_id = 1",
        "DELETE FROM audit_checkpoints",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with engine.begin() as conn:
                await conn.execute(text(statement))
    assert (await verification(api))["intact"] is True


async def test_deleting_the_newest_entries_is_caught_by_the_checkpoint_file(
    api: Api, engine: AsyncEngine, settings: Settings
) -> None:
    """An attacker who owns the database drops the triggers and cuts the trail back, rows
    and checkpoints alike; the checkpoint file outside the database still knows the head."""
    await populate(api)
    total = (await verification(api))["entries"]
    head = total // EVERY * EVERY
    filed = (settings.data_dir / "audit-checkpoints.jsonl").read_text().splitlines()
    assert [json.loads(line)["head_id"] for line in filed] == list(range(EVERY, head + 1, EVERY))

    keep = head - 3
    async with engine.begin() as conn, triggers_dropped(conn, "audit_entries", "audit_checkpoints"):
        await conn.execute(delete(AuditEntry).where(AuditEntry.id > keep))
        await conn.execute(delete(AuditCheckpoint))

    cut = await verification(api)
    assert cut["truncated"] is True
    assert (cut["intact"], cut["entries"], cut["first_broken_id"]) == (False, keep, keep + 1)
    assert cut["checkpoint"]["head_id"] == head
    assert cut["statement"].startswith(f"审计日志被截断：最近一次签名检查点（第{head}条，")
    assert f"第{keep + 1}至第{head}条记录已被删除" in cut["statement"]


async def test_a_cut_trail_written_on_again_is_still_caught(api: Api, engine: AsyncEngine) -> None:
    """New entries refill the ids but not the checkpointed head's mac."""
    await populate(api)
    head = (await verification(api))["checkpoint"]["head_id"]
    async with engine.begin() as conn, triggers_dropped(conn, "audit_entries"):
        await conn.execute(delete(AuditEntry).where(AuditEntry.id > head - 2))
    for n in range(3):
        await api.post("office", "/organizations", json=organization(200 + n), expect=201)

    cut = await verification(api)
    assert cut["entries"] > head
    assert (cut["intact"], cut["truncated"], cut["first_broken_id"]) == (False, True, head)


async def test_a_checkpoint_on_demand_covers_the_head_and_later_cuts_are_not_provable(
    api: Api, engine: AsyncEngine, settings: Settings
) -> None:
    await populate(api)
    made = (await api.post("watch", "/audit/checkpoints", expect=201)).json()
    log = await entries(api)
    assert made["head_id"] == log[-1]["id"] - 1  # the checkpoint command is recorded after it
    assert made["head_mac"] == log[-2]["hash"]
    assert (await verification(api))["checkpoint"]["head_id"] == made["head_id"]
    await api.post("office", "/organizations", json=organization(300), expect=201)

    # Cutting only what came after the latest checkpoint goes unseen, and the answer says so.
    async with engine.begin() as conn, triggers_dropped(conn, "audit_entries"):
        await conn.execute(delete(AuditEntry).where(AuditEntry.id > made["head_id"]))
    unseen = await verification(api)
    assert (unseen["intact"], unseen["truncated"]) == (True, False)
    assert unseen["statement"].endswith("检查点之后的删除无法证明")

    # A checkpoint line forged without the key is ignored.
    forged = {**made, "head_id": made["head_id"] + 50, "signature": "0" * 64}
    with (settings.data_dir / "audit-checkpoints.jsonl").open("a") as file:
        file.write(json.dumps(forged) + "\n")
    assert (await verification(api))["checkpoint"]["head_id"] == made["head_id"]


async def test_concurrent_commands_keep_one_unbroken_chain(api: Api) -> None:
    await populate(api)
    before = len(await entries(api))
    headers = await api.as_("office")
    bodies = [organization(100 + n) for n in range(12)]
    responses = await asyncio.gather(
        *(api.http.post("/organizations", json=b, headers=headers) for b in bodies)
    )
    assert [r.status_code for r in responses] == [201] * 12
    verified = (await api.get("watch", "/audit/verify", expect=200)).json()
    assert verified["intact"] is True
    log = await entries(api)
    assert [e["id"] for e in log] == list(range(1, len(log) + 1))
    assert [e["path"] for e in log[before:]] == ["/organizations"] * 12
