"""Notices reach people by e-mail (issue #15): a cycle driven over HTTP, a real worker
with the delivery workflow, and an SMTP server in the test process that keeps what it
received."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from contracts.notices import NoticeDraft
from db.repositories import deliveries
from db.repositories.notices import insert_notices
from db.session import Database
from domain.dates import SHANGHAI
from qaward.settings import Settings
from tests.api.conftest import _terminate_workflows, started_app
from tests.api.mailroom import (
    OFFICE_MAIL,
    ORG_MAIL,
    REVIEWER_MAIL,
    SENDER,
    USER_MAIL,
    Workers,
    deliveries_of,
    expected_address,
    give_contacts,
    notices,
    settled,
)
from tests.api.support import Api, EnvClock, eventually
from tests.api.world import (
    APPLICANTS,
    PANEL,
    A,
    B,
    apply_all,
    assign,
    open_cycle,
    pass_deadline,
    populate,
    to_document_review,
    to_publicity,
)
from tests.support.smtp import Inbox, smtp_server
from worker.delivery import WORKFLOW_ID, watch_backlog


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def inbox(smtp: tuple[Inbox, int]) -> Inbox:
    return smtp[0]


@pytest.fixture
def settings(settings: Settings, smtp: tuple[Inbox, int]) -> Settings:
    return settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": smtp[1], "smtp_sender": SENDER}
    )


@pytest.fixture
def digest_hour() -> int | None:
    """No digest, except in the digest's own tests."""
    return None


@pytest.fixture
async def workers(
    digest_hour: int | None,
    settings: Settings,
    engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
    time_skipping_env: WorkflowEnvironment,
    clock: EnvClock,
) -> AsyncIterator[Workers]:
    app = await started_app(settings, engine, sessions, time_skipping_env, clock)
    running = Workers(time_skipping_env, sessions, app, digest_hour)
    await running.start()
    async with running.cycles():
        yield running
        if running.worker is not None:
            await running.kill()
    await _terminate_workflows(time_skipping_env, sessions)
    with contextlib.suppress(RPCError):
        await time_skipping_env.client.get_workflow_handle(WORKFLOW_ID).terminate("test finished")


@pytest.fixture
def app(workers: Workers) -> FastAPI:
    return workers.app


async def test_every_recipient_of_a_cycle_gets_each_notice_once(api: Api, inbox: Inbox) -> None:
    api.after_populate.append(give_contacts)
    await to_publicity(api)
    await settled(api)

    published = await notices(api)
    kinds = {n["kind"] for n in published}
    assert {"review_assignment", "shortlisted", "candidate_list", "publicity"} <= kinds
    expected: dict[str, tuple[str, dict[str, Any]]] = {}
    for notice in published:
        rows = await deliveries_of(api, notice["id"])
        if notice["audience"] == "public":
            assert rows == []  # on the portal, not e-mailed
            continue
        assert rows, notice
        for row in rows:
            address = expected_address(row["recipient"])
            assert row["address"] == address, row
            if address is None:  # C, and the government's account, have no e-mail
                assert row["status"] == "no_address", row
                continue
            assert row["status"] == "sent", row
            expected[row["message_id"]] = (address, notice)

    assert sorted(inbox.message_ids()) == sorted(expected)  # each exactly once, nothing else
    for mail in inbox.received:
        address, notice = expected[mail.message_id]
        assert mail.envelope_to == [address]
        assert mail.message["To"] == address
        assert mail.subject == notice["title"]
        assert notice["body"] in mail.text
        assert mail.message.get_content_charset() == "utf-8"
        assert mail.message["From"].addresses[0].addr_spec == SENDER
    assert len(inbox.to(ORG_MAIL[B])) >= 2  # shortlisted, site review report …
    assert any("已通过资料评审，进入现场评审" in m.text for m in inbox.to(ORG_MAIL[A]))
    assert inbox.to(USER_MAIL["secretary"])  # the candidate list to the committee


