"""What the worker needs to deliver notices (issue #15): the relay, the delivery
workflow's id, the digest hour; and starting that workflow when the worker starts."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

import structlog
from temporalio.client import Client

from activities.delivery import DeliveryWaker
from activities.mailer import MailConfig
from db.repositories import deliveries
from db.session import Database
from qaward.settings import Settings

log = structlog.get_logger(__name__)

WORKFLOW_ID = "notice-delivery"
BACKLOG_CHECK_SECONDS = 30.0
"""How often (real time) a worker looks for mail left waiting (`watch_backlog`)."""


@dataclass(frozen=True)
class DeliveryConfig:
    mail: MailConfig
    workflow_id: str = WORKFLOW_ID
    digest_hour: int | None = 8
    task_queue: str | None = None
    """The delivery workflow's own task queue; None: the worker's (the usual setup). Its
    own queue lets dedicated workers send mail apart from those running the cycles."""

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryConfig | None:
        """None without a relay (QAWARD_SMTP_HOST empty): no delivery workflow runs."""
        mail = MailConfig.from_settings(settings)
        if mail is None:
            return None
        return cls(mail=mail, digest_hour=settings.digest_hour)

    def waker(self, client: Client) -> DeliveryWaker:
        return DeliveryWaker(client, self.workflow_id, self.digest_hour, self.task_queue)


async def start_delivery(client: Client, config: DeliveryConfig | None, task_queue: str) -> None:
    """Start (or wake) the delivery workflow: it sends what was left while no worker ran."""
    if config is not None:
        await config.waker(client).wake(task_queue)


async def watch_backlog(
    client: Client,
    config: DeliveryConfig | None,
    task_queue: str,
    db: Database,
    stop: asyncio.Event,
    every: float = BACKLOG_CHECK_SECONDS,
) -> None:
    """Until `stop`: every `every` seconds, wake the delivery if mail is waiting for it.

    The delivery is woken by the write that commits a notice, right after its commit. That
    wake is lost when the process dies between the commit and the signal, or when Temporal
    is unreachable at that moment (the chaos run kills both): the notice would wait in the
    outbox until the next notice, the next worker start or the digest hour. So each worker
    also looks, in real time (not workflow time: a skipped clock fires no extra timers), at
    what is waiting (unrouted outbox entries, pending deliveries) and wakes the delivery
    when anything is. A wake while the delivery is sending costs one signal and one more
    routing round; a failed look or wake is logged and tried at the next check.
    """
    if config is None:
        return
    waker = config.waker(client)
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
        if stop.is_set():
            return
        try:
            waiting = await db.run(deliveries.waiting)
        except Exception:
            log.warning("无法检查待投递的通知", exc_info=True)
            continue
        if waiting:
            await waker.wake(task_queue)
