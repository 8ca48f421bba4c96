"""Notices reach people by e-mail (issue #15): a cycle driven over HTTP, a real worker
with the delivery workflow, and an SMTP server in the test process that keeps what it
received."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.mailer import MailConfig
from qaward.settings import Settings
from tests.api.conftest import _terminate_workflows, started_app
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
from worker.delivery import WORKFLOW_ID, DeliveryConfig
from worker.registry import build_worker

SENDER = "qaward@qingyuan.example"
ORG_MAIL = {A: "contact-a@example.com", B: "contact-b@example.com"}
"""C has no e-mail: its notices are `no_address`."""
REVIEWER_MAIL = {code: f"{code.lower()}@example.com" for code in PANEL}
OFFICE_MAIL = "office@example.com"


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


class Workers:
    """The worker of the cycles (the app's task queue) and the delivery's own worker (on
    a queue of its own), which a test may kill and start again."""

    def __init__(
        self,
        env: WorkflowEnvironment,
        sessions: async_sessionmaker[AsyncSession],
        app: FastAPI,
        digest_hour: int | None,
    ) -> None:
        self.env, self.sessions, self.app = env, sessions, app
        s: Settings = app.state.ctx.settings
        mail = MailConfig(host=s.smtp_host, port=s.smtp_port, sender=s.smtp_sender, timeout=3)
        queue = f"{app.state.ctx.task_queue}-delivery"
        self.delivery = DeliveryConfig(mail=mail, digest_hour=digest_hour, task_queue=queue)
        self.worker: Worker | None = None
        self.running: asyncio.Task[None] | None = None

    def cycles(self) -> Worker:
        return build_worker(
            self.env.client, self.app.state.ctx.task_queue, self.sessions, delivery=self.delivery
        )

    async def start(self) -> None:
        assert self.delivery.task_queue is not None
        self.worker = build_worker(
            self.env.client,
            self.delivery.task_queue,
            self.sessions,
            delivery=self.delivery,
            graceful_shutdown_timeout=timedelta(0),
            # No sticky queue: the time-skipping server would keep a killed worker's
            # workflow tasks on it instead of handing them to the new worker.
            max_cached_workflows=0,
        )
        self.running = asyncio.create_task(self.worker.run())

    async def kill(self) -> None:
        """Stop the delivery's worker; what it was sending is retried by the next one."""
        assert self.worker is not None
        assert self.running is not None
        await self.worker.shutdown()
        with contextlib.suppress(Exception):
            await self.running
        self.worker = self.running = None


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


USER_MAIL = {"office": OFFICE_MAIL, "secretary": "secretary@example.com"}
"""The committee's secretary has an e-mail; the government's account ("county") has none."""


async def give_contacts(api: Api) -> None:
    """Contacts as the office enters them (and the secretary's own e-mail)."""
    for org, address in ORG_MAIL.items():
        body = {"contact_person": "张三", "contact_phone": "0578-6123456", "contact_email": address}
        await api.put("office", f"/organizations/{org}/contact", json=body, expect=200)
    for code, address in REVIEWER_MAIL.items():
        body = {"email": address, "phone": "138 0013 8000"}
        await api.put("office", f"/reviewers/{code}/contact", json=body, expect=200)
    await api.put("office", "/auth/me/settings", json={"email": OFFICE_MAIL}, expect=200)
    body = {"email": USER_MAIL["secretary"]}
    await api.put("secretary", "/auth/me/settings", json=body, expect=200)


def expected_address(recipient: str) -> str | None:
    kind, _, ref = recipient.partition(":")
    book = {"organization": ORG_MAIL, "reviewer": REVIEWER_MAIL, "user": USER_MAIL}
    return book.get(kind, {}).get(ref)


async def notices(api: Api) -> list[dict[str, Any]]:
    return list((await api.get("office", "/notices", expect=200)).json())


async def deliveries_of(api: Api, notice_id: int) -> list[dict[str, Any]]:
    return list((await api.get("office", f"/notices/{notice_id}/deliveries", expect=200)).json())


async def settled(api: Api) -> dict[str, int]:
    """Wait until nothing is pending or sending; the counts by status."""
    counts: dict[str, int] = {}

    async def done() -> bool:
        nonlocal counts
        listing = (await api.get("office", "/deliveries", expect=200)).json()
        counts = listing["counts"]
        return not (listing["unrouted"] or counts.get("pending") or counts.get("sending"))

    await eventually(done, timeout=60)
    return counts


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


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/reviewers/R1/contact", {"email": "r1＠example.com"}, "email"),
        ("/reviewers/R1/contact", {"email": "r1@example"}, "email"),
        ("/reviewers/R1/contact", {"phone": "12345"}, "phone"),
        (f"/organizations/{A}/contact", {"contact_phone": "0578-12"}, "contact_phone"),
        ("/auth/me/settings", {"email": "no-at-sign"}, "email"),
    ],
)
async def test_a_bad_contact_is_refused_in_chinese_and_changes_nothing(
    api: Api, path: str, body: dict[str, str], field: str
) -> None:
    await populate(api)
    response = await api.put("office", path, json=body, expect=422)
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["fields"][0]["field"] == field
    assert "格式不正确" in error["fields"][0]["message"]
    reviewer = (await api.get("office", "/reviewers/R1", expect=200)).json()
    org = (await api.get("office", f"/organizations/{A}", expect=200)).json()
    me = (await api.get("office", "/auth/me", expect=200)).json()
    assert reviewer["email"] is reviewer["phone"] is org["contact_phone"] is me["email"] is None


async def test_contacts_show_where_staff_read_them(api: Api) -> None:
    await populate(api)
    await give_contacts(api)
    org = (await api.get("office", f"/organizations/{A}", expect=200)).json()
    assert (org["contact_person"], org["contact_phone"], org["contact_email"]) == (
        "张三",
        "0578-6123456",
        ORG_MAIL[A],
    )
    own = (await api.get("org_a", f"/organizations/{A}", expect=200)).json()
    assert own["contact_email"] == ORG_MAIL[A]
    reviewer = (await api.get("rev1", "/reviewers/R1", expect=200)).json()
    assert (reviewer["email"], reviewer["phone"]) == (REVIEWER_MAIL["R1"], "13800138000")
    users = {u["username"]: u for u in (await api.get("watch", "/users", expect=200)).json()}
    assert users["secretary"]["email"] == USER_MAIL["secretary"]
    await api.put("office", "/users/county/email", json={"email": "Gov@Example.COM"}, expect=200)
    me = (await api.get("county", "/auth/me", expect=200)).json()
    assert me["email"] == "Gov@example.com"  # the domain is case-blind, the mailbox is not


@pytest.mark.parametrize("digest_hour", [8])
async def test_the_daily_digest_lists_unread_notices_once_a_day(api: Api, inbox: Inbox) -> None:
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
    await api.clock.advance(timedelta(days=1))  # past 08:00 Beijing time
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
    assert len(inbox.to(OFFICE_MAIL)) == office_before
    assert len(inbox.to("rev1@example.com")) > 1  # rev1 has not marked anything read