async def test_a_worker_killed_mid_delivery_sends_nothing_twice(
    api: Api, inbox: Inbox, workers: Workers
) -> None:
    api.after_populate.append(give_contacts)
    await populate(api)
    year = await open_cycle(api)
    await apply_all(api, year)
    await pass_deadline(api, year)  # skipped time: no mail may hang meanwhile
    inbox.holding = True  # the relay reads the next mail and never answers
    await api.post("office", f"/cycles/{year}/close-qualification", expect=200)
    for org in APPLICANTS:
        await assign(api, year, org, "document", PANEL)

    async def stuck() -> bool:
        return inbox.held >= 1

    await eventually(stuck)
    await workers.kill()  # mid-SMTP transaction; the rest of the outbox still waits
    inbox.holding = False  # the held mail is dropped unanswered, as a crash would
    await workers.start()
    await settled(api)

    ids = inbox.message_ids()
    assert len(ids) == len(set(ids))  # no duplicate
    rows = (await api.get("office", "/deliveries", expect=200)).json()["deliveries"]
    sent = [r for r in rows if r["status"] == "sent"]
    assert sorted(ids) == sorted(r["message_id"] for r in sent)  # every one, eventually
    assert len(sent) == 10  # the office's intake notice, R1–R3 × 3 assignments
    # The attempts cut short (R1–R3's first assignments, held when the worker died) are
    # on record: the office can see that those mails may have gone twice. None did.
    assert 1 <= len([r for r in sent if r["interrupted"]]) <= 3


async def test_a_relay_that_says_try_later_gets_the_mail_eventually(api: Api, inbox: Inbox) -> None:
    api.after_populate.append(give_contacts)
    inbox.fail_next = 2
    await to_document_review(api)
    await settled(api)
    rows = (await api.get("office", "/deliveries", expect=200)).json()["deliveries"]
    sent = [r for r in rows if r["status"] == "sent"]
    assert len(sent) == len(inbox.received) == len(set(inbox.message_ids()))
    assert max(r["attempts"] for r in sent) == 3  # two 451 answers, then taken


async def test_a_refused_mail_is_failed_with_its_error_and_can_be_resent(
    api: Api, inbox: Inbox
) -> None:
    api.after_populate.append(give_contacts)
    inbox.refuse = {REVIEWER_MAIL["R2"]}
    await to_document_review(api)
    counts = await settled(api)
    assert counts["failed"] == 3  # R2's three assignments
    rows = (await api.get("office", "/deliveries?status=failed", expect=200)).json()
    failed = rows["deliveries"]
    assert {r["recipient"] for r in failed} == {"reviewer:R2"}
    assert all("550" in r["last_error"] and r["status_name"] == "发送失败" for r in failed)
    assert inbox.to(REVIEWER_MAIL["R2"]) == []

    inbox.refuse = set()
    for row in failed:
        resent = await api.post("office", f"/deliveries/{row['id']}/resend", expect=200)
        assert resent.json()["status"] == "pending"
    await settled(api)
    got = inbox.to(REVIEWER_MAIL["R2"])
    assert sorted(m.message_id for m in got) == sorted(r["message_id"] for r in failed)
    audit = (await api.get("watch", "/audit", expect=200)).json()
    assert any("/resend" in str(entry) for entry in audit)

    sent = await api.post("office", f"/deliveries/{failed[0]['id']}/resend", expect=200)
    again = await api.post("office", f"/deliveries/{failed[0]['id']}/resend", expect=409)
    assert sent.json()["status"] == "pending"
    assert again.json()["error"]["code"] == "not_resendable"


async def test_a_recipient_without_address_is_marked_and_sent_once_one_is_given(
    api: Api, inbox: Inbox
) -> None:
    api.after_populate.append(give_contacts)
    year = await to_document_review(api)
    path = f"/cycles/{year}/applications/{B}/panels/document"
    body = {"reviewers": [*PANEL, "R4"], "leader": "R1"}  # R4 has no e-mail
    await api.put("office", path, json=body, expect=200)
    await settled(api)
    listing = (await api.get("office", "/deliveries?status=no_address", expect=200)).json()
    rows = [r for r in listing["deliveries"] if r["recipient"] == "reviewer:R4"]
    assert len(rows) == 1
    assert rows[0]["attempts"] == 0
    assert rows[0]["status_name"] == "无邮箱地址"
    refused = await api.post("office", f"/deliveries/{rows[0]['id']}/resend", expect=409)
    assert "仍未登记电子邮箱" in refused.json()["error"]["message"]

    await api.put("office", "/reviewers/R4/contact", json={"email": "r4@example.com"}, expect=200)
    await api.post("office", f"/deliveries/{rows[0]['id']}/resend", expect=200)
    await settled(api)
    got = inbox.to("r4@example.com")
    assert len(got) == 1
    assert got[0].subject == "资料评审任务通知"


