"""The mail room of the delivery tests: who has which address, the worker that a test may
kill, and waiting until the outbox is drained (tests/api/test_delivery.py, test_contacts.py)."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.mailer import MailConfig
from qaward.settings import Settings
from tests.api.support import Api, eventually
from tests.api.world import PANEL, A, B
from worker.delivery import DeliveryConfig
from worker.registry import build_worker

SENDER = "qaward@qingyuan.example"
ORG_MAIL = {A: "contact-a@example.com", B: "contact-b@example.com"}
"""C has no e-mail: its notices are `no_address`."""
REVIEWER_MAIL = {code: f"{code.lower()}@example.com" for code in PANEL}
OFFICE_MAIL = "office@example.com"


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