def until_next(now: datetime, *, hour: int) -> timedelta:
    """From `now` to the next `hour`:00 in Beijing time."""
    local = now.astimezone(SHANGHAI)
    target = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if target <= local:
        target += timedelta(days=1)
    return target - local


@pytest.mark.parametrize("digest_hour", [8])
async def test_the_daily_digest_lists_unread_notices_once_a_day(api: Api, inbox: Inbox) -> None:
    # The steps below count digest hours passed, so they start at 10:00 Beijing time
    # whatever the hour the suite runs (begun at 06:00, "two hours later" crossed 08:00).
    await api.clock.advance(until_next(api.clock(), hour=10))
    api.after_populate.append(give_contacts)
    await populate(api)
    await api.put("rev1", "/auth/me/settings", json={"email": "rev1@example.com"}, expect=200)
    await api.put("rev2", "/auth/me/settings", json={"email": "rev2@example.com"}, expect=200)
    await api.put("rev2", "/auth/me/settings", json={"digest_enabled": False}, expect=200)
    year = await open_cycle(api)
    await apply_all(api, year)
    await pass_deadline(api, year)
    await api.post("office", f"/cycles/{year}/close-qualification", expect=200)
    for org in APPLICANTS:
        await assign(api, year, org, "document", PANEL)
    await settled(api)
    await api.post("office", "/notices/read", expect=200)  # the office has read its own
    await api.clock.advance(timedelta(days=1))  # past 08:00 Beijing time once
    await settled(api)

    digests = [m for m in inbox.received if m.message_id.startswith("<digest-")]
    assert len({m.message_id for m in digests}) == len(digests)  # once per user and day
    assert inbox.to("rev2@example.com") == []  # turned off
    latest = inbox.to("rev1@example.com")[-1]
    assert "每日摘要" in latest.subject
    assert "未读通知" in latest.subject
    assert latest.text.count("资料评审任务通知") == 3
    assert latest.message["Message-ID"].endswith("@qingyuan.example>")
    office_before = len(inbox.to(OFFICE_MAIL))

    await api.clock.advance(timedelta(hours=2))  # the same day again: nothing new
    await settled(api)
    assert len([m for m in inbox.received if m.message_id.startswith("<digest-")]) == len(digests)
    await api.clock.advance(timedelta(days=1))  # the next day: the office read everything
    await settled(api)
    # The office has read every notice and has nothing to do until the panels are due.
    assert [m.subject for m in inbox.to(OFFICE_MAIL)[office_before:]] == []
    assert len(inbox.to("rev1@example.com")) > 1  # rev1 has not marked anything read
    listed = inbox.to("rev1@example.com")[-1].text
    # Its to-do list as its home page shows it: three score sheets with their due date.
    assert "待办事项（4项）" in listed
    assert listed.count("资料评审评分（GB/T 19580，§1(4)）") == 3
    assert listed.count("日前\n") >= 3  # each with its due day


async def test_a_notice_whose_wake_was_lost_is_sent_by_the_backlog_watch(
    api: Api, inbox: Inbox, workers: Workers, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """A notice committed by a process that died before it woke the delivery (or while
    Temporal was unreachable): nothing signals; the worker's look at the backlog does."""
    api.after_populate.append(give_contacts)
    await populate(api)
    now = datetime.now(UTC)
    draft = NoticeDraft(
        key="lost-wake:1",
        kind="intake_closed",
        audience="office",
        on=now.date(),
        at=now,
        title="无人唤醒的通知",
        body="提交后进程即终止，未唤醒投递流程。",
    )
    db = Database.of(sessions)
    assert await db.run(insert_notices, [draft]) == 1  # committed, and no wake
    await asyncio.sleep(1.0)
    assert inbox.to(OFFICE_MAIL) == []  # the delivery sleeps: nobody told it
    assert await db.run(deliveries.waiting) == 1

    stop = asyncio.Event()
    client, config = workers.env.client, workers.delivery
    watch = asyncio.create_task(watch_backlog(client, config, "unused", db, stop, every=0.2))
    try:

        async def arrived() -> bool:
            return bool(inbox.to(OFFICE_MAIL))

        await eventually(arrived)
        await settled(api)
    finally:
        stop.set()
        await asyncio.wait_for(watch, 5)
    assert [m.subject for m in inbox.to(OFFICE_MAIL)] == ["无人唤醒的通知"]
    assert await db.run(deliveries.waiting) == 0
